// The full module (`tessera-jwt/full`) with public keys: tokens signed by
// `jose` (WebCrypto underneath) for every algorithm verify from the JWK and
// the JWK Set jose exports, synchronously and with verifyAsync (WebCrypto); RemoteJwks against a local HTTP
// server: caching, a refetch for an unknown kid with a cooldown, rotation,
// the last good set kept through failures and timeouts, fail-closed options.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { createRequire } from "node:module";

import * as full from "../../wasm/pkg/full/node.js";
import { serveEndless } from "./endless-body.mjs";

const require = createRequire(new URL("../../wasm/package.json", import.meta.url));
const jose = await import(require.resolve("jose"));

const ISS = "https://idp.example";
const ALGS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA"];
const now = () => Math.floor(Date.now() / 1000);

async function keyPair(alg, kid) {
  const { publicKey, privateKey } = await jose.generateKeyPair(alg, { extractable: true });
  const jwk = { ...(await jose.exportJWK(publicKey)), kid, alg, use: "sig" };
  return { alg, kid, privateKey, jwk };
}

const sign = (k, claims = {}, header = {}) =>
  new jose.SignJWT({ scope: "read", ...claims })
    .setProtectedHeader({ alg: k.alg, kid: k.kid, typ: "at+jwt", ...header })
    .setIssuer(ISS).setSubject("user-7").setAudience("api").setIssuedAt().setExpirationTime("5m")
    .sign(k.privateKey);

const pairs = await Promise.all(ALGS.map((alg, i) => keyPair(alg, `k${i}`)));

test("jose signs every algorithm; Tessera verifies from the JWK and the JWK Set, sync and async", async () => {
  const set = full.Verifier.fromJwks({ keys: pairs.map((p) => p.jwk) }, { issuer: ISS, audience: "api", typ: "at+jwt" });
  assert.equal(set.skippedKeys, 0);
  for (const k of pairs) {
    const token = await sign(k);
    const fromJwk = full.Verifier.fromJwk(k.jwk, { issuer: ISS, audience: "api" });
    const bare = full.Verifier.fromJwk(JSON.stringify({ ...k.jwk, alg: undefined }), { algorithm: k.alg, issuer: ISS, audience: "api" });
    for (const v of [fromJwk, bare, set]) {
      const { header, claims } = v.verifyToken(token);
      assert.equal(header.alg, k.alg);
      assert.equal(claims.sub, "user-7");
      assert.equal(claims.scope, "read");
      assert.deepEqual(await v.verifyAsync(token), claims);
    }
    // Tampered payload, and the token against the other keys.
    const [h, , s] = token.split(".");
    const forged = `${h}.${Buffer.from(JSON.stringify({ sub: "admin", exp: now() + 60 })).toString("base64url")}.${s}`;
    assert.equal(fromJwk.verifyResult(forged).error.code, "BadSignature", k.alg);
    assert.equal((await fromJwk.verifyResultAsync(forged)).error.code, "BadSignature", k.alg);
    await assert.rejects(fromJwk.verifyAsync(forged), (e) => e instanceof full.TesseraError && e.code === "BadSignature");
    for (const other of pairs.filter((p) => p !== k && p.alg === k.alg)) {
      assert.equal(full.Verifier.fromJwk(other.jwk, {}).verifyResult(token).error.code, "BadSignature");
    }
    fromJwk.free();
    bare.free();
  }
  set.free();
});

