// A real browser: headless Chromium (Debian's, driven by playwright-core)
// loads a page from 127.0.0.1 that imports the ESM package and verifies a token.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { extname, normalize } from "node:path";
import { fileURLToPath } from "node:url";

import * as tessera from "../../wasm/pkg/node.js";

const require = createRequire(new URL("../../wasm/package.json", import.meta.url));
const { chromium } = require("playwright-core");

const root = fileURLToPath(new URL("../../", import.meta.url));
const types = { ".html": "text/html", ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm", ".json": "application/json" };
const routes = {
  "/": "tests/js/browser/page.html",
  "/vectors": "tests/js/browser/vectors.html",
  "/tests/js/run-vectors.mjs": "tests/js/run-vectors.mjs",
  "/tests/vectors/verify.json": "tests/vectors/verify.json",
  "/tests/vectors/sign.json": "tests/vectors/sign.json",
  "/tests/vectors/public.json": "tests/vectors/public.json",
};

const server = createServer(async (req, res) => {
  const path = new URL(req.url, "http://127.0.0.1").pathname;
  const file = routes[path] ?? normalize(path).replace(/^\/+/, "");
  if (!file.startsWith("wasm/pkg/") && !Object.values(routes).includes(file)) {
    res.writeHead(404).end();
    return;
  }
  try {
    const body = await readFile(root + file);
    res.writeHead(200, { "Content-Type": types[extname(file)] ?? "application/octet-stream" }).end(body);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const port = server.address().port;

export const CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"];
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
after(async () => {
  await browser.close();
  server.close();
});

test("Chromium imports the ESM package and verifies a token", async () => {
  const secret = "a browser test secret of 32+ bytes";
  const signer = new tessera.Signer(new TextEncoder().encode(secret), {});
  const params = { issuer: "https://auth.example.com", subject: "user-7", audience: "api", sessionId: "s", scope: "read" };
  const token = signer.issueAccess(params);
  const expired = signer.issueAccess({ ...params, now: Math.floor(Date.now() / 1000) - 3600 });
  const page = await browser.newPage();
  const q = new URLSearchParams({ secret, token, expired });
  await page.goto(`http://127.0.0.1:${port}/?${q}`);
  await page.waitForFunction(() => window.__result !== undefined, null, { timeout: 20000 });
  const result = await page.evaluate(() => window.__result);
  assert.equal(result.error, undefined, result.error);
  assert.match(result.userAgent, /Chrome/);
  assert.equal(result.sub, "user-7");
  assert.equal(result.scope, "read");
  assert.deepEqual(result.refused, { code: "Expired", claim: "exp", isTesseraError: true, isError: true });
  assert.ok(result.unverifiedExp > Date.now() / 1000);
  await page.close();
  signer.free();
});

test("Chromium: every shared vector gets its verdict", async () => {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${port}/vectors`);
  await page.waitForFunction(() => window.__vectors !== undefined, null, { timeout: 60000 });
  const { total, failures } = await page.evaluate(() => window.__vectors);
  assert.deepEqual(failures, []);
  assert.ok(total > 400, `only ${total} vectors`);
  await page.close();
});
