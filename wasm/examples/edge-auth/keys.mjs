// The access-token signing keys and their rotation.
//
// Keys live in D1 (sealed with AES-GCM under KEYSTORE_SECRET, the key id as
// associated data), each with two times: `announced_at`, from which the JWK
// Set publishes it, and `signs_from`, from which it signs. A rotation
// announces a new key `cacheTtl + jwksMaxAge` seconds before it signs: by
// then every service that follows the JWK Set's cache headers (and every
// isolate of this worker, which re-reads the table at most `cacheTtl`
// seconds late) has it, so no service ever sees a token whose key it has
// not fetched. The key it replaces stays published until every token it
// signed has expired (`accessTtl + leeway` after its successor took over),
// then leaves the set and the table.
//
// Nothing here decides anything about tokens: signing and verifying are the
// Tessera module's, with keys built from these rows.
import { AsyncSigner, Signer, Verifier } from "../../pkg/issuer/workerd.js";

export const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS signing_keys (kid TEXT PRIMARY KEY, sealed TEXT NOT NULL,
     announced_at INTEGER NOT NULL, signs_from INTEGER NOT NULL)`,
];

const b64u = {
  encode: (bytes) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, ""),
  decode: (text) => Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0)),
};

// WebCrypto's parameters for a fresh key of each access-token algorithm.
const GENERATE = {
  RS256: { name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
  EdDSA: { name: "Ed25519" },
  ES256: { name: "ECDSA", namedCurve: "P-256" },
};

export class KeyStore {
  // `options`: { alg, jwksMaxAge, cacheTtl, accessTtl, leeway, rotationInterval, verifierOptions }.
  constructor(db, secret, options) {
    const raw = b64u.decode(secret);
    if (raw.length !== 32) throw new Error("KEYSTORE_SECRET must be 32 bytes, base64url");
    if (!Object.hasOwn(GENERATE, options.alg)) throw new Error(`ACCESS_ALG ${options.alg}: RS256, ES256 or EdDSA`);
    this.db = db;
    this.options = options;
    this.wrapping = crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
    this.cached = null;
  }

  async seal(kid, jwk) {
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const data = new TextEncoder().encode(JSON.stringify(jwk));
    const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: new TextEncoder().encode(kid) }, await this.wrapping, data));
    data.fill(0);
    const out = new Uint8Array(12 + sealed.length);
    out.set(iv);
    out.set(sealed, 12);
    return b64u.encode(out);
  }

  async open(kid, sealed) {
    const bytes = b64u.decode(sealed);
    const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: bytes.subarray(0, 12), additionalData: new TextEncoder().encode(kid) }, await this.wrapping, bytes.subarray(12));
    return new TextDecoder().decode(plain);
  }

  // A signer for a private JWK (its kid is the RFC 7638 thumbprint): RSA
  // keys sign in WebCrypto (AsyncSigner), EdDSA and ES256 in the module.
  static async signer(jwk) {
    const object = typeof jwk === "string" ? JSON.parse(jwk) : jwk;
    return object.kty === "RSA" ? AsyncSigner.fromJwk(object) : Signer.fromJwk(object);
  }

  // The first key (the ACCESS_PRIVATE_JWK binding) when the table is empty:
  // it signs from the beginning of time.
  async seed(jwkText) {
    const signer = await KeyStore.signer(jwkText);
    const kid = signer.kid;
    await this.db.prepare(`INSERT INTO signing_keys (kid, sealed, announced_at, signs_from)
        SELECT ?1, ?2, 0, 0 WHERE NOT EXISTS (SELECT 1 FROM signing_keys)`)
      .bind(kid, await this.seal(kid, JSON.parse(jwkText))).run();
  }

  // Announces a new key; it signs from `t + cacheTtl + jwksMaxAge`. At most
  // one key waits at a time: a second rotation while one is announced (two
  // isolates at once, or a double click) changes nothing and returns the
  // waiting key.
  async rotate(t) {
    const pair = await crypto.subtle.generateKey(GENERATE[this.options.alg], true, ["sign", "verify"]);
    const jwk = await crypto.subtle.exportKey("jwk", pair.privateKey);
    const kid = (await KeyStore.signer(jwk)).kid;
    const signsFrom = t + this.options.cacheTtl + this.options.jwksMaxAge;
    await this.db.prepare(`INSERT INTO signing_keys (kid, sealed, announced_at, signs_from)
        SELECT ?1, ?2, ?3, ?4 WHERE NOT EXISTS (SELECT 1 FROM signing_keys WHERE signs_from > ?3)`)
      .bind(kid, await this.seal(kid, jwk), t, signsFrom).run();
    this.cached = null;
    const waiting = await this.db.prepare("SELECT kid, signs_from FROM signing_keys WHERE signs_from > ? ORDER BY signs_from DESC LIMIT 1").bind(t).first();
    return { kid: waiting.kid, signsFrom: waiting.signs_from };
  }

  // The keys at time `t`: { signer, jwks (the document's text), verifier, keys }.
  // Re-read from D1 when `cacheTtl` has passed or a key's time has come.
  async at(t) {
    if (this.cached && t < this.cached.until) return this.cached;
    const { rows, until } = await this.load(t);
    const active = rows.filter((r) => r.signs_from <= t).at(-1);
    if (!active) throw new Error("no signing key: the table is empty");
    // Scheduled rotation: the active key has signed long enough, and none waits.
    const interval = this.options.rotationInterval;
    if (interval > 0 && active.signs_from + interval <= t && !rows.some((r) => r.signs_from > t)) {
      await this.rotate(t);
      return this.at(t);
    }
    const signers = new Map();
    for (const r of rows) signers.set(r.kid, await KeyStore.signer(await this.open(r.kid, r.sealed)));
    const published = rows.map((r) => signers.get(r.kid).publicJwk());
    const jwks = { keys: published };
    this.cached = {
      until,
      signer: signers.get(active.kid),
      jwks: JSON.stringify(jwks),
      // This worker checks its own access tokens as any service would: from the published set, by kid.
      verifier: Verifier.fromJwks(jwks, this.options.verifierOptions),
      keys: rows.map((r) => ({ kid: r.kid, announcedAt: r.announced_at, signsFrom: r.signs_from, active: r.kid === active.kid })),
    };
    return this.cached;
  }

  // The published rows at `t` (oldest first), after deleting the keys whose
  // tokens have all expired; `until`: when this answer may change.
  async load(t) {
    const all = (await this.db.prepare("SELECT * FROM signing_keys ORDER BY signs_from, kid").all()).results;
    const { accessTtl, leeway, cacheTtl } = this.options;
    // A key is retired when its successor starts signing; its last token
    // expires accessTtl later, and the set keeps it `leeway` seconds more.
    const dropAt = (i) => (i + 1 < all.length ? all[i + 1].signs_from + accessTtl + leeway : Infinity);
    const gone = all.filter((r, i) => dropAt(i) <= t && all[i + 1].signs_from <= t);
    if (gone.length) {
      await this.db.batch(gone.map((r) => this.db.prepare("DELETE FROM signing_keys WHERE kid = ?").bind(r.kid)));
    }
    const rows = all.filter((r) => !gone.includes(r));
    const times = all.flatMap((r, i) => [r.signs_from, dropAt(i)]).filter((x) => x > t);
    return { rows, until: Math.min(t + cacheTtl, ...times) };
  }
}
