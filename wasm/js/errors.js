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
