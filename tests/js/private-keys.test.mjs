// Signing with private keys in the issuer module (EdDSA, ES256): keys that
// `jose` generates (WebCrypto underneath), imported as a private JWK and as
// PKCS#8 (PEM text and DER bytes); tokens we sign verify in jose from the
// JWK we publish, and in Tessera from the JWK Set; deterministic tokens;
// the refusals.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { generateKeyPairSync } from "node:crypto";

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

// RS256…PS512: AsyncSigner — the core writes the token, WebCrypto signs.
for (const alg of ["RS256", "PS256", "RS512"]) {
  test(`${alg}: AsyncSigner with jose's RSA key; jose and Tessera verify from publicJwk()`, async () => {
    const { publicKey, privateKey } = await jose.generateKeyPair(alg, { extractable: true, modulusLength: 2048 });
    const privateJwk = await jose.exportJWK(privateKey);
    const thumbprint = await jose.calculateJwkThumbprint(await jose.exportJWK(publicKey), "sha256");
    for (const [jwk, options] of [[privateJwk, { algorithm: alg }], [JSON.stringify({ ...privateJwk, alg }), {}]]) {
      const signer = await issuer.AsyncSigner.fromJwk(jwk, options);
      assert.equal(signer.algorithm, alg);
      assert.equal(signer.kid, thumbprint);
      const published = signer.publicJwk();
      assert.deepEqual([published.kty, published.alg, published.kid, published.use, published.n], ["RSA", alg, thumbprint, "sig", privateJwk.n]);
      assert.equal(published.d, undefined);
      const token = await signer.issueAccess({ issuer: ISS, subject: "42", audience: "api", sessionId: "s", now: NOW, lifetime: 60, scope: "a b" });
      const { payload, protectedHeader } = await jose.jwtVerify(token, await jose.importJWK(published, alg), { issuer: ISS, audience: "api", typ: "at+jwt" });
      assert.deepEqual([protectedHeader.alg, protectedHeader.kid, payload.sub, payload.scope], [alg, thumbprint, "42", "a b"]);
      const v = full.Verifier.fromJwks({ keys: [published] }, { issuer: ISS, audience: "api", typ: "at+jwt" });
      assert.equal(v.verify(token, NOW).sub, "42");
      const custom = await signer.sign({ sub: "7", exp: NOW + 60, role: "admin" }, { typ: "JWT" });
      assert.equal((await jose.jwtVerify(custom, await jose.importJWK(published, alg))).payload.role, "admin");
      // Tampered: refused by both.
      const [h, , s] = token.split(".");
      const forged = `${h}.${Buffer.from(JSON.stringify({ sub: "1" })).toString("base64url")}.${s}`;
      await assert.rejects(jose.jwtVerify(forged, await jose.importJWK(published, alg)));
      assert.equal(v.verifyResult(forged, NOW).error.code, "BadSignature");
    }
  });
}

