// A caller's slip must give a clear error, never a looser check: polluted
// prototypes, a `now` that is not seconds, misspelt option names, a verifier
// freed from its own callback, what stays in the module's memory, and
// claims the signer cannot sign. Each test fails without its fix.
import { test } from "node:test";
import assert from "node:assert/strict";

import { createHmac } from "node:crypto";

import * as tessera from "../../wasm/pkg/node.js";

const secret = new Uint8Array(32).fill(9);
const signer = new tessera.Signer(secret, {});
const NOW = 1_700_000_000;
const expired = signer.sign({ sub: "1", exp: NOW - 10 }, {});
const noExp = signer.sign({ sub: "1" }, {});
const good = signer.sign({ sub: "1", exp: NOW + 100, iat: NOW - 5, jti: "j-1" }, {});

const code = (call) => {
  try {
    const r = call();
    return r && typeof r.ok === "boolean" ? (r.ok ? "ok" : r.error.code) : "ok";
  } catch (e) {
    return e.code ?? `threw ${e}`;
  }
};
const message = (call) => {
  try {
    call();
  } catch (e) {
    return e.message;
  }
  return "";
};
// Every way to verify: fast and general paths, thrown and returned errors.
const ways = (v, token, now) => [
  code(() => v.verify(token, now)),
  code(() => v.verify(token, now, {})),
  code(() => v.verifyResult(token, now)),
  code(() => v.verifyResult(token, now, {})),
  code(() => v.verifyToken(token, now)),
];

function polluted(name, value, body) {
  Object.prototype[name] = value;
  try {
    body();
  } finally {
    delete Object.prototype[name];
  }
}

test("prototype pollution does not weaken a verifier or a signer", () => {
  polluted("leeway", 2 ** 52, () => {
    const v = new tessera.Verifier(secret, {});
    assert.deepEqual(ways(v, expired, NOW), Array(5).fill("Expired"));
    v.free();
  });
  polluted("requiredClaims", [], () => {
    const v = new tessera.Verifier(secret, {});
    assert.deepEqual(ways(v, noExp, NOW), Array(5).fill("MissingClaim"));
    v.free();
  });
  polluted("ignoreAudience", true, () => {
    const v = new tessera.Verifier(secret, {});
    const withAud = signer.sign({ exp: NOW + 100, aud: "other" }, {});
    assert.deepEqual(ways(v, withAud, NOW), Array(5).fill("InvalidAudience"));
    v.free();
  });
  polluted("isRevoked", () => false, () => {
    const v = new tessera.Verifier(secret, {});
    assert.equal(v.verify(good, NOW).sub, "1");
    v.free();
  });
  polluted("issuedBefore", NOW + 1, () => {
    // A per-call options object: the polluted cut-off must not apply either way.
    const v = new tessera.Verifier(secret, {});
    assert.deepEqual(ways(v, good, NOW), Array(5).fill("ok"));
    v.free();
  });
  polluted("scope", "admin", () => {
    const token = signer.issueAccess({ issuer: "i", subject: "s", audience: "a", sessionId: "sid", now: NOW });
    const claims = tessera.decodeUnverified(token).claims;
    assert.equal(Object.hasOwn(claims, "scope"), false, "issueAccess minted a scope from the prototype");
    const signed = tessera.decodeUnverified(signer.sign({ sub: "x", exp: NOW }, {})).claims;
    assert.equal(Object.hasOwn(signed, "scope"), false);
  });
  polluted("kid", "attacker", () => {
    const s = new tessera.Signer(secret, {});
    assert.equal(Object.hasOwn(tessera.decodeUnverified(s.sign({ exp: NOW }, {})).header, "kid"), false);
    s.free();
  });
  polluted("algorithm", "HS512", () => {
    // The default (HS256) stays the default.
    const v = new tessera.Verifier(secret, {});
    assert.equal(v.verify(good, NOW).sub, "1");
    v.free();
  });
});

