// RemoteJwks: an identity provider's JWK Set, fetched and cached for edge
// runtimes (workerd, Deno, Node, Bun, browsers), with the verifier built
// from it. Only fetching and caching live here; every key and token rule
// runs in the WebAssembly core (`Verifier.fromJwks`).
//
//  - fetched on first use, with a timeout (AbortController);
//  - cached for `maxAge` seconds (or less, when the response's
//    `Cache-Control: max-age` says so), then refetched;
//  - a token naming an unknown `kid` (or an algorithm no key has) triggers
//    one refetch (a rotation at the IdP), at most once per `cooldown`
//    seconds: a flood of random kids cannot make us hammer the IdP;
//  - a failed fetch (network, timeout, status, a document the core refuses)
//    keeps the last good set, and is not retried before `cooldown` either;
//  - concurrent callers share one fetch.
import { Verifier } from "./tessera_wasm.js";
// The path is wasm-bindgen's snippet directory, filled in by assemble.mjs.
import { TesseraError } from "./ERRORS_SNIPPET";

const OPTIONS = ["verifier", "timeout", "maxAge", "cooldown", "maxBytes", "fetch", "allowHttp"];

function invalid(message) {
  return new TesseraError("InvalidArgument", 18, message, undefined);
}

// An option from an own property (inherited ones are never read), or the
// default; a value `valid` refuses is an InvalidArgument naming its range.
function option(options, name, fallback, valid, range) {
  if (!Object.hasOwn(options, name) || options[name] === undefined) return fallback;
  const v = options[name];
  if (typeof v !== "number" || !valid(v)) throw invalid(`\`${name}\` must be ${range}`);
  return v;
}

// Seconds in (0, max]. The bounds are tight on purpose: milliseconds given
// for seconds (timeout 5000, cooldown 30000, maxAge 600000) land above them
// and are refused instead of meaning hours or days.
const seconds = (options, name, fallback, max) =>
  option(options, name, fallback, (v) => Number.isFinite(v) && v > 0 && v <= max, `a number of seconds in (0, ${max}]`);

// A whole number of bytes in [1, 16 MiB].
const MAX_DOCUMENT = 16 * 1024 * 1024;
const bytes = (options, name, fallback) =>
  option(options, name, fallback, (v) => Number.isInteger(v) && v >= 1 && v <= MAX_DOCUMENT, `a whole number of bytes in [1, ${MAX_DOCUMENT}]`);

// The body as UTF-8 text, read up to `limit` bytes: a larger document
// (or an endless one) is refused as soon as it passes the limit, never
// buffered whole; bytes that are not UTF-8 refuse it too (a replacement
// character must not slip into a key id).
async function readLimited(response, limit) {
  const tooLarge = () => new Error("JWK Set fetch: the document is too large");
  if (Number(response.headers.get("content-length")) > limit) throw tooLarge();
  const chunks = [];
  let total = 0;
  if (response.body) {
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > limit) {
        await reader.cancel().catch(() => {});
        throw tooLarge();
      }
      chunks.push(value);
    }
  }
  const all = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk, at);
    at += chunk.byteLength;
  }
  return new TextDecoder("utf-8", { fatal: true }).decode(all);
}

