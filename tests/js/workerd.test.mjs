// A real edge runtime: workerd (through Miniflare's Node API, offline)
// runs a worker that imports the .wasm and verifies bearer tokens.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

import * as tessera from "../../wasm/pkg/node.js";
import { serveEndless } from "./endless-body.mjs";

const require = createRequire(new URL("../../wasm/package.json", import.meta.url));
const { Miniflare } = await import(require.resolve("miniflare"));

const SECRET = "an edge secret of at least 32 bytes long";
const root = fileURLToPath(new URL("../../", import.meta.url));
const mf = new Miniflare({
  modules: true,
  modulesRoot: root,
  scriptPath: fileURLToPath(new URL("./worker/verify-worker.mjs", import.meta.url)),
  // wasm-bindgen emits ES modules with a .js extension; Miniflare assumes CommonJS there.
  modulesRules: [
    { type: "ESModule", include: ["**/*.js"] },
    { type: "CompiledWasm", include: ["**/*.wasm"] },
  ],
  bindings: { ACCESS_SECRET: SECRET },
  compatibilityDate: "2025-09-01",
});
// The shared vectors, in workerd too (JSON files imported as text).
const vectorsMf = new Miniflare({
  modules: true,
  modulesRoot: root,
  scriptPath: fileURLToPath(new URL("./worker/vectors-worker.mjs", import.meta.url)),
  modulesRules: [
    { type: "ESModule", include: ["**/*.js", "**/*.mjs"] },
    { type: "CompiledWasm", include: ["**/*.wasm"] },
    { type: "Text", include: ["**/*.json"] },
  ],
  compatibilityDate: "2025-09-01",
});
after(() => Promise.all([mf.dispose(), vectorsMf.dispose()]));

const signer = new tessera.Signer(new TextEncoder().encode(SECRET), {});
const issue = (extra = {}) =>
  signer.issueAccess({ issuer: "https://auth.example.com", subject: "user-42", audience: "api", sessionId: "s-1", scope: "read", ...extra });
const call = async (authorization) => {
  const res = await mf.dispatchFetch("http://localhost/api/profile", { headers: authorization ? { Authorization: authorization } : {} });
  return { status: res.status, body: await res.json() };
};

test("valid token: 200 with the subject", async () => {
  const r = await call(`Bearer ${issue()}`);
  assert.equal(r.status, 200);
  assert.deepEqual(r.body, { sub: "user-42", scope: "read" });
});

test("expired token: 401 Expired", async () => {
  const r = await call(`Bearer ${issue({ now: Math.floor(Date.now() / 1000) - 1000 })}`);
  assert.equal(r.status, 401);
  assert.deepEqual(r.body, { error: "Expired", claim: "exp", isTesseraError: true });
});

test("tampered token: 401 BadSignature", async () => {
  const t = issue();
  const [h, p, s] = t.split(".");
  const r = await call(`Bearer ${h}.${p}.${s[0] === "A" ? "B" : "A"}${s.slice(1)}`);
  assert.equal(r.status, 401);
  assert.equal(r.body.error, "BadSignature");
});

test("wrong audience and missing token: 401", async () => {
  assert.equal((await call(`Bearer ${issue({ audience: "other" })}`)).body.error, "InvalidAudience");
  const missing = await call(undefined);
  assert.equal(missing.status, 401);
  assert.equal(missing.body.error, "MissingToken");
  assert.equal((await call("Basic dXNlcjpwYXNz")).body.error, "MissingToken");
});

test("every shared vector gets its verdict in workerd", async () => {
  const res = await vectorsMf.dispatchFetch("http://localhost/");
  const { total, failures } = await res.json();
  assert.deepEqual(failures, []);
  assert.ok(total > 400, `only ${total} vectors`);
});

test("workerd: RemoteJwks fetches the IdP's JWK Set, caches it, refetches on rotation", async () => {
  const { createServer } = await import("node:http");
  const full = await import("../../wasm/pkg/full/node.js");
  const jose = await import(require.resolve("jose"));
  const pair = async (alg, kid) => {
    const { publicKey, privateKey } = await jose.generateKeyPair(alg, { extractable: true });
    return { alg, kid, privateKey, jwk: { ...(await jose.exportJWK(publicKey)), kid, alg, use: "sig" } };
  };
  const [a, b] = [await pair("RS256", "2026-11"), await pair("ES256", "2026-12")];
  const sign = (k) => new jose.SignJWT({}).setProtectedHeader({ alg: k.alg, kid: k.kid }).setIssuer("https://idp.example")
    .setSubject("user-9").setAudience("api").setExpirationTime("5m").sign(k.privateKey);
  let keys = [a.jwk];
  let requests = 0;
  let endless = false;
  const idp = createServer((req, res) => {
    requests++;
    // A body with no length and no end: workerd's read must stop at maxBytes.
    if (endless) return serveEndless(res);
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys }));
  });
  await new Promise((resolve) => idp.listen(0, "127.0.0.1", resolve));
  const worker = new Miniflare({
    modules: true,
    modulesRoot: root,
    scriptPath: fileURLToPath(new URL("./worker/jwks-worker.mjs", import.meta.url)),
    modulesRules: [
      { type: "ESModule", include: ["**/*.js", "**/*.mjs"] },
      { type: "CompiledWasm", include: ["**/*.wasm"] },
    ],
    bindings: { JWKS_URL: `http://127.0.0.1:${idp.address().port}/jwks.json` },
    compatibilityDate: "2025-09-01",
  });
  try {
    const call = async (token) => {
      const res = await worker.dispatchFetch("http://localhost/api", { headers: { Authorization: `Bearer ${token}` } });
      return { status: res.status, body: await res.json() };
    };
    const first = await call(await sign(a));
    assert.deepEqual([first.status, first.body.sub], [200, "user-9"], JSON.stringify(first.body));
    assert.equal((await call(await sign(a))).status, 200);
    assert.equal(requests, 1, "the set is cached");
    // Rotation to a new key (and algorithm): one refetch after the cooldown.
    keys = [a.jwk, b.jwk];
    await new Promise((r) => setTimeout(r, 1100));
    const rotated = await call(await sign(b));
    assert.equal(rotated.status, 200, JSON.stringify(rotated.body));
    assert.equal(requests, 2);
    // A flood of unknown kids inside the cooldown: no more fetches.
    for (let i = 0; i < 5; i++) {
      const r = await call(await sign({ ...a, kid: `nope-${i}` }));
      assert.equal(r.body.error, "UnknownKey");
    }
    assert.equal(requests, 2);
    // The IdP answers an endless document: the refetch an unknown kid
    // triggers stops at maxBytes (not at the 2 s timeout) and the last good
    // set stays in use.
    endless = true;
    await new Promise((r) => setTimeout(r, 1100));
    const started = Date.now();
    const flood = await call(await sign({ ...a, kid: "after-rotation" }));
    assert.deepEqual([flood.status, flood.body.error, flood.body.fetches], [401, "UnknownKey", 3]);
    assert.match(flood.body.lastError, /too large/);
    assert.ok(Date.now() - started < 1800, "stopped before the timeout");
    assert.equal((await call(await sign(b))).status, 200, "the last good set still verifies");
    endless = false;
    // Tessera's verdicts there are the same as in Node.
    const node = full.Verifier.fromJwks({ keys }, { issuer: "https://idp.example", audience: "api" });
    assert.equal(node.verifyResult(await sign(b)).ok, true);
    node.free();
  } finally {
    await worker.dispose();
    idp.close();
  }
});
