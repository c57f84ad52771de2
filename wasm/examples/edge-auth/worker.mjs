// The reference deployment: login / refresh / logout on an edge worker.
// Every token operation goes through the Tessera WebAssembly module; users,
// sessions and refresh-token digests live in D1; passwords are Argon2id
// (hash-wasm). The design (rotation, reuse, grace period, CSRF, throttling,
// headers) is described in README.md beside this file.
import {
  Verifier, Signer, TesseraError, bearerToken, cookieValue, refreshCookie, clearRefreshCookie,
  refreshTokenDigest, constantTimeEqual, randomId, scopeContains,
} from "../../pkg/issuer/workerd.js";
import "./wasm-shim.mjs";
import { KeyStore, SCHEMA as KEY_SCHEMA } from "./keys.mjs";
import { argon2id, argon2Verify } from "../../node_modules/hash-wasm/dist/index.esm.js";
import PAGE from "./page.html";
import PAGE_JS from "./page.js.txt";
import PAGE_CSS from "./page.css";
import { ASSETS } from "./generated/browser-assets.mjs";

const ISSUER = "https://edge-auth.tessera.example";
const AUDIENCE = "tessera-demo-api";
// `__Secure-`: only ever set over HTTPS (or localhost) with `Secure`. Not
// `__Host-`, which needs `Path=/`: the refresh token goes to /auth only.
const COOKIE = "__Secure-refresh";
const COOKIE_PATH = "/auth";
// OWASP's minimum for Argon2id: m = 19 MiB, t = 2, p = 1.
const ARGON2 = { iterations: 2, memorySize: 19456, parallelism: 1, hashLength: 32, outputType: "encoded" };
const MAX_BODY = 4096;
const MAX_USERNAME = 128;
const MAX_PASSWORD = 1024;

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS users (id INTEGER PRIMARY KEY, username TEXT UNIQUE NOT NULL, password_hash TEXT NOT NULL,
     display_name TEXT NOT NULL)`,
  // The session is the one place that says whether a login is alive: a
  // refresh token or an access token is good only while its session is.
  `CREATE TABLE IF NOT EXISTS sessions (sid TEXT PRIMARY KEY, user_id INTEGER NOT NULL, created_at INTEGER NOT NULL,
     state TEXT NOT NULL CHECK (state IN ('live','revoked')))`,
  `CREATE INDEX IF NOT EXISTS sessions_by_user ON sessions (user_id)`,
  `CREATE TABLE IF NOT EXISTS refresh_tokens (digest TEXT PRIMARY KEY, jti TEXT UNIQUE NOT NULL, sid TEXT NOT NULL,
     user_id INTEGER NOT NULL, expires_at INTEGER NOT NULL, rotated_at INTEGER,
     state TEXT NOT NULL CHECK (state IN ('active','rotated')))`,
  `CREATE TABLE IF NOT EXISTS login_failures (key TEXT PRIMARY KEY, count INTEGER NOT NULL, window_start INTEGER NOT NULL)`,
  ...KEY_SCHEMA,
];

let ready;
const enc = new TextEncoder();
const now = () => Math.floor(Date.now() / 1000);
// Headers every response carries.
const SECURITY_HEADERS = {
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "X-Frame-Options": "DENY",
};
// 'wasm-unsafe-eval': the page runs Tessera's WebAssembly (decodeUnverified);
// connect-src: the image service, when one is configured.
const csp = (env) => `default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; ` +
  `connect-src 'self'${env.IMAGE_SERVICE_URL ? ` ${env.IMAGE_SERVICE_URL}` : ""}; img-src 'self'; ` +
  "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
const json = (body, status = 200, headers = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json", "Cache-Control": "no-store", ...SECURITY_HEADERS, ...headers } });
const fail = (status, code, message, headers = {}) => json({ error: code, message }, status, headers);
const asset = (body, type, extra = {}) =>
  new Response(body, { headers: { "Content-Type": type, "Cache-Control": "no-cache", ...SECURITY_HEADERS, ...extra } });
// Claims objects come from JSON.parse: read them as own properties, so a
// polluted Object.prototype cannot supply a missing claim.
const own = (obj, name) => (Object.hasOwn(obj, name) ? obj[name] : undefined);

function salt() {
  return crypto.getRandomValues(new Uint8Array(16));
}

async function setup(env) {
  for (const sql of SCHEMA) await env.DB.prepare(sql).run();
  const existing = await env.DB.prepare("SELECT id FROM users WHERE username = ?").bind(env.DEMO_USER).first();
  if (!existing) {
    const hash = await argon2id({ password: env.DEMO_PASSWORD, salt: salt(), ...ARGON2 });
    await env.DB.prepare("INSERT INTO users (username, password_hash, display_name) VALUES (?, ?, ?)")
      .bind(env.DEMO_USER, hash, "Demo User").run();
  }
  // A hash to check unknown users against, so that both failures cost one Argon2id.
  const dummy = await argon2id({ password: randomId(), salt: salt(), ...ARGON2 });
  const setting = (name, fallback) => {
    const v = Number(env[name] ?? fallback);
    if (!Number.isSafeInteger(v) || v < 0) throw new Error(`setting ${name} must be a whole number of seconds or a count`);
    return v;
  };
  const accessTtl = setting("ACCESS_TTL", 900);
  // Access tokens: signed with a private key (RS256, ES256 or EdDSA; its kid is
  // the RFC 7638 thumbprint), so that every other service verifies them
  // with the public key from /.well-known/jwks.json and holds no secret.
  // The keys rotate (keys.mjs); refresh tokens are HS512, read by this worker only.
  const jwksMaxAge = setting("JWKS_MAX_AGE", 300);
  const keys = new KeyStore(env.DB, env.KEYSTORE_SECRET, {
    // New keys are of the kind the first one is, unless ACCESS_ALG says otherwise.
    alg: env.ACCESS_ALG ?? (await KeyStore.signer(env.ACCESS_PRIVATE_JWK)).algorithm,
    jwksMaxAge,
    cacheTtl: setting("KEYS_CACHE_TTL", 30),
    accessTtl,
    leeway: setting("KEYS_LEEWAY", 60),
    rotationInterval: setting("KEY_ROTATION_INTERVAL", 0),
    verifierOptions: { issuer: ISSUER, audience: AUDIENCE, typ: "at+jwt", requiredClaims: ["exp", "iat", "sub", "sid"] },
  });
  await keys.seed(env.ACCESS_PRIVATE_JWK);
  return {
    dummy,
    accessTtl,
    refreshTtl: setting("REFRESH_TTL", 604800),
    // Concurrent refreshes with the same cookie (two tabs) within this many
    // seconds of its rotation get an access token without a new cookie.
    refreshGrace: setting("REFRESH_GRACE", 10),
    throttle: {
      window: setting("LOGIN_WINDOW", 900),
      perUser: setting("LOGIN_MAX_FAILURES_USER", 5),
      perClient: setting("LOGIN_MAX_FAILURES_CLIENT", 20),
    },
    keys,
    jwksMaxAge,
    // Development mode (DEV_MODE=1, which `make demo` sets): the page shows
    // the demo credentials, and /dev/* lets it show an expiry and a theft.
    dev: env.DEV_MODE === "1",
    // dev: the refresh token each session had before its last rotation.
    previousRefresh: new Map(),
    refresh: new Signer(enc.encode(env.REFRESH_SECRET), { algorithm: "HS512" }),
    refreshVerifier: new Verifier(enc.encode(env.REFRESH_SECRET), { algorithm: "HS512", issuer: ISSUER, typ: "refresh+jwt", requiredClaims: ["exp", "iat", "sub", "jti", "sid"] }),
  };
}

async function accessToken(app, userId, sid, t) {
  const { signer } = await app.keys.at(t);
  // (An RSA signer answers with a promise: WebCrypto signs.)
  return await signer.issueAccess({
    issuer: ISSUER, subject: String(userId), audience: AUDIENCE, sessionId: sid, now: t, lifetime: app.accessTtl,
    scope: "profile:read likes:read", clientId: "edge-auth-page",
  });
}

// A new refresh token for session `sid`: its token, row values and cookie.
function newRefresh(app, userId, sid, t) {
  const jti = randomId();
  const token = app.refresh.issueRefresh({ issuer: ISSUER, subject: String(userId), sessionId: sid, tokenId: jti, now: t, lifetime: app.refreshTtl });
  return { jti, digest: refreshTokenDigest(token), expires: t + app.refreshTtl, cookie: refreshCookie(COOKIE, token, { path: COOKIE_PATH, maxAge: app.refreshTtl }) };
}

// Every state-changing endpoint: the request must come from this origin
// (a cross-site form or fetch carries a foreign Origin, or Sec-Fetch-Site
// says so). Login CSRF — logging a victim into the attacker's account —
// is stopped here, and by accepting JSON only.
function sameOrigin(request) {
  const origin = request.headers.get("Origin");
  const site = request.headers.get("Sec-Fetch-Site");
  return origin === new URL(request.url).origin && (site === null || site === "same-origin");
}

// The client a failed login is counted against. On Cloudflare,
// CF-Connecting-IP is set by the edge; elsewhere put this behind a proxy
// that sets it, or the per-client limit counts every client as one.
const clientOf = (request) => request.headers.get("CF-Connecting-IP") ?? "unknown";

// Failed logins per user and per client in a fixed window. Checked before
// the password (a locked-out guess costs no Argon2id); counted after a failure.
async function throttled(app, env, keys) {
  const t = now();
  for (const [key, limit] of keys) {
    const row = await env.DB.prepare("SELECT count, window_start FROM login_failures WHERE key = ?").bind(key).first();
    if (row && t - row.window_start < app.throttle.window && row.count >= limit) {
      return app.throttle.window - (t - row.window_start);
    }
  }
  return 0;
}

async function countFailure(app, env, keys) {
  const t = now();
  await env.DB.batch(keys.map(([key]) => env.DB.prepare(
    `INSERT INTO login_failures (key, count, window_start) VALUES (?1, 1, ?2)
     ON CONFLICT (key) DO UPDATE SET
       count = CASE WHEN ?2 - window_start >= ?3 THEN 1 ELSE count + 1 END,
       window_start = CASE WHEN ?2 - window_start >= ?3 THEN ?2 ELSE window_start END`,
  ).bind(key, t, app.throttle.window)));
}

async function readLogin(request) {
  const type = (request.headers.get("Content-Type") ?? "").split(";")[0].trim().toLowerCase();
  if (type !== "application/json") return { error: fail(415, "UnsupportedMediaType", "send JSON: Content-Type: application/json") };
  const declared = Number(request.headers.get("Content-Length") ?? 0);
  if (declared > MAX_BODY) return { error: fail(413, "PayloadTooLarge", `at most ${MAX_BODY} bytes`) };
  const text = await request.text();
  if (text.length > MAX_BODY) return { error: fail(413, "PayloadTooLarge", `at most ${MAX_BODY} bytes`) };
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    return { error: fail(400, "BadRequest", "expected JSON {username, password}") };
  }
  const field = (name, max) => {
    const v = body !== null && typeof body === "object" && !Array.isArray(body) && Object.hasOwn(body, name) ? body[name] : undefined;
    return typeof v === "string" && v.length > 0 && v.length <= max ? v : null;
  };
  const username = field("username", MAX_USERNAME);
  const password = field("password", MAX_PASSWORD);
  if (username === null || password === null) {
    return { error: fail(400, "BadRequest", `expected {username, password}: non-empty strings of at most ${MAX_USERNAME} and ${MAX_PASSWORD} characters`) };
  }
  return { username, password };
}

async function login(request, app, env) {
  const input = await readLogin(request);
  if (input.error) return input.error;
  const keys = [[`user:${input.username}`, app.throttle.perUser], [`client:${clientOf(request)}`, app.throttle.perClient]];
  const wait = await throttled(app, env, keys);
  if (wait > 0) return fail(429, "TooManyAttempts", "too many failed logins: try again later", { "Retry-After": String(wait) });
  const user = await env.DB.prepare("SELECT * FROM users WHERE username = ?").bind(input.username).first();
  // Unknown users are checked against a dummy hash: same answer, similar time.
  const ok = await argon2Verify({ password: input.password, hash: user ? user.password_hash : app.dummy });
  if (!user || !ok) {
    await countFailure(app, env, keys);
    return fail(401, "InvalidCredentials", "wrong username or password");
  }
  await env.DB.prepare("DELETE FROM login_failures WHERE key = ?").bind(keys[0][0]).run();
  const t = now();
  const sid = randomId();
  const r = newRefresh(app, user.id, sid, t);
  await env.DB.batch([
    env.DB.prepare("INSERT INTO sessions (sid, user_id, created_at, state) VALUES (?, ?, ?, 'live')").bind(sid, user.id, t),
    env.DB.prepare("INSERT INTO refresh_tokens (digest, jti, sid, user_id, expires_at, state) VALUES (?, ?, ?, ?, ?, 'active')")
      .bind(r.digest, r.jti, sid, user.id, r.expires),
  ]);
  return json({ accessToken: await accessToken(app, user.id, sid, t), expiresIn: app.accessTtl }, 200, { "Set-Cookie": r.cookie });
}

const revokeSession = (env, sid) => env.DB.prepare("UPDATE sessions SET state = 'revoked' WHERE sid = ?").bind(sid).run();

async function refresh(request, app, env) {
  const token = cookieValue(request.headers.get("Cookie") ?? undefined, COOKIE);
  if (!token) return fail(401, "NotLoggedIn", "no refresh cookie: not logged in");
  const r = app.refreshVerifier.verifyResult(token);
  if (!r.ok) return fail(401, r.error.code, r.error.message);
  const jti = own(r.claims, "jti");
  const sid = own(r.claims, "sid");
  const row = await env.DB.prepare("SELECT * FROM refresh_tokens WHERE jti = ?").bind(jti).first();
  if (!row || row.sid !== sid || !constantTimeEqual(row.digest, refreshTokenDigest(token))) {
    return fail(401, "Revoked", "unknown refresh token");
  }
  const t = now();
  const next = newRefresh(app, row.user_id, sid, t);
  // Rotation in one transaction: the old row moves from active to rotated
  // only while its session is live, and the successor is inserted only if
  // that update happened. A logout landing at any moment either comes
  // first (nothing rotates) or after (it revokes the session, which the
  // successor belongs to): a revoked session can never come back.
  const [moved] = await env.DB.batch([
    env.DB.prepare(
      `UPDATE refresh_tokens SET state = 'rotated', rotated_at = ?1 WHERE jti = ?2 AND state = 'active'
         AND EXISTS (SELECT 1 FROM sessions WHERE sid = ?3 AND state = 'live')`,
    ).bind(t, jti, sid),
    env.DB.prepare(
      `INSERT INTO refresh_tokens (digest, jti, sid, user_id, expires_at, state)
         SELECT ?1, ?2, ?3, ?4, ?5, 'active' WHERE changes() = 1`,
    ).bind(next.digest, next.jti, sid, row.user_id, next.expires),
  ]);
  if (moved.meta.changes === 1) {
    if (app.dev) {
      // Bounded: the oldest session's entry goes first (a Map keeps insertion order).
      app.previousRefresh.delete(sid);
      app.previousRefresh.set(sid, token);
      if (app.previousRefresh.size > 1000) app.previousRefresh.delete(app.previousRefresh.keys().next().value);
    }
    return json({ accessToken: await accessToken(app, row.user_id, sid, t), expiresIn: app.accessTtl }, 200, { "Set-Cookie": next.cookie });
  }
  // Not rotated by this request: the session is over, or the token was
  // already rotated. Within the grace period after its rotation, while the
  // session lives, this is a concurrent refresh from another tab of the same
  // browser: an access token, and no cookie (the winner's response set it).
  // Any other reuse of a rotated token is theft: the whole session ends.
  const session = await env.DB.prepare("SELECT state FROM sessions WHERE sid = ?").bind(sid).first();
  if (!session || session.state !== "live") return fail(401, "Revoked", "session revoked");
  const current = await env.DB.prepare("SELECT state, rotated_at FROM refresh_tokens WHERE jti = ?").bind(jti).first();
  if (current?.state === "rotated" && t - current.rotated_at <= app.refreshGrace) {
    return json({ accessToken: await accessToken(app, row.user_id, sid, t), expiresIn: app.accessTtl, concurrent: true });
  }
  await revokeSession(env, sid);
  return fail(401, "Revoked", "refresh token reused: session revoked");
}

async function authenticate(request, app, env) {
  const token = bearerToken(request.headers.get("Authorization") ?? undefined);
  if (!token) return { error: fail(401, "MissingToken", "no bearer token") };
  const r = (await app.keys.at(now())).verifier.verifyResult(token);
  if (!r.ok) return { error: fail(401, r.error.code, r.error.message) };
  const c = r.claims;
  const live = await env.DB.prepare(
    "SELECT u.* FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.sid = ? AND s.state = 'live' AND u.id = ?",
  ).bind(own(c, "sid"), Number(own(c, "sub"))).first();
  if (!live) return { error: fail(401, "Revoked", "session revoked") };
  return { claims: c, user: live };
}

async function logout(request, app, env, all) {
  const token = cookieValue(request.headers.get("Cookie") ?? undefined, COOKIE);
  const clear = { "Set-Cookie": clearRefreshCookie(COOKIE, { path: COOKIE_PATH }) };
  if (token) {
    const r = app.refreshVerifier.verifyResult(token);
    if (r.ok) {
      if (all) {
        // Every session of the user, in one statement: the refresh and access
        // tokens of all of them stop at once (both check their session).
        await env.DB.prepare("UPDATE sessions SET state = 'revoked' WHERE user_id = ?").bind(Number(own(r.claims, "sub"))).run();
      } else {
        await revokeSession(env, own(r.claims, "sid"));
      }
    }
  }
  return json({ ok: true }, 200, clear);
}

// Key administration, for operators (not the page): the key list and a
// rotation. Only when ADMIN_KEY is set, and only with it in X-Admin-Key.
async function admin(request, app, env, pathname) {
  const given = request.headers.get("X-Admin-Key");
  if (!env.ADMIN_KEY || given === null || !constantTimeEqual(given, env.ADMIN_KEY)) return fail(404, "NotFound", "not found");
  const t = now();
  if (pathname === "/admin/keys") {
    if (request.method !== "GET") return fail(405, "MethodNotAllowed", "GET only", { Allow: "GET" });
    return json({ now: t, keys: (await app.keys.at(t)).keys });
  }
  if (request.method !== "POST") return fail(405, "MethodNotAllowed", "POST only", { Allow: "POST" });
  const next = await app.keys.rotate(t);
  return json({ now: t, announced: next.kid, signsFrom: next.signsFrom, keys: (await app.keys.at(t)).keys });
}

// Development mode only (404 otherwise), same origin, for the live session
// of the refresh cookie (under /auth, where the cookie goes): an already
// expired access token for it, or a replay of its previous refresh token,
// as a thief with a copy would send it.
async function dev(request, app, env, pathname) {
  if (!app.dev) return fail(404, "NotFound", "not found");
  if (request.method !== "POST") return fail(405, "MethodNotAllowed", "POST only", { Allow: "POST" });
  if (!sameOrigin(request)) return fail(403, "BadOrigin", "state-changing requests must come from this origin");
  const token = cookieValue(request.headers.get("Cookie") ?? undefined, COOKIE);
  if (!token) return fail(401, "NotLoggedIn", "no refresh cookie: not logged in");
  const r = app.refreshVerifier.verifyResult(token);
  if (!r.ok) return fail(401, r.error.code, r.error.message);
  const sid = own(r.claims, "sid");
  const session = await env.DB.prepare("SELECT user_id FROM sessions WHERE sid = ? AND state = 'live'").bind(sid).first();
  if (!session) return fail(401, "Revoked", "session revoked");
  if (pathname === "/auth/dev/expired-access") {
    return json({ accessToken: await accessToken(app, session.user_id, sid, now() - app.accessTtl - 1) });
  }
  const previous = app.previousRefresh.get(sid);
  if (!previous) return fail(409, "NoPreviousToken", "this session's refresh token has not rotated yet: reload the page first");
  const replayed = await refresh(new Request(new URL("/auth/refresh", request.url), { method: "POST", headers: { Cookie: `${COOKIE}=${previous}` } }), app, env);
  const body = await replayed.json();
  return json({ replay: { status: replayed.status, error: body.error, concurrent: body.concurrent === true } });
}

const ROUTES = {
  "/auth/login": login,
  "/auth/refresh": refresh,
  "/auth/logout": (request, app, env) => logout(request, app, env, false),
  "/auth/logout-all": (request, app, env) => logout(request, app, env, true),
};

export default {
  async fetch(request, env) {
    const { pathname } = new URL(request.url);
    const method = request.method;
    try {
      const app = await (ready ??= setup(env));
      if (method === "GET" && pathname === "/") {
        return asset(PAGE, "text/html; charset=utf-8", { "Content-Security-Policy": csp(env) });
      }
      if (method === "GET" && Object.hasOwn(ASSETS, pathname)) return asset(ASSETS[pathname][0], ASSETS[pathname][1]);
      if (method === "GET" && pathname === "/config.json") {
        return json({ imageService: env.IMAGE_SERVICE_URL ?? null, dev: app.dev ? { username: env.DEMO_USER, password: env.DEMO_PASSWORD } : null });
      }
      if (pathname.startsWith("/auth/dev/")) return await dev(request, app, env, pathname);
      if (method === "GET" && pathname === "/page.js") return asset(PAGE_JS, "text/javascript; charset=utf-8");
      if (method === "GET" && pathname === "/page.css") return asset(PAGE_CSS, "text/css; charset=utf-8");
      if (method === "GET" && pathname === "/.well-known/jwks.json") {
        // Public keys only; cacheable, so services refetch it on an unknown kid, not per request.
        const { jwks } = await app.keys.at(now());
        return new Response(jwks, { headers: { "Content-Type": "application/jwk-set+json", "Cache-Control": `public, max-age=${app.jwksMaxAge}`, ...SECURITY_HEADERS } });
      }
      if (pathname === "/admin/keys" || pathname === "/admin/rotate-keys") return await admin(request, app, env, pathname);
      if (Object.hasOwn(ROUTES, pathname)) {
        if (method !== "POST") return fail(405, "MethodNotAllowed", "POST only", { Allow: "POST" });
        if (!sameOrigin(request)) return fail(403, "BadOrigin", "state-changing requests must come from this origin");
        return await ROUTES[pathname](request, app, env);
      }
      if (pathname.startsWith("/api/")) {
        const a = await authenticate(request, app, env);
        if (a.error) return a.error;
        const scope = own(a.claims, "scope");
        if (pathname === "/api/profile") {
          return json({ id: a.user.id, username: a.user.username, displayName: a.user.display_name, sessionId: own(a.claims, "sid"), scope });
        }
        if (pathname === "/api/likes") {
          if (!scopeContains(scope, "likes:read")) return fail(403, "InsufficientScope", "likes:read required");
          return json({ likes: ["tessera", "edge workers", "short-lived tokens"] });
        }
        if (pathname === "/api/admin") {
          // Enforced scope the demo user does not have: 403, not 401.
          if (!scopeContains(scope, "admin")) return fail(403, "InsufficientScope", "admin required");
          return json({ ok: true });
        }
        return fail(404, "NotFound", "no such API");
      }
      return fail(404, "NotFound", "not found");
    } catch (e) {
      if (e instanceof TesseraError && e.code !== "InvalidArgument") return fail(401, e.code, e.message);
      // Internals stay in the log, never in the response.
      console.error("edge-auth:", e);
      return fail(500, "Internal", "internal error");
    }
  },
};
