// The second service, in C: Apache httpd with mod_tessera (libtessera.a
// inside), verifying the edge-auth worker's access tokens from its JWK Set,
// driven with curl. TESSERA_HTTPD_VALGRIND=1 runs httpd under valgrind.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import { promisify } from "node:util";
import { createServer } from "node:http";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { generateKeyPairSync, createHmac } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import * as issuer from "../../wasm/pkg/issuer/node.js";
import { start } from "../../wasm/examples/edge-auth/server.mjs";
import { configTest, startHttpd } from "../../ffi/apache/httpd.mjs";

const ISSUER = "https://edge-auth.tessera.example";
const AUDIENCE = "tessera-demo-api";
const COOLDOWN = 3;
// The worker's JWK Set answers say `Cache-Control: max-age=8`, which httpd
// follows: longer than the cooldown, so that a refetch for an unknown kid
// (within the max-age) and one for an old set (after it) can be told apart.
const MAX_AGE = 8;
const VALGRIND = process.env.TESSERA_HTTPD_VALGRIND === "1";
const dir = mkdtempSync(join(tmpdir(), "image-service-"));
const port = () => 20000 + Math.floor(Math.random() * 20000);
const require = createRequire(new URL("../../wasm/package.json", import.meta.url));
const { chromium } = require("playwright-core");
let worker, httpd, key, backend;

