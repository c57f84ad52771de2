import type { Claims, VerifyExtra, VerifyResult } from "./tessera_wasm.js";

declare module "./tessera_wasm.js" {
  interface Verifier {
    /**
     * `verify`, with the public-key signature checked by WebCrypto
     * (`crypto.subtle.verify`); every other rule runs in the core, and the
     * payload is parsed only after WebCrypto said yes. Rejects with a
     * `TesseraError` for a refused token.
     */
    verifyAsync(token: string, now?: number | Date | null, extra?: VerifyExtra): Promise<Claims>;
    /** `verifyResult` with WebCrypto's signature check; never rejects for a refused token. */
    verifyResultAsync(token: string, now?: number | Date | null, extra?: VerifyExtra): Promise<VerifyResult>;
  }
}
