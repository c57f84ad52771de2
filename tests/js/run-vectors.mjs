// The shared conformance vectors through the JavaScript API. Runtime
// agnostic (Node, Deno, Bun, workerd, browsers): takes the module and the
// parsed vector files, returns the failures.

const hex = (s) => new Uint8Array(s.match(/../g)?.map((b) => parseInt(b, 16)) ?? []);

const REGISTERED = ["iss", "sub", "aud", "exp", "nbf", "iat", "jti", "sid", "scope", "azp", "client_id"];

function verifierFor(t, v) {
  const p = v.policy;
  const options = {};
  if (p.issuer !== undefined) options.issuer = p.issuer;
  if (p.audience !== undefined) options.audience = p.audience;
  if (p.typ !== undefined) options.typ = p.typ;
  if (p.leeway !== undefined) options.leeway = Number(p.leeway);
  if (p.required !== undefined) options.requiredClaims = p.required;
  if (p.max_age !== undefined) options.maxAge = p.max_age;
  if (p.max_token_len !== undefined) options.maxLength = p.max_token_len;
  if (p.ignore_audience !== undefined) options.ignoreAudience = p.ignore_audience;
  if (v.key) return new t.Verifier(hex(v.key.secret), { ...options, algorithm: v.key.alg });
  const keys = v.keyset.map((k) => ({ kid: k.kid, secret: hex(k.secret), algorithm: k.alg }));
  return t.Verifier.withKeySet(keys, options);
}

