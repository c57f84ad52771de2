// Signing with private keys in the issuer module (EdDSA, ES256): keys that
// `jose` generates (WebCrypto underneath), imported as a private JWK and as
// PKCS#8 (PEM text and DER bytes); tokens we sign verify in jose from the
// JWK we publish, and in Tessera from the JWK Set; deterministic tokens;
// the refusals.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";

import * as full from "../../wasm/pkg/full/node.js";
import * as issuer from "../../wasm/pkg/issuer/node.js";

const require = createRequire(new URL("../../wasm/package.json", import.meta.url));
const jose = await import(require.resolve("jose"));

const ISS = "https://auth.example";
const NOW = Math.floor(Date.now() / 1000);
const keysDir = new URL("../keys/", import.meta.url);

const pemToDer = (pem) =>
  Uint8Array.from(Buffer.from(pem.replace(/-----[^-]+-----/g, "").replace(/\s+/g, ""), "base64"));

for (const alg of ["EdDSA", "ES256"]) {
  test(`${alg}: jose's private key signs in Tessera; jose verifies from publicJwk()`, async () => {
    const { publicKey, privateKey } = await jose.generateKeyPair(alg, { extractable: true });
    const privateJwk = await jose.exportJWK(privateKey);
    const pkcs8 = await jose.exportPKCS8(privateKey);
    const signers = [
      issuer.Signer.fromJwk(privateJwk),
      issuer.Signer.fromJwk(JSON.stringify(privateJwk)),
      issuer.Signer.fromPkcs8(pkcs8),
      issuer.Signer.fromPkcs8(pemToDer(pkcs8)),
    ];
    const thumbprint = await jose.calculateJwkThumbprint(await jose.exportJWK(publicKey), "sha256");
    for (const signer of signers) {
      assert.equal(signer.algorithm, alg);
      assert.equal(signer.kid, thumbprint, "the default kid is the RFC 7638 thumbprint, as jose computes it");
      const jwk = signer.publicJwk();
      assert.equal(jwk.kid, thumbprint);
      assert.equal(jwk.use, "sig");
      assert.equal(jwk.alg, alg);
      assert.equal(jwk.d, undefined);
      const token = signer.issueAccess({ issuer: ISS, subject: "user-1", audience: "api", sessionId: "s1", now: NOW });
      const { payload, protectedHeader } = await jose.jwtVerify(token, await jose.importJWK(jwk, alg), {
        issuer: ISS,
        audience: "api",
        typ: "at+jwt",
      });
      assert.equal(payload.sub, "user-1");
      assert.equal(protectedHeader.kid, thumbprint);
      // And in Tessera, from the JWK Set the auth server would publish.
      const verifier = full.Verifier.fromJwks({ keys: [jwk] }, { issuer: ISS, audience: "api", typ: "at+jwt" });
      assert.equal(verifier.verify(token, NOW).sub, "user-1");
      // Refresh tokens stay HMAC: a private key does not sign them.
      assert.throws(() => signer.issueRefresh({ issuer: ISS, subject: "u", sessionId: "s1" }), { code: "InvalidArgument" });
    }
    // Deterministic: one key, one input, one token, whatever the import form.
    const claims = { iss: ISS, sub: "same", exp: NOW + 60 };
    const tokens = new Set(signers.map((s) => s.sign(claims, { typ: "JWT" })));
    assert.equal(tokens.size, 1);
  });
}

test("Tessera signs what tests/keys' PyJWT-era keys publish, and a kid can be chosen", () => {
  const pem = readFileSync(new URL("ed25519.pem", keysDir), "utf8");
  const signer = issuer.Signer.fromPkcs8(pem, { kid: "2026-12" });
  assert.equal(signer.kid, "2026-12");
  assert.deepEqual(signer.publicJwk(), {
    kty: "OKP", crv: "Ed25519", x: "7VNdjqPHid1_w7FQBXhRpjoaJINzthuxiXKmsgaiKiw", alg: "EdDSA", kid: "2026-12", use: "sig",
  });
});

test("the full module verifies but does not sign with private keys (the issuer module does)", () => {
  assert.equal(full.Signer.fromJwk, undefined);
  assert.equal(full.Signer.fromPkcs8, undefined);
  assert.equal(typeof issuer.Signer.fromJwk, "function");
  assert.equal(typeof issuer.Verifier.fromJwks, "function");
  assert.equal(typeof issuer.RemoteJwks, "function");
});

test("private keys that cannot sign, or are not private, are refused", async () => {
  const pub = readFileSync(new URL("ed25519.pub.pem", keysDir), "utf8");
  const bad = [
    () => issuer.Signer.fromPkcs8(pub),
    () => issuer.Signer.fromPkcs8(readFileSync(new URL("rsa2048.pem", keysDir), "utf8")),
    () => issuer.Signer.fromPkcs8(readFileSync(new URL("p384.pem", keysDir), "utf8")),
    () => issuer.Signer.fromJwk({ kty: "OKP", crv: "Ed25519", x: "7VNdjqPHid1_w7FQBXhRpjoaJINzthuxiXKmsgaiKiw" }),
    () => issuer.Signer.fromJwk({ kty: "oct", k: "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA" }),
  ];
  for (const f of bad) assert.throws(f, { code: "InvalidKey" });
  const { privateKey } = await jose.generateKeyPair("EdDSA", { extractable: true });
  const jwk = await jose.exportJWK(privateKey);
  assert.throws(() => issuer.Signer.fromJwk({ ...jwk, use: "enc" }), { code: "InvalidKey" });
  assert.throws(() => issuer.Signer.fromJwk({ ...jwk, key_ops: ["verify"] }), { code: "InvalidKey" });
  assert.throws(() => issuer.Signer.fromJwk(jwk, { kidd: "x" }), { code: "InvalidArgument" });
  assert.throws(() => issuer.Signer.fromPkcs8(42), { code: "InvalidArgument" });
  // An HMAC signer has no public half to publish.
  const hmac = new issuer.Signer("a secret of at least thirty-two bytes", { algorithm: "HS256" });
  assert.throws(() => hmac.publicJwk(), { code: "InvalidArgument" });
});