test("now must be seconds (a number or a Date), never coerced", () => {
  const v = new tessera.Verifier(secret, {});
  for (const bad of ["", false, true, [], [NOW], " ", "0x10", "1700000000", {}, NaN, Infinity, -1, 1.5, 2 ** 53, 10n]) {
    assert.deepEqual(ways(v, expired, bad), Array(5).fill("InvalidArgument"), `now = ${String(bad)}`);
  }
  // Milliseconds: refused, with a message that says so.
  const ms = Date.now();
  assert.deepEqual(ways(v, good, ms), Array(5).fill("InvalidArgument"));
  assert.match(message(() => v.verify(good, ms)), /milliseconds/);
  assert.match(message(() => v.verify(good, ms, {})), /milliseconds/);
  assert.deepEqual(ways(v, good, 1e11), Array(5).fill("InvalidArgument"));
  assert.deepEqual(ways(v, good, 1e11 - 1), Array(5).fill("Expired"));
  // 0 is "no time given": the clock, as in C, never 1970 (which would
  // accept the expired token).
  assert.deepEqual(ways(v, expired, 0), Array(5).fill("Expired"));
  assert.deepEqual(ways(v, good, 0), Array(5).fill("Expired"), "the clock is past NOW + 100");
  // A Date, as jose users pass it: its whole seconds.
  assert.deepEqual(ways(v, good, new Date(NOW * 1000 + 999)), Array(5).fill("ok"));
  assert.deepEqual(ways(v, expired, new Date(NOW * 1000)), Array(5).fill("Expired"));
  assert.deepEqual(ways(v, good, new Date(NaN)), Array(5).fill("InvalidArgument"));
  // Absent (undefined or null): the clock, by which `good` (exp in 2023) has expired.
  assert.equal(code(() => v.verify(good)), "Expired");
  assert.equal(code(() => v.verify(good, null)), "Expired");
  // issuedBefore is a time too.
  assert.equal(code(() => v.verify(good, NOW, { issuedBefore: "x" })), "InvalidArgument");
  assert.equal(code(() => v.verify(good, NOW, { issuedBefore: NOW * 1000 })), "InvalidArgument");
  assert.equal(code(() => v.verify(good, NOW, { issuedBefore: new Date((NOW - 5) * 1000) })), "Revoked");
  v.free();
  // So is a signer's `now`.
  assert.equal(code(() => signer.issueAccess({ issuer: "i", subject: "s", audience: "a", sessionId: "x", now: Date.now() })), "InvalidArgument");
  assert.equal(code(() => signer.issueRefresh({ issuer: "i", subject: "s", sessionId: "x", now: "1700000000" })), "InvalidArgument");
});

test("a token lifetime in milliseconds or an empty name is refused, not issued", () => {
  const access = { issuer: "i", subject: "s", audience: "a", sessionId: "x", now: NOW };
  const refresh = { issuer: "i", subject: "s", sessionId: "x", now: NOW };
  // 15 minutes and 7 days written in milliseconds: ten days and 19 years.
  assert.match(message(() => signer.issueAccess({ ...access, lifetime: 900_000 })), /`lifetime`.*milliseconds/);
  assert.match(message(() => signer.issueRefresh({ ...refresh, lifetime: 604_800_000 })), /`lifetime`.*milliseconds/);
  // 0 is a token expired when issued.
  assert.equal(code(() => signer.issueAccess({ ...access, lifetime: 0 })), "InvalidArgument");
  assert.equal(code(() => signer.issueRefresh({ ...refresh, lifetime: 0 })), "InvalidArgument");
  // An empty name (a subject from a missing user id) is refused too.
  for (const name of ["issuer", "subject", "audience", "sessionId", "tokenId"]) {
    assert.equal(code(() => signer.issueAccess({ ...access, [name]: "" })), "InvalidArgument", name);
  }
  for (const name of ["issuer", "subject", "sessionId", "tokenId"]) {
    assert.equal(code(() => signer.issueRefresh({ ...refresh, [name]: "" })), "InvalidArgument", name);
  }
  const exp = (token) => JSON.parse(Buffer.from(token.split(".")[1], "base64url")).exp;
  assert.equal(exp(signer.issueAccess({ ...access, lifetime: 86_400 })), NOW + 86_400, "a day is the most");
  assert.equal(exp(signer.issueRefresh({ ...refresh, lifetime: 31_536_000 })), NOW + 31_536_000, "365 days is the most");
});

