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

// Per verifier: its keys' CryptoKeys (a promise each; null when WebCrypto
// cannot import that algorithm here).
const keys = new WeakMap();

function cryptoKey(verifier, index, alg) {
  let cache = keys.get(verifier);
  if (!cache) {
    cache = { list: verifier.publicKeys(), imported: new Map() };
    keys.set(verifier, cache);
  }
  let key = cache.imported.get(index);
  if (!key) {
    const entry = cache.list[index];
    if (!entry || entry.alg !== alg || entry.jwk === undefined) throw new Error("tessera: verifyAsync key index out of step");
    key = globalThis.crypto.subtle
      .importKey("jwk", JSON.parse(entry.jwk), params(alg)[0], false, ["verify"])
      .catch((e) => {
        if (e?.name === "NotSupportedError" || e?.name === "DataError" || e?.name === "TypeError") return null;
        throw e;
      });
    cache.imported.set(index, key);
  }
  return key;
}

async function verifyResultAsync(token, now, extra) {
  const step = this.prepareAsync(token, now, extra);
  if (step.result) return step.result;
  const key = await cryptoKey(this, step.index, step.alg);
  if (key === null) return this.verifyResult(token, now, extra); // the core's own check
  const input = encoder.encode(token.slice(0, step.inputLength));
  // A signature WebCrypto will not even look at (workerd throws for an
  // Ed25519 signature that is not 64 bytes) is a failed check: fail closed.
  const verdict = await globalThis.crypto.subtle.verify(params(step.alg)[1], key, step.signature, input).catch(() => false);
  return this.finishAsync(token, now, extra, step.index, verdict);
}

Verifier.prototype.verifyResultAsync = verifyResultAsync;
Verifier.prototype.verifyAsync = async function verifyAsync(token, now, extra) {
  const result = await verifyResultAsync.call(this, token, now, extra);
  if (!result.ok) throw result.error;
  return result.claims;
};
