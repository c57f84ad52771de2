// A real edge runtime: workerd (through Miniflare's Node API, offline)
// runs a worker that imports the .wasm and verifies bearer tokens.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

import * as tessera from "../../wasm/pkg/node.js";

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
  assert.ok(total > 250, `only ${total} vectors`);
});
