// `AsyncSigner` (issuer module): RS256…PS512 tokens, signed by WebCrypto.
// The WebAssembly core writes every byte of the token but the signature —
// the header, the claims, the `kid` (RFC 7638 thumbprint), the checks of
// the public key (2048 to 4096 bits, its exponent) — through a
// `Signer.external` built from the key's public half; only the RSA
// signature is `crypto.subtle.sign`'s, with the private key imported
// non-extractable. RSA signing is not in the core: it needs constant-time
// big-integer arithmetic with CRT and blinding, which WebCrypto has.
import { Signer } from "./tessera_wasm.js";

const encoder = new TextEncoder();
const OPTIONS = ["algorithm", "kid"];

// WebCrypto's [import, sign] parameters of an RSA JWS algorithm, or null.
function params(alg) {
  const m = /^(RS|PS)(256|384|512)$/.exec(alg ?? "");
  if (!m) return null;
  const hash = `SHA-${m[2]}`;
  return m[1] === "RS"
    ? [{ name: "RSASSA-PKCS1-v1_5", hash }, { name: "RSASSA-PKCS1-v1_5" }]
    : [{ name: "RSA-PSS", hash }, { name: "RSA-PSS", saltLength: Number(m[2]) / 8 }];
}

export class AsyncSigner {
  #inner;
  #key;
  #params;

  constructor(token, inner, key, signParams) {
    if (token !== OPTIONS) throw new TypeError("use AsyncSigner.fromJwk");
    this.#inner = inner;
    this.#key = key;
    this.#params = signParams;
  }

  /**
   * A signer for an RSA private JWK (`kty` RSA with `d`, `p`, `q`, ...).
   * `options`: `{ algorithm?, kid? }` — `algorithm` (RS256…PS512) is needed
   * when the JWK has no `alg` and must agree with one; `kid` defaults to
   * the thumbprint. EdDSA and ES256 keys sign synchronously: `Signer.fromJwk`.
   */
  static async fromJwk(jwk, options = {}) {
    if (options === null || typeof options !== "object") throw new TypeError("AsyncSigner options must be an object");
    for (const name of Object.keys(options)) {
      if (!OPTIONS.includes(name)) throw new TypeError(`unknown AsyncSigner option \`${name}\` (known: ${OPTIONS.join(", ")})`);
    }
    const own = (o, n) => (Object.hasOwn(o, n) ? o[n] : undefined);
    const object = typeof jwk === "string" ? JSON.parse(jwk) : jwk;
    if (object === null || typeof object !== "object" || own(object, "kty") !== "RSA") {
      throw new TypeError("AsyncSigner signs with an RSA private JWK; EdDSA and ES256 keys: Signer.fromJwk");
    }
    if (typeof own(object, "d") !== "string") throw new TypeError("the JWK has no `d`: not a private key");
    const algorithm = own(options, "algorithm") ?? own(object, "alg");
    const webcrypto = params(algorithm);
    if (!webcrypto) throw new TypeError("an RSA signing algorithm is needed: RS256, RS384, RS512, PS256, PS384 or PS512");
    // The public half, checked by the core (size, exponent, agreement of `alg`).
    const pub = { kty: "RSA", n: own(object, "n"), e: own(object, "e") };
    if (own(object, "alg") !== undefined) pub.alg = own(object, "alg");
    const kid = own(options, "kid");
    const inner = Signer.external(pub, kid === undefined ? { algorithm } : { algorithm, kid });
    // WebCrypto checks the private members, `alg`, `use` and `key_ops` against signing.
    const key = await globalThis.crypto.subtle.importKey("jwk", object, webcrypto[0], false, ["sign"]);
    return new AsyncSigner(OPTIONS, inner, key, webcrypto[1]);
  }

  /** The algorithm written in `alg`. */
  get algorithm() {
    return this.#inner.algorithm;
  }

  /** The `kid` written in every header. */
  get kid() {
    return this.#inner.kid;
  }

  /** The public key as a JWK Set member (`kty`, `n`, `e`, `alg`, `kid`, `use`). */
  publicJwk() {
    return this.#inner.publicJwk();
  }

  /** As `Signer.sign`, resolving to the token. */
  async sign(claims, options) {
    return this.#finish(this.#inner.signingInput(claims, options));
  }

  /** As `Signer.issueAccess`, resolving to the token. */
  async issueAccess(params) {
    return this.#finish(this.#inner.accessSigningInput(params));
  }

  async #finish(input) {
    const signature = await globalThis.crypto.subtle.sign(this.#params, this.#key, encoder.encode(input));
    // Checked with the public key before it is joined (the core's rule):
    // a JWK whose private half is not its public key's throws here.
    return this.#inner.attachSignature(input, new Uint8Array(signature));
  }
}
