// A Cloudflare Worker that verifies the bearer token of every request with
// the Tessera WebAssembly module (run by workerd through Miniflare).
import { Verifier, bearerToken, TesseraError } from "../../../wasm/pkg/workerd.js";

let verifier;

export default {
  async fetch(request, env) {
    verifier ??= new Verifier(new TextEncoder().encode(env.ACCESS_SECRET), {
      issuer: "https://auth.example.com",
      audience: "api",
      typ: "at+jwt",
    });
    const token = bearerToken(request.headers.get("Authorization") ?? undefined);
    if (!token) return Response.json({ error: "MissingToken" }, { status: 401 });
    const result = verifier.verifyResult(token);
    if (!result.ok) {
      const e = result.error;
      return Response.json({ error: e.code, claim: e.claim ?? null, isTesseraError: e instanceof TesseraError && e instanceof Error }, { status: 401 });
    }
    return Response.json({ sub: result.claims.sub, scope: result.claims.scope });
  },
};
