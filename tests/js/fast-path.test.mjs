// The fast path of Verifier.verify/verifyResult (wasm/js/fast.js) at its
// edges: where it must hand over to wasm-bindgen's general path, and what it
// must leave behind. The vectors (run-vectors.mjs) compare both paths on
// every verdict.
import { test } from "node:test";
import assert from "node:assert/strict";

import { spawnSync } from "node:child_process";
import { createHmac } from "node:crypto";

import * as tessera from "../../wasm/pkg/node.js";

const secret = new Uint8Array(32).fill(7);
const signer = new tessera.Signer(secret, {});

// The outcome of a call: its claims, or its error's class, code and message.
function outcome(call) {
  try {
    const r = call();
    return r && typeof r.ok === "boolean" ? (r.ok ? { claims: r.claims } : { error: [r.error.code, r.error.message] }) : { claims: r };
  } catch (e) {
    return { error: [e?.constructor?.name, e?.code, e?.message] };
  }
}

// The general path: per-call options (here none) send the call there.
const general = (v, token, now) => outcome(() => v.verify(token, now, {}));
const fast = (v, token, now) => outcome(() => v.verify(token, now));

test("odd arguments get the general path's answers", () => {
  const v = new tessera.Verifier(secret, {});
  const token = signer.sign({ sub: "1", exp: 100 }, {});
  for (const t of [token, 42, null, undefined, new TextEncoder().encode(token), "é.b.c", "\uD800.b.c", "", token + "\u00e9"]) {
    for (const now of [50, "50", null, undefined, NaN, -1, 1.5, 2 ** 53]) {
      assert.deepEqual(fast(v, t, now), general(v, t, now), `${String(t).slice(0, 12)} at ${now}`);
    }
  }
  v.free();
});

test("a token longer than the fast buffer takes the general path", () => {
  const v = new tessera.Verifier(secret, { maxLength: 40000 });
  // Signed here: a Signer's buffer holds 8 KiB tokens.
  const part = (o) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const input = `${part({ alg: "HS256" })}.${part({ sub: "1", exp: 100, pad: "x".repeat(20000) })}`;
  const token = `${input}.${createHmac("sha256", secret).update(input).digest("base64url")}`;
  assert.ok(token.length > 8192);
  assert.equal(v.verify(token, 50).pad.length, 20000);
  assert.equal(v.verifyResult(token, 50).ok, true);
  const strict = new tessera.Verifier(secret, {});
  assert.throws(() => strict.verify(token, 50), (e) => e.code === "TokenTooLong");
  assert.equal(strict.verifyResult(token, 50).error.code, "TokenTooLong");
  v.free();
  strict.free();
  assert.throws(() => new tessera.Verifier(secret, { maxLength: 2 ** 20 + 1 }), (e) => e.code === "InvalidArgument");
  // The bound itself is accepted, and its verifier reads a token of 20 KB.
  const widest = new tessera.Verifier(secret, { maxLength: 2 ** 20 });
  assert.equal(widest.verify(token, 50).pad.length, 20000);
  widest.free();
});

test("a freed verifier is never written to", () => {
  const token = signer.sign({ sub: "1", exp: 100 }, {});
  const exports = tessera.initSync();
  for (const dispose of [(v) => v.free(), (v) => (Symbol.dispose ? v[Symbol.dispose]() : v.free())]) {
    const v = new tessera.Verifier(secret, {});
    assert.equal(v.verify(token, 50).sub, "1");
    const [at, length] = [v.fastInput(), v.fastInputLength()];
    dispose(v);
    // Whatever the allocator did with the freed buffer, calls on the freed
    // verifier must not touch it.
    const before = new Uint8Array(exports.memory.buffer, at, length).slice();
    assert.throws(() => v.verify(token, 50), (e) => e instanceof Error && !(e instanceof tessera.TesseraError));
    assert.throws(() => v.verifyResult(token, 50), (e) => e instanceof Error);
    assert.deepEqual(new Uint8Array(exports.memory.buffer, at, length), before);
  }
  const others = Array.from({ length: 8 }, () => new tessera.Verifier(secret, {}));
  for (const o of others) assert.equal(o.verify(token, 50).sub, "1");
  for (const o of others) o.free();
});

test("the fast path survives the module's memory growing, and stays the fast path", () => {
  const v = new tessera.Verifier(secret, {});
  // Counts the calls that took the fast path (a stale view of the old
  // memory would send every call down the general path, answering right
  // but slowly).
  let fastCalls = 0;
  const fastVerify = v.fastVerify;
  v.fastVerify = function (...args) {
    fastCalls += 1;
    return fastVerify.apply(this, args);
  };
  const token = signer.sign({ sub: "grow", exp: 100 }, {});
  assert.equal(v.verify(token, 50).sub, "grow");
  assert.equal(fastCalls, 1);
  const { memory } = tessera.initSync();
  const before = memory.buffer.byteLength;
  // ~20 KB each: enough verifiers to grow the memory several times.
  const many = Array.from({ length: 300 }, () => new tessera.Verifier(secret, {}));
  assert.ok(memory.buffer.byteLength > before, "the memory grew");
  assert.equal(v.verify(token, 50).sub, "grow");
  assert.deepEqual(v.verifyResult(token, 50), { ok: true, claims: { sub: "grow", exp: 100 } });
  assert.equal(fastCalls, 3);
  for (const m of many) m.free();
  v.free();
});

