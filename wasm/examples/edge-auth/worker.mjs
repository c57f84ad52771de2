// The reference deployment: login / refresh / logout on an edge worker.
// Every token operation goes through the Tessera WebAssembly module; users
// and refresh-token digests live in D1; passwords are Argon2id (hash-wasm).
import {
  Verifier, Signer, TesseraError, bearerToken, cookieValue, refreshCookie, clearRefreshCookie,
  refreshTokenDigest, constantTimeEqual, randomId, scopeContains,
} from "../../pkg/workerd.js";
import "./wasm-shim.mjs";
import { argon2id, argon2Verify } from "../../node_modules/hash-wasm/dist/index.esm.js";
import PAGE from "./page.html";

const ISSUER = "https://edge-auth.tessera.example";
const AUDIENCE = "tessera-demo-api";
const COOKIE = "refresh";
// OWASP's minimum for Argon2id: m = 19 MiB, t = 2, p = 1.
const ARGON2 = { iterations: 2, memorySize: 19456, parallelism: 1, hashLength: 32, outputType: "encoded" };

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS users (id INTEGER PRIMARY KEY, username TEXT UNIQUE NOT NULL, password_hash TEXT NOT NULL,
     display_name TEXT NOT NULL, logout_all_before INTEGER NOT NULL DEFAULT 0)`,
  `CREATE TABLE IF NOT EXISTS refresh_tokens (digest TEXT PRIMARY KEY, jti TEXT UNIQUE NOT NULL, sid TEXT NOT NULL,
     user_id INTEGER NOT NULL, expires_at INTEGER NOT NULL, state TEXT NOT NULL CHECK (state IN ('active','rotated','revoked')))`,
  `CREATE INDEX IF NOT EXISTS refresh_by_sid ON refresh_tokens (sid)`,
  `CREATE TABLE IF NOT EXISTS likes (user_id INTEGER NOT NULL, item TEXT NOT NULL)`,
];

let ready;
const enc = new TextEncoder();
const now = () => Math.floor(Date.now() / 1000);
const json = (body, status = 200, headers = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json", "Cache-Control": "no-store", ...headers } });
const fail = (status, code, message) => json({ error: code, message }, status);

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
  const ttl = (name, fallback) => Number(env[name] ?? fallback);
  return {
    dummy,
    accessTtl: ttl("ACCESS_TTL", 900),
    refreshTtl: ttl("REFRESH_TTL", 604800),
    access: new Signer(enc.encode(env.ACCESS_SECRET), {}),
    refresh: new Signer(enc.encode(env.REFRESH_SECRET), {}),
    accessVerifier: new Verifier(enc.encode(env.ACCESS_SECRET), { issuer: ISSUER, audience: AUDIENCE, typ: "at+jwt", requiredClaims: ["exp", "iat", "sub", "sid"] }),
    refreshVerifier: new Verifier(enc.encode(env.REFRESH_SECRET), { issuer: ISSUER, typ: "refresh+jwt", requiredClaims: ["exp", "iat", "sub", "jti", "sid"] }),
  };
}

async function issuePair(app, env, user, sid) {
  const t = now();
  const accessToken = app.access.issueAccess({
    issuer: ISSUER, subject: String(user.id), audience: AUDIENCE, sessionId: sid, now: t, lifetime: app.accessTtl,
    scope: "profile:read likes:read", clientId: "edge-auth-page",
  });
  const jti = randomId();
  const refreshToken = app.refresh.issueRefresh({ issuer: ISSUER, subject: String(user.id), sessionId: sid, tokenId: jti, now: t, lifetime: app.refreshTtl });
  await env.DB.prepare("INSERT INTO refresh_tokens (digest, jti, sid, user_id, expires_at, state) VALUES (?, ?, ?, ?, ?, 'active')")
    .bind(refreshTokenDigest(refreshToken), jti, sid, user.id, t + app.refreshTtl).run();
  const cookie = refreshCookie(COOKIE, refreshToken, { path: "/auth", maxAge: app.refreshTtl });
  return json({ accessToken, expiresIn: app.accessTtl }, 200, { "Set-Cookie": cookie });
}

async function login(request, app, env) {
  let body;
  try {
    body = await request.json();
  } catch {
    return fail(400, "BadRequest", "expected JSON {username, password}");
  }
  const username = typeof body?.username === "string" ? body.username : "";
  const password = typeof body?.password === "string" ? body.password : "";
  const user = await env.DB.prepare("SELECT * FROM users WHERE username = ?").bind(username).first();
  // Unknown users are checked against a dummy hash: same answer, similar time.
  const ok = await argon2Verify({ password, hash: user ? user.password_hash : app.dummy });
  if (!user || !ok) return fail(401, "InvalidCredentials", "wrong username or password");
  return issuePair(app, env, user, randomId());
}

async function refresh(request, app, env) {
  const origin = request.headers.get("Origin");
  if (origin !== new URL(request.url).origin) return fail(403, "BadOrigin", "refresh must come from the app's own origin");
  const token = cookieValue(request.headers.get("Cookie") ?? undefined, COOKIE);
  if (!token) return fail(401, "MissingToken", "no refresh cookie");
  const r = app.refreshVerifier.verifyResult(token);
  if (!r.ok) return fail(401, r.error.code, r.error.message);
  const claims = r.claims;
  const digest = refreshTokenDigest(token);
  const row = await env.DB.prepare("SELECT * FROM refresh_tokens WHERE jti = ?").bind(claims.jti).first();
  if (!row || !constantTimeEqual(row.digest, digest)) return fail(401, "Revoked", "unknown refresh token");
  if (row.state === "rotated") {
    // Reuse of a rotated token: assume theft and end the whole session.
    await env.DB.prepare("UPDATE refresh_tokens SET state = 'revoked' WHERE sid = ?").bind(row.sid).run();
    return fail(401, "Revoked", "refresh token reused: session revoked");
  }
  if (row.state !== "active") return fail(401, "Revoked", "session revoked");
  const user = await env.DB.prepare("SELECT * FROM users WHERE id = ?").bind(row.user_id).first();
  if (!user || claims.iat < user.logout_all_before) {
    await env.DB.prepare("UPDATE refresh_tokens SET state = 'revoked' WHERE sid = ?").bind(row.sid).run();
    return fail(401, "Revoked", "all sessions were logged out");
  }
  // Rotation: only one request can move this row from active to rotated.
  const moved = await env.DB.prepare("UPDATE refresh_tokens SET state = 'rotated' WHERE jti = ? AND state = 'active'").bind(claims.jti).run();
  if (moved.meta.changes !== 1) return fail(401, "Revoked", "refresh token already used");
  return issuePair(app, env, user, claims.sid);
}

async function authenticate(request, app, env) {
  const token = bearerToken(request.headers.get("Authorization") ?? undefined);
  if (!token) return { error: fail(401, "MissingToken", "no bearer token") };
  const r = app.accessVerifier.verifyResult(token);
  if (!r.ok) return { error: fail(401, r.error.code, r.error.message) };
  const c = r.claims;
  const user = await env.DB.prepare("SELECT * FROM users WHERE id = ?").bind(Number(c.sub)).first();
  if (!user) return { error: fail(401, "Revoked", "no such user") };
  // Logout-all revokes every refresh row of the user, so the session check
  // below also ends access tokens issued before it: no second verification.
  const live = await env.DB.prepare("SELECT 1 FROM refresh_tokens WHERE sid = ? AND state != 'revoked' LIMIT 1").bind(c.sid).first();
  if (!live) return { error: fail(401, "Revoked", "session revoked") };
  return { claims: c, user };
}

async function logout(request, app, env, all) {
  const token = cookieValue(request.headers.get("Cookie") ?? undefined, COOKIE);
  const clear = { "Set-Cookie": clearRefreshCookie(COOKIE, { path: "/auth" }) };
  if (token) {
    const r = app.refreshVerifier.verifyResult(token);
    if (r.ok) {
      if (all) {
        await env.DB.prepare("UPDATE users SET logout_all_before = ? WHERE id = ?").bind(now(), Number(r.claims.sub)).run();
        await env.DB.prepare("UPDATE refresh_tokens SET state = 'revoked' WHERE user_id = ?").bind(Number(r.claims.sub)).run();
      } else {
        await env.DB.prepare("UPDATE refresh_tokens SET state = 'revoked' WHERE sid = ?").bind(r.claims.sid).run();
      }
    }
  }
  return json({ ok: true }, 200, clear);
}

export default {
  async fetch(request, env) {
    const app = await (ready ??= setup(env));
    const { pathname } = new URL(request.url);
    const method = request.method;
    try {
      if (method === "GET" && pathname === "/") {
        return new Response(PAGE, { headers: { "Content-Type": "text/html; charset=utf-8", "Content-Security-Policy": "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'" } });
      }
      if (method === "POST" && pathname === "/auth/login") return await login(request, app, env);
      if (method === "POST" && pathname === "/auth/refresh") return await refresh(request, app, env);
      if (method === "POST" && pathname === "/auth/logout") return await logout(request, app, env, false);
      if (method === "POST" && pathname === "/auth/logout-all") return await logout(request, app, env, true);
      if (pathname.startsWith("/api/")) {
        const a = await authenticate(request, app, env);
        if (a.error) return a.error;
        if (pathname === "/api/profile") {
          return json({ id: a.user.id, username: a.user.username, displayName: a.user.display_name, sessionId: a.claims.sid, scope: a.claims.scope });
        }
        if (pathname === "/api/likes") {
          if (!scopeContains(a.claims.scope, "likes:read")) return fail(403, "InsufficientScope", "likes:read required");
          return json({ likes: ["tessera", "edge workers", "short-lived tokens"] });
        }
        if (pathname === "/api/admin") {
          // Enforced scope the demo user does not have: 403, not 401.
          if (!scopeContains(a.claims.scope, "admin")) return fail(403, "InsufficientScope", "admin required");
          return json({ ok: true });
        }
        return fail(404, "NotFound", "no such API");
      }
      return fail(404, "NotFound", "not found");
    } catch (e) {
      if (e instanceof TesseraError) return fail(401, e.code, e.message);
      return fail(500, "Internal", String(e));
    }
  },
};
