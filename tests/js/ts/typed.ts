// A small program typed against the published declarations (tsc --strict),
// then run: what a TypeScript user of each module writes. The lines marked
// as expected errors at the end are mistakes the types must catch (tsc
// fails when one of them stops being an error).
import {
  Signer, TesseraError, Verifier, bearerToken, decodeUnverified, expressBearer, honoBearer, type Claims, type TesseraErrorCode,
} from "tessera-jwt";
import { Verifier as FullVerifier } from "tessera-jwt/full";
import { AsyncSigner, Signer as PrivateSigner } from "tessera-jwt/issuer";
import initWeb, { Verifier as WebVerifier } from "tessera-jwt/web";
import { Hono } from "hono";
import assert from "node:assert/strict";

const secret = new Uint8Array(32).fill(7);
const now = 1_700_000_000;

// HMAC: sign, then verify three ways.
const signer = new Signer(secret, { algorithm: "HS256", kid: "k1" });
const token: string = signer.sign({ sub: "user-1", exp: now + 60, role: "admin" }, { typ: "at+jwt" });
// An option that skips a check when absent may not be `undefined` (a
// missing setting): omit it instead.
assert.throws(() => new Verifier(secret, { issuer: undefined, typ: "at+jwt" }), TesseraError);
const verifier = new Verifier(secret, { typ: "at+jwt", leeway: 5 });
const claims: Claims = verifier.verify(token, now);
const sub: string | undefined = claims.sub;
assert.equal(sub, "user-1");
assert.equal(claims.role, "admin");

const result = verifier.verifyResult(token, now + 3600);
if (result.ok) {
  assert.fail("an expired token verified");
} else {
  const code: TesseraErrorCode = result.error.code; // narrowed: error exists only when !ok
  assert.equal(code, "Expired");
  assert.equal(result.error.claim, "exp");
}
const { header } = verifier.verifyToken(token, new Date(now * 1000));
assert.equal(header.kid, "k1");
assert.equal(decodeUnverified(token).claims.exp, now + 60);
assert.equal(bearerToken(`Bearer ${token}`), token);

try {
  verifier.verify("not.a.token");
} catch (e) {
  assert.ok(e instanceof TesseraError && e.code === "Malformed");
}

// Public keys: an EdDSA private key signs (issuer module), its JWK Set verifies (full module).
const ed = PrivateSigner.fromJwk({
  kty: "OKP", crv: "Ed25519",
  d: "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A", x: "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo",
});
const access = ed.issueAccess({ issuer: "https://auth.example", subject: "u", audience: "api", sessionId: "s", now });
const jwks = { keys: [ed.publicJwk()] };
const full = FullVerifier.fromJwks(jwks, { issuer: "https://auth.example", audience: "api", typ: "at+jwt" });
assert.equal(full.verify(access, now).sub, "u");
assert.equal((await full.verifyAsync(access, now)).sub, "u");

// Hono, with its own types: the middleware fits app.use, the claims c.get.
const app = new Hono<{ Variables: { claims: Claims } }>();
app.use("/api/*", honoBearer({ verifier: new Verifier(secret, { typ: "at+jwt" }), realm: "typed" }));
app.get("/api/me", (c) => c.json({ sub: c.get("claims").sub ?? null }));
const fresh = signer.sign({ sub: "user-2", exp: Math.floor(Date.now() / 1000) + 60 }, { typ: "at+jwt" });
const res = await app.request("/api/me", { headers: { authorization: `Bearer ${fresh}` } });
assert.deepEqual(await res.json(), { sub: "user-2" });
assert.equal((await app.request("/api/me")).status, 401);
const express = expressBearer({ verifier: full, scopes: ["read"] });
assert.equal(typeof express, "function");

// The web entry, initialised in Node.
await initWeb();
assert.equal(typeof new WebVerifier(secret).verifyResult, "function");

// What the types refuse, and the module refuses at run time too.
// @ts-expect-error: an option name misspelt
assert.throws(() => new Verifier(secret, { isuer: "https://auth.example" }), TesseraError);
// @ts-expect-error: a secret is bytes or a string
assert.throws(() => new Verifier(42), TesseraError);
// @ts-expect-error: now is seconds or a Date, not a string
assert.throws(() => verifier.verify(token, "1700000000"), TesseraError);
// @ts-expect-error: HMAC algorithms only for a secret
assert.throws(() => new Signer(secret, { algorithm: "RS256" }), TesseraError);
// @ts-expect-error: an access token needs a session id
assert.throws(() => signer.issueAccess({ issuer: "i", subject: "s", audience: "a" }), TesseraError);
// @ts-expect-error: the middleware's option is `scopes`
assert.throws(() => honoBearer({ verifier, scope: ["read"] }), TypeError);
// @ts-expect-error: AsyncSigner is made with fromJwk (async), not new
assert.throws(() => new AsyncSigner(), TypeError);

console.log("typed program: ok");