before(async () => {
  const httpdPort = port();
  worker = await start({
    port: port(), dataDir: join(dir, "d1"), secretsFile: join(dir, "secrets.json"), accessTtl: 120,
    settings: { JWKS_MAX_AGE: String(MAX_AGE), KEYS_CACHE_TTL: "0", KEYS_LEEWAY: "0" },
    imageService: `http://127.0.0.1:${httpdPort}`,
  });
  await fetch(`${worker.url}/.well-known/jwks.json`); // the worker's first request sets it up
  // A backend behind mod_proxy (as an app server behind httpd would be):
  // answers with the request headers it received.
  backend = createServer((req, res) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(req.headers)));
  await new Promise((resolve) => backend.listen(0, "127.0.0.1", resolve));
  httpd = await startHttpd({
    port: httpdPort, root: join(dir, "httpd"), jwksUrl: `${worker.url}/.well-known/jwks.json`, origin: worker.url,
    cooldown: COOLDOWN, valgrind: VALGRIND,
    // A location that turns TesseraAuth on and says nothing else.
    extra: [
      "<Location /misconfigured>\n  Require all granted\n  TesseraAuth On\n</Location>",
      // The same backend where TesseraAuth is off: it must not see a client's X-Tessera-* either.
      `ScriptAlias /open "${fileURLToPath(new URL("../../ffi/apache/image-service.cgi", import.meta.url))}"`,
      "<Location /open>\n  Require all granted\n</Location>",
      // The proxied backend, open and behind TesseraAuth.
      "LoadModule proxy_module /usr/lib/apache2/modules/mod_proxy.so",
      "LoadModule proxy_http_module /usr/lib/apache2/modules/mod_proxy_http.so",
      `ProxyPass /proxied/ http://127.0.0.1:${backend.address().port}/`,
      "<Location /proxied/>\n  Require all granted\n</Location>",
      `<Location /proxied/auth/>\n  TesseraAuth On\n  TesseraIssuer ${ISSUER}\n  TesseraAudience ${AUDIENCE}\n</Location>`,
    ].join("\n"),
  });
  // The worker's own key, for tokens the worker would not issue (expired, other audience).
  key = await issuer.AsyncSigner.fromJwk(worker.secrets.ACCESS_PRIVATE_JWK);
});
after(async () => {
  const stopped = await httpd?.stop();
  await worker?.mf.dispose();
  backend?.close();
  rmSync(dir, { recursive: true, force: true });
  if (VALGRIND) assert.equal(stopped.valgrindErrors, "", "valgrind found errors in httpd");
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const now = () => Math.floor(Date.now() / 1000);
// Each fetch logs the count of members it skipped (a number, formatted by APR).
const fetches = () => (httpd.errorLog().match(/tessera: JWK Set fetched from \S+ \(\d+ members skipped; Cache-Control max-age -?\d+\)/g) ?? []).length;

// One request with curl: { status, headers (lower-case names), body }.
function curl(path, headers = [], method = "GET") {
  const out = execFileSync("curl", ["-sS", "-i", "--max-time", "30", "-X", method, ...headers.flatMap((h) => ["-H", h]), `${httpd.url}${path}`], { encoding: "utf8" });
  const [head, ...rest] = out.split("\r\n\r\n");
  const lines = head.split("\r\n");
  const status = Number(lines[0].split(" ")[1]);
  const hdrs = Object.fromEntries(lines.slice(1).map((l) => [l.slice(0, l.indexOf(":")).toLowerCase(), l.slice(l.indexOf(":") + 1).trim()]));
  return { status, headers: hdrs, body: rest.join("\r\n\r\n") };
}
const bearer = (token) => `Authorization: Bearer ${token}`;
const refused = (r, status, description) => {
  assert.equal(r.status, status, r.body);
  const challenge = r.headers["www-authenticate"];
  assert.match(challenge, /^Bearer realm="image-service"/);
  if (description) assert.match(challenge, new RegExp(`error_description="${description}"`));
  assert.doesNotMatch(r.body, /"subject"/);
};

async function login() {
  const r = await fetch(`${worker.url}/auth/login`, {
    method: "POST",
    headers: { Origin: worker.url, "Content-Type": "application/json", "CF-Connecting-IP": "192.0.2.7" },
    body: JSON.stringify({ username: worker.secrets.DEMO_USER, password: worker.secrets.DEMO_PASSWORD }),
  });
  assert.equal(r.status, 200);
  const cookie = r.headers.get("Set-Cookie");
  return { access: (await r.json()).accessToken, refresh: cookie.slice(cookie.indexOf("=") + 1, cookie.indexOf(";")) };
}
const access = (over = {}) =>
  key.issueAccess({ issuer: ISSUER, subject: "1", audience: AUDIENCE, sessionId: "s1", now: now(), lifetime: 60, scope: "profile:read", ...over });

test("a valid access token: 200, the backend gets the subject and scopes from httpd", async () => {
  const { access: token } = await login();
  const r = curl("/image/cat.png", [bearer(token)]);
  assert.equal(r.status, 200, r.body);
  const body = JSON.parse(r.body);
  assert.equal(body.subject, "1");
  assert.equal(body.subjectHeader, "1");
  assert.equal(body.remoteUser, "1");
  assert.equal(body.scope, "profile:read likes:read");
  assert.equal(body.kid, issuer.decodeUnverified(token).header.kid);
});

test("a client's own X-Tessera-Sub never reaches the backend", async () => {
  const r = curl("/image/", [bearer(await access()), "X-Tessera-Sub: admin", "X-Tessera-Scope: admin"]);
  assert.equal(r.status, 200);
  assert.equal(JSON.parse(r.body).subjectHeader, "1");
  refused(curl("/image/", ["X-Tessera-Sub: admin"]), 401);
  // Where TesseraAuth is off the headers are scrubbed too: a backend never
  // sees one mod_tessera did not set.
  const open = curl("/open/", ["X-Tessera-Sub: admin", "X-Tessera-Scope: admin"]);
  assert.equal(open.status, 200, open.body);
  assert.deepEqual([JSON.parse(open.body).subjectHeader, JSON.parse(open.body).subject], [null, null]);
});

test("a client's X-Tessera-* in any spelling (case, underscores) never reaches a proxied backend", async () => {
  // A CGI never sees a header with underscores (httpd drops them from the
  // environment), but an app server behind mod_proxy gets them, and some
  // fold `X_Tessera_Sub` into the same name as `X-Tessera-Sub`.
  const spoofed = ["X_Tessera_Sub: admin", "x-tessera_scope: admin", "X-TESSERA-SUB: admin", "x_TESSERA-scope: admin"];
  // The headers the backend got (curl run asynchronously: the backend
  // answers from this process).
  const seen = async (path, headers) => {
    const args = ["-sS", "--max-time", "30", "-w", "\n%{http_code}", ...headers.flatMap((h) => ["-H", h]), `${httpd.url}${path}`];
    const out = (await promisify(execFile)("curl", args, { encoding: "utf8" })).stdout;
    const body = out.slice(0, out.lastIndexOf("\n"));
    assert.equal(out.slice(out.lastIndexOf("\n") + 1), "200", body);
    return Object.fromEntries(Object.entries(JSON.parse(body)).filter(([n]) => /tessera/i.test(n)));
  };
  assert.deepEqual(await seen("/proxied/", spoofed), {});
  assert.deepEqual(await seen("/proxied/auth/", [bearer(await access()), ...spoofed]), { "x-tessera-sub": "1", "x-tessera-scope": "profile:read" });
  // A name that only looks alike is the client's own business.
  assert.deepEqual(await seen("/proxied/", ["X-Tessera-Subject: a", "X-Tessera-Sub2: b"]), { "x-tessera-subject": "a", "x-tessera-sub2": "b" });
});

test("no token, or not a bearer token: 401 with a bare challenge", async () => {
  const good = bearer(await access());
  // Two Authorization headers (httpd joins them), the good token in either, too.
  for (const h of [[], ["Authorization: Basic dXNlcjpwYXNz"], ["Authorization: Bearer"], ["Authorization: Bearer a b"],
    [good, "Authorization: Bearer x"], ["Authorization: Bearer x", good]]) {
    const r = curl("/image/", h);
    refused(r, 401);
    assert.doesNotMatch(r.headers["www-authenticate"], /error=/, h.join());
  }
});

test("expired, not yet valid, wrong audience, wrong issuer, wrong typ, tampered: 401 with the reason", async () => {
  refused(curl("/image/", [bearer(await access({ now: now() - 120 }))]), 401, "Expired");
  const early = await key.sign({ iss: ISSUER, sub: "1", aud: AUDIENCE, exp: now() + 120, nbf: now() + 60, scope: "profile:read" }, { typ: "at+jwt" });
  refused(curl("/image/", [bearer(early)]), 401, "NotYetValid");
  refused(curl("/image/", [bearer(await access({ audience: "billing" }))]), 401, "InvalidAudience");
  refused(curl("/image/", [bearer(await access({ issuer: "https://evil.example" }))]), 401, "InvalidIssuer");
  const t = await access();
  const [h, p, s] = t.split(".");
  const claims = JSON.parse(Buffer.from(p, "base64url"));
  claims.sub = "2";
  refused(curl("/image/", [bearer(`${h}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.${s}`)]), 401, "BadSignature");
  // Signed right, but not an access token (typ JWT).
  const plain = await key.sign({ iss: ISSUER, sub: "1", aud: AUDIENCE, exp: now() + 60, scope: "profile:read" });
  refused(curl("/image/", [bearer(plain)]), 401, "TypeMismatch");
});

test("a subject that cannot be the backend's user (empty, a line break, not ASCII, absent): 401 InvalidClaim", async () => {
  // Signed by the auth server's key (another issuer of ours could mint
  // these; the profile signer refuses an empty subject itself).
  for (const sub of ["", "1\r\nX-Tessera-Scope: admin", "üser", undefined]) {
    const claims = { iss: ISSUER, aud: AUDIENCE, exp: now() + 60, scope: "profile:read", ...(sub === undefined ? {} : { sub }) };
    refused(curl("/image/", [bearer(await key.sign(claims, { typ: "at+jwt" }))]), 401, "InvalidClaim");
  }
});

test("the refresh token as a bearer token, HS256 forged with the public key, alg none: 401", async () => {
  const { refresh } = await login();
  refused(curl("/image/", [bearer(refresh)]), 401, "AlgorithmMismatch");
  const jwk = key.publicJwk();
  const forgedHeader = Buffer.from(JSON.stringify({ alg: "HS256", typ: "at+jwt", kid: jwk.kid })).toString("base64url");
  const payload = (await access()).split(".")[1];
  for (const secret of [JSON.stringify(jwk), jwk.n]) {
    const sig = createHmac("sha256", secret).update(`${forgedHeader}.${payload}`).digest("base64url");
    refused(curl("/image/", [bearer(`${forgedHeader}.${payload}.${sig}`)]), 401, "AlgorithmMismatch");
  }
  const none = Buffer.from(JSON.stringify({ alg: "none", typ: "at+jwt", kid: jwk.kid })).toString("base64url");
  refused(curl("/image/", [bearer(`${none}.${payload}.`)]), 401);
});

test("a missing scope: 403 insufficient_scope naming the scopes", async () => {
  const r = curl("/image/admin/", [bearer(await access())]);
  assert.equal(r.status, 403);
  assert.match(r.headers["www-authenticate"], /error="insufficient_scope"/);
  assert.match(r.headers["www-authenticate"], /scope="profile:read admin"/);
  assert.equal(curl("/image/admin/", [bearer(await access({ scope: "profile:read admin" }))]).status, 200);
});

test("an unknown kid: one refetch of the JWK Set, then 401; more within the cooldown fetch nothing", async () => {
  // A key of the same algorithm (another algorithm is refused before the kid is looked up).
  const stranger = await issuer.AsyncSigner.fromJwk(generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "jwk" }), { algorithm: "RS256" });
  const forged = await stranger.issueAccess({ issuer: ISSUER, subject: "1", audience: AUDIENCE, sessionId: "s", now: now(), lifetime: 60, scope: "profile:read" });
  // Past the set's max-age (the worker's Cache-Control), a request fetches
  // it again; then, past that fetch's cooldown but inside the new set's
  // max-age, the refetch below can only be the unknown kid's.
  await sleep(MAX_AGE * 1000);
  const stale = fetches();
  assert.equal(curl("/image/", [bearer(await access())]).status, 200);
  assert.equal(fetches(), stale + 1, "a set older than its answer's max-age is fetched again");
  await sleep(COOLDOWN * 1000);
  const before = fetches();
  refused(curl("/image/", [bearer(forged)]), 401, "UnknownKey");
  assert.equal(fetches(), before + 1, "an unknown kid refetches the set once");
  for (let i = 0; i < 5; i++) refused(curl("/image/", [bearer(forged)]), 401, "UnknownKey");
  assert.equal(fetches(), before + 1, "within the cooldown, no more fetches");
  // Without a kid at all: the same refusal.
  const noKid = await issuer.AsyncSigner.fromJwk(worker.secrets.ACCESS_PRIVATE_JWK, { kid: "" });
  refused(curl("/image/", [bearer(await noKid.issueAccess({ issuer: ISSUER, subject: "1", audience: AUDIENCE, sessionId: "s", now: now(), lifetime: 60 }))]), 401);
});

