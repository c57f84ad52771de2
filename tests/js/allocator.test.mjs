// The module's allocator under churn: verifiers, signers and tokens of
// many sizes made, used and freed in a shuffled order. Every answer must
// stay right (a corrupted heap would garble a claim, a key or a token) and,
// once the heap has its working size, more of the same work must not grow
// the memory (a leak, or fragmentation the allocator never repairs).
import { test } from "node:test";
import assert from "node:assert/strict";

import * as tessera from "../../wasm/pkg/node.js";
import * as full from "../../wasm/pkg/full/node.js";

// A small deterministic generator (mulberry32), so a failure replays.
function generator(seed) {
  let a = seed >>> 0;
  return (n) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) % n);
  };
}

const NOW = 1_700_000_000;

// One round: `count` verifier/signer pairs with secrets of random lengths,
// each issuing and verifying tokens whose subject is 1 to 3,000 characters,
// through the fast path, the general path and refusals; then everything is
// freed in a shuffled order.
function round(module, random, count) {
  const live = [];
  for (let i = 0; i < count; i++) {
    const secret = new Uint8Array(64 + random(200)).map(() => random(256));
    const algorithm = ["HS256", "HS384", "HS512"][random(3)];
    const signer = new module.Signer(secret, { algorithm });
    const verifier = new module.Verifier(secret, { issuer: "https://auth.example.com", audience: "api", algorithm });
    live.push(signer, verifier);
    for (let j = 0; j < 3; j++) {
      const subject = `user-${i}-${j}-`.padEnd(1 + random(3000), String.fromCharCode(97 + random(26)));
      const token = signer.issueAccess({ issuer: "https://auth.example.com", subject, audience: "api", sessionId: `s-${random(1e6)}`, now: NOW });
      assert.equal(verifier.verify(token, NOW + 1).sub, subject);
      assert.equal(verifier.verify(token, NOW + 1, {}).sub, subject);
      const forged = `${token.slice(0, -4)}${token.endsWith("AAAA") ? "BBBB" : "AAAA"}`;
      assert.equal(verifier.verifyResult(forged, NOW + 1).error.code, "BadSignature");
      assert.throws(() => verifier.verify(token, NOW + 1e6, {}), { code: "Expired" });
    }
  }
  for (let i = live.length - 1; i > 0; i--) {
    const j = random(i + 1);
    [live[i], live[j]] = [live[j], live[i]];
  }
  for (const o of live) o.free();
}

for (const [name, module] of [["HMAC", tessera], ["full", full]]) {
  test(`${name} module: churn gives right answers and, once warm, does not grow the memory`, () => {
    const { memory } = module.initSync();
    const random = generator(0x7e55e7a);
    for (let r = 0; r < 4; r++) round(module, random, 40);
    const warm = memory.buffer.byteLength;
    for (let r = 0; r < 12; r++) round(module, random, 40);
    assert.equal(memory.buffer.byteLength, warm, `memory grew from ${warm} to ${memory.buffer.byteLength} bytes`);
  });
}
