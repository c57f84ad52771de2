// Bearer-token middleware for Hono and Express (RFC 6750): the token from
// `Authorization`, verified by the verifier you give (a Verifier, or a
// RemoteJwks for an identity provider's JWK Set), required scopes checked,
// the claims handed to the handler. Every rule is the core's: bearerToken
// and scopeContains come from the module this file ships in.
import { bearerToken, scopeContains } from "./tessera_wasm.js";

const OPTIONS = ["verifier", "scopes", "realm"];

// Reads the options once; unknown names are refused, as everywhere in Tessera.
function settings(options) {
  if (options === null || typeof options !== "object") throw new TypeError("bearer middleware options must be an object");
  for (const name of Object.keys(options)) {
    if (!OPTIONS.includes(name)) throw new TypeError(`unknown bearer middleware option \`${name}\` (known: ${OPTIONS.join(", ")})`);
  }
  const own = (n) => (Object.hasOwn(options, n) ? options[n] : undefined);
  const verifier = own("verifier");
  if (typeof verifier?.verifyResult !== "function") {
    throw new TypeError("`verifier` must be a Verifier or a RemoteJwks (anything with verifyResult)");
  }
  const scopes = own("scopes") ?? [];
  if (!Array.isArray(scopes) || !scopes.every((s) => typeof s === "string" && /^[\x21\x23-\x5b\x5d-\x7e]+$/.test(s))) {
    throw new TypeError("`scopes` must be an array of scope tokens (RFC 6749 §3.3)");
  }
  const realm = own("realm") ?? "api";
  if (typeof realm !== "string" || !/^[\x20\x21\x23-\x5b\x5d-\x7e]*$/.test(realm)) {
    throw new TypeError("`realm` must be a string without quotes, backslashes or control characters");
  }
  return { verifier, scopes: [...scopes], realm };
}

// A Node request's Authorization value. Node keeps only the first of
// repeated ones in `req.headers`; two are two credentials in one request
// (RFC 6750 §2: one method, once), joined here by a comma as fetch's
// `Headers` (Hono) and httpd join them, which no bearer token holds: every
// surface refuses them alike, and nothing in front of us that read the
// other one disagrees with us.
function nodeAuthorization(req) {
  const raw = req.rawHeaders;
  if (!Array.isArray(raw)) return req.headers?.authorization;
  const values = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if (typeof raw[i] === "string" && raw[i].toLowerCase() === "authorization") values.push(raw[i + 1]);
  }
  return values.length === 0 ? undefined : values.join(", ");
}

// The verdict on one Authorization header: { claims }, or the refusal.
async function decide(s, authorization) {
  const token = bearerToken(typeof authorization === "string" ? authorization : undefined);
  if (token === undefined) {
    // RFC 6750 §3.1: no credentials, no error code.
    return { status: 401, challenge: `Bearer realm="${s.realm}"`, body: { error: "unauthorized" } };
  }
  const r = await s.verifier.verifyResult(token);
  if (!r.ok) {
    const code = r.error.code;
    return {
      status: 401,
      challenge: `Bearer realm="${s.realm}", error="invalid_token", error_description="${code}"`,
      body: { error: "invalid_token", reason: code },
    };
  }
  const missing = s.scopes.filter((wanted) => !scopeContains(r.claims.scope, wanted));
  if (missing.length > 0) {
    const scope = s.scopes.join(" ");
    return {
      status: 403,
      challenge: `Bearer realm="${s.realm}", error="insufficient_scope", scope="${scope}"`,
      body: { error: "insufficient_scope", scope },
    };
  }
  return { claims: r.claims };
}

/**
 * Hono middleware: `app.use("/api/*", honoBearer({ verifier }))`; the
 * handler reads `c.get("claims")`. A refusal is answered here (401/403 with
 * `WWW-Authenticate`), the handler never runs.
 */
export function honoBearer(options) {
  const s = settings(options);
  return async (c, next) => {
    const v = await decide(s, c.req.header("Authorization"));
    if (v.claims === undefined) {
      return new Response(JSON.stringify(v.body), {
        status: v.status,
        headers: { "content-type": "application/json", "www-authenticate": v.challenge },
      });
    }
    c.set("claims", v.claims);
    await next();
  };
}

/**
 * Express middleware: `app.use("/api", expressBearer({ verifier }))`; the
 * handler reads `req.auth` (as express-jwt names it). A refusal is answered
 * here (401/403 with `WWW-Authenticate`).
 */
export function expressBearer(options) {
  const s = settings(options);
  return (req, res, next) => {
    decide(s, nodeAuthorization(req)).then((v) => {
      if (v.claims === undefined) {
        res.status(v.status).set("WWW-Authenticate", v.challenge).json(v.body);
      } else {
        req.auth = v.claims;
        next();
      }
    }, next);
  };
}