test("the JWK Set rotates while httpd runs: tokens of the new key verify without a restart", async () => {
  await sleep(COOLDOWN * 1000);
  const r = await fetch(`${worker.url}/admin/rotate-keys`, { method: "POST", headers: { "X-Admin-Key": worker.secrets.ADMIN_KEY } });
  assert.equal(r.status, 200);
  const rotation = await r.json();
  while (now() < rotation.signsFrom) await sleep(100);
  const { access: token } = await login();
  assert.equal(issuer.decodeUnverified(token).header.kid, rotation.announced);
  const before = fetches();
  const ok = curl("/image/", [bearer(token)]);
  assert.equal(ok.status, 200, ok.body);
  assert.equal(JSON.parse(ok.body).kid, rotation.announced);
  assert.equal(fetches(), before + 1);
  // The old key's tokens still verify (it stays in the set until they expire).
  assert.equal(curl("/image/", [bearer(await access())]).status, 200);
});

test("CORS: the auth page's origin may call with a bearer token; others get no grant", async () => {
  const pre = execFileSync("curl", ["-sS", "-i", "-X", "OPTIONS", "-H", `Origin: ${worker.url}`, "-H", "Access-Control-Request-Method: GET",
    "-H", "Access-Control-Request-Headers: authorization", `${httpd.url}/image/`], { encoding: "utf8" });
  // Answered by httpd itself: the backend never runs without a token (a
  // script that ignores the method would have acted on the preflight).
  assert.match(pre, /^HTTP\/1.1 204/);
  assert.match(pre, new RegExp(`Access-Control-Allow-Origin: ${worker.url}`));
  assert.match(pre, /Access-Control-Allow-Headers: Authorization/);
  assert.equal(pre.split("\r\n\r\n")[1], "", "the preflight reached the backend");
  // A preflight from another origin is a request like any other: no token, 401.
  const foreign = curl("/image/", ["Origin: https://evil.example", "Access-Control-Request-Method: GET"], "OPTIONS");
  refused(foreign, 401);
  assert.equal(foreign.headers["access-control-allow-origin"], undefined);
  const r = curl("/image/", [bearer(await access()), `Origin: ${worker.url}`]);
  assert.equal(r.headers["access-control-allow-origin"], worker.url);
  const other = curl("/image/", [bearer(await access()), "Origin: https://evil.example"]);
  assert.equal(other.headers["access-control-allow-origin"], undefined);
});

