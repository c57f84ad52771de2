// `make bench-js`, public keys: an access token signed with each public-key
// algorithm (RSA 2048 bits), verified in Node by Tessera's full module
// (synchronous WebAssembly, and verifyAsync with WebCrypto's signature
// check), jose (WebCrypto), fast-jwt (node:crypto), and the bare signature
// checks of node:crypto and WebCrypto on the same bytes (the floor).
import { createPublicKey, verify as nodeVerify, constants } from "node:crypto";
import { createRequire } from "node:module";

import * as full from "../../wasm/pkg/full/node.js";
import { NOW, measure as measureMedian, payloads } from "./cases.mjs";

const require = createRequire(new URL("../../wasm/package.json", import.meta.url));
const jose = await import(require.resolve("jose"));
const { createVerifier } = require("fast-jwt");

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const measure = (fn, iterations) => measureMedian(fn, Math.max(10, Math.round(iterations * SCALE)));
const ISS = "https://auth.example.com";
const HASH = { 256: "sha256", 384: "sha384", 512: "sha512" };

const rows = [];
for (const alg of ["EdDSA", "ES256", "ES384", "RS256", "PS256"]) {
  const { publicKey, privateKey } = await jose.generateKeyPair(alg, { extractable: true, modulusLength: 2048 });
  const jwk = { ...(await jose.exportJWK(publicKey)), alg };
  const pem = await jose.exportSPKI(publicKey);
  const token = await new jose.CompactSign(new TextEncoder().encode(payloads.access)).setProtectedHeader({ alg, typ: "JWT" }).sign(privateKey);
  const [h, p, s] = token.split(".");
  const input = Buffer.from(`${h}.${p}`);
  const sig = Buffer.from(s, "base64url");
  const keyObject = createPublicKey(pem);
  const bits = alg.slice(2);
  const nodeOptions = alg === "EdDSA" ? [null] : [HASH[bits]];
  const keyArg = alg.startsWith("ES") ? { key: keyObject, dsaEncoding: "ieee-p1363" }
    : alg.startsWith("PS") ? { key: keyObject, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: Number(bits) / 8 } : keyObject;
  const subtleKey = await jose.importJWK(jwk, alg);
  const subtleParams = alg === "EdDSA" ? { name: "Ed25519" } : alg.startsWith("ES") ? { name: "ECDSA", hash: `SHA-${bits}` }
    : alg.startsWith("PS") ? { name: "RSA-PSS", saltLength: Number(bits) / 8 } : { name: "RSASSA-PKCS1-v1_5" };
  const verifier = full.Verifier.fromJwk(jwk, { issuer: ISS, audience: "api" });
  const fast = createVerifier({ key: pem, algorithms: [alg], cache: false, clockTimestamp: NOW * 1000, allowedIss: ISS, allowedAud: "api" });
  const n = alg.startsWith("ES3") ? 1000 : 3000;
  const results = {
    "node:crypto.verify (floor)": await measure(() => nodeVerify(nodeOptions[0], input, keyArg, sig), n),
    "WebCrypto verify (floor)": await measure(() => crypto.subtle.verify(subtleParams, subtleKey, sig, input), n),
    "tessera (WASM, sync)": await measure(() => verifier.verify(token, NOW), alg.startsWith("ES3") ? 100 : 500),
    "tessera verifyAsync (WebCrypto)": await measure(() => verifier.verifyAsync(token, NOW), n),
    "jose (WebCrypto)": await measure(() => jose.jwtVerify(token, subtleKey, { currentDate: new Date(NOW * 1000), issuer: ISS, audience: "api" }), n),
    "fast-jwt (node:crypto)": await measure(() => fast(token), n),
  };
  verifier.free();
  rows.push([alg, results]);
}

const names = Object.keys(rows[0][1]);
const us = (ns) => (ns / 1000).toFixed(1);
console.log(`\nNode ${process.version}, public-key verify of the access token, µs per call (median of 5 runs)\n`);
console.log(`| verifier | ${rows.map(([a]) => a).join(" | ")} |`);
console.log(`|---|${rows.map(() => "---:").join("|")}|`);
for (const name of names) console.log(`| ${name} | ${rows.map(([, r]) => us(r[name])).join(" | ")} |`);
console.log(`| verifyAsync ÷ jose | ${rows.map(([, r]) => (r["tessera verifyAsync (WebCrypto)"] / r["jose (WebCrypto)"]).toFixed(2)).join(" | ")} |`);
console.log(`| sync ÷ jose | ${rows.map(([, r]) => (r["tessera (WASM, sync)"] / r["jose (WebCrypto)"]).toFixed(2)).join(" | ")} |`);
