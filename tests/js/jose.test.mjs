// Interop with `jose` (an independent implementation on WebCrypto): tokens
// signed by jose verify in Tessera and vice versa; tampered ones fail in both.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";

import * as tessera from "../../wasm/pkg/node.js";

const require = createRequire(new URL("../../wasm/package.json", import.meta.url));
const { SignJWT, jwtVerify, errors } = await import(require.resolve("jose"));

const ISS = "https://auth.example.com";

for (const [alg, size] of [["HS256", 32], ["HS384", 48], ["HS512", 64]]) {
  const secret = crypto.getRandomValues(new Uint8Array(size));

  test(`${alg}: jose signs, Tessera verifies`, async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ scope: "profile:read", roles: ["a", "b"], n: 1.25 })
      .setProtectedHeader({ alg, typ: "at+jwt", kid: "k1" })
      .setIssuer(ISS).setSubject("user-42").setAudience(["web", "api"]).setIssuedAt(now).setExpirationTime(now + 900)
      .setJti("jti-1").sign(secret);
    const v = new tessera.Verifier(secret, { algorithm: alg, issuer: ISS, audience: "api", typ: "at+jwt" });
    const { header, claims } = v.verifyToken(token);
    assert.deepEqual(header, { alg, typ: "at+jwt", kid: "k1" });
    assert.equal(claims.sub, "user-42");
    assert.deepEqual(claims.aud, ["web", "api"]);
    assert.deepEqual(claims.roles, ["a", "b"]);
    assert.equal(claims.n, 1.25);
    assert.equal(claims.exp, now + 900);
    const [h, p, s] = token.split(".");
    const tampered = `${h}.${p.slice(0, -2)}${p.at(-2) === "A" ? "B" : "A"}${p.at(-1)}.${s}`;
    assert.throws(() => v.verify(tampered), (e) => ["BadSignature", "Malformed"].includes(e.code));
    await assert.rejects(jwtVerify(tampered, secret));
    v.free();
  });

  test(`${alg}: Tessera signs, jose verifies`, async () => {
    const signer = new tessera.Signer(secret, { algorithm: alg, kid: "k2" });
    const access = signer.issueAccess({ issuer: ISS, subject: "user-42", audience: "api", sessionId: tessera.randomId(), scope: "likes:write" });
    const { payload, protectedHeader } = await jwtVerify(access, secret, { issuer: ISS, audience: "api", typ: "at+jwt", algorithms: [alg] });
    assert.equal(payload.sub, "user-42");
    assert.equal(payload.scope, "likes:write");
    assert.equal(payload.exp - payload.iat, 900);
    assert.equal(protectedHeader.kid, "k2");
    const custom = signer.sign({ sub: "x", exp: Math.floor(Date.now() / 1000) + 60, tier: 3, tags: ["t"] }, { typ: "JWT" });
    const second = await jwtVerify(custom, secret);
    assert.equal(second.payload.tier, 3);
    assert.deepEqual(second.payload.tags, ["t"]);
    // Tampered: one signature character changed, or a payload swapped in.
    const [h, p, s] = access.split(".");
    const badSig = `${h}.${p}.${s.slice(0, 5)}${s[5] === "A" ? "B" : "A"}${s.slice(6)}`;
    await assert.rejects(jwtVerify(badSig, secret), errors.JWSSignatureVerificationFailed);
    const v = new tessera.Verifier(secret, { algorithm: alg, ignoreAudience: true });
    assert.throws(() => v.verify(badSig), (e) => e.code === "BadSignature");
    const swapped = `${h}.${custom.split(".")[1]}.${s}`;
    await assert.rejects(jwtVerify(swapped, secret));
    assert.throws(() => v.verify(swapped), (e) => e.code === "BadSignature");
    v.free();
    signer.free();
  });
}

test("refresh tokens are refused where access tokens are expected, in jose too", async () => {
  const secret = crypto.getRandomValues(new Uint8Array(32));
  const signer = new tessera.Signer(secret, {});
  const refresh = signer.issueRefresh({ issuer: ISS, subject: "u", sessionId: "s" });
  await assert.rejects(jwtVerify(refresh, secret, { typ: "at+jwt" }));
  const v = new tessera.Verifier(secret, { issuer: ISS, audience: "api", typ: "at+jwt" });
  assert.throws(() => v.verify(refresh), (e) => e.code === "TypeMismatch");
  v.free();
  signer.free();
});