test("the page calls the image service (C) with its access token, across origins; screenshot", async () => {
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-dev-shm-usage"],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1100, height: 1100 } });
    const page = await context.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(`${worker.url}/`);
    await page.waitForSelector("#login-view:not([hidden])");
    await page.fill("#username", worker.secrets.DEMO_USER);
    await page.fill("#password", worker.secrets.DEMO_PASSWORD);
    await page.click("#login");
    await page.waitForSelector("#app-view:not([hidden])");
    await page.click("#call-image");
    await page.waitForFunction(() => document.getElementById("result").textContent.startsWith("Image service"));
    assert.match(await page.textContent("#result"), /verified the token: subject 1, scopes "profile:read likes:read"/);
    assert.match(await page.textContent("#timeline"), /GET image service \/image\/ → 200/);
    assert.deepEqual(errors, []);
    mkdirSync("target/screenshots", { recursive: true });
    await page.screenshot({ path: "target/screenshots/image-service.png", fullPage: true });
  } finally {
    await browser.close();
  }
});

test("a JWK Set answered with a redirect is not used, whatever its body holds", async () => {
  // The worker's real set, served with a 302 first, then with a 200.
  const jwks = await (await fetch(`${worker.url}/.well-known/jwks.json`)).text();
  let status = 302;
  const idp = createServer((req, res) => {
    res.writeHead(status, { "content-type": "application/json", ...(status === 302 ? { location: "http://127.0.0.1:1/elsewhere" } : {}) });
    res.end(jwks);
  });
  await new Promise((resolve) => idp.listen(0, "127.0.0.1", resolve));
  const second = await startHttpd({
    port: port(), root: join(dir, "httpd-redirect"), jwksUrl: `http://127.0.0.1:${idp.address().port}/jwks.json`,
    origin: worker.url, cooldown: 3, valgrind: VALGRIND,
  });
  try {
    const token = (await login()).access;
    const ask = () => fetch(`${second.url}/image/`, { headers: { authorization: `Bearer ${token}` } });
    const unavailable = await ask();
    assert.equal(unavailable.status, 503, "no set from a 302");
    // When the next fetch may come: the rest of the 3 s cooldown, in whole
    // seconds rounded up (2 if the fetch took over a second, as under
    // valgrind); neither the old fixed 30 nor a constant 1.
    assert.match(unavailable.headers.get("retry-after"), /^[23]$/);
    assert.match(second.errorLog(), /fetching the JWK Set from \S+ failed: HTTP 302/);
    status = 200;
    await sleep(3100);
    assert.equal((await ask()).status, 200, "the same body with a 200 is the set");
  } finally {
    const stopped = await second.stop();
    idp.close();
    if (VALGRIND) assert.equal(stopped.valgrindErrors, "", "valgrind found errors in httpd");
  }
});

