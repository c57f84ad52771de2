// A Hono app in workerd: Tessera's honoBearer protects /api/*, and for
// comparison hono/jwt protects /hono-jwt/* with the same secret (Hono's
// files are imported by path: Miniflare follows relative imports).
import { Hono } from "../../../wasm/node_modules/hono/dist/index.js";
import { jwt } from "../../../wasm/node_modules/hono/dist/middleware/jwt/index.js";
import { Verifier, honoBearer } from "../../../wasm/pkg/workerd.js";

let app;

function build(env) {
  const secret = new TextEncoder().encode(env.ACCESS_SECRET);
  const verifier = new Verifier(secret, { issuer: "https://auth.example.com", audience: "api", typ: "at+jwt" });
  const a = new Hono();
  a.use("/api/*", honoBearer({ verifier, scopes: ["profile:read"], realm: "photos" }));
  a.get("/api/me", (c) => c.json({ sub: c.get("claims").sub, scope: c.get("claims").scope }));
  // hono/jwt refuses any header typ but JWT unless told: at+jwt here.
  a.use("/hono-jwt/*", jwt({ secret: env.ACCESS_SECRET, alg: "HS256", verification: { typ: "at+jwt" } }));
  a.get("/hono-jwt/me", (c) => c.json({ sub: c.get("jwtPayload").sub }));
  return a;
}

export default {
  fetch(request, env, ctx) {
    app ??= build(env);
    return app.fetch(request, env, ctx);
  },
};
