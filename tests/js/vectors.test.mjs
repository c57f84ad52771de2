// Node 20 `node --test`: every shared vector through the JS API.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

import * as tessera from "../../wasm/pkg/node.js";
import * as full from "../../wasm/pkg/full/node.js";
import * as issuer from "../../wasm/pkg/issuer/node.js";
import { publicVectorsForJs, runPublicVectors, runPublicVectorsAsync, runSignVectors, runVerifyVectors } from "./run-vectors.mjs";

const load = (name) => JSON.parse(readFileSync(new URL(`../vectors/${name}`, import.meta.url), "utf8"));

test("every verification vector gets its verdict", () => {
  const vectors = load("verify.json");
  assert.ok(vectors.length > 200);
  const failures = runVerifyVectors(tessera, vectors);
  assert.deepEqual(failures, []);
});

test("the full module: every verification and public-key vector", () => {
  assert.deepEqual(runVerifyVectors(full, load("verify.json")), []);
  const vectors = load("public.json");
  assert.ok(publicVectorsForJs(vectors) > 100);
  assert.deepEqual(runPublicVectors(full, vectors), []);
});

test("the full module: verifyResultAsync (WebCrypto) agrees with verifyResult on every public-key vector", async () => {
  assert.deepEqual(await runPublicVectorsAsync(full, load("public.json")), []);
});

test("the HMAC module has no public-key constructors", () => {
  assert.equal(tessera.Verifier.fromJwk, undefined);
  assert.equal(typeof full.Verifier.fromJwk, "function");
});

test("every signing vector is byte-identical", () => {
  const failures = runSignVectors(tessera, load("sign.json"), issuer);
  assert.deepEqual(failures, []);
});

test("errors are real TesseraErrors with stable codes", () => {
  const v = new tessera.Verifier(new Uint8Array(32), {});
  assert.throws(() => v.verify("not a token"), (e) => e instanceof Error && e instanceof tessera.TesseraError &&
    e.name === "TesseraError" && e.code === "Malformed" && e.status === 1 && typeof e.stack === "string");
  const r = v.verifyResult("a.b.c", 1);
  assert.deepEqual(Object.keys(r), ["ok", "error"]);
  assert.equal(r.ok, false);
  assert.ok(r.error instanceof tessera.TesseraError);
  assert.equal(r.error.code, "Malformed");
  assert.equal(r.error.message, "the token is not a well-formed JWS (segments, base64url or JSON)");
  assert.throws(() => new tessera.Verifier(new Uint8Array(31), {}), (e) => e.code === "WeakKey");
  assert.throws(() => new tessera.Verifier(new Uint8Array(32), { audience: 5 }), (e) => e.code === "InvalidArgument");
  assert.throws(() => v.verify("a.b.c", -1), (e) => e.code === "InvalidArgument");
  const bad = (fn) => assert.throws(fn, (e) => e instanceof tessera.TesseraError && e.code === "InvalidArgument");
  bad(() => tessera.Verifier.withKeySet("not an array", {}));
  bad(() => tessera.Verifier.withKeySet([{ secret: new Uint8Array(32) }], {}));
  bad(() => tessera.Verifier.withKeySet([{ kid: "k" }], {}));
  bad(() => new tessera.Verifier(new Uint8Array(32), { isRevoked: 5 }));
  bad(() => new tessera.Verifier(new Uint8Array(32), { requiredClaims: ["nope"] }));
  bad(() => new tessera.Verifier(new Uint8Array(32), { algorithm: "RS256" }));
  bad(() => new tessera.Verifier(42, {}));
  // Messages: the core's text, with the claim and the option named.
  const signer = new tessera.Signer(new Uint8Array(32), {});
  assert.throws(() => v.verify(signer.sign({ exp: 10 }, {}), 20),
    (e) => e.code === "Expired" && e.claim === "exp" && e.message === "the token has expired (`exp`)");
  assert.throws(() => new tessera.Verifier(new Uint8Array(32), { issuer: 5 }),
    (e) => e.message === "option `issuer` must be a string");
  assert.throws(() => new tessera.Verifier(new Uint8Array(32), { requiredClaims: ["nope"] }),
    (e) => e.message === "unknown claim `nope`");
  assert.throws(() => v.verify("a.b.c", 1.5), (e) => e.message === "`now` must be a non-negative integer below 2^53");
  signer.free();
  v.free();
});

test("verify defaults now to the current time; issuedBefore and isRevoked", () => {
  const secret = new Uint8Array(32).fill(7);
  const signer = new tessera.Signer(secret, {});
  const now = Math.floor(Date.now() / 1000);
  const token = signer.issueAccess({ issuer: "i", subject: "42", audience: "api", sessionId: "s1", now, scope: "a b" });
  const revoked = new Set();
  const v = new tessera.Verifier(secret, { issuer: "i", audience: "api", typ: "at+jwt", isRevoked: (q) => revoked.has(q.sid) });
  const claims = v.verify(token);
  assert.equal(claims.sub, "42");
  assert.equal(claims.exp, now + 900);
  assert.equal(claims.jti.length, 22);
  assert.throws(() => v.verify(token, undefined, { issuedBefore: now + 1 }), (e) => e.code === "Revoked");
  revoked.add("s1");
  assert.throws(() => v.verify(token), (e) => e.code === "Revoked");
  const throwing = new tessera.Verifier(secret, { ignoreAudience: true, isRevoked: () => { throw new Error("db down"); } });
  assert.throws(() => throwing.verify(token), (e) => e.code === "Revoked", "a throwing check fails closed");
  v.free();
  throwing.free();
  signer.free();
});

