// Issue #17's Node goal (the access token ≥ 2× faster than fast-jwt)
// measured in paired rounds: each round times Tessera's verify, fast-jwt's
// and node:crypto's bare HMAC of the same token back to back (in rotating
// order), and the answer is the median of the per-round ratios. On our VMs
// separate runs of `bench.mjs` moved the access ratio between 1.3× and
// 2.2× within minutes; pairs share the moment's machine state.
//
//   make wasm && node benches/js/paired.mjs
import { createRequire } from "node:module";

import * as tessera from "../../wasm/pkg/node.js";
import { NOW, SECRET, pairedRounds, payloads, quantile, setup } from "./cases.mjs";

const require = createRequire(new URL("../../wasm/package.json", import.meta.url));
const { createVerifier } = require("fast-jwt");

const ours = setup(tessera);
const PER_ROUND = { small: 10000, access: 10000, large: 3000 };
const cell = (values) => `${quantile(values, 0.5).toFixed(2)} [${quantile(values, 0.25).toFixed(2)}, ${quantile(values, 0.75).toFixed(2)}]`;
console.log(`Node ${process.version}, 26 paired rounds (median [quartiles] of the per-round values)`);
console.log("| | tessera ns | fast-jwt ns | node:crypto HMAC ns | fast-jwt ÷ tessera | tessera ÷ HMAC |");
console.log("|---|---:|---:|---:|---:|---:|");
for (const size of Object.keys(payloads)) {
  const { token, tessera: verify, hmac } = ours[size];
  const fast = createVerifier({
    key: SECRET,
    cache: false,
    clockTimestamp: NOW * 1000,
    ...(size !== "small" ? { allowedIss: "https://auth.example.com", allowedAud: "api" } : {}),
  });
  const ns = pairedRounds({ tessera: verify, "fast-jwt": () => fast(token), hmac }, { rounds: 31, warmUp: 5, n: PER_ROUND[size] });
  const fastJwt = ns["fast-jwt"].map((f, i) => f / ns.tessera[i]);
  const overHmac = ns.tessera.map((t, i) => t / ns.hmac[i]);
  const med = (name) => quantile(ns[name], 0.5).toFixed(0);
  console.log(`| ${size} | ${med("tessera")} | ${med("fast-jwt")} | ${med("hmac")} | ${cell(fastJwt)} | ${cell(overHmac)} |`);
}
