import type { VerifierOptions, VerifyExtra, VerifyResult, Claims } from "./tessera_wasm.js";

/** Options of `RemoteJwks` (own properties only; unknown names are refused). */
export interface RemoteJwksOptions {
  /** Options of the verifier built from each fetched set (issuer, audience, algorithm for RSA keys without `alg`, ...). */
  verifier?: VerifierOptions;
  /** Seconds before a fetch is abandoned: (0, 60], default 5. */
  timeout?: number;
  /** Seconds a fetched set is used before it is refetched: (0, 86400], default 600 (a smaller `Cache-Control: max-age` wins). */
  maxAge?: number;
  /** Seconds between refetches for unknown `kid`s and after failures: (0, 3600], default 30. */
  cooldown?: number;
  /** Largest JWK Set document accepted, in bytes: a whole number in [1, 16777216] (default 524288). A larger body is refused while it is read, never buffered whole. */
  maxBytes?: number;
  /** Allow a plain `http:` URL to another machine (default false: https, or http only to `localhost` / a loopback address, since whoever answers the fetch chooses the keys). */
  allowHttp?: boolean;
  /** The fetch to use (default `globalThis.fetch`). */
  fetch?: typeof fetch;
}

/** An identity provider's JWK Set, fetched, cached and refetched on rotation. */
export declare class RemoteJwks {
  constructor(url: string | URL, options?: RemoteJwksOptions);
  /** Fetches the set now; the last good set is kept when this fails. */
  refresh(): Promise<void>;
  /** Verifies with the current set; throws a `TesseraError` for a refused token. */
  verify(token: string, now?: number | Date | null, extra?: VerifyExtra): Promise<Claims>;
  /** Never throws for a refused token. */
  verifyResult(token: string, now?: number | Date | null, extra?: VerifyExtra): Promise<VerifyResult>;
  /** How many fetches were started. */
  readonly fetches: number;
  /** The error of the last failed fetch, if the last fetch failed. */
  readonly lastError: unknown;
}
