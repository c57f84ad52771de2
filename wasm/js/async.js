// `verifyAsync` and `verifyResultAsync` (full module): the WebAssembly core
// runs every rule (src/webcrypto.rs); only the public-key signature check
// is WebCrypto's (`crypto.subtle.verify`, with a CryptoKey imported once
// per key from the JWK the core exports). The payload is parsed only after
// WebCrypto said yes. HMAC keys, and a runtime whose WebCrypto lacks an
// algorithm (Ed25519 in older browsers), use the core's own check.
import { Verifier } from "./tessera_wasm.js";

const encoder = new TextEncoder();
const HASH = { 256: "SHA-256", 384: "SHA-384", 512: "SHA-512" };

// The WebCrypto parameters of a JWS algorithm: [import, verify].
function params(alg) {
  const bits = alg.slice(2);
  switch (alg.slice(0, 2)) {
    case "RS":
      return [{ name: "RSASSA-PKCS1-v1_5", hash: HASH[bits] }, { name: "RSASSA-PKCS1-v1_5" }];
    case "PS":
      return [{ name: "RSA-PSS", hash: HASH[bits] }, { name: "RSA-PSS", saltLength: Number(bits) / 8 }];
    case "ES":
      return [{ name: "ECDSA", namedCurve: `P-${bits}` }, { name: "ECDSA", hash: HASH[bits] }];
    default:
      return [{ name: "Ed25519" }, { name: "Ed25519" }];
  }
}

// Per verifier: its keys' CryptoKeys, each a promise until it resolves,
// then the key itself (or null when WebCrypto cannot import that
// algorithm here), with the verify parameters.
const keys = new WeakMap();

function cacheOf(verifier) {
  let cache = keys.get(verifier);
  if (!cache) {
    cache = { list: verifier.publicKeys(), imported: new Map() };
    keys.set(verifier, cache);
  }
  return cache;
}

// The algorithm of the key at `index` (the fast path reports the index only).
function cryptoAlg(verifier, index) {
  return cacheOf(verifier).list[index]?.alg;
}

function cryptoKey(verifier, index, alg) {
  const cache = cacheOf(verifier);
  let key = cache.imported.get(index);
  if (key === undefined) {
    const entry = cache.list[index];
    if (!entry || entry.alg !== alg || entry.jwk === undefined) throw new Error("tessera: verifyAsync key index out of step");
    const [importParams, verifyParams] = params(alg);
    key = globalThis.crypto.subtle
      .importKey("jwk", JSON.parse(entry.jwk), importParams, false, ["verify"])
      .then((k) => ({ key: k, params: verifyParams }))
      .catch((e) => {
        if (e?.name === "NotSupportedError" || e?.name === "DataError" || e?.name === "TypeError") return null;
        throw e;
      });
    cache.imported.set(index, key);
    key.then((k) => cache.imported.set(index, k), () => cache.imported.delete(index));
  }
  return key;
}

async function verifyResultAsync(token, now, extra) {
  // The fast path (js/fast.js) when it takes the call, else wasm-bindgen's.
  const fast = this.fastAsyncPrepare(token, now, extra);
  const step = fast ?? this.prepareAsync(token, now, extra);
  if (step.result) return step.result;
  const alg = cryptoAlg(this, step.index);
  let key = cryptoKey(this, step.index, alg);
  // Resolved once: no await (and no microtask) on later calls.
  if (key instanceof Promise) key = await key;
  if (key === null) return this.verifyResult(token, now, extra); // the core's own check
  const input = encoder.encode(token.slice(0, step.inputLength));
  // A signature WebCrypto will not even look at (workerd throws for an
  // Ed25519 signature that is not 64 bytes) is a failed check: fail closed.
  let verdict;
  try {
    verdict = await globalThis.crypto.subtle.verify(key.params, key.key, step.signature, input);
  } catch {
    verdict = false;
  }
  return (fast && this.fastAsyncFinish(token, now, extra, step.index, verdict)) ?? this.finishAsync(token, now, extra, step.index, verdict);
}

Verifier.prototype.verifyResultAsync = verifyResultAsync;
Verifier.prototype.verifyAsync = function verifyAsync(token, now, extra) {
  return verifyResultAsync.call(this, token, now, extra).then((result) => {
    if (!result.ok) throw result.error;
    return result.claims;
  });
};
