// `make bench-js`: Tessera's WebAssembly verify in Node against jose,
// fast-jwt, jsonwebtoken (npm) and raw node:crypto HMAC, on the same three
// tokens as the Rust benches. Warm-up, then the median of several runs.
import { createHmac, timingSafeEqual } from "node:crypto";
import { createRequire } from "node:module";

import * as tessera from "../../wasm/pkg/node.js";

const require = createRequire(new URL("../../wasm/package.json", import.meta.url));
const jose = await import(require.resolve("jose"));
const { createVerifier } = require("fast-jwt");
const jsonwebtoken = require("jsonwebtoken");

const SECRET = "benchmark secret, thirty-two b!!";
const NOW = 1700000100;
const access = `{"iss":"https://auth.example.com","sub":"user-42","aud":"api","exp":1700000900,"iat":1700000000,"nbf":1700000000,"jti":"6f1c2a9e-8d4b-4c1e-9f2a-3b5d7e9a1c3f","sid":"s-7f3a2b","scope":"profile:read likes:write","azp":"web-app"}`;
const roles = Array.from({ length: 40 }, (_, i) => `"role-${String(i).padStart(2, "0")}-reader"`).join(",");
const large = `${access.slice(0, -1)},"roles":[${roles}],"meta":{"tenant":"tenant-0001","region":"eu-west-1","flags":{"beta":true,"mfa":true,"level":3},"quota":[100,250,500],"created":"2024-01-01T00:00:00Z"}}`;
const payloads = { small: `{"sub":"42","exp":1700000900}`, access, large };

const b64 = (s) => Buffer.from(s).toString("base64url");
const sign = (p) => {
  const input = `${b64('{"alg":"HS256","typ":"JWT"}')}.${b64(p)}`;
  return `${input}.${createHmac("sha256", SECRET).update(input).digest("base64url")}`;
};

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
async function measure(fn, iterations) {
  iterations = Math.max(10, Math.round(iterations * SCALE));
  for (let i = 0; i < iterations / 5; i++) await fn(); // warm-up
  const runs = [];
  for (let r = 0; r < 5; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) await fn();
    runs.push(Number(process.hrtime.bigint() - start) / iterations);
  }
  runs.sort((a, b) => a - b);
  return runs[2];
}

const rows = [];
for (const [size, payload] of Object.entries(payloads)) {
  const token = sign(payload);
  const withAud = size !== "small";
  const key = new TextEncoder().encode(SECRET);
  const verifier = new tessera.Verifier(key, withAud ? { issuer: "https://auth.example.com", audience: "api" } : {});
  const [h, p, s] = token.split(".");
  const sig = Buffer.from(s, "base64url");
  const secretKey = new TextEncoder().encode(SECRET);
  const fast = createVerifier({ key: SECRET, cache: false, clockTimestamp: NOW * 1000, ...(withAud ? { allowedIss: "https://auth.example.com", allowedAud: "api" } : {}) });
  const results = {
    "node:crypto HMAC (the limit)": await measure(() => {
      const mac = createHmac("sha256", SECRET).update(`${h}.${p}`).digest();
      return timingSafeEqual(mac, sig);
    }, 100000),
    "tessera (WASM)": await measure(() => verifier.verify(token, NOW), 100000),
    "fast-jwt (sync)": await measure(() => fast(token), 50000),
    "jsonwebtoken (npm)": await measure(() => jsonwebtoken.verify(token, SECRET, { clockTimestamp: NOW, ...(withAud ? { issuer: "https://auth.example.com", audience: "api" } : {}) }), 2000),
    "jose (async, WebCrypto)": await measure(() => jose.jwtVerify(token, secretKey, { currentDate: new Date(NOW * 1000), ...(withAud ? { issuer: "https://auth.example.com", audience: "api" } : {}) }), 3000),
  };
  verifier.free();
  rows.push([size, token.length, results]);
}

const names = Object.keys(rows[0][2]);
console.log(`Node ${process.version}: medians in ns per verify (× = ratio to node:crypto HMAC, same run)`);
console.log(`| | ${rows.map(([s, n]) => `${s} (${n} B)`).join(" | ")} |`);
console.log(`|---|${rows.map(() => "---:").join("|")}|`);
for (const name of names) {
  console.log(`| ${name} | ${rows.map(([, , r]) => `${r[name].toFixed(0)} (${(r[name] / r[names[0]]).toFixed(2)}×)`).join(" | ")} |`);
}