function same(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

// What a call made of a token: its claims, or its error's kind and message.
function outcome(call) {
  try {
    const r = call();
    if (r && typeof r.ok === "boolean") return r.ok ? { claims: r.claims } : errorOutcome(r.error);
    return { claims: r };
  } catch (e) {
    return errorOutcome(e);
  }
}

function errorOutcome(e) {
  return { error: [e?.constructor?.name, e?.code, e?.claim, e?.status, e?.message] };
}

// `verify` and `verifyResult` without per-call options take the fast path
// (wasm/js/fast.js); with them, wasm-bindgen's general one; `verifyToken`
// always the general one. All must agree on every vector.
function pathsDisagree(verifier, token, now, extra) {
  const token0 = outcome(() => {
    const r = verifier.verifyToken(token, now, extra);
    return r.claims;
  });
  const ways = {
    "verify (fast)": () => verifier.verify(token, now, extra),
    "verify (general)": () => verifier.verify(token, now, extra ?? {}),
    "verifyResult (fast)": () => verifier.verifyResult(token, now, extra),
    "verifyResult (general)": () => verifier.verifyResult(token, now, extra ?? {}),
  };
  for (const [name, call] of Object.entries(ways)) {
    const got = outcome(call);
    if (!same(got, token0)) return `${name} gave ${JSON.stringify(got)}, verifyToken ${JSON.stringify(token0)}`;
  }
  return null;
}

/** Runs every verification vector; returns a list of failure messages. */
export function runVerifyVectors(t, vectors) {
  const failures = [];
  for (const v of vectors) {
    // 2^63 leeway is not exact as a double: the JS surface reads numbers as
    // doubles and caps them below 2^53, so it states "huge" as 2^53 - 1.
    if (v.policy.leeway !== undefined && v.policy.leeway > Number.MAX_SAFE_INTEGER) {
      v.policy = { ...v.policy, leeway: Number.MAX_SAFE_INTEGER };
    }
    let verifier;
    try {
      verifier = verifierFor(t, v);
    } catch (e) {
      // A policy that can never be right (rule 0) is refused when the
      // verifier is built, before any token: the same verdict, earlier.
      const early = v.rule === "0" && e instanceof t.TesseraError && e.code === v.expect.error;
      if (!early) failures.push(`${v.name}: verifier: ${e}`);
      continue;
    }
    const extra = v.policy.issued_before !== undefined ? { issuedBefore: v.policy.issued_before } : undefined;
    const disagreement = pathsDisagree(verifier, v.token, v.policy.now, extra);
    if (disagreement) failures.push(`${v.name}: ${disagreement}`);
    try {
      const { header, claims } = verifier.verifyToken(v.token, v.policy.now, extra);
      if (!v.expect.ok) {
        failures.push(`${v.name}: accepted, expected ${v.expect.error}`);
        continue;
      }
      const want = v.expect.claims;
      for (const name of REGISTERED) {
        let got = claims[name];
        if (name === "aud" && typeof got === "string") got = [got];
        if (!same(got, want[name])) failures.push(`${v.name}: ${name} = ${JSON.stringify(got)}, want ${JSON.stringify(want[name])}`);
      }
      if (!same(header, v.expect.header)) failures.push(`${v.name}: header ${JSON.stringify(header)}`);
    } catch (e) {
      if (!(e instanceof t.TesseraError) || !(e instanceof Error)) {
        failures.push(`${v.name}: threw a non-TesseraError ${e}`);
      } else if (v.expect.ok) {
        failures.push(`${v.name}: refused with ${e.code}, expected acceptance`);
      } else if (e.code !== v.expect.error || (v.expect.claim !== undefined && e.claim !== v.expect.claim)) {
        failures.push(`${v.name}: refused with ${e.code}/${e.claim}, expected ${v.expect.error}/${v.expect.claim}`);
      }
    } finally {
      verifier.free();
    }
  }
  return failures;
}

/**
 * Runs every signing vector; returns a list of failure messages. HMAC
 * vectors run on `t`; private-key vectors (EdDSA, ES256) need the issuer
 * module, `issuer`: without it they fail, never pass unrun.
 */
export function runSignVectors(t, vectors, issuer) {
  const failures = [];
  for (const v of vectors) {
    let signer;
    if (v.key.jwk !== undefined) {
      if (!issuer?.Signer.fromJwk) {
        failures.push(`${v.name}: a private-key vector needs the issuer module`);
        continue;
      }
      signer = issuer.Signer.fromJwk(v.key.jwk);
    } else {
      signer = new t.Signer(hex(v.key.secret), { algorithm: v.key.alg });
    }
    let token;
    try {
      if (v.profile) {
        const i = v.inputs;
        const params = {
          issuer: i.issuer,
          subject: i.subject,
          sessionId: t.randomIdFromBytes(hex(i.sid_random)),
          tokenId: t.randomIdFromBytes(hex(i.jti_random)),
          now: i.now,
        };
        if (i.lifetime !== undefined) params.lifetime = i.lifetime;
        if (v.profile === "access") {
          params.audience = i.audience;
          if (i.scope !== undefined) params.scope = i.scope;
          if (i.client_id !== undefined) params.clientId = i.client_id;
          token = signer.issueAccess(params);
        } else {
          token = signer.issueRefresh(params);
        }
      } else {
        const options = { ...v.header };
        if (v.custom !== null) options.customJson = v.custom;
        token = signer.sign(v.claims, options);
      }
      if (v.error) failures.push(`${v.name}: issued ${token}, want ${v.error}`);
      else if (token !== v.token) failures.push(`${v.name}: got ${token}\n  want ${v.token}`);
    } catch (e) {
      if (!v.error || e.code !== v.error) failures.push(`${v.name}: threw ${e.code ?? e}: ${e.message}`);
    } finally {
      signer.free();
    }
  }
  return failures;
}

/**
 * Runs every public-key vector (tests/vectors/public.json) through the
 * full module `t` (`tessera-jwt/full`): the key is imported as a caller
 * would (`Verifier.fromJwk`, `fromPem`, `fromJwks`); a vector whose key must
 * be refused (`expect.at === "import"`) gets its verdict there.
 */
export function runPublicVectors(t, vectors) {
  const failures = [];
  for (const v of vectors) {
    // SPKI PEM keys are a Rust and C import path only: the JavaScript full
    // module takes JWKs (what identity providers publish), leaving PEM and
    // DER out of the WebAssembly (3.8 KB gzip; WebCrypto converts a PEM:
    // importKey("spki") then exportKey("jwk")). The callers check that
    // only the PEM vectors are skipped (`publicVectorsForJs`).
    if (v.key?.pem !== undefined) continue;
    const p = v.policy;
    const options = {};
    if (p.issuer !== undefined) options.issuer = p.issuer;
    if (p.audience !== undefined) options.audience = p.audience;
    let verifier;
    try {
      if (v.key) {
        if (v.key.alg) options.algorithm = v.key.alg;
        // The JWK as an object and as JSON text alternately: both are accepted.
        const jwk = v.name.length % 2 === 0 ? v.key.jwk : JSON.stringify(v.key.jwk);
        verifier = t.Verifier.fromJwk(jwk, options);
      } else {
        if (v.keyset.rsa_default) options.algorithm = v.keyset.rsa_default;
        verifier = t.Verifier.fromJwks(v.keyset.jwks, options);
      }
    } catch (e) {
      if (!(e instanceof t.TesseraError)) failures.push(`${v.name}: import threw a non-TesseraError ${e}`);
      else if (v.expect.at !== "import") failures.push(`${v.name}: key refused with ${e.code}`);
      else if (e.code !== v.expect.error) failures.push(`${v.name}: key refused with ${e.code}, expected ${v.expect.error}`);
      continue;
    }
    if (v.expect.at === "import") {
      failures.push(`${v.name}: the key was imported, expected ${v.expect.error}`);
      verifier.free();
      continue;
    }
    const disagreement = pathsDisagree(verifier, v.token, p.now, undefined);
    if (disagreement) failures.push(`${v.name}: ${disagreement}`);
    try {
      const { header, claims } = verifier.verifyToken(v.token, p.now);
      if (!v.expect.ok) {
        failures.push(`${v.name}: accepted, expected ${v.expect.error}`);
        continue;
      }
      for (const name of REGISTERED) {
        let got = claims[name];
        if (name === "aud" && typeof got === "string") got = [got];
        if (!same(got, v.expect.claims[name])) failures.push(`${v.name}: ${name} = ${JSON.stringify(got)}`);
      }
      if (!same(header, v.expect.header)) failures.push(`${v.name}: header ${JSON.stringify(header)}`);
    } catch (e) {
      if (!(e instanceof t.TesseraError)) failures.push(`${v.name}: threw a non-TesseraError ${e}`);
      else if (v.expect.ok) failures.push(`${v.name}: refused with ${e.code}, expected acceptance`);
      else if (e.code !== v.expect.error) failures.push(`${v.name}: refused with ${e.code}, expected ${v.expect.error}`);
    } finally {
      verifier.free();
    }
  }
  return failures;
}

/**
 * The public-key vectors through `verifyResultAsync` (WebCrypto checks the
 * signature): every verdict must equal the synchronous `verifyResult`'s.
 */
export async function runPublicVectorsAsync(t, vectors) {
  const failures = [];
  for (const v of vectors) {
    if (v.expect.at === "import" || v.key?.pem !== undefined) continue;
    const p = v.policy;
    const options = {};
    if (p.issuer !== undefined) options.issuer = p.issuer;
    if (p.audience !== undefined) options.audience = p.audience;
    let verifier;
    if (v.key) {
      if (v.key.alg) options.algorithm = v.key.alg;
      verifier = t.Verifier.fromJwk(v.key.jwk, options);
    } else {
      if (v.keyset.rsa_default) options.algorithm = v.keyset.rsa_default;
      verifier = t.Verifier.fromJwks(v.keyset.jwks, options);
    }
    try {
      const sync = outcome(() => verifier.verifyResult(v.token, p.now));
      let async;
      try {
        const r = await verifier.verifyResultAsync(v.token, p.now);
        async = r.ok ? { claims: r.claims } : errorOutcome(r.error);
      } catch (e) {
        async = errorOutcome(e);
      }
      if (!same(sync, async)) failures.push(`${v.name}: verifyResultAsync ${JSON.stringify(async)}, verifyResult ${JSON.stringify(sync)}`);
      const want = v.expect.ok ? "ok" : v.expect.error;
      const got = async.claims ? "ok" : async.error?.[1];
      if (got !== want) failures.push(`${v.name}: async verdict ${got}, expected ${want}`);
    } finally {
      verifier.free();
    }
  }
  return failures;
}

/** How many public-key vectors the JavaScript runners take (all but the PEM-keyed ones). */
export function publicVectorsForJs(vectors) {
  const pem = vectors.filter((v) => v.key?.pem !== undefined);
  // Exactly the vectors named as PEM ones are left out: never a silent skip of anything else.
  if (!pem.every((v) => /PEM|pem:/.test(v.name))) throw new Error("a non-PEM vector has a pem key");
  return vectors.length - pem.length;
}