test("the token is wiped from the verifier's buffer after each call", () => {
  const v = new tessera.Verifier(secret, {});
  const token = signer.sign({ sub: "secret-session", exp: 100 }, {});
  const exports = tessera.initSync();
  const buffer = () => new Uint8Array(exports.memory.buffer, v.fastInput(), v.fastInputLength());
  // Also a token too long for the buffer (partly written, then handed over).
  const long = `${token}${"A".repeat(9000)}`;
  for (const call of [() => v.verify(token, 50), () => v.verifyResult(token, 50), () => v.verifyResult(token + "x", 50), () => v.verifyResult(long, 50)]) {
    call();
    assert.ok(buffer().every((b) => b === 0));
  }
  v.free();
});

test("errors from the fast path are the general path's errors", () => {
  const v = new tessera.Verifier(secret, { issuer: "me" });
  const token = signer.sign({ sub: "1", exp: 100, iss: "you" }, {});
  const thrown = fast(v, token, 50);
  assert.deepEqual(thrown, general(v, token, 50));
  assert.deepEqual(thrown.error.slice(0, 2), ["TesseraError", "InvalidIssuer"]);
  const result = v.verifyResult(token, 50);
  assert.equal(result.ok, false);
  assert.ok(result.error instanceof tessera.TesseraError);
  assert.equal(result.error.code, "InvalidIssuer");
  // Returned errors skip the stack trace (both paths); thrown ones keep it.
  const frames = (e) => /\n\s+at /.test(e.stack ?? "");
  assert.equal(frames(result.error), false);
  assert.equal(frames(v.verifyResult(token, 50, {}).error), false);
  let thrownError;
  try {
    v.verify(token, 50);
  } catch (e) {
    thrownError = e;
  }
  assert.equal(frames(thrownError), true);
  v.free();
});

test("a verify from inside isRevoked neither corrupts nor differs", () => {
  const token = signer.sign({ sub: "1", exp: 100, jti: "j" }, {});
  // Longer than the outer token: written over it, its tail would outlive
  // the outer call's wipe.
  const longer = signer.sign({ sub: "1", exp: 100, jti: "j", pad: "p".repeat(200) }, {});
  const inner = [];
  const v = new tessera.Verifier(secret, {
    isRevoked: () => {
      inner.push(outcome(() => v.verify(longer, 50)));
      return false;
    },
  });
  const exports = tessera.initSync();
  const fastOutcome = fast(v, token, 50);
  const generalOutcome = general(v, token, 50);
  assert.deepEqual(fastOutcome, generalOutcome);
  assert.deepEqual(inner[0], inner[1]);
  // wasm-bindgen refuses re-entrant use: the inner call threw (caught by
  // the callback, which then says "not revoked"); the outer call is intact.
  assert.equal(inner[0].error[0], "Error");
  assert.equal(fastOutcome.claims.sub, "1");
  assert.ok(new Uint8Array(exports.memory.buffer, v.fastInput(), v.fastInputLength()).every((b) => b === 0));
  // And the verifier still works afterwards.
  const plain = new tessera.Verifier(secret, {});
  assert.equal(plain.verify(token, 50).sub, "1");
  plain.free();
  v.free();
});

test("a Buffer that copies the memory instead of viewing it is not used to read claims", () => {
  // A bundler's or a test's stand-in `Buffer` whose `from` copies: read
  // through it, every verify after the first would return the claims of
  // the token in memory when the copy was made. Run in a fresh process,
  // where the stand-in is installed before the package loads.
  const child = `
    globalThis.Buffer = class extends Uint8Array {
      static from(b) { const c = new this(b.byteLength); c.set(new Uint8Array(b)); return c; }
      toString(_encoding, start, end) { return new TextDecoder().decode(this.subarray(start, end)); }
    };
    const tessera = await import(${JSON.stringify(new URL("../../wasm/pkg/node.js", import.meta.url).href)});
    const key = new Uint8Array(32).fill(7);
    const signer = new tessera.Signer(key, {});
    const verifier = new tessera.Verifier(key, {});
    const subjects = ["first", "second", "third"].map((sub) => verifier.verify(signer.sign({ sub, exp: 100 }, {}), 50).sub);
    process.stdout.write(JSON.stringify(subjects));
  `;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", child], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), ["first", "second", "third"]);
});
