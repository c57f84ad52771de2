// `make bench-js`: Tessera's WebAssembly verify in Node against jose,
// fast-jwt, jsonwebtoken (npm) and raw node:crypto HMAC, on the same three
// tokens as the Rust benches. Warm-up, then the median of several runs.
import { createHmac, timingSafeEqual } from "node:crypto";
import { createRequire } from "node:module";

import * as tessera from "../../wasm/pkg/node.js";
import { NOW, SECRET, measure as measureMedian, payloads, sign, verifierOptions } from "./cases.mjs";

const require = createRequire(new URL("../../wasm/package.json", import.meta.url));
const jose = await import(require.resolve("jose"));
const { createVerifier } = require("fast-jwt");
const jsonwebtoken = require("jsonwebtoken");

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const measure = (fn, iterations) => measureMedian(fn, Math.max(10, Math.round(iterations * SCALE)));

const rows = [];
for (const [size, payload] of Object.entries(payloads)) {
  const token = sign(payload);
  const withAud = size !== "small";
  const key = new TextEncoder().encode(SECRET);
  const verifier = new tessera.Verifier(key, verifierOptions(size));
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
const ratio = (size, name) => {
  const r = rows.find(([s]) => s === size)[2];
  return (r[name] / r["tessera (WASM)"]).toFixed(1);
};
console.log(`\ntessera is ${["small", "access", "large"].map((s) => ratio(s, "fast-jwt (sync)")).join(" / ")}× faster than fast-jwt and ` +
  `${["small", "access", "large"].map((s) => ratio(s, "jose (async, WebCrypto)")).join(" / ")}× faster than jose (small / access / large).`);