test("algorithm confusion: HS256 with the public JWK or PEM as the secret, alg none, a header key", async () => {
  const rs = pairs[0];
  const set = full.Verifier.fromJwks({ keys: [rs.jwk] }, {});
  const v = full.Verifier.fromJwk(rs.jwk, {});
  for (const secret of [JSON.stringify(rs.jwk), JSON.stringify(rs.jwk.n)]) {
    const forged = await new jose.SignJWT({ sub: "admin" }).setProtectedHeader({ alg: "HS256", kid: rs.kid })
      .setExpirationTime("5m").sign(new TextEncoder().encode(secret));
    assert.equal(v.verifyResult(forged).error.code, "AlgorithmMismatch");
    assert.equal(set.verifyResult(forged).error.code, "AlgorithmMismatch");
  }
  const unsecured = new jose.UnsecuredJWT({ sub: "admin" }).setExpirationTime("5m").encode();
  assert.equal(v.verifyResult(unsecured).error.code, "Malformed"); // no signature segment
  // The attacker's own key in the header, under the real key's kid.
  const evil = await keyPair("ES256", rs.kid);
  const withKey = await sign(evil, {}, { jwk: evil.jwk });
  assert.equal(set.verifyResult(withKey).error.code, "AlgorithmMismatch");
  v.free();
  set.free();
});

test("key import refusals are TesseraErrors", () => {
  const bad = (fn, code) => assert.throws(fn, (e) => e instanceof full.TesseraError && e.code === code);
  const rs = pairs[0];
  bad(() => full.Verifier.fromJwk({ ...rs.jwk, d: "AQAB" }, {}), "InvalidKey");
  bad(() => full.Verifier.fromJwk({ kty: "oct", k: "c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0" }, {}), "InvalidKey");
  bad(() => full.Verifier.fromJwk({ ...rs.jwk, alg: undefined }, {}), "InvalidKey");
  bad(() => full.Verifier.fromJwk({ ...rs.jwk, alg: "RS256" }, { algorithm: "PS256" }), "InvalidKey");
  bad(() => full.Verifier.fromJwk(rs.jwk, { algorithm: "HS256" }), "InvalidArgument");
  bad(() => full.Verifier.fromJwk(42, {}), "InvalidArgument");
  assert.equal(full.Verifier.fromPem, undefined, "PEM is a Rust/C import path (see run-vectors.mjs)");
  bad(() => full.Verifier.fromJwks({ keys: [rs.jwk, { ...pairs[6].jwk, d: "AA" }] }, {}), "InvalidKey");
  bad(() => full.Verifier.fromJwks({ keys: [rs.jwk] }, { algorithm: "PS256" }), "InvalidKey"); // contradicts the JWK's RS256
  bad(() => full.Verifier.fromJwks({ keys: [rs.jwk] }, { algorithm: "ES256" }), "InvalidArgument"); // not an RSA default
  bad(() => full.Verifier.fromJwks({ keys: [rs.jwk] }, { issuerr: ISS }), "InvalidArgument");
  // RSA keys without alg: passed over, or bound by the caller's default.
  const noAlg = { ...rs.jwk, alg: undefined };
  const skipping = full.Verifier.fromJwks({ keys: [noAlg] }, {});
  assert.equal(skipping.skippedKeys, 1);
  skipping.free();
  const entra = full.Verifier.fromJwks({ keys: [noAlg] }, { algorithm: "RS256" });
  assert.equal(entra.skippedKeys, 0);
  entra.free();
});

// --- RemoteJwks -----------------------------------------------------------

let served = { keys: pairs.slice(0, 2).map((p) => p.jwk) };
let mode = "ok";
let requests = 0;
let cacheControl = "public, max-age=300";
const server = createServer((req, res) => {
  requests++;
  if (mode === "hang") return; // never answers: the client's timeout must fire
  if (mode === "error") return res.writeHead(500).end("down");
  if (mode === "redirect") return res.writeHead(302, { location: "http://evil.example/jwks.json" }).end();
  if (mode === "endless") return serveEndless(res);
  if (mode === "latin1") {
    // The served set with a kid holding a byte that is not UTF-8 (0xE9).
    const text = JSON.stringify({ keys: [{ ...served.keys[0], kid: "cl\u00e9" }] });
    return res.writeHead(200, { "content-type": "application/json" }).end(Buffer.from(text, "latin1"));
  }
  if (mode === "private") {
    return res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: [{ ...served.keys[0], d: "AQAB" }] }));
  }
  res.writeHead(200, { "content-type": "application/jwk-set+json", "cache-control": cacheControl }).end(JSON.stringify(served));
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const URL_ = `http://127.0.0.1:${server.address().port}/.well-known/jwks.json`;
after(() => server.close());

