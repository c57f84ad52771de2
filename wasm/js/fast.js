// The fast path of `Verifier.verify` and `verifyResult` (see src/fast.rs).
//
// wasm-bindgen's general path allocates WebAssembly memory for each token,
// copies it in, and returns through an array and a reference table; all of
// that costs about as much as parsing a small token. Here the token is
// written with `encodeInto` straight into a buffer the verifier owns, the
// call passes numbers only, and the claims object is `JSON.parse` of the
// verified payload, read where the verifier left it — the same object the
// general path builds. Only types are converted: every rule runs in the
// WebAssembly core.
//
// Anything else takes the general path, which gives the same answers:
// per-call options (`issuedBefore`), a token that is not a string or does
// not fit the buffer, a `now` that is not a number, a freed verifier.
import { initSync, Verifier } from "./tessera_wasm.js";
// The path is wasm-bindgen's snippet directory, filled in by assemble.mjs.
import { takeFastError } from "./ERRORS_SNIPPET";

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { ignoreBOM: true, fatal: true });
const BUFFERS = Symbol("tessera.fastPath");

const proto = Verifier.prototype;
const general = { verify: proto.verify, verifyResult: proto.verifyResult };

let exports;
let bytes;
let numbers;
// Node, Bun and Deno 2: a Buffer over the memory decodes a range in one
// call; the TextDecoder needs a subarray made first, which costs as much as
// the decoding in Node (~70 ns of a ~3.5 µs access-token verify), and
// Deno's TextDecoder took 4× as long as its Buffer for a 230-byte payload.
// Both give the same string: the payload is valid UTF-8 (the core checked
// it). Browsers and workerd (without a global Buffer) keep the decoder.
const NodeBuffer = typeof Buffer === "function" && typeof Buffer.from === "function" ? Buffer : undefined;
let buffer;

// Views over the module's memory, renewed when it has grown: growing
// detaches the old buffer, and every view of a detached buffer has length
// 0 (cheaper to test than reading `memory.buffer` on each call).
function views() {
  if (bytes === undefined || bytes.length === 0) {
    const memory = exports.memory.buffer;
    bytes = new Uint8Array(memory);
    numbers = new Float64Array(memory);
    // Only a Buffer that views the memory: one that copied it (a stand-in
    // `Buffer` of a bundler or a test) would read a past state of it.
    const view = NodeBuffer?.from(memory);
    buffer = view?.buffer === memory && view.byteOffset === 0 && view.length === memory.byteLength ? view : undefined;
  }
}

const VERIFIED = 0;
const REFUSED = 1;
const PENDING = 3;

// Writes `token` into the verifier's buffer and runs `call(len, hasNow,
// now)` (fastVerify, or the halves of verifyAsync) on it: the claims, or an
// `Outcome` number (src/fast.rs) with the error waiting in
// `takeFastError()`, or the pending numbers of `fastPrepare` (`PENDING`).
// `null` means "take the general path".
function run(verifier, token, now, extra, call) {
  // A freed verifier (free(), `using`) has address 0: its buffers are gone.
  if (extra !== undefined || typeof token !== "string" || verifier.__wbg_ptr === 0) return null;
  const hasNow = now !== undefined && now !== null;
  if (hasNow && typeof now !== "number") return null;
  // Initialised already: a Verifier exists.
  exports ??= initSync();
  let b = verifier[BUFFERS];
  if (b === undefined) {
    b = { input: verifier.fastInput(), capacity: verifier.fastInputLength(), result: verifier.fastResult() / 8, busy: false, view: undefined };
    verifier[BUFFERS] = b;
  }
  // A call from inside this one (an `isRevoked` callback verifying again)
  // must not overwrite the token being verified; the general path refuses
  // it as wasm-bindgen does any re-entrant use.
  if (b.busy) return null;
  views();
  // The verifier's view of its token buffer, kept (one view fewer to make
  // per call) and renewed, like `bytes`, once the memory has grown.
  if (b.view === undefined || b.view.length === 0) b.view = bytes.subarray(b.input, b.input + b.capacity);
  const { read, written } = encoder.encodeInto(token, b.view);
  if (read !== token.length) {
    // Too long for the buffer: what was written goes, the general path takes it.
    bytes.fill(0, b.input, b.input + written);
    return null;
  }
  b.busy = true;
  let outcome;
  try {
    outcome = call(written, hasNow, hasNow ? now : 0);
  } catch (e) {
    // Refused before it ran (wasm-bindgen's re-entrancy check, when this
    // is called from an `isRevoked` of the general path): the core did not
    // get to wipe the token, so it is wiped here.
    views();
    bytes.fill(0, b.input, b.input + written);
    throw e;
  } finally {
    b.busy = false;
  }
  views();
  const r = b.result;
  if (outcome === PENDING) {
    // [key index, signature address and length, signing input length]: the
    // signature is copied out now, before anything else can reuse its buffer.
    return { index: numbers[r], signature: bytes.slice(numbers[r + 1], numbers[r + 1] + numbers[r + 2]), inputLength: numbers[r + 3] };
  }
  if (outcome !== VERIFIED) return outcome;
  let claims;
  try {
    const start = numbers[r];
    const end = start + numbers[r + 1];
    claims = JSON.parse(buffer ? buffer.toString("utf8", start, end) : decoder.decode(bytes.subarray(start, end)));
  } finally {
    // The decoded token goes once it is read (the general path wipes in Rust).
    bytes.fill(0, numbers[r + 6], numbers[r + 6] + numbers[r + 7]);
  }
  if (numbers[r + 2] !== 0) {
    // NumericDates written as fractions or exponents: the core's rounded values.
    if (!Number.isNaN(numbers[r + 3])) claims.exp = numbers[r + 3];
    if (!Number.isNaN(numbers[r + 4])) claims.nbf = numbers[r + 4];
    if (!Number.isNaN(numbers[r + 5])) claims.iat = numbers[r + 5];
  }
  return claims;
}

// `verifyResult`'s shape of a fast-path answer (a bad argument throws).
function asResult(claims) {
  if (claims === REFUSED) return { ok: false, error: takeFastError() };
  if (typeof claims === "number") throw takeFastError();
  return { ok: true, claims };
}

proto.verify = function verify(token, now, extra) {
  const claims = run(this, token, now, extra, (len, hasNow, n) => this.fastVerify(len, hasNow, n, false));
  if (claims === null) return general.verify.call(this, token, now, extra);
  if (typeof claims === "number") throw takeFastError();
  return claims;
};

proto.verifyResult = function verifyResult(token, now, extra) {
  const claims = run(this, token, now, extra, (len, hasNow, n) => this.fastVerify(len, hasNow, n, true));
  if (claims === null) return general.verifyResult.call(this, token, now, extra);
  return asResult(claims);
};

// The halves of verifyAsync (full module, js/async.js) on the fast path:
// `null` means "take the general path" (prepareAsync / finishAsync).
if (proto.fastPrepare) {
  proto.fastAsyncPrepare = function fastAsyncPrepare(token, now, extra) {
    const out = run(this, token, now, extra, (len, hasNow, n) => this.fastPrepare(len, hasNow, n));
    if (out === null || (typeof out === "object" && out.signature)) return out;
    return { result: asResult(out) };
  };
  proto.fastAsyncFinish = function fastAsyncFinish(token, now, extra, index, verdict) {
    const out = run(this, token, now, extra, (len, hasNow, n) => this.fastFinish(len, hasNow, n, true, index, verdict));
    return out === null ? null : asResult(out);
  };
}
