import type { Claims, VerifyResult } from "./tessera_wasm.js";

/** Options of `honoBearer` and `expressBearer` (unknown names are refused). */
export interface BearerOptions {
  /** What verifies: a `Verifier` (its policy: issuer, audience, typ...) or a `RemoteJwks`. */
  verifier: { verifyResult(token: string): VerifyResult | Promise<VerifyResult> };
  /** Scopes the token must all hold (403 insufficient_scope otherwise). */
  scopes?: string[];
  /** The `realm` of the `WWW-Authenticate` challenge (default "api"). */
  realm?: string;
}

/** What the Hono middleware uses of Hono's `Context` (Hono's own type fits). */
export interface HonoContextLike {
  req: { header(name: string): string | undefined };
  set(key: "claims", value: Claims): void;
}

/** Hono middleware; the handler reads `c.get("claims")`. */
export declare function honoBearer(
  options: BearerOptions,
): (c: HonoContextLike, next: () => Promise<void>) => Promise<Response | void>;

/** What the Express middleware uses of Express's request and response. */
export interface ExpressRequestLike {
  headers: { authorization?: string };
  auth?: Claims;
}
export interface ExpressResponseLike {
  status(code: number): ExpressResponseLike;
  set(name: string, value: string): ExpressResponseLike;
  json(body: unknown): unknown;
}

/** Express middleware; the handler reads `req.auth`. */
export declare function expressBearer(
  options: BearerOptions,
): (req: ExpressRequestLike, res: ExpressResponseLike, next: (error?: unknown) => void) => void;
