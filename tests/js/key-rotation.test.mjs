// Rotation of the edge-auth worker's access-token keys, in workerd, with
// short times: a new key is in the JWK Set before it signs anything, and
// the old one stays there until every token it signed has expired. Another
// service's view is played by a Tessera verifier built once from the JWK Set
// fetched at the announcement (a cache held for the whole max-age).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import * as full from "../../wasm/pkg/full/node.js";
import { start } from "../../wasm/examples/edge-auth/server.mjs";

const ISSUER = "https://edge-auth.tessera.example";
const AUDIENCE = "tessera-demo-api";
// The access tokens live long enough that a login and the request using its
// token cannot straddle their expiry on a loaded machine (with 3 s, one CI
// run got a 401 for a token a fraction of a second from its `exp`: the
// login's Argon2 check and the key reload after the rotation can take
// seconds there); the waits below grow with it.
const ACCESS_TTL = 8;
const MAX_AGE = 2;
const dir = mkdtempSync(join(tmpdir(), "key-rotation-"));
let server, url;

before(async () => {
  server = await start({
    port: 20000 + Math.floor(Math.random() * 20000), dataDir: join(dir, "d1"), secretsFile: join(dir, "secrets.json"),
    accessTtl: ACCESS_TTL, accessAlg: "ES256", dev: false,
    settings: { JWKS_MAX_AGE: String(MAX_AGE), KEYS_CACHE_TTL: "0", KEYS_LEEWAY: "0" },
  });
  url = server.url;
});
after(async () => {
  await server?.mf.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const untilSecond = async (t) => {
  while (Date.now() / 1000 < t) await sleep(50);
};
const kidOf = (token) => full.decodeUnverified(token).header.kid;
const jwks = async () => {
  const r = await fetch(`${url}/.well-known/jwks.json`);
  assert.equal(r.status, 200);
  assert.equal(r.headers.get("Cache-Control"), `public, max-age=${MAX_AGE}`);
  return r.json();
};
const admin = (path, { method = "GET", key = server.secrets.ADMIN_KEY } = {}) =>
  fetch(`${url}${path}`, { method, headers: key === null ? {} : { "X-Admin-Key": key } });
async function login() {
  const r = await fetch(`${url}/auth/login`, {
    method: "POST",
    headers: { Origin: url, "Content-Type": "application/json", "CF-Connecting-IP": "192.0.2.200" },
    body: JSON.stringify({ username: server.secrets.DEMO_USER, password: server.secrets.DEMO_PASSWORD }),
  });
  assert.equal(r.status, 200);
  return (await r.json()).accessToken;
}
const api = (token) => fetch(`${url}/api/profile`, { headers: { Authorization: `Bearer ${token}` } });
// The API answers 200 for `token`; on any other status the message carries
// the error body, so a failure says which check refused.
const apiAccepts = async (token, what) => {
  const r = await api(token);
  assert.equal(r.status, 200, `${what}: ${r.status} ${await r.text()} at ${Date.now() / 1000}, claims ${JSON.stringify(full.decodeUnverified(token).claims)}`);
};
const verifierFor = (set) => full.Verifier.fromJwks(set, { issuer: ISSUER, audience: AUDIENCE, typ: "at+jwt" });

test("the admin endpoints answer only with the admin key", async () => {
  for (const key of [null, "", "not-the-key", `${server.secrets.ADMIN_KEY}x`]) {
    assert.equal((await admin("/admin/keys", { key })).status, 404, `key ${key}`);
    assert.equal((await admin("/admin/rotate-keys", { method: "POST", key })).status, 404, `key ${key}`);
  }
  assert.equal((await admin("/admin/rotate-keys")).status, 405);
});

test("without development mode: no credentials in /config.json, no /dev/ endpoints", async () => {
  assert.deepEqual(await (await fetch(`${url}/config.json`)).json(), { imageService: null, dev: null });
  const token = await login();
  for (const path of ["/auth/dev/expired-access", "/auth/dev/replay-refresh"]) {
    const r = await fetch(`${url}${path}`, { method: "POST", headers: { Origin: url, Authorization: `Bearer ${token}` } });
    assert.equal(r.status, 404, path);
  }
});

test("a rotation: announced before it signs, the old key kept until its tokens expire", async () => {
  const first = await login();
  const k1 = kidOf(first);
  assert.deepEqual((await jwks()).keys.map((k) => k.kid), [k1]);

  const r = await admin("/admin/rotate-keys", { method: "POST" });
  assert.equal(r.status, 200);
  const rotation = await r.json();
  const k2 = rotation.announced;
  assert.notEqual(k2, k1);
  assert.equal(rotation.signsFrom, rotation.now + MAX_AGE);
  // A second rotation while one waits changes nothing.
  assert.equal((await (await admin("/admin/rotate-keys", { method: "POST" })).json()).announced, k2);

  // Announced: in the set, and not signing yet.
  const announced = await jwks();
  assert.deepEqual(announced.keys.map((k) => k.kid).sort(), [k1, k2].sort());
  for (const k of announced.keys) assert.equal(k.alg, "ES256");
  const cached = verifierFor(announced);
  const stillOld = await login();
  assert.equal(kidOf(stillOld), k1, "the new key signed before its announcement had aged MAX_AGE");

  // Its time comes: new tokens carry the new kid, and a service that
  // fetched the set at the announcement (and has not refetched) verifies them.
  await untilSecond(rotation.signsFrom);
  const second = await login();
  assert.equal(kidOf(second), k2);
  assert.equal(cached.verify(second).sub, "1");
  await apiAccepts(second, "the first token of the new key");
  // Tokens of the old key still verify, here and at the other service.
  await apiAccepts(stillOld, "a token of the old key after the switch");
  assert.equal(cached.verify(stillOld).sub, "1");
  assert.deepEqual((await jwks()).keys.map((k) => k.kid).sort(), [k1, k2].sort());

  // Every token of the old key has expired: the key leaves the set.
  const stillOldExp = full.decodeUnverified(stillOld).claims.exp;
  await untilSecond(Math.max(rotation.signsFrom + ACCESS_TTL, stillOldExp) + 1);
  assert.deepEqual((await jwks()).keys.map((k) => k.kid), [k2]);
  const listed = await (await admin("/admin/keys")).json();
  assert.deepEqual(listed.keys.map((k) => [k.kid, k.active]), [[k2, true]]);
  // Its tokens are expired anyway, and with the key gone they are unknown.
  const gone = await api(stillOld);
  assert.equal(gone.status, 401);
  assert.equal((await gone.json()).error, "UnknownKey");
  await apiAccepts(await login(), "a token of the new key after the old one left");
});