test("RemoteJwks: one fetch, cached; unknown kid refetches once per cooldown; rotation", async () => {
  requests = 0;
  mode = "ok";
  served = { keys: pairs.slice(0, 2).map((p) => p.jwk) };
  const remote = new full.RemoteJwks(URL_, { verifier: { issuer: ISS, audience: "api" }, cooldown: 1 });
  const t0 = await sign(pairs[0]);
  assert.equal((await remote.verify(t0)).sub, "user-7");
  assert.equal((await remote.verify(await sign(pairs[1]))).sub, "user-7");
  assert.equal(requests, 1, "cached");
  // A flood of tokens with unknown kids, concurrently: the cooldown has not
  // passed since the first fetch, so none of them refetches.
  const strangers = await Promise.all(Array.from({ length: 20 }, (_, i) => sign({ ...pairs[0], kid: `random-${i}` })));
  const results = await Promise.all(strangers.map((t) => remote.verifyResult(t)));
  assert.ok(results.every((r) => r.error.code === "UnknownKey"));
  assert.equal(requests, 1, "no refetch inside the cooldown");
  // The IdP rotates: a new key, of an algorithm the old set did not have
  // (its tokens were AlgorithmMismatch), appears; after the cooldown, one refetch finds it.
  served = { keys: [pairs[1].jwk, pairs[2].jwk] };
  await new Promise((r) => setTimeout(r, 1100));
  const rotated = await sign(pairs[2]);
  const many = await Promise.all(Array.from({ length: 10 }, () => remote.verifyResult(rotated)));
  assert.ok(many.every((r) => r.ok), JSON.stringify(many[0]));
  assert.equal(requests, 2, "concurrent callers share one refetch");
  // The old key is gone from the set: its tokens now fail (no RS256 key is
  // left, so rule 4b's AlgorithmMismatch; no refetch: cooldown).
  assert.equal((await remote.verifyResult(t0)).error.code, "AlgorithmMismatch");
  assert.equal(requests, 2);
});

test("RemoteJwks: failures keep the last good set; a timeout is a timeout; a private member refuses the document", async () => {
  requests = 0;
  mode = "ok";
  served = { keys: [pairs[0].jwk] };
  cacheControl = "max-age=0"; // stale at once: every call after the cooldown refetches
  const remote = new full.RemoteJwks(URL_, { verifier: { issuer: ISS, audience: "api" }, cooldown: 0.2, timeout: 0.3 });
  const token = await sign(pairs[0]);
  assert.equal((await remote.verifyResult(token)).ok, true);
  for (const m of ["error", "redirect", "hang", "private"]) {
    mode = m;
    await new Promise((r) => setTimeout(r, 250));
    const started = Date.now();
    const r = await remote.verifyResult(token);
    assert.equal(r.ok, true, `${m}: the last good set still verifies`);
    assert.ok(Date.now() - started < 1500, `${m}: bounded by the timeout`);
    assert.ok(remote.lastError instanceof Error, m);
  }
  assert.match(String(remote.lastError?.code ?? remote.lastError), /InvalidKey/);
  mode = "ok";
  cacheControl = "public, max-age=300";
  // With no good set at all, a failure is thrown (and not retried within the cooldown).
  mode = "hang";
  const fresh = new full.RemoteJwks(URL_, { verifier: { audience: "api" }, timeout: 0.2, cooldown: 5 });
  await assert.rejects(fresh.verify(token), /timed out/);
  const before = requests;
  await assert.rejects(fresh.verify(token), /timed out/);
  assert.equal(requests, before, "no second fetch within the cooldown");
  mode = "ok";
});