// An auth server serving the worker's set, then (`withdraw()`) a set
// without its key, every answer with `headers`; and httpd fetching from it.
async function withdrawingIdp(name, headers, extra) {
  const withKey = await (await fetch(`${worker.url}/.well-known/jwks.json`)).text();
  const other = generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey.export({ format: "jwk" });
  const withoutKey = JSON.stringify({ keys: [{ ...other, kid: "another-key", alg: "ES256", use: "sig" }] });
  const idp = { served: withKey, requests: 0 };
  idp.server = createServer((req, res) => {
    idp.requests++;
    res.writeHead(200, { "content-type": "application/json", ...headers }).end(idp.served);
  });
  await new Promise((resolve) => idp.server.listen(0, "127.0.0.1", resolve));
  idp.withdraw = () => (idp.served = withoutKey);
  const token = (await login()).access; // first: a login takes a while (Argon2)
  const httpd = await startHttpd({
    port: port(), root: join(dir, name), jwksUrl: `http://127.0.0.1:${idp.server.address().port}/jwks.json`,
    origin: worker.url, cooldown: 1, valgrind: VALGRIND, extra,
  });
  idp.ask = async () => (await fetch(`${httpd.url}/image/`, { headers: { authorization: `Bearer ${token}` } })).status;
  idp.stop = async () => {
    const stopped = await httpd.stop();
    idp.server.close();
    if (VALGRIND) assert.equal(stopped.valgrindErrors, "", "valgrind found errors in httpd");
  };
  return idp;
}

