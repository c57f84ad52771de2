// The reference deployment end to end: the edge-auth worker in workerd
// (Miniflare, D1 on disk) driven by headless Chromium through playwright-core.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";

import * as tessera from "../../wasm/pkg/node.js";
import * as issuer from "../../wasm/pkg/issuer/node.js";
import { start } from "../../wasm/examples/edge-auth/server.mjs";

const require = createRequire(new URL("../../wasm/package.json", import.meta.url));
const { chromium } = require("playwright-core");

const ISSUER = "https://edge-auth.tessera.example";
const AUDIENCE = "tessera-demo-api";
const ACCESS_TTL = 3;
const GRACE = 2;
const COOKIE = "__Secure-refresh";
const dir = mkdtempSync(join(tmpdir(), "edge-auth-"));
let server, browser, url;

before(async () => {
  server = await start({
    port: 20000 + Math.floor(Math.random() * 20000), dataDir: join(dir, "d1"), secretsFile: join(dir, "secrets.json"), accessTtl: ACCESS_TTL,
    settings: { REFRESH_GRACE: String(GRACE) },
  });
  url = server.url;
  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
  });
});
after(async () => {
  await browser?.close();
  await server?.mf.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function loggedInPage(context) {
  const page = await context.newPage();
  await page.goto(`${url}/`);
  await page.waitForSelector("#login-view:not([hidden])");
  await page.fill("#username", server.secrets.DEMO_USER);
  await page.fill("#password", server.secrets.DEMO_PASSWORD);
  await page.click("#login");
  await page.waitForSelector("#app-view:not([hidden])");
  return page;
}

const refreshCookieOf = async (context) => (await context.cookies()).find((c) => c.name === COOKIE);
const replayRefresh = (value) =>
  fetch(`${url}/auth/refresh`, { method: "POST", headers: { Cookie: `${COOKIE}=${value}`, Origin: url } });

// A POST as a same-origin page would send it (override any header).
function post(path, { body, headers = {} } = {}) {
  return fetch(`${url}${path}`, {
    method: "POST",
    headers: { Origin: url, ...(body !== undefined ? { "Content-Type": "application/json" } : {}), ...headers },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
}
// A login from its own client address (so the per-client throttle of one
// test does not reach another).
let clients = 0;
const loginAs = (username, password, headers = {}) =>
  post("/auth/login", { body: { username, password }, headers: { "CF-Connecting-IP": `192.0.2.${++clients}`, ...headers } });
// The refresh cookie a response sets, or null.
const setCookieOf = (r) => {
  const c = r.headers.get("Set-Cookie");
  return c ? c.slice(COOKIE.length + 1, c.indexOf(";")) : null;
};
async function apiLogin() {
  const r = await loginAs(server.secrets.DEMO_USER, server.secrets.DEMO_PASSWORD);
  assert.equal(r.status, 200);
  return { access: (await r.json()).accessToken, cookie: setCookieOf(r) };
}
const profile = (access) => fetch(`${url}/api/profile`, { headers: { Authorization: `Bearer ${access}` } });

test("login shows the profile; a reload stays logged in through the refresh cookie", async () => {
  const context = await browser.newContext();
  const page = await loggedInPage(context);
  assert.equal(await page.textContent("#who"), "Demo User");
  const cookie = await refreshCookieOf(context);
  assert.ok(cookie.httpOnly && cookie.secure && cookie.sameSite === "Strict" && cookie.path === "/auth");
  await page.reload();
  await page.waitForSelector("#app-view:not([hidden])");
  assert.equal(await page.textContent("#status"), "Logged in");
  await context.close();
});

test("no token in localStorage, sessionStorage or document.cookie", async () => {
  const context = await browser.newContext();
  const page = await loggedInPage(context);
  const seen = await page.evaluate(() => ({
    local: JSON.stringify({ ...localStorage }),
    session: JSON.stringify({ ...sessionStorage }),
    cookie: document.cookie,
  }));
  assert.deepEqual(seen, { local: "{}", session: "{}", cookie: "" });
  await context.close();
});

test("an expired access token is refreshed transparently", async () => {
  const context = await browser.newContext();
  const page = await loggedInPage(context);
  await sleep((ACCESS_TTL + 1) * 1000);
  await page.click("#call");
  await page.waitForFunction(() => document.getElementById("result").textContent.startsWith("Likes:"));
  assert.match(await page.textContent("#timeline"), /GET \/api\/likes → 401 — Expired/);
  assert.match(await page.textContent("#timeline"), /POST \/auth\/refresh → 200 — silent refresh after a 401: new access token, refresh token rotated/);
  await context.close();
});

test("logout: a reload shows logged out, and the old refresh cookie is refused", async () => {
  const context = await browser.newContext();
  const page = await loggedInPage(context);
  const old = await refreshCookieOf(context);
  await page.click("#logout");
  await page.reload();
  await page.waitForSelector("#login-view:not([hidden])");
  const r = await replayRefresh(old.value);
  assert.equal(r.status, 401);
  assert.equal((await r.json()).error, "Revoked");
  await context.close();
});

test("refresh-token reuse revokes the session, in the browser too", async () => {
  const context = await browser.newContext();
  const page = await loggedInPage(context);
  const before = await refreshCookieOf(context);
  await page.reload(); // rotates the refresh token
  await page.waitForSelector("#app-view:not([hidden])");
  assert.notEqual((await refreshCookieOf(context)).value, before.value);
  // Past the grace period for concurrent tabs, any reuse is theft.
  await sleep((GRACE + 1) * 1000);
  const r = await replayRefresh(before.value);
  assert.equal(r.status, 401);
  await page.reload();
  await page.waitForSelector("#login-view:not([hidden])");
  await context.close();
});

test("logout-all in one browser context ends the session of another", async () => {
  const a = await browser.newContext();
  const b = await browser.newContext();
  const pageA = await loggedInPage(a);
  const pageB = await loggedInPage(b);
  await sleep(1100); // B's tokens are then strictly older than the logout-all cut-off
  await pageA.click("#logout-all");
  await pageB.click("#call");
  await pageB.waitForSelector("#login-view:not([hidden])");
  await a.close();
  await b.close();
});

test("tampered, expired, wrong-typ and wrong-audience tokens get 401; missing scope 403", async () => {
  const context = await browser.newContext();
  const page = await loggedInPage(context);
  const good = await page.evaluate(async () => (await fetch("/auth/refresh", { method: "POST" })).json());
  const call = async (token, path = "/api/profile") => {
    const r = await fetch(`${url}${path}`, { headers: { Authorization: `Bearer ${token}` } });
    return { status: r.status, error: r.status === 200 ? null : (await r.json()).error };
  };
  assert.deepEqual(await call(good.accessToken), { status: 200, error: null });
  assert.deepEqual(await call(good.accessToken, "/api/admin"), { status: 403, error: "InsufficientScope" });
  const [h, p, s] = good.accessToken.split(".");
  assert.equal((await call(`${h}.${p}.${s[0] === "A" ? "B" : "A"}${s.slice(1)}`)).error, "BadSignature");
  const claims = tessera.decodeUnverified(good.accessToken).claims;
  const access = await issuer.AsyncSigner.fromJwk(server.secrets.ACCESS_PRIVATE_JWK);
  const base = { issuer: ISSUER, subject: claims.sub, sessionId: claims.sid, scope: claims.scope };
  assert.equal((await call(await access.issueAccess({ ...base, audience: AUDIENCE, now: Math.floor(Date.now() / 1000) - 600, lifetime: 60 }))).error, "Expired");
  assert.equal((await call(await access.issueAccess({ ...base, audience: "another-api" }))).error, "InvalidAudience");
  const refresh = (await refreshCookieOf(context)).value;
  // A refresh token as bearer: refused by its algorithm (HS512, not the
  // access key's RS256) before its typ is even read.
  assert.deepEqual(await call(refresh), { status: 401, error: "AlgorithmMismatch" });
  assert.equal((await call("")).status, 401);
  // The refresh endpoint refuses foreign origins.
  const cross = await fetch(`${url}/auth/refresh`, { method: "POST", headers: { Cookie: `${COOKIE}=${refresh}`, Origin: "https://evil.example" } });
  assert.equal(cross.status, 403);
  await context.close();
});

test("access tokens are signed with the private key the JWK Set publishes; confusion and alg none are refused", async () => {
  const r = await fetch(`${url}/.well-known/jwks.json`);
  assert.equal(r.status, 200);
  assert.equal(r.headers.get("cache-control"), "public, max-age=300");
  assert.equal(r.headers.get("content-type"), "application/jwk-set+json");
  const text = await r.text();
  const jwks = JSON.parse(text);
  assert.equal(jwks.keys.length, 1);
  const [jwk] = jwks.keys;
  assert.equal(jwk.d, undefined, "no private member is published");
  assert.equal(jwk.alg, "RS256");
  assert.equal(jwk.use, "sig");

  const context = await browser.newContext();
  const page = await loggedInPage(context);
  const good = await page.evaluate(async () => (await fetch("/auth/refresh", { method: "POST" })).json());
  // The refresh token (HttpOnly cookie) is HS512, for this worker only.
  const refresh = (await refreshCookieOf(context)).value;
  assert.equal(tessera.decodeUnverified(refresh).header.alg, "HS512");
  await context.close();
  const header = tessera.decodeUnverified(good.accessToken).header;
  assert.deepEqual([header.alg, header.kid, header.typ], ["RS256", jwk.kid, "at+jwt"]);
  // Another service verifies with the published set alone (and jose agrees).
  const full = await import("../../wasm/pkg/full/node.js");
  const service = full.Verifier.fromJwks(text, { issuer: ISSUER, audience: AUDIENCE, typ: "at+jwt" });
  assert.equal(service.verify(good.accessToken).sub, tessera.decodeUnverified(good.accessToken).claims.sub);
  const jose = await import(require.resolve("jose"));
  const verified = await jose.jwtVerify(good.accessToken, jose.createLocalJWKSet(jwks), { issuer: ISSUER, audience: AUDIENCE });
  assert.equal(verified.protectedHeader.kid, jwk.kid);

  const call = async (token) => {
    const res = await fetch(`${url}/api/profile`, { headers: { Authorization: `Bearer ${token}` } });
    return { status: res.status, error: res.status === 200 ? null : (await res.json()).error };
  };
  const claims = tessera.decodeUnverified(good.accessToken).claims;
  const payload = { iss: ISSUER, sub: claims.sub, aud: AUDIENCE, exp: claims.exp, iat: claims.iat, sid: claims.sid, scope: claims.scope };
  // HS256 with the public key's text (JWK Set, JWK, x) as the secret: refused.
  for (const secret of [text, JSON.stringify(jwk), jwk.n]) {
    const forged = new tessera.Signer(new TextEncoder().encode(secret.padEnd(32, " ")), { algorithm: "HS256" })
      .sign(payload, { typ: "at+jwt", kid: jwk.kid });
    const verdict = await call(forged);
    assert.equal(verdict.status, 401);
    assert.equal(verdict.error, "AlgorithmMismatch");
  }
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString("base64url");
  assert.equal((await call(`${b64({ alg: "none", typ: "at+jwt", kid: jwk.kid })}.${b64(payload)}.`)).status, 401);
});

test("wrong credentials: the same 401 for unknown users and wrong passwords", async () => {
  const attempt = async (username, password) => {
    const t = performance.now();
    const r = await loginAs(username, password);
    return { status: r.status, body: await r.json(), ms: performance.now() - t };
  };
  const wrong = await attempt(server.secrets.DEMO_USER, "not the password");
  const unknown = await attempt("nobody", "not the password");
  assert.equal(wrong.status, 401);
  assert.deepEqual(wrong.body, unknown.body);
  // Both run one Argon2id (m=19 MiB, t=2): similar time, well above a lookup.
  assert.ok(unknown.ms > 20 && wrong.ms > 20, `${unknown.ms} ${wrong.ms}`);
});

test("concurrent refreshes with one cookie: one rotation, the others an access token, the session lives (repeated)", async () => {
  for (let run = 0; run < 8; run++) {
    const { cookie } = await apiLogin();
    const answers = await Promise.all(Array.from({ length: 5 }, () => replayRefresh(cookie)));
    const rotated = answers.filter((r) => setCookieOf(r) !== null);
    assert.equal(rotated.length, 1, `run ${run}: ${answers.map((r) => r.status)}`);
    for (const r of answers) assert.equal(r.status, 200);
    const bodies = await Promise.all(answers.map((r) => r.json()));
    for (const b of bodies) assert.equal((await profile(b.accessToken)).status, 200);
    // The successor works: two tabs of one user keep their session.
    const next = await replayRefresh(setCookieOf(rotated[0]));
    assert.equal(next.status, 200);
    assert.ok(setCookieOf(next));
  }
});

test("reuse of a rotated refresh token after the grace period revokes the session (theft)", async () => {
  const { cookie: stolen } = await apiLogin();
  // The victim and the attacker race; whoever wins, the other side's next
  // use of the old cookie, after the grace period, ends the whole session.
  const [a, b] = await Promise.all([replayRefresh(stolen), replayRefresh(stolen)]);
  const winner = setCookieOf(a) ?? setCookieOf(b);
  const access = (await (setCookieOf(a) ? a : b).json()).accessToken;
  assert.ok(winner);
  await sleep((GRACE + 1) * 1000);
  const reuse = await replayRefresh(stolen);
  assert.equal(reuse.status, 401);
  assert.match((await reuse.json()).message, /reused/);
  assert.equal((await replayRefresh(winner)).status, 401, "the winner's successor outlived the theft");
  assert.equal((await profile(access)).status, 401, "an access token of the revoked session still works");
});

test("a logout racing a refresh never leaves the session alive (repeated)", async () => {
  for (let run = 0; run < 8; run++) {
    const { cookie, access } = await apiLogin();
    const logout = () => post("/auth/logout", { headers: { Cookie: `${COOKIE}=${cookie}` } });
    const [r1, r2, r3] = await Promise.all([replayRefresh(cookie), logout(), replayRefresh(cookie)]);
    assert.equal(r2.status, 200);
    for (const r of [r1, r3]) {
      const next = setCookieOf(r);
      if (next) assert.equal((await replayRefresh(next)).status, 401, `run ${run}: a successor outlived the logout`);
      if (r.status === 200) assert.equal((await profile((await r.json()).accessToken)).status, 401);
    }
    assert.equal((await profile(access)).status, 401);
  }
});

test("state-changing endpoints accept same-origin JSON only (login CSRF)", async () => {
  const creds = { username: server.secrets.DEMO_USER, password: server.secrets.DEMO_PASSWORD };
  const form = `{"username":"${creds.username}","password":"${creds.password}"}`;
  const cases = [
    ["foreign origin", { body: creds, headers: { Origin: "https://evil.example" } }, 403],
    ["no origin", { body: creds, headers: { Origin: "" } }, 403],
    ["cross-site fetch metadata", { body: creds, headers: { "Sec-Fetch-Site": "cross-site" } }, 403],
    ["text/plain form", { body: form, headers: { "Content-Type": "text/plain" } }, 415],
    ["urlencoded form", { body: form, headers: { "Content-Type": "application/x-www-form-urlencoded" } }, 415],
    ["no content type", { body: form, headers: { "Content-Type": "" } }, 415],
  ];
  for (const [name, init, status] of cases) {
    const headers = { "CF-Connecting-IP": `198.51.100.${++clients}`, ...init.headers };
    if (headers.Origin === "") delete headers.Origin;
    const r = await fetch(`${url}/auth/login`, {
      method: "POST",
      headers: { Origin: url, "Content-Type": "application/json", ...headers, ...(init.headers.Origin === "" ? { Origin: undefined } : {}) },
      body: typeof init.body === "string" ? init.body : JSON.stringify(init.body),
    }).catch((e) => e);
    assert.equal(r.status, status, name);
    assert.equal(r.headers.get("Set-Cookie"), null, name);
  }
  // Logout and logout-all from a foreign origin change nothing.
  const { cookie, access } = await apiLogin();
  for (const path of ["/auth/logout", "/auth/logout-all", "/auth/refresh"]) {
    const r = await post(path, { headers: { Cookie: `${COOKIE}=${cookie}`, Origin: "https://evil.example" } });
    assert.equal(r.status, 403, path);
  }
  assert.equal((await profile(access)).status, 200);
  assert.equal((await fetch(`${url}/auth/login`)).status, 405);
});

test("bad login bodies get 400/413 without internals", async () => {
  const bodies = [
    ["[]", 400], ["null", 400], ['"x"', 400], ["{", 400], ['{"username":"demo"}', 400],
    ['{"username":"demo","password":""}', 400], ['{"username":"","password":"x"}', 400],
    ['{"username":1,"password":"x"}', 400], ['{"username":"demo","password":["x"]}', 400],
    [JSON.stringify({ username: "demo", password: "p".repeat(1025) }), 400],
    [JSON.stringify({ username: "demo", password: "p".repeat(5000) }), 413],
  ];
  for (const [body, status] of bodies) {
    const r = await post("/auth/login", { body, headers: { "CF-Connecting-IP": `203.0.113.${++clients}` } });
    const text = await r.text();
    assert.equal(r.status, status, body.slice(0, 40));
    assert.doesNotMatch(text, /[A-Z]\w*Error\b|\bat \S+:\d|\.mjs|argon|stack/, body.slice(0, 40));
    assert.deepEqual(Object.keys(JSON.parse(text)), ["error", "message"]);
  }
});

test("failed logins are throttled per user (5) and per client (20), documented numbers", async () => {
  // Per user: five failures lock the name, even for the right password, from any client.
  const name = `throttle-${Date.now()}`;
  for (let i = 0; i < 5; i++) assert.equal((await loginAs(name, "wrong")).status, 401);
  const locked = await loginAs(name, "wrong");
  assert.equal(locked.status, 429);
  assert.ok(Number(locked.headers.get("Retry-After")) > 0);
  // Per client: twenty failures on different names lock that client out.
  const ip = { "CF-Connecting-IP": "192.0.2.250" };
  for (let i = 0; i < 20; i++) {
    assert.equal((await post("/auth/login", { body: { username: `someone-${i}`, password: "x" }, headers: ip })).status, 401);
  }
  const creds = { username: server.secrets.DEMO_USER, password: server.secrets.DEMO_PASSWORD };
  assert.equal((await post("/auth/login", { body: creds, headers: ip })).status, 429);
  // Another client still logs the demo user in, and a success clears the user's count.
  assert.equal((await loginAs(creds.username, creds.password)).status, 200);
});

test("security headers: CSP without inline script, framing denied, nosniff, no referrer", async () => {
  const page = await fetch(`${url}/`);
  const csp = page.headers.get("Content-Security-Policy");
  assert.match(csp, /script-src 'self'/);
  // Only WebAssembly compilation ('wasm-unsafe-eval'), never JavaScript eval or inline script.
  assert.doesNotMatch(csp, /'unsafe-inline'|'unsafe-eval'/);
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval';/);
  assert.match(csp, /frame-ancestors 'none'/);
  for (const r of [page, await fetch(`${url}/page.js`), await fetch(`${url}/api/profile`), await post("/auth/refresh")]) {
    assert.equal(r.headers.get("X-Content-Type-Options"), "nosniff", r.url);
    assert.equal(r.headers.get("Referrer-Policy"), "no-referrer", r.url);
  }
  const { cookie } = await apiLogin();
  const r = await replayRefresh(cookie);
  const set = r.headers.get("Set-Cookie");
  assert.match(set, /^__Secure-refresh=/);
  assert.match(set, /HttpOnly/);
  assert.match(set, /Secure/);
  assert.match(set, /SameSite=Strict/);
  assert.match(set, /Path=\/auth/);
});

test("a first visit is a state, not an error: logged out, no refusal logged", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(`${url}/`);
  await page.waitForSelector("#login-view:not([hidden])");
  assert.equal(await page.textContent("#status"), "Not logged in");
  assert.doesNotMatch(await page.textContent("#timeline"), /refused/);
  assert.match(await page.textContent("#timeline"), /no refresh cookie: not logged in/);
  // The CSP blocks nothing the page needs (a violation is a console error).
  assert.deepEqual(errors.filter((e) => !/401/.test(e)), []);
  await context.close();
});

test("the page shows its access token decoded (unverified), its key, a countdown, and the timeline; screenshot", async () => {
  const context = await browser.newContext({ viewport: { width: 1100, height: 1400 } });
  const page = await loggedInPage(context);
  await page.waitForFunction(() => document.getElementById("kid").textContent.length > 0);
  const jwks = await (await fetch(`${url}/.well-known/jwks.json`)).json();
  assert.equal(await page.textContent("#alg"), "RS256");
  const kid = await page.textContent("#kid");
  assert.ok(jwks.keys.map((k) => k.kid).includes(kid), "the kid shown is a key of the published set");
  const claims = JSON.parse(await page.textContent("#token-claims"));
  assert.equal(claims.iss, ISSUER);
  assert.equal(claims.sub, "1");
  assert.equal(JSON.parse(await page.textContent("#token-header")).typ, "at+jwt");
  assert.match(await page.textContent("#countdown"), /^\d+ s \(exp \d+\)$/);
  assert.match(await page.textContent("main"), /unverified/);
  assert.equal(await page.textContent("#cookies"), '""');
  // Development mode shows the credentials on the login view.
  const other = await (await browser.newContext()).newPage();
  await other.goto(`${url}/`);
  await other.waitForSelector("#dev-credentials:not([hidden])");
  assert.equal(await other.textContent("#dev-password"), server.secrets.DEMO_PASSWORD);
  await other.context().close();
  mkdirSync("target/screenshots", { recursive: true });
  await page.screenshot({ path: "target/screenshots/edge-auth.png", fullPage: true });
  await context.close();
});

test("expire the access token now: the next call gets 401 and a silent refresh", async () => {
  const context = await browser.newContext();
  const page = await loggedInPage(context);
  await page.click("#expire");
  await page.waitForFunction(() => /expired \d+ s ago/.test(document.getElementById("countdown").textContent));
  await page.click("#call");
  await page.waitForFunction(() => document.getElementById("result").textContent.startsWith("Likes:"));
  const timeline = await page.textContent("#timeline");
  assert.match(timeline, /POST \/auth\/dev\/expired-access → 200/);
  assert.match(timeline, /GET \/api\/likes → 401 — Expired/);
  assert.match(timeline, /silent refresh after a 401/);
  await context.close();
});

test("replay the previous refresh token: after the grace period the session is revoked as theft", async () => {
  const context = await browser.newContext();
  const page = await loggedInPage(context);
  await page.reload(); // one rotation: now there is a previous refresh token
  await page.waitForSelector("#app-view:not([hidden])");
  await sleep((GRACE + 1) * 1000);
  await page.click("#replay");
  await page.waitForFunction(() => /replay-refresh → 200 — the replayed refresh got/.test(document.getElementById("timeline").textContent));
  assert.match(await page.textContent("#timeline"), /the replayed refresh got 401 Revoked/);
  await page.click("#call");
  await page.waitForSelector("#login-view:not([hidden])");
  await context.close();
});
