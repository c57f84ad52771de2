// The reference deployment end to end: the edge-auth worker in workerd
// (Miniflare, D1 on disk) driven by headless Chromium through playwright-core.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";

import * as tessera from "../../wasm/pkg/node.js";
import { start } from "../../wasm/examples/edge-auth/server.mjs";

const require = createRequire(new URL("../../wasm/package.json", import.meta.url));
const { chromium } = require("playwright-core");

const ISSUER = "https://edge-auth.tessera.example";
const AUDIENCE = "tessera-demo-api";
const ACCESS_TTL = 3;
const dir = mkdtempSync(join(tmpdir(), "edge-auth-"));
let server, browser, url;

before(async () => {
  server = await start({ port: 20000 + Math.floor(Math.random() * 20000), dataDir: join(dir, "d1"), secretsFile: join(dir, "secrets.json"), accessTtl: ACCESS_TTL });
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

const refreshCookieOf = async (context) => (await context.cookies()).find((c) => c.name === "refresh");
const replayRefresh = (value) =>
  fetch(`${url}/auth/refresh`, { method: "POST", headers: { Cookie: `refresh=${value}`, Origin: url } });

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
  await page.waitForFunction(() => document.getElementById("likes").textContent.startsWith("Likes:"));
  assert.match(await page.textContent("#log"), /access token refreshed/);
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
  const access = new tessera.Signer(new TextEncoder().encode(server.secrets.ACCESS_SECRET), {});
  const base = { issuer: ISSUER, subject: claims.sub, sessionId: claims.sid, scope: claims.scope };
  assert.equal((await call(access.issueAccess({ ...base, audience: AUDIENCE, now: Math.floor(Date.now() / 1000) - 600, lifetime: 60 }))).error, "Expired");
  assert.equal((await call(access.issueAccess({ ...base, audience: "another-api" }))).error, "InvalidAudience");
  const refresh = (await refreshCookieOf(context)).value;
  assert.equal((await call(refresh)).error, "TypeMismatch");
  assert.equal((await call("")).status, 401);
  // The refresh endpoint refuses foreign origins.
  const cross = await fetch(`${url}/auth/refresh`, { method: "POST", headers: { Cookie: `refresh=${refresh}`, Origin: "https://evil.example" } });
  assert.equal(cross.status, 403);
  await context.close();
});

test("wrong credentials: the same 401 for unknown users and wrong passwords", async () => {
  const attempt = async (username, password) => {
    const t = performance.now();
    const r = await fetch(`${url}/auth/login`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ username, password }) });
    return { status: r.status, body: await r.json(), ms: performance.now() - t };
  };
  const wrong = await attempt(server.secrets.DEMO_USER, "not the password");
  const unknown = await attempt("nobody", "not the password");
  assert.equal(wrong.status, 401);
  assert.deepEqual(wrong.body, unknown.body);
  // Both run one Argon2id (m=19 MiB, t=2): similar time, well above a lookup.
  assert.ok(unknown.ms > 20 && wrong.ms > 20, `${unknown.ms} ${wrong.ms}`);
});
