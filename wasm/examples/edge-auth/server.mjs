// Starts the edge-auth worker in workerd (through Miniflare), offline, on
// 127.0.0.1, with D1 persisted under .data/. Development secrets and the
// demo password are generated on first run into .dev-secrets.json
// (git-ignored). `make demo` runs this; Ctrl-C stops it cleanly.
//
// Beside it, the image service: Apache httpd with mod_tessera on PORT + 1
// (IMAGE_PORT), verifying the worker's access tokens from its JWK Set.
//
// Options (environment): PORT (default 8787), IMAGE_PORT, NO_IMAGE_SERVICE=1,
// EDGE_AUTH_DATA (D1 directory),
// ACCESS_TTL / REFRESH_TTL (seconds), ACCESS_ALG (RS256, the default, ES256
// or EdDSA: the kind of access-token key made on first run),
// EDGE_AUTH_QUIET=1 (no banner).
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const require = createRequire(new URL("../../package.json", import.meta.url));
const { Miniflare } = require("miniflare");

// `settings`: more bindings, as strings (REFRESH_GRACE, LOGIN_WINDOW,
// LOGIN_MAX_FAILURES_USER, LOGIN_MAX_FAILURES_CLIENT, JWKS_MAX_AGE,
// KEYS_CACHE_TTL, KEYS_LEEWAY, KEY_ROTATION_INTERVAL; see README.md).
// The access-token signing key: a private JWK (RSA 2048 for RS256, P-256
// for ES256, Ed25519 for EdDSA).
export function accessKey(alg = "RS256") {
  if (alg === "RS256") {
    const pair = generateKeyPairSync("rsa", { modulusLength: 2048 });
    return JSON.stringify({ ...pair.privateKey.export({ format: "jwk" }), alg: "RS256" });
  }
  if (alg !== "ES256" && alg !== "EdDSA") throw new Error(`ACCESS_ALG ${alg}: RS256, ES256 or EdDSA`);
  const pair = alg === "ES256" ? generateKeyPairSync("ec", { namedCurve: "P-256" }) : generateKeyPairSync("ed25519");
  return JSON.stringify(pair.privateKey.export({ format: "jwk" }));
}

// `dev` (default true: this launcher is for development): DEV_MODE=1, the
// page shows the credentials and offers /dev/*. `imageService`: the URL of
// the image service the page may call (IMAGE_SERVICE_URL).
export async function start({ port = 8787, dataDir = here("./.data"), accessTtl, refreshTtl, accessAlg = "RS256", secretsFile = here("./.dev-secrets.json"), settings = {}, dev = true, imageService } = {}) {
  let secrets;
  if (existsSync(secretsFile)) {
    secrets = JSON.parse(readFileSync(secretsFile, "utf8"));
  }
  // First run, or a secrets file from before access tokens were signed
  // with a private key (and refresh tokens with HS512, which needs 64 bytes).
  // (and key rotation, which needs a key to seal stored keys and one for the admin endpoints).
  if (!secrets?.ACCESS_PRIVATE_JWK || !secrets?.KEYSTORE_SECRET) {
    secrets = {
      ACCESS_PRIVATE_JWK: secrets?.ACCESS_PRIVATE_JWK ?? accessKey(accessAlg),
      REFRESH_SECRET: secrets?.REFRESH_SECRET ?? randomBytes(64).toString("base64url"),
      KEYSTORE_SECRET: randomBytes(32).toString("base64url"),
      ADMIN_KEY: randomBytes(24).toString("base64url"),
      DEMO_USER: secrets?.DEMO_USER ?? "demo",
      DEMO_PASSWORD: secrets?.DEMO_PASSWORD ?? randomBytes(9).toString("base64url"),
    };
    writeFileSync(secretsFile, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  }
  const bindings = { ...secrets, ...settings };
  if (dev) bindings.DEV_MODE = "1";
  if (imageService) bindings.IMAGE_SERVICE_URL = imageService;
  if (accessTtl) bindings.ACCESS_TTL = String(accessTtl);
  if (refreshTtl) bindings.REFRESH_TTL = String(refreshTtl);
  const mf = new Miniflare({
    modules: true,
    modulesRoot: here("../../"),
    scriptPath: here("./worker.mjs"),
    modulesRules: [
      { type: "ESModule", include: ["**/*.js", "**/*.mjs"] },
      { type: "CompiledWasm", include: ["**/*.wasm"] },
      // The browser's copy of the Tessera module, served as bytes (browser-assets.mjs).
      { type: "Data", include: ["**/*.bin"] },
      // The page and its script and style are served as text (page.js.txt
      // is the browser's script: .txt keeps it out of the worker's modules).
      { type: "Text", include: ["**/*.html", "**/*.css", "**/*.txt"] },
    ],
    compatibilityDate: "2025-09-01",
    d1Databases: ["DB"],
    d1Persist: dataDir,
    bindings,
    host: "127.0.0.1",
    port,
  });
  let url;
  try {
    url = await mf.ready;
  } catch (error) {
    // A worker that cannot start (a module missing: `make edge-auth` not
    // run) must fail the caller, not leave workerd running: the test
    // process waited on it for good.
    await mf.dispose().catch(() => {});
    throw error;
  }
  return { mf, url: url.toString().replace(/\/$/, ""), secrets };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // The image service (Apache httpd with mod_tessera, C) beside the worker;
  // NO_IMAGE_SERVICE=1 runs the worker alone.
  const port = Number(process.env.PORT ?? 8787);
  const imagePort = Number(process.env.IMAGE_PORT ?? port + 1);
  const withImage = process.env.NO_IMAGE_SERVICE !== "1";
  const { mf, url, secrets } = await start({
    port,
    dataDir: process.env.EDGE_AUTH_DATA,
    accessTtl: process.env.ACCESS_TTL,
    refreshTtl: process.env.REFRESH_TTL,
    accessAlg: process.env.ACCESS_ALG,
    imageService: withImage ? `http://127.0.0.1:${imagePort}` : undefined,
  });
  // The first request creates the schema and the demo user (Argon2id).
  await fetch(`${url}/api/profile`);
  let httpd = null;
  if (withImage) {
    const { startHttpd } = await import("../../../ffi/apache/httpd.mjs");
    httpd = await startHttpd({ port: imagePort, root: here("./.data/httpd"), jwksUrl: `${url}/.well-known/jwks.json`, origin: url, cooldown: 10 });
  }
  console.log(`\nTessera edge-auth demo running at ${url}/`);
  if (httpd) console.log(`Image service (Apache httpd + mod_tessera) at ${httpd.url}/image/ (log: ${here("./.data/httpd/error.log")})`);
  console.log(`Log in as "${secrets.DEMO_USER}" with password "${secrets.DEMO_PASSWORD}"`);
  console.log("Ctrl-C to stop.\n");
  const stop = async () => {
    await httpd?.stop();
    await mf.dispose();
    console.log("stopped");
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