// The two requests inside a max-age must fit in it, under valgrind too.
const MAX_AGE_S = 5;

// The set is used as fetched for `maxAge` seconds (no fetch per request),
// and the withdrawn key is refused at the first request after them.
async function withdrawnAfter(idp, maxAge) {
  assert.equal(await idp.ask(), 200);
  const fetched = idp.requests;
  idp.withdraw();
  assert.equal(await idp.ask(), 200);
  assert.equal(idp.requests, fetched, "a fetch inside the max-age");
  await sleep(maxAge * 1000 + 100);
  assert.equal(await idp.ask(), 401, "the withdrawn key still verified after the max-age");
  assert.equal(idp.requests, fetched + 1, "one refetch");
}

test("a key the auth server withdraws stops verifying within TesseraJwksMaxAge, whatever longer max-age its answer gives", async () => {
  const idp = await withdrawingIdp("httpd-max-age", { "cache-control": "public, max-age=86400000000000000000" }, `TesseraJwksMaxAge ${MAX_AGE_S}`);
  try {
    await withdrawnAfter(idp, MAX_AGE_S);
  } finally {
    await idp.stop();
  }
});

test("a shorter Cache-Control max-age from the auth server shortens TesseraJwksMaxAge", async () => {
  // Directives in any case, the number quoted (RFC 9111 §5.2: recipients accept both forms).
  const idp = await withdrawingIdp("httpd-cache-control", { "cache-control": `public, Max-Age="${MAX_AGE_S}", must-revalidate` }, "TesseraJwksMaxAge 600");
  try {
    await withdrawnAfter(idp, MAX_AGE_S);
  } finally {
    await idp.stop();
  }
});

test("Cache-Control no-store or no-cache: the set is fetched again after the cooldown", async () => {
  for (const [i, value] of ["no-store", "private, no-cache"].entries()) {
    const idp = await withdrawingIdp(`httpd-no-store-${i}`, { "cache-control": value }, "TesseraJwksMaxAge 600");
    try {
      assert.equal(await idp.ask(), 200);
      const fetched = idp.requests;
      idp.withdraw();
      await sleep(1100); // the cooldown
      assert.equal(await idp.ask(), 401, `${value}: the withdrawn key still verified after the cooldown`);
      assert.equal(idp.requests, fetched + 1, "one refetch");
    } finally {
      await idp.stop();
    }
  }
});