test("RemoteJwks: maxBytes is bytes, enforced while reading; a body that is not UTF-8 is refused", async () => {
  mode = "ok";
  served = { keys: [pairs[0].jwk] };
  cacheControl = "max-age=0";
  const size = Buffer.byteLength(JSON.stringify(served));
  const token = await sign(pairs[0]);
  // The exact size passes, one byte less is refused (and the set is not used).
  assert.equal((await new full.RemoteJwks(URL_, { verifier: { audience: "api" }, maxBytes: size }).verifyResult(token)).ok, true);
  await assert.rejects(new full.RemoteJwks(URL_, { verifier: { audience: "api" }, maxBytes: size - 1 }).verify(token), /too large/);
  // Sizes above the old (seconds-shaped) bound are bytes like any other.
  assert.equal(new full.RemoteJwks(URL_, { maxBytes: 4 * 1024 * 1024 }).maxBytes, 4 * 1024 * 1024);
  const remote = new full.RemoteJwks(URL_, { verifier: { issuer: ISS, audience: "api" }, cooldown: 0.2, timeout: 3, maxBytes: 64 * 1024 });
  assert.equal((await remote.verifyResult(token)).ok, true);
  mode = "endless";
  await new Promise((r) => setTimeout(r, 250));
  const started = Date.now();
  assert.equal((await remote.verifyResult(token)).ok, true, "the last good set still verifies");
  assert.match(String(remote.lastError), /too large/, "stopped at maxBytes, not by the 3 s timeout");
  assert.ok(Date.now() - started < 2500, "answered before the timeout");
  mode = "latin1";
  await new Promise((r) => setTimeout(r, 250));
  assert.equal((await remote.verifyResult(token)).ok, true);
  assert.ok(remote.lastError instanceof TypeError, `not UTF-8: ${remote.lastError}`);
  mode = "ok";
  cacheControl = "public, max-age=300";
});

test("RemoteJwks reads Cache-Control as mod_tessera does (tests/vectors/cache-control.txt)", async () => {
  const text = readFileSync(new URL("../vectors/cache-control.txt", import.meta.url), "utf8");
  const rows = text.split("\n").filter((l) => l && !l.startsWith("#")).map((l) => [Number(l.slice(0, l.indexOf("\t"))), l.slice(l.indexOf("\t") + 1)]);
  assert.ok(rows.length >= 20, `${rows.length} vectors`);
  const body = JSON.stringify({ keys: [pairs[0].jwk] });
  for (const [answer, value] of rows) {
    // A day's maxAge and a millisecond's cooldown: what the answer says
    // shows in how long the set is used.
    const remote = new full.RemoteJwks("https://idp.example/jwks.json", {
      verifier: { audience: "api" }, maxAge: 86400, cooldown: 0.001,
      fetch: async () => new Response(body, { status: 200, headers: { "cache-control": value } }),
    });
    await remote.refresh();
    const used = answer < 0 ? 86400 : Math.max(Math.min(answer, 86400), 0.001);
    assert.equal((remote.expiresAt - remote.fetchedAt) / 1000, used, `Cache-Control: ${value}`);
  }
});

