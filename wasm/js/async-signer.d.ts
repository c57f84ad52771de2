import type { Jwk } from "./tessera_wasm.js";

/** The RSA algorithms WebCrypto signs. */
export type RsaAlgorithm = "RS256" | "RS384" | "RS512" | "PS256" | "PS384" | "PS512";

/** Options of `AsyncSigner.fromJwk` (unknown names are refused). */
export interface AsyncSignerOptions {
  /** RS256…PS512: needed when the JWK has no `alg`, and must agree with one. */
  algorithm?: RsaAlgorithm;
  /** The `kid` to write (default: the RFC 7638 thumbprint). */
  kid?: string;
}

/** RS256…PS512 tokens: the core writes them, WebCrypto signs (issuer module). */
export declare class AsyncSigner {
  private constructor();
  /** A signer for an RSA private JWK (text or object). */
  static fromJwk(jwk: string | Jwk, options?: AsyncSignerOptions): Promise<AsyncSigner>;
  readonly algorithm: string;
  readonly kid: string | undefined;
  /** The public key as a JWK Set member. */
  publicJwk(): Jwk;
  /** As `Signer.sign`. */
  sign(claims: Record<string, unknown>, options?: { typ?: string; kid?: string; customJson?: string }): Promise<string>;
  /** As `Signer.issueAccess`. */
  issueAccess(params: {
    issuer: string; subject: string; audience: string; sessionId: string; tokenId?: string; scope?: string;
    clientId?: string; now?: number | Date; lifetime?: number;
  }): Promise<string>;
}
