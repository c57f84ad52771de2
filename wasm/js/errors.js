// The error class thrown by every Tessera function, and the small objects
// the module returns (built here: one crossing instead of one per member).
// TesseraError is a real Error subclass: `instanceof Error` and stack traces
// work; `code` is the stable name of the error kind ("Expired",
// "BadSignature", ...), `status` its number, `claim` the claim involved (or
// undefined).
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

// `verifyResult`'s two shapes, built here in one crossing each.
export function okResult(claims) {
  return { ok: true, claims };
}

export function errorResult(error) {
  return { ok: false, error };
}

// A token header as a plain object; absent members are left out.
export function headerObject(alg, typ, kid) {
  const h = { alg };
  if (typ !== undefined) h.typ = typ;
  if (kid !== undefined) h.kid = kid;
  return h;
}

export function tokenObject(header, claims) {
  return { header, claims };
}
