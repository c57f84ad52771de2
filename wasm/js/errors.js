// The error class thrown by every Tessera function. A real Error subclass:
// `instanceof Error` and stack traces work; `code` is the stable name of
// the error kind ("Expired", "BadSignature", ...), `status` its number,
// `claim` the claim involved (or undefined).
export class TesseraError extends Error {
  constructor(code, status, message, claim) {
    super(message);
    this.name = "TesseraError";
    this.code = code;
    this.status = status;
    this.claim = claim;
  }
}

export function makeError(code, status, message, claim) {
  return new TesseraError(code, status, message, claim === "" ? undefined : claim);
}

// For `verifyResult`, where a refused token is an ordinary, possibly hostile,
// high-rate outcome: the same error without capturing a stack trace, which
// costs several microseconds per error in V8.
export function makeResultError(code, status, message, claim) {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return makeError(code, status, message, claim);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

// The fast path's error (set by src/fast.rs, taken by fast.js right after
// the call that set it). Kept here rather than in the verifier, so that a
// verifier that an `isRevoked` callback tried to free during the call
// (wasm-bindgen refuses that, and leaves the object's handle at 0) still
// gives its answer, as the general path does.
let pending;

export function setFastError(error) {
  pending = error;
}

export function takeFastError() {
  const error = pending;
  pending = undefined;
  return error;
}