test("an option that turns a check off when absent is refused as undefined or null (a missing setting)", () => {
  // `issuer: process.env.ISSUER` with the variable unset: read as "no
  // issuer check", the verifier would accept any issuer's token.
  const good = signer.sign({ sub: "1", exp: NOW + 60, iss: "elsewhere", aud: "api" }, {});
  for (const name of ["issuer", "audience", "typ", "maxAge", "isRevoked"]) {
    for (const value of [undefined, null]) {
      assert.throws(
        () => new tessera.Verifier(secret, { ignoreAudience: true, [name]: value }),
        (e) => e.code === "InvalidArgument" && e.message.includes(`\`${name}\``),
        `${name}: ${value}`,
      );
    }
  }
  // Omitted, it is simply not checked.
  const v = new tessera.Verifier(secret, { ignoreAudience: true });
  assert.equal(v.verify(good, NOW).iss, "elsewhere");
  // The per-call cut-off likewise (logout-all from a missing store value).
  assert.equal(code(() => v.verify(good, NOW, { issuedBefore: undefined })), "InvalidArgument");
  assert.equal(code(() => v.verify(good, NOW, { issuedBefore: null })), "InvalidArgument");
  assert.equal(v.verify(good, NOW, {}).iss, "elsewhere");
  v.free();
});

test("unknown option names are refused, naming the option", () => {
  const cases = [
    () => new tessera.Verifier(secret, { iss: "https://auth.example.com" }),
    () => new tessera.Verifier(secret, { clockTolerance: 30 }),
    () => new tessera.Verifier(secret, { audiences: ["api"] }),
    () => new tessera.Verifier(secret, { requireClaims: ["exp"] }),
    () => tessera.Verifier.withKeySet([{ kid: "k", secret }], { algorithm: "HS256" }),
    () => tessera.Verifier.withKeySet([{ kid: "k", secret, alg: "HS512" }], {}),
    () => new tessera.Signer(secret, { algorithms: ["HS256"] }),
    () => signer.sign({ exp: NOW }, { type: "at+jwt" }),
    () => signer.issueAccess({ issuer: "i", subject: "s", audience: "a", sessionId: "x", scopes: "admin" }),
    () => signer.issueRefresh({ issuer: "i", subject: "s", sessionId: "x", ttl: 60 }),
    () => tessera.refreshCookie("r", "v", { maxage: 60 }),
    () => tessera.clearRefreshCookie("r", { domain: "example.com" }),
  ];
  for (const call of cases) {
    assert.equal(code(call), "InvalidArgument", String(call));
  }
  assert.match(message(cases[0]), /`iss` is not an option .*did you mean issuer/);
  assert.match(message(cases[1]), /`clockTolerance` .*did you mean leeway/);
  assert.match(message(cases[3]), /`requireClaims` is not an option .*requiredClaims/);
  const v = new tessera.Verifier(secret, {});
  for (const extra of [{ issuedbefore: NOW }, { now: NOW }, [], "x"]) {
    assert.equal(code(() => v.verify(good, NOW, extra)), "InvalidArgument", JSON.stringify(extra));
    assert.equal(code(() => v.verifyResult(good, NOW, extra)), "InvalidArgument");
  }
  // Options must be objects.
  assert.equal(code(() => new tessera.Verifier(secret, "HS256")), "InvalidArgument");
  v.free();
});

