// A Cloudflare Worker protecting an API with an identity provider's tokens:
// the full module's RemoteJwks fetches the IdP's JWK Set (env.JWKS_URL),
// caches it, and refetches on an unknown kid, from inside workerd.
import { RemoteJwks, bearerToken } from "../../../wasm/pkg/full/workerd.js";

let jwks;

export default {
  async fetch(request, env) {
    jwks ??= new RemoteJwks(env.JWKS_URL, { verifier: { issuer: "https://idp.example", audience: "api" }, cooldown: 1, timeout: 2 });
    const token = bearerToken(request.headers.get("Authorization") ?? undefined);
    if (!token) return Response.json({ error: "MissingToken" }, { status: 401 });
    try {
      const result = await jwks.verifyResult(token);
      if (!result.ok) {
        return Response.json({ error: result.error.code, fetches: jwks.fetches, lastError: String(jwks.lastError ?? "") }, { status: 401 });
      }
      return Response.json({ sub: result.claims.sub, alg: "ok", fetches: jwks.fetches });
    } catch (e) {
      // No JWK Set could be fetched at all.
      return Response.json({ error: "JwksUnavailable", detail: String(e.message ?? e) }, { status: 503 });
    }
  },
};