test("AsyncSigner refuses what it cannot sign with, and Signer.external writes no token", async () => {
  const rsa = await jose.exportJWK((await jose.generateKeyPair("RS256", { extractable: true })).privateKey);
  const ec = await jose.exportJWK((await jose.generateKeyPair("ES256", { extractable: true })).privateKey);
  // (jose will not make one this small.)
  const small = generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey.export({ format: "jwk" });
  await assert.rejects(issuer.AsyncSigner.fromJwk(ec, { algorithm: "ES256" }), /RSA private JWK/);
  await assert.rejects(issuer.AsyncSigner.fromJwk(rsa), /RSA signing algorithm is needed/);
  await assert.rejects(issuer.AsyncSigner.fromJwk(rsa, { algorithm: "HS256" }), /RSA signing algorithm/);
  await assert.rejects(issuer.AsyncSigner.fromJwk(rsa, { algoritm: "RS256" }), /unknown AsyncSigner option `algoritm`/);
  const { d, p, q, dp, dq, qi, ...publicOnly } = rsa;
  await assert.rejects(issuer.AsyncSigner.fromJwk(publicOnly, { algorithm: "RS256" }), /not a private key/);
  await assert.rejects(issuer.AsyncSigner.fromJwk({ ...rsa, alg: "RS256" }, { algorithm: "PS256" }), (e) => e.code === "InvalidKey");
  await assert.rejects(issuer.AsyncSigner.fromJwk(small, { algorithm: "RS256" }), (e) => e.code === "WeakKey");
  // WebCrypto holds the JWK's `use` and `key_ops` to signing.
  await assert.rejects(issuer.AsyncSigner.fromJwk({ ...rsa, key_ops: ["decrypt"] }, { algorithm: "RS256" }));
  await assert.rejects(issuer.AsyncSigner.fromJwk({ ...rsa, use: "enc" }, { algorithm: "RS256" }));
  const external = issuer.Signer.external(publicOnly, { algorithm: "RS256" });
  assert.throws(() => external.sign({ sub: "1" }), /signs elsewhere/);
  assert.throws(() => external.issueAccess({ issuer: ISS, subject: "1", audience: "a", sessionId: "s" }), /signs elsewhere/);
  assert.throws(() => external.issueRefresh({ issuer: ISS, subject: "1", sessionId: "s" }), /HMAC secret/);
  // Only external signers write signing inputs.
  const hmac = new issuer.Signer(new Uint8Array(32).fill(7), { algorithm: "HS256" });
  assert.throws(() => hmac.signingInput({ sub: "1" }), /Signer.external/);
  assert.equal(external.signingInput({ sub: "1" }).split(".").length, 2, "an input, never a token");
});

test("attachSignature checks the signature with the public key before it makes a token", async () => {
  const a = await jose.exportJWK((await jose.generateKeyPair("RS256", { extractable: true })).privateKey);
  const b = await jose.exportJWK((await jose.generateKeyPair("RS256", { extractable: true })).privateKey);
  const publicOf = ({ kty, n, e }) => ({ kty, n, e });
  const external = issuer.Signer.external(publicOf(a), { algorithm: "RS256", kid: "a" });
  const input = external.signingInput({ sub: "1", exp: NOW + 60 }, { typ: "JWT" });
  const sign = async (jwk) => {
    const key = await crypto.subtle.importKey("jwk", jwk, { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, false, ["sign"]);
    return new Uint8Array(await crypto.subtle.sign("RSASSA-PKCS1-v1_5", key, new TextEncoder().encode(input)));
  };
  const [good, wrong] = [await sign(a), await sign(b)];
  assert.throws(() => external.attachSignature(input, wrong), { code: "BadSignature" });
  assert.throws(() => external.attachSignature(input, good.subarray(1)), { code: "BadSignature" });
  assert.throws(() => external.attachSignature(`${input}.x`, good), { code: "InvalidArgument" }, "a token is not an input");
  assert.throws(() => external.attachSignature(42, good), /must be a string/);
  const token = external.attachSignature(input, good);
  assert.equal(token, `${input}.${Buffer.from(good).toString("base64url")}`);
  const { payload } = await jose.jwtVerify(token, await jose.importJWK(publicOf(a), "RS256"));
  assert.equal(payload.sub, "1");
  const hmac = new issuer.Signer(new Uint8Array(32).fill(7), { algorithm: "HS256" });
  assert.throws(() => hmac.attachSignature(input, good), /Signer.external/);
  // An AsyncSigner whose JWK pairs one key's public half with another's
  // private half: Node's WebCrypto imports it and signs; the check refuses
  // the result, where the token would otherwise go out unverifiable.
  const mixed = await issuer.AsyncSigner.fromJwk({ ...b, n: a.n, e: a.e }, { algorithm: "RS256" });
  await assert.rejects(mixed.sign({ sub: "1" }), { code: "BadSignature" });
});