test("RemoteJwks: caller slips fail closed", () => {
  const bad = (fn) => assert.throws(fn, (e) => e instanceof full.TesseraError && e.code === "InvalidArgument");
  bad(() => new full.RemoteJwks(URL_, { timeOut: 5 }));
  bad(() => new full.RemoteJwks(URL_, { timeout: 5000 * 1000 }));
  // Milliseconds given for seconds: above each option's bound, so refused.
  bad(() => new full.RemoteJwks(URL_, { timeout: 5000 }));
  bad(() => new full.RemoteJwks(URL_, { cooldown: 30000 }));
  bad(() => new full.RemoteJwks(URL_, { maxAge: 600000 }));
  // The bounds themselves are accepted.
  const edges = new full.RemoteJwks(URL_, { timeout: 60, cooldown: 3600, maxAge: 86400 });
  assert.deepEqual([edges.timeout, edges.cooldown, edges.maxAge], [60, 3600, 86400]);
  bad(() => new full.RemoteJwks(URL_, { timeout: -1 }));
  bad(() => new full.RemoteJwks(URL_, { verifier: { audiense: "api" } }));
  bad(() => new full.RemoteJwks(42));
  for (const maxBytes of [0, -1, 1.5, "1000", 16 * 1024 * 1024 + 1, Infinity, NaN]) {
    bad(() => new full.RemoteJwks(URL_, { maxBytes }));
  }
  const polluted = Object.create({ cooldown: 0.001 });
  assert.equal(new full.RemoteJwks(URL_, polluted).cooldown, 30, "inherited options are not read");
  // Whoever answers the fetch chooses the keys: https, or http only to this
  // machine unless allowHttp says so (a boolean: "yes" is a slip).
  for (const url of ["http://idp.example/jwks.json", "http://10.0.0.7/jwks.json", "http://127.0.0.1.nip.io/jwks.json", "http://[::2]/jwks.json",
    "file:///etc/jwks.json", "ftp://idp.example/jwks.json", "data:application/json,{}", "not a url"]) {
    bad(() => new full.RemoteJwks(url));
  }
  for (const url of ["https://idp.example/jwks.json", "http://localhost:8080/jwks.json", "http://127.0.0.1/jwks.json", "http://127.9.8.7/j", "http://[::1]:9/j"]) {
    assert.equal(new full.RemoteJwks(url).url, new URL(url).href, url);
  }
  assert.equal(new full.RemoteJwks("http://idp.internal/jwks.json", { allowHttp: true }).url, "http://idp.internal/jwks.json");
  bad(() => new full.RemoteJwks("http://idp.internal/jwks.json", { allowHttp: "yes" }));
  bad(() => new full.RemoteJwks("file:///etc/jwks.json", { allowHttp: true }));
  bad(() => new full.RemoteJwks("http://idp.internal/jwks.json", Object.create({ allowHttp: true })));
  assert.equal(new full.RemoteJwks(URL_, Object.create({ maxBytes: 1 })).maxBytes, 512 * 1024, "inherited maxBytes is not read");
});

test("RemoteJwks: the verifier options are a snapshot; a polluted toJSON cannot swap a key", async () => {
  mode = "ok";
  served = { keys: [pairs[0].jwk] };
  const options = { issuer: ISS, audience: ["api"] };
  const remote = new full.RemoteJwks(URL_, { verifier: options, cooldown: 0.1 });
  delete options.issuer; // after construction: must not loosen the sets fetched later
  options.audience.push("other");
  const token = await sign(pairs[0], {}, {});
  const wrongIssuer = await new jose.SignJWT({}).setProtectedHeader({ alg: pairs[0].alg, kid: pairs[0].kid })
    .setIssuer("https://evil.example").setSubject("x").setAudience("api").setExpirationTime("5m").sign(pairs[0].privateKey);
  assert.equal((await remote.verifyResult(token)).ok, true);
  assert.equal((await remote.verifyResult(wrongIssuer)).error.code, "InvalidIssuer");
  // Object.prototype.toJSON polluted: JSON.stringify would serialise the attacker's key instead.
  const evil = pairs[1].jwk;
  Object.prototype.toJSON = function () { return evil; };
  try {
    assert.throws(() => full.Verifier.fromJwk(pairs[0].jwk, {}), (e) => e.code === "InvalidArgument" && /toJSON/.test(e.message));
    assert.throws(() => full.Verifier.fromJwks({ keys: [pairs[0].jwk] }, {}), (e) => e.code === "InvalidArgument");
  } finally {
    delete Object.prototype.toJSON;
  }
  // JSON text is unaffected, and objects work again once the prototype is clean.
  full.Verifier.fromJwk(JSON.stringify(pairs[0].jwk), {}).free();
  full.Verifier.fromJwk(pairs[0].jwk, {}).free();
});