// Whether `hostname` (a URL's) is this machine: `localhost` or a loopback
// address, which nobody on the network can answer for.
function loopback(hostname) {
  return hostname === "localhost" || hostname === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

// What a Cache-Control value says, in seconds: the smallest max-age
// (saturated at 10^9), 0 for no-store or no-cache, undefined when it says
// neither. The same walk as mod_tessera's (ffi/apache/cache_control.h):
// both run tests/vectors/cache-control.txt. Not aware of quoted strings, so
// a comma inside one starts a directive; that can only shorten the cache.
function cacheMaxAge(value) {
  let best;
  for (const directive of (value ?? "").split(",")) {
    const name = /^[ \t]*([^= \t\r\n]*)/.exec(directive);
    const word = name[1].toLowerCase();
    let seconds;
    if (word === "no-store" || word === "no-cache") {
      seconds = 0;
    } else if (word === "max-age") {
      const digits = /^[ \t]*=[ \t]*"?([0-9]+)/.exec(directive.slice(name[0].length));
      if (digits) {
        seconds = 0;
        for (const d of digits[1]) seconds = seconds >= 1e8 ? 1e9 : seconds * 10 + Number(d);
      }
    }
    if (seconds !== undefined && (best === undefined || seconds < best)) best = seconds;
  }
  return best;
}

export class RemoteJwks {
  /**
   * @param {string | URL} url the JWK Set (`https://idp.example/.well-known/jwks.json`)
   * @param {object} [options]
   */
  constructor(url, options = {}) {
    if (typeof url !== "string" && !(url instanceof URL)) throw invalid("the JWK Set URL must be a string or a URL");
    let parsed;
    try {
      parsed = new URL(url);
    } catch {
      throw invalid("the JWK Set URL is not a URL");
    }
    this.url = parsed.href;
    if (options === null || typeof options !== "object") throw invalid("the options must be an object");
    for (const name of Object.keys(options)) {
      if (!OPTIONS.includes(name)) throw invalid(`unknown RemoteJwks option \`${name}\``);
    }
    const own = (name) => (Object.hasOwn(options, name) ? options[name] : undefined);
    // Whoever answers the fetch chooses the keys every token is checked
    // with: https, or plain http only to this machine, unless the caller
    // says so in as many words (a network they trust end to end).
    const allowHttp = own("allowHttp") ?? false;
    if (typeof allowHttp !== "boolean") throw invalid("`allowHttp` must be true or false");
    const http = parsed.protocol === "http:";
    if (parsed.protocol !== "https:" && !(http && (allowHttp || loopback(parsed.hostname)))) {
      throw invalid(http
        ? "the JWK Set URL must be https: plain http is allowed only to localhost or a loopback address, or with `allowHttp: true`"
        : "the JWK Set URL must be https (or http)");
    }
    const verifier = own("verifier") ?? {};
    if (verifier === null || typeof verifier !== "object") throw invalid("`verifier` must be an object of verifier options");
    // A snapshot (own properties, lists copied), frozen: changing the
    // caller's object later cannot loosen the sets fetched after it.
    const snapshot = {};
    for (const name of Object.keys(verifier)) {
      snapshot[name] = Array.isArray(verifier[name]) ? Object.freeze([...verifier[name]]) : verifier[name];
    }
    this.verifierOptions = Object.freeze(snapshot);
    this.timeout = seconds(options, "timeout", 5, 60);
    this.maxAge = seconds(options, "maxAge", 600, 86400);
    this.cooldown = seconds(options, "cooldown", 30, 3600);
    this.maxBytes = bytes(options, "maxBytes", 512 * 1024);
    // Bound: workerd refuses a fetch called with another `this`.
    this.fetchImpl = own("fetch") ?? globalThis.fetch?.bind(globalThis);
    if (typeof this.fetchImpl !== "function") throw invalid("`fetch` must be a function");
    // The options are checked now, against an empty set, so that a typo
    // fails here rather than at the first fetch.
    Verifier.fromJwks('{"keys":[]}', this.verifierOptions).free();
    this.verifier = undefined;
    this.fetchedAt = 0;
    this.expiresAt = 0;
    this.lastAttempt = -Infinity;
    this.lastError = undefined;
    this.inflight = undefined;
    this.fetches = 0;
  }

  /** Fetches the set now (shared with any fetch in flight); keeps the last good set on failure. */
  refresh() {
    if (!this.inflight) {
      this.inflight = this.#fetch().finally(() => {
        this.inflight = undefined;
      });
    }
    return this.inflight;
  }

  async #fetch() {
    this.lastAttempt = Date.now();
    this.fetches++;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeout * 1000);
    try {
      const fetchImpl = this.fetchImpl; // called without `this` (see the constructor)
      const response = await fetchImpl(this.url, {
        signal: controller.signal,
        headers: { accept: "application/jwk-set+json, application/json" },
        // A redirect is a failure (status !== 200), never followed: "error" is
        // what we mean, but workerd only implements "manual".
        redirect: "manual",
      });
      if (response.status !== 200) throw new Error(`JWK Set fetch: HTTP ${response.status}`);
      const text = await readLimited(response, this.maxBytes);
      // The previous verifier is not freed here: a caller may hold it across
      // an await; wasm-bindgen's finalizer frees it once it is unreachable.
      this.verifier = Verifier.fromJwks(text, this.verifierOptions);
      const now = Date.now();
      const maxAge = Math.min(this.maxAge, cacheMaxAge(response.headers.get("cache-control")) ?? this.maxAge);
      this.fetchedAt = now;
      this.expiresAt = now + Math.max(maxAge, this.cooldown) * 1000;
      this.lastError = undefined;
    } catch (error) {
      this.lastError = error instanceof Error && error.name === "AbortError" ? new Error("JWK Set fetch: timed out") : error;
      if (!this.verifier) throw this.lastError;
    } finally {
      clearTimeout(timer);
    }
  }

  // A usable verifier: the cached one, refetched when stale (and allowed).
  async #current() {
    const now = Date.now();
    if (!this.verifier) {
      // No set yet: fetch, but not more often than the cooldown after a failure.
      if (this.lastError && now - this.lastAttempt < this.cooldown * 1000) throw this.lastError;
      await this.refresh();
    } else if (now >= this.expiresAt && now - this.lastAttempt >= this.cooldown * 1000) {
      await this.refresh();
    }
    return this.verifier;
  }

  /** `verifyResult` with the current set: `{ ok: true, claims }` or `{ ok: false, error }`. */
  async verifyResult(token, now, extra) {
    const verifier = await this.#current();
    // WebCrypto for the signature (verifyResultAsync): we are async anyway.
    const result = await verifier.verifyResultAsync(token, now, extra);
    const code = result.ok ? undefined : result.error.code;
    if (code !== "UnknownKey" && code !== "AlgorithmMismatch") return result;
    // A kid we do not know, or an algorithm no key of the set has: the IdP
    // may have rotated (to a new algorithm, too). One refetch per cooldown;
    // callers that arrive while it is in flight wait for it.
    if (this.inflight) {
      await this.inflight.catch(() => {});
    } else if (Date.now() - this.lastAttempt >= this.cooldown * 1000) {
      await this.refresh().catch(() => {});
    }
    return this.verifier === verifier ? result : this.verifier.verifyResultAsync(token, now, extra);
  }

  /** Verifies `token` with the current set and returns its claims, or throws a `TesseraError`. */
  async verify(token, now, extra) {
    const result = await this.verifyResult(token, now, extra);
    if (!result.ok) throw result.error;
    return result.claims;
  }
}