test("a location with TesseraAuth but no issuer or audience fails closed: 500, and the log says why", async () => {
  const token = await key.issueAccess({ issuer: ISSUER, subject: "user-1", audience: AUDIENCE, sessionId: "s", scope: "profile:read" });
  const r = await fetch(`${httpd.url}/misconfigured`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(r.status, 500);
  assert.match(httpd.errorLog(), /TesseraAuth needs TesseraJwksUrl, TesseraIssuer and TesseraAudience: refusing/);
});

test("out-of-range and malformed directives stop httpd at configuration time", () => {
  const base = { port: 1, root: join(dir, "config-test"), jwksUrl: "http://127.0.0.1:1/jwks.json", origin: "http://127.0.0.1:1" };
  assert.ok(configTest(base).ok, configTest(base).output);
  const refused = [
    ["TesseraJwksCooldown 0", /TesseraJwksCooldown: expected a whole number of seconds from 1 to 86400/],
    ["TesseraJwksCooldown 30s", /TesseraJwksCooldown: expected a whole number of seconds/],
    ["TesseraJwksTimeout 61", /TesseraJwksTimeout: expected a whole number of seconds from 1 to 60/],
    ["TesseraJwksMaxAge 0", /TesseraJwksMaxAge: expected a whole number of seconds from 1 to 86400/],
    ["TesseraJwksMaxAge 600000", /TesseraJwksMaxAge: expected a whole number of seconds from 1 to 86400/],
    ["TesseraJwksUrl file:///etc/passwd", /TesseraJwksUrl must be an http:\/\/ or https:\/\/ URL/],
    ["TesseraJwksRsaAlgorithm HS256", /one of RS256, RS384, RS512, PS256, PS384, PS512/],
    ["<Location /x>\n TesseraLeeway 301\n</Location>", /TesseraLeeway: expected a whole number of seconds from 0 to 300/],
    ["<Location /x>\n TesseraLeeway -1\n</Location>", /TesseraLeeway/],
    ["<Location /x>\n TesseraAuth maybe\n</Location>", /TesseraAuth must be On or Off/],
    ["<Location /x>\n TesseraRequireScope \"a b\"\n</Location>", /one scope per word/],
    ['<Location /x>\n TesseraRealm "a\\"b"\n</Location>', /TesseraRealm: no quotes/],
  ];
  // Plain http to another machine: whoever answers chooses the keys.
  const elsewhere = /TesseraJwksUrl http:\/\/\S+ is plain http to another machine/;
  refused.push(
    ["TesseraJwksUrl http://idp.example/jwks.json", elsewhere],
    ["TesseraJwksUrl http://10.1.2.3/jwks.json", elsewhere],
    ["TesseraJwksUrl http://127.0.0.1.nip.io/jwks.json", elsewhere],
    ["TesseraJwksUrl http://idp.example/jwks.json\nTesseraJwksAllowHttp Off", elsewhere],
    // A virtual host inherits the main server's URL, and its own refusal.
    ["TesseraJwksUrl http://idp.example/jwks.json\n<VirtualHost 127.0.0.1:1>\n  TesseraJwksCooldown 5\n</VirtualHost>", elsewhere],
    ["TesseraJwksUrl \"https://idp.example/a b\"", /TesseraJwksUrl is not a URL curl can read/],
  );
  for (const [extra, message] of refused) {
    const r = configTest({ ...base, extra });
    assert.equal(r.ok, false, `accepted: ${extra}`);
    assert.match(r.output, message, extra);
  }
  const accepted = [
    "TesseraJwksUrl https://idp.example/jwks.json",
    "TesseraJwksUrl http://localhost:8080/jwks.json",
    "TesseraJwksUrl http://127.8.9.10/jwks.json",
    "TesseraJwksUrl http://[::1]:8080/jwks.json",
    // In either order, for a network trusted end to end.
    "TesseraJwksUrl http://idp.internal/jwks.json\nTesseraJwksAllowHttp On",
    "TesseraJwksAllowHttp On\nTesseraJwksUrl http://idp.internal/jwks.json",
  ];
  for (const extra of accepted) {
    const r = configTest({ ...base, extra });
    assert.ok(r.ok, `${extra}\n${r.output}`);
  }
});