test("a leeway above five minutes is refused at construction (milliseconds for seconds)", () => {
  // 30 s and 1 s written in milliseconds (fast-jwt's clockTolerance is in ms).
  for (const ms of [30_000, 1_000]) {
    assert.throws(() => new tessera.Verifier(secret, { leeway: ms }), (e) => e.code === "InvalidArgument" && /milliseconds/.test(e.message));
  }
  assert.throws(() => new tessera.Verifier(secret, { leeway: 301 }), (e) => e.code === "InvalidArgument");
  const v = new tessera.Verifier(secret, { leeway: 300 });
  assert.deepEqual(ways(v, expired, NOW), Array(5).fill("ok"), "five minutes of leeway is the most, and it is honoured");
  v.free();
});

test("an explicitly empty audience list is a configuration error", () => {
  assert.equal(code(() => new tessera.Verifier(secret, { audience: [] })), "InvalidArgument");
  assert.equal(code(() => tessera.Verifier.withKeySet([{ kid: "k", secret }], { audience: [] })), "InvalidArgument");
  assert.match(message(() => new tessera.Verifier(secret, { audience: [] })), /empty/);
});

test("a verifier freed by its own isRevoked gives the same answer on both paths", () => {
  for (const [revoke, want] of [
    [false, "Revoked"], // free() throws inside the call: the callback failed, so revoked
    [true, "Revoked"],
  ]) {
    for (const args of [[NOW], [NOW, {}]]) {
      let v;
      v = new tessera.Verifier(secret, {
        isRevoked: () => {
          v.free();
          return revoke;
        },
      });
      const r = v.verifyResult(good, ...args);
      assert.equal(r.ok, false);
      assert.equal(r.error.code, want);
      let thrown;
      v = new tessera.Verifier(secret, {
        isRevoked: () => {
          v.free();
          return revoke;
        },
      });
      try {
        v.verify(good, ...args);
      } catch (e) {
        thrown = e;
      }
      assert.ok(thrown instanceof tessera.TesseraError, String(thrown));
      assert.equal(thrown.code, want);
    }
  }
});

// Every window of `needle` of `width` bytes: none may stay in memory.
function leftovers(memory, needle, width = 12) {
  const hay = Buffer.from(memory.buffer);
  const found = [];
  for (let i = 0; i + width <= needle.length; i += 4) {
    if (hay.indexOf(Buffer.from(needle.subarray(i, i + width))) >= 0) found.push(i);
  }
  return found;
}

