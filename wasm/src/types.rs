//! TypeScript declarations for the option and result objects, so editors
//! autocomplete them.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
/** The stable error codes, the same on every surface. */
export type TesseraErrorCode =
  | "Malformed" | "TokenTooLong" | "AlgorithmMismatch" | "UnsupportedCritical" | "TypeMismatch"
  | "UnknownKey" | "BadSignature" | "InvalidClaim" | "MissingClaim" | "Expired" | "NotYetValid"
  | "InvalidIssuer" | "InvalidAudience" | "BufferTooSmall" | "WeakKey" | "Revoked"
  | "CapacityExceeded" | "InvalidArgument" | "InvalidKey";

/** A registered claim name. */
export type RegisteredClaim =
  | "iss" | "sub" | "aud" | "exp" | "iat" | "nbf" | "jti" | "sid" | "scope" | "azp" | "client_id";

/** Thrown by every Tessera function (a real `Error`). */
export declare class TesseraError extends Error {
  readonly name: "TesseraError";
  /** The stable name of the error kind. */
  readonly code: TesseraErrorCode;
  /** Its stable number (the C status). */
  readonly status: number;
  /** The claim involved, if any. */
  readonly claim?: RegisteredClaim;
}

/** An HMAC algorithm (secrets). */
export type Algorithm = "HS256" | "HS384" | "HS512";

/** A public-key algorithm (the full module, `tessera-jwt/full`). */
export type PublicAlgorithm =
  | "RS256" | "RS384" | "RS512" | "PS256" | "PS384" | "PS512" | "ES256" | "ES384" | "EdDSA";

/** A public JSON Web Key (RFC 7517): `kty` RSA (n, e), EC (crv, x, y) or OKP (crv, x). */
export interface Jwk {
  kty: string;
  kid?: string;
  alg?: string;
  use?: string;
  key_ops?: string[];
  crv?: string;
  x?: string;
  y?: string;
  n?: string;
  e?: string;
  [member: string]: unknown;
}

/** What a revocation callback is told. */
export interface RevocationQuery { jti?: string; sid?: string; sub?: string; iat?: number }

/**
 * The verification policy. Defaults are the secure choice. Only own
 * properties are read, and unknown names are refused (InvalidArgument), so
 * a typo or another library's option name never checks less than intended.
 */
export interface VerifierOptions {
  /**
   * The key's algorithm: for a secret, "HS256" (default), "HS384" or "HS512";
   * for a public key (full module) the algorithm you expect: binds an RSA
   * JWK without `alg` in `fromJwk` (and must agree with any other JWK), and
   * is the default for RSA keys without `alg` in `fromJwks`.
   */
  algorithm?: Algorithm | PublicAlgorithm;
  /** Expected `iss`. (This and the other options whose absence skips a check — audience, typ, maxAge, isRevoked — refuse `undefined` and `null`: omit them instead.) */
  issuer?: string;
  /** Expected audience(s): `aud` must contain one of them. An empty list is refused. */
  audience?: string | string[];
  /** Expected header `typ`, e.g. "at+jwt". */
  typ?: string;
  /** Seconds of clock skew tolerated (default 0, at most 300: a larger value, such as milliseconds, is refused). */
  leeway?: number;
  /** Claims that must be present (default ["exp"]). */
  requiredClaims?: RegisteredClaim[];
  /** Maximum age in seconds since `iat`. */
  maxAge?: number;
  /** Longest token accepted, in bytes (default 8192, at most 1048576; the verifier keeps scratch for it). */
  maxLength?: number;
  /** Accept tokens with `aud` when no audience is expected. */
  ignoreAudience?: boolean;
  /** Called after every other rule passes; return true when revoked. A throw counts as revoked. */
  isRevoked?: (query: RevocationQuery) => boolean;
}

/**
 * Per-call options of `verify`. Unknown names are refused (InvalidArgument).
 */
export interface VerifyExtra {
  /**
   * Refuse tokens issued (iat) at or before this time, in seconds or as a
   * Date: a logout-all cut-off (set it to the first whole second not before
   * the logout-all call).
   */
  issuedBefore?: number | Date;
}

/** A key of a key set. */
export interface KidKey { kid: string; secret: Uint8Array | string; algorithm?: Algorithm }

/** Verified claims: registered claims plus custom claims as JSON values. */
export interface Claims {
  iss?: string; sub?: string; aud?: string | string[];
  exp?: number; nbf?: number; iat?: number;
  jti?: string; sid?: string; scope?: string; azp?: string; client_id?: string;
  [claim: string]: unknown;
}

export interface TokenHeader { alg: string; typ?: string; kid?: string }

export type VerifyResult = { ok: true; claims: Claims } | { ok: false; error: TesseraError };

export interface SignerOptions { algorithm?: Algorithm; kid?: string }
export interface SignOptions { typ?: string; kid?: string; customJson?: string }

export interface AccessParams {
  issuer: string; subject: string; audience: string; sessionId: string;
  tokenId?: string; scope?: string; clientId?: string; now?: number | Date;
  /** Seconds until `exp` (default 900; 1 to 86400, so milliseconds are refused). */
  lifetime?: number;
}
export interface RefreshParams {
  issuer: string; subject: string; sessionId: string; tokenId?: string; now?: number | Date;
  /** Seconds until `exp` (default 7 days; 1 to 31536000, so milliseconds are refused). */
  lifetime?: number;
}
export interface CookieOptions { path?: string; maxAge?: number }
"#;
