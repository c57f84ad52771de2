// `make demo`, part 1: the whole token lifecycle in a terminal. Issue a
// pair, verify the access token with the C library and with the WASM
// module, refresh with rotation, refuse the old refresh token through a
// revocation check, and refuse an expired and a tampered token.
//
//   node wasm/examples/lifecycle.mjs <path to the C example verify_bearer>
import { execFileSync } from "node:child_process";

import * as tessera from "../pkg/node.js";

const ISSUER = "https://auth.example.com";
const enc = new TextEncoder();
const ACCESS_SECRET = "demo access secret, at least 32 bytes";
const REFRESH_SECRET = "demo refresh secret, a different key";
const verifyBearerC = process.argv[2];

const access = new tessera.Signer(enc.encode(ACCESS_SECRET), {});
const refresh = new tessera.Signer(enc.encode(REFRESH_SECRET), {});

// The server's refresh-token table: digests only, never tokens.
const store = new Map(); // jti -> { digest, sid, state: "active" | "rotated" | "revoked" }
const refreshVerifier = new tessera.Verifier(enc.encode(REFRESH_SECRET), {
  issuer: ISSUER,
  typ: "refresh+jwt",
  requiredClaims: ["exp", "iat", "sub", "jti", "sid"],
  isRevoked: (q) => store.get(q.jti)?.state !== "active",
});
const accessVerifier = new tessera.Verifier(enc.encode(ACCESS_SECRET), { issuer: ISSUER, audience: "api", typ: "at+jwt" });

const step = (n, text) => console.log(`\n${n}. ${text}`);
const show = (label, token) => console.log(`   ${label}: ${token.slice(0, 40)}…${token.slice(-12)} (${token.length} bytes)`);
const refuse = (label, fn) => {
  try {
    fn();
    throw new Error(`${label} was accepted`);
  } catch (e) {
    if (!(e instanceof tessera.TesseraError)) throw e;
    console.log(`   ${label}: refused, ${e.code} (status ${e.status}${e.claim ? `, claim ${e.claim}` : ""}): ${e.message}`);
  }
};

function login(subject) {
  const sid = tessera.randomId();
  const accessToken = access.issueAccess({ issuer: ISSUER, subject, audience: "api", sessionId: sid, scope: "profile:read likes:write" });
  const jti = tessera.randomId();
  const refreshToken = refresh.issueRefresh({ issuer: ISSUER, subject, sessionId: sid, tokenId: jti });
  store.set(jti, { digest: tessera.refreshTokenDigest(refreshToken), sid, state: "active" });
  return { accessToken, refreshToken };
}

function rotate(refreshToken) {
  const claims = refreshVerifier.verify(refreshToken);
  const row = store.get(claims.jti);
  if (!tessera.constantTimeEqual(row.digest, tessera.refreshTokenDigest(refreshToken))) throw new Error("digest mismatch");
  row.state = "rotated";
  const jti = tessera.randomId();
  const next = refresh.issueRefresh({ issuer: ISSUER, subject: claims.sub, sessionId: claims.sid, tokenId: jti });
  store.set(jti, { digest: tessera.refreshTokenDigest(next), sid: claims.sid, state: "active" });
  const accessToken = access.issueAccess({ issuer: ISSUER, subject: claims.sub, audience: "api", sessionId: claims.sid, scope: "profile:read" });
  return { accessToken, refreshToken: next };
}

console.log("Tessera token lifecycle (WASM module in Node, C library through its example program)");

step(1, "Login issues a pair: a 15-minute access token and a 7-day refresh token (separate keys).");
const first = login("user-42");
show("access ", first.accessToken);
show("refresh", first.refreshToken);
console.log(`   Set-Cookie: ${tessera.refreshCookie("refresh", first.refreshToken, {}).replace(first.refreshToken, "…")}`);
console.log(`   stored: digest ${tessera.refreshTokenDigest(first.refreshToken)}`);

step(2, "An API request verifies the access token with the WASM module…");
const claims = accessVerifier.verify(first.accessToken);
console.log(`   WASM: sub=${claims.sub} scope="${claims.scope}" exp in ${claims.exp - Math.floor(Date.now() / 1000)} s`);
if (verifyBearerC) {
  console.log("   …and with the C library (ffi/examples/verify_bearer.c):");
  const out = execFileSync(verifyBearerC, [`Bearer ${first.accessToken}`], { env: { ...process.env, TESSERA_SECRET: ACCESS_SECRET } });
  console.log(`   C: ${out.toString().trim()}`);
}

step(3, "The refresh endpoint verifies the refresh token, rotates it and issues a new access token.");
const second = rotate(first.refreshToken);
show("new access ", second.accessToken);
show("new refresh", second.refreshToken);

step(4, "The old refresh token is now refused by the revocation check (it was rotated).");
refuse("old refresh token", () => refreshVerifier.verify(first.refreshToken));
console.log(`   the new one still works: sub=${refreshVerifier.verify(second.refreshToken).sub}`);

step(5, "A refresh token is never an access token, and vice versa.");
refuse("refresh token as Bearer", () => accessVerifier.verify(second.refreshToken));
refuse("access token at /auth/refresh", () => refreshVerifier.verify(second.accessToken));

step(6, "Expired and tampered tokens are refused with their error codes.");
const expired = access.issueAccess({ issuer: ISSUER, subject: "user-42", audience: "api", sessionId: "s", now: Math.floor(Date.now() / 1000) - 3600 });
refuse("expired access token", () => accessVerifier.verify(expired));
const [h, p, s] = second.accessToken.split(".");
const forged = JSON.parse(Buffer.from(p, "base64url"));
forged.sub = "admin";
refuse("tampered access token", () => accessVerifier.verify(`${h}.${Buffer.from(JSON.stringify(forged)).toString("base64url")}.${s}`));
if (verifyBearerC) {
  try {
    execFileSync(verifyBearerC, [`Bearer ${expired}`], { env: { ...process.env, TESSERA_SECRET: ACCESS_SECRET } });
    throw new Error("C accepted an expired token");
  } catch (e) {
    console.log(`   C: ${e.stdout.toString().trim()}`);
  }
}

step(7, "Logout revokes the session; logout-all is one cut-off time per user.");
for (const row of store.values()) if (row.sid === claims.sid) row.state = "revoked";
refuse("refresh after logout", () => refreshVerifier.verify(second.refreshToken));
refuse("access token issued before logout-all", () =>
  accessVerifier.verify(second.accessToken, undefined, { issuedBefore: Math.floor(Date.now() / 1000) + 1 }));
console.log("\nlifecycle demo: done");