test("no copy of a verified token, its decoded parts or a freed signer's secret stays in module memory", () => {
  const exports = tessera.initSync();
  const enc = new TextEncoder();
  const marker = "wipe-me-" + "q".repeat(40);
  // Made outside the module (node:crypto), so that only what the verify
  // calls below copy into module memory can be found there.
  const part = (o) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const input = `${part({ alg: "HS256" })}.${part({ sub: marker, exp: NOW + 100, jti: "j" })}`;
  const token = `${input}.${createHmac("sha256", secret).update(input).digest("base64url")}`;
  const [h, p, s] = token.split(".");
  // The header is a common one, whose text the module carries as a
  // constant (KNOWN_HEADERS): the payload and signature are this token's own.
  assert.equal(Buffer.from(h, "base64url").toString(), '{"alg":"HS256"}');
  const parts = [
    ["token text", enc.encode(`${p}.${s}`)],
    ["decoded payload", Buffer.from(p, "base64url")],
  ];
  const signature = Buffer.from(s, "base64url");
  const calls = {
    "verify (fast)": (v) => v.verify(token, NOW),
    "verify (general)": (v) => v.verify(token, NOW, {}),
    "verifyResult (fast)": (v) => v.verifyResult(token, NOW),
    "verifyResult (general)": (v) => v.verifyResult(token, NOW, {}),
    verifyToken: (v) => v.verifyToken(token, NOW),
    "refused (fast)": (v) => v.verifyResult(token, NOW + 1000),
    "refused (general)": (v) => v.verifyResult(token, NOW + 1000, {}),
    decodeUnverified: () => tessera.decodeUnverified(token),
  };
  for (const [what, bytes] of parts) assert.deepEqual(leftovers(exports.memory, bytes), [], `${what} there before any call`);
  for (const [name, call] of Object.entries(calls)) {
    const v = new tessera.Verifier(secret, {});
    call(v);
    for (const [what, bytes] of parts) assert.deepEqual(leftovers(exports.memory, bytes), [], `${name} left the ${what}`);
    assert.deepEqual(leftovers(exports.memory, signature, 16), [], `${name} left the signature`);
    v.free();
  }
  // A signer keeps no copy of the tokens it signs (it stages the payload
  // JSON at the end of its buffer, and builds the JavaScript string from it).
  const signed = signer.sign({ sub: "signed-" + "r".repeat(40), exp: NOW, role: "s".repeat(30) }, {});
  const [, sp, ss] = signed.split(".");
  assert.deepEqual(leftovers(exports.memory, enc.encode(`${sp}.${ss}`)), [], "the signer left its token");
  assert.deepEqual(leftovers(exports.memory, enc.encode('"role":"sssssssss')), [], "the signer left the payload JSON");
  const issued = signer.issueAccess({ issuer: "i", subject: "s", audience: "a", sessionId: "x", now: NOW });
  assert.deepEqual(leftovers(exports.memory, enc.encode(issued.split(".").slice(1).join("."))), [], "issueAccess left its token");
  // A signer's secret: zeroized when copied in (after the key is built) and on free.
  const secretText = "a-distinctive-signing-secret-" + "z".repeat(40);
  const secretBytes = enc.encode(secretText);
  const s1 = new tessera.Signer(secretText, {});
  assert.deepEqual(leftovers(exports.memory, secretBytes), [], "the secret's copy outlived the key setup");
  s1.sign({ exp: NOW }, {});
  s1.free();
  assert.deepEqual(leftovers(exports.memory, secretBytes), [], "a freed signer left its secret");
  const v1 = new tessera.Verifier(secretBytes, {});
  v1.free();
  assert.deepEqual(leftovers(exports.memory, secretBytes), [], "a verifier left its secret");
});

test("the signer refuses what it cannot sign instead of dropping it", () => {
  const refused = [
    [{ exp: NOW, role: undefined }, {}],
    [{ exp: NOW, f() {} }, {}],
    [{ exp: NOW, s: Symbol("x") }, {}],
    [{ exp: NOW, n: NaN }, {}],
    [{ exp: NOW, deep: { list: [1, Infinity] } }, {}],
    [{ exp: NOW, list: [1, undefined] }, {}],
    [{ exp: NOW, big: 10n }, {}],
    [JSON.parse('{"exp":1,"__proto__":{"admin":true}}'), {}],
    [{ exp: NOW, role: "admin" }, { customJson: '{"tier":1}' }],
    // Registered claims of the wrong type in custom JSON: a token every
    // verifier would refuse (rule 7) is not issued.
    [{ exp: NOW }, { customJson: '{"aud":5}' }],
    [{ exp: NOW }, { customJson: '{"nbf":"soon"}' }],
    ["not an object", {}],
  ];
  for (const [claims, options] of refused) {
    assert.equal(code(() => signer.sign(claims, options)), "InvalidArgument", String(Object.keys(claims)));
  }
  assert.match(message(() => signer.sign({ exp: NOW, role: undefined }, {})), /`role`/);
  assert.match(message(() => signer.sign({ exp: NOW, role: "a" }, { customJson: "{}" })), /twice/);
  // What JSON carries is signed faithfully, own members only.
  const proto = { inherited: "no" };
  const claims = Object.create(proto);
  Object.assign(claims, { exp: NOW, role: "admin", nested: { a: [1, "x", null, true] }, when: new Date(0) });
  const back = tessera.decodeUnverified(signer.sign(claims, {})).claims;
  assert.deepEqual(back, { exp: NOW, role: "admin", nested: { a: [1, "x", null, true] }, when: "1970-01-01T00:00:00.000Z" });
  assert.equal(tessera.decodeUnverified(signer.sign({ exp: NOW }, { customJson: '{"tier":1}' })).claims.tier, 1);
});