test("decodeUnverified reads exp without a key", () => {
  const signer = new tessera.Signer(new Uint8Array(32), {});
  const token = signer.sign({ sub: "x", exp: 12345 }, { typ: "JWT" });
  const { header, claims } = tessera.decodeUnverified(token);
  assert.deepEqual(header, { alg: "HS256", typ: "JWT" });
  assert.equal(claims.exp, 12345);
  assert.throws(() => tessera.decodeUnverified("x"), (e) => e.code === "Malformed");
  // Over 8 KiB: refused as by the verifier (its scratch is sized for 8 KiB).
  assert.throws(() => tessera.decodeUnverified(`${token}${"A".repeat(9000)}`), (e) => e.code === "TokenTooLong");
  assert.throws(() => tessera.decodeUnverified("a.".repeat(3_000_000) + "b"), (e) => e.code === "TokenTooLong");
  signer.free();
});

test("custom claims round-trip; non-integer times are refused when signing", () => {
  const secret = new Uint8Array(32).fill(1);
  const signer = new tessera.Signer(secret, {});
  const token = signer.sign({ sub: "1", exp: 100, roles: ["a"], meta: { n: 1.5 } }, {});
  const v = new tessera.Verifier(secret, {});
  assert.deepEqual(v.verify(token, 50), { sub: "1", exp: 100, roles: ["a"], meta: { n: 1.5 } });
  const fractional = signer.sign({ exp: 2 }, { customJson: "{}" });
  assert.equal(v.verify(fractional, 1).exp, 2);
  const raw = new tessera.Signer(secret, {});
  assert.throws(() => raw.sign({ exp: 1.5 }, {}), (e) => e.code === "InvalidArgument");
  v.free();
  signer.free();
  raw.free();
});

test("strings cross intact: ASCII, non-ASCII at any position, astral, lone surrogates", () => {
  const secret = new Uint8Array(32).fill(3);
  const signer = new tessera.Signer(secret, {});
  const v = new tessera.Verifier(secret, {});
  for (const sub of ["plain", "é", "žluťoučký kůň", "a".repeat(300) + "ü", "🐎" + "b".repeat(50), "x🐎y", "\ud800", ""]) {
    const token = signer.sign({ sub, exp: 100 }, {});
    const want = sub === "\ud800" ? "\ufffd" : sub; // a lone surrogate is not UTF-8: U+FFFD, like TextEncoder
    assert.equal(v.verify(token, 50).sub, want, JSON.stringify(sub));
    assert.equal(tessera.bearerToken(`Bearer ${token}`), token);
  }
  assert.equal(tessera.cookieValue("a=1; ü=2; refresh=t.k", "refresh"), "t.k");
  assert.ok(tessera.constantTimeEqual("ünïcödé", "ünïcödé"));
  assert.ok(!tessera.constantTimeEqual("ünïcödé", "ünïcödE"));
  v.free();
  signer.free();
});

test("HTTP helpers", () => {
  assert.equal(tessera.bearerToken("Bearer a.b.c"), "a.b.c");
  assert.equal(tessera.bearerToken("Basic a"), undefined);
  assert.equal(tessera.bearerToken(undefined), undefined);
  assert.equal(tessera.cookieValue("x=1; refresh=t.k", "refresh"), "t.k");
  assert.equal(tessera.cookieValue(null, "refresh"), undefined);
  assert.equal(tessera.refreshCookie("refresh", "t.k", {}), "refresh=t.k; Path=/auth; Max-Age=604800; HttpOnly; Secure; SameSite=Strict");
  assert.equal(tessera.clearRefreshCookie("refresh", {}), "refresh=; Path=/auth; Max-Age=0; HttpOnly; Secure; SameSite=Strict");
  assert.throws(() => tessera.refreshCookie("refresh", "a;b", {}), (e) => e.code === "InvalidArgument");
  assert.equal(tessera.refreshTokenDigest("abc"), "ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0");
  assert.ok(tessera.constantTimeEqual("abc", "abc"));
  assert.ok(!tessera.constantTimeEqual("abc", "abd"));
  assert.notEqual(tessera.randomId(), tessera.randomId());
  assert.equal(tessera.randomIdFromBytes(new Uint8Array(16).fill(0xfb)), "-_v7-_v7-_v7-_v7-_v7-w");
  // RFC 6749 §3.3: exact, space-separated scope tokens.
  assert.ok(tessera.scopeContains("profile:read likes:write", "likes:write"));
  assert.ok(tessera.scopeContains("read  write", "write"));
  assert.ok(!tessera.scopeContains("profile:read likes:write", "likes"));
  assert.ok(!tessera.scopeContains("read", ""));
  assert.ok(!tessera.scopeContains(undefined, "read"));
});
