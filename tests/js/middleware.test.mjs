// Framework glue over real HTTP on 127.0.0.1: Hono in workerd (Miniflare),
// compared with hono/jwt on the same tokens, and Express in Node.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

import * as tessera from "../../wasm/pkg/node.js";
import * as full from "../../wasm/pkg/full/node.js";

const require = createRequire(new URL("../../wasm/package.json", import.meta.url));
const { Miniflare } = await import(require.resolve("miniflare"));
const express = require("express");

const SECRET = "middleware test secret of at least thirty-two bytes";
const ISS = "https://auth.example.com";
const now = () => Math.floor(Date.now() / 1000);
const signer = new tessera.Signer(new TextEncoder().encode(SECRET), {});
const access = (claims) =>
  signer.sign({ iss: ISS, aud: "api", sub: "user-1", scope: "profile:read", iat: now(), exp: now() + 60, ...claims }, { typ: "at+jwt" });
const tokens = {
  good: access({}),
  expired: access({ iat: now() - 120, exp: now() - 60 }),
  otherAudience: access({ aud: "billing" }),
  noScope: access({ scope: "likes:write" }),
};

const root = fileURLToPath(new URL("../../", import.meta.url));
const mf = new Miniflare({
  modules: true,
  modulesRoot: root,
  scriptPath: fileURLToPath(new URL("./worker/hono-worker.mjs", import.meta.url)),
  modulesRules: [
    { type: "ESModule", include: ["**/*.js"] },
    { type: "CompiledWasm", include: ["**/*.wasm"] },
  ],
  bindings: { ACCESS_SECRET: SECRET },
  compatibilityDate: "2025-09-01",
});
after(() => mf.dispose());

const call = async (base, path, token, scheme = "Bearer") => {
  const r = await (base ? fetch(`${base}${path}`, { headers: token ? { authorization: `${scheme} ${token}` } : {} })
    : mf.dispatchFetch(`http://localhost${path}`, { headers: token ? { authorization: `${scheme} ${token}` } : {} }));
  return { status: r.status, challenge: r.headers.get("www-authenticate"), body: await r.json().catch(() => null) };
};

// One table of verdicts for both frameworks: the same middleware rules.
async function checkVerdicts(base) {
  const ok = await call(base, "/api/me", tokens.good);
  assert.equal(ok.status, 200);
  assert.equal(ok.body.sub, "user-1");
  const none = await call(base, "/api/me");
  assert.equal(none.status, 401);
  assert.match(none.challenge, /^Bearer realm="[^"]+"$/, "no credentials: a bare challenge (RFC 6750 §3.1)");
  const basic = await call(base, "/api/me", "dXNlcjpwYXNz", "Basic");
  assert.equal(basic.status, 401);
  const expired = await call(base, "/api/me", tokens.expired);
  assert.equal(expired.status, 401);
  assert.match(expired.challenge, /error="invalid_token", error_description="Expired"/);
  assert.equal(expired.body.reason, "Expired");
  const audience = await call(base, "/api/me", tokens.otherAudience);
  assert.equal(audience.status, 401);
  assert.match(audience.challenge, /error_description="InvalidAudience"/);
  const scope = await call(base, "/api/me", tokens.noScope);
  assert.equal(scope.status, 403);
  assert.match(scope.challenge, /error="insufficient_scope", scope="profile:read"/);
  const tampered = await call(base, "/api/me", `${tokens.good.slice(0, -2)}AA`);
  assert.equal(tampered.status, 401);
}

test("Hono in workerd: honoBearer answers 200 / 401 / 403 with RFC 6750 challenges", async () => {
  await checkVerdicts(null);
  const r = await call(null, "/api/me", tokens.expired);
  assert.match(r.challenge, /^Bearer realm="photos"/);
  // Two Authorization headers, the good token in either: no credentials.
  for (const two of [[`Bearer ${tokens.good}`, "Bearer x"], ["Bearer x", `Bearer ${tokens.good}`]]) {
    const res = await mf.dispatchFetch("http://localhost/api/me", { headers: new Headers(two.map((v) => ["authorization", v])) });
    assert.deepEqual([res.status, res.headers.get("www-authenticate")], [401, 'Bearer realm="photos"'], two.join(" | "));
    await res.arrayBuffer();
  }
});

test("compared with hono/jwt on the same secret: it accepts a token for another audience", async () => {
  // hono/jwt checks the signature, the times and (when told) typ; the
  // audience only when `verification.aud` is set. Tessera's verifier names
  // its audience, and a token for another service is refused.
  assert.equal((await call(null, "/hono-jwt/me", tokens.good)).status, 200);
  assert.equal((await call(null, "/hono-jwt/me", tokens.expired)).status, 401);
  assert.equal((await call(null, "/hono-jwt/me", tokens.otherAudience)).status, 200, "hono/jwt: another audience passes");
  assert.equal((await call(null, "/api/me", tokens.otherAudience)).status, 401, "Tessera: refused");
});

test("Express in Node: expressBearer, and a RemoteJwks-style async verifier", async () => {
  const verifier = new tessera.Verifier(new TextEncoder().encode(SECRET), { issuer: ISS, audience: "api", typ: "at+jwt" });
  const app = express();
  app.use("/api", tessera.expressBearer({ verifier, scopes: ["profile:read"] }));
  app.get("/api/me", (req, res) => res.json({ sub: req.auth.sub }));
  // An async verifier (what RemoteJwks is): awaited the same way.
  const asyncVerifier = { verifyResult: async (token) => verifier.verifyResult(token) };
  app.use("/async", full.expressBearer({ verifier: asyncVerifier }));
  app.get("/async/me", (req, res) => res.json({ sub: req.auth.sub }));
  const server = await new Promise((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  try {
    const base = `http://127.0.0.1:${server.address().port}`;
    await checkVerdicts(base);
    assert.equal((await call(base, "/async/me", tokens.good)).body.sub, "user-1");
    assert.equal((await call(base, "/async/me", tokens.expired)).status, 401);
    // Two Authorization headers (Node keeps only the first in req.headers),
    // the good token in either: no credentials, as in Hono and httpd.
    for (const two of [[`Bearer ${tokens.good}`, "Bearer x"], ["Bearer x", `Bearer ${tokens.good}`]]) {
      const status = await new Promise((resolve, reject) => {
        http.get(`${base}/api/me`, { headers: { authorization: two } }, (res) => {
          res.resume();
          resolve([res.statusCode, res.headers["www-authenticate"]]);
        }).on("error", reject);
      });
      assert.deepEqual(status, [401, 'Bearer realm="api"'], two.join(" | "));
    }
  } finally {
    server.close();
  }
});

test("the middleware refuses bad options up front", () => {
  const verifier = new tessera.Verifier(new TextEncoder().encode(SECRET), {});
  assert.throws(() => tessera.honoBearer({ verifier, scope: ["a"] }), /unknown bearer middleware option `scope`/);
  assert.throws(() => tessera.expressBearer({}), /`verifier` must be/);
  assert.throws(() => tessera.honoBearer({ verifier, scopes: "a b" }), /`scopes` must be an array/);
  assert.throws(() => tessera.honoBearer({ verifier, scopes: ['a"b'] }), /scope tokens/);
  assert.throws(() => tessera.expressBearer({ verifier, realm: 'x"y' }), /`realm`/);
  assert.throws(() => tessera.honoBearer(null), /must be an object/);
});
