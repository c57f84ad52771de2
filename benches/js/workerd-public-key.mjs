// Public-key verify in workerd (Miniflare, offline): Tessera's verifyAsync
// and synchronous verify against jose, per algorithm. Each figure is (time
// of a request doing n verifies − time of an empty request) / n, median of
// five, in µs.
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const require = createRequire(new URL("../../wasm/package.json", import.meta.url));
const { Miniflare } = await import(require.resolve("miniflare"));

const mf = new Miniflare({
  modules: true,
  modulesRoot: fileURLToPath(new URL("../../", import.meta.url)),
  scriptPath: fileURLToPath(new URL("./worker-public-key.mjs", import.meta.url)),
  modulesRules: [
    { type: "ESModule", include: ["**/*.js", "**/*.mjs"] },
    { type: "CompiledWasm", include: ["**/*.wasm"] },
  ],
  compatibilityDate: "2025-09-01",
  compatibilityFlags: ["nodejs_compat"], // cases.mjs imports node:crypto (for the HMAC benches)
});

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
async function timed(alg, op, n) {
  const start = process.hrtime.bigint();
  const res = await mf.dispatchFetch(`http://localhost/?alg=${alg}&op=${op}&n=${n}`);
  const { ok } = await res.json();
  if (ok !== n) throw new Error(`${alg}/${op}: ${ok} of ${n} verified`);
  return Number(process.hrtime.bigint() - start);
}
async function perOp(alg, op, n) {
  await timed(alg, op, n); // warm-up (and the key set-up)
  const runs = [];
  for (let r = 0; r < 5; r++) runs.push(((await timed(alg, op, n)) - (await timed(alg, op, 0))) / n);
  runs.sort((a, b) => a - b);
  return runs[2] / 1000;
}

const rows = [];
for (const alg of ["EdDSA", "ES256", "ES384", "RS256", "PS256"]) {
  const n = Math.max(20, Math.round((alg === "ES384" ? 100 : 400) * SCALE));
  const row = { alg, async: await perOp(alg, "async", n), jose: await perOp(alg, "jose", n), sync: await perOp(alg, "sync", Math.max(10, Math.round(n / 4))) };
  rows.push(row);
}
console.log(`\nworkerd (Miniflare ${require("miniflare/package.json").version}), public-key verify of the access token, µs per call\n`);
console.log("| | " + rows.map((r) => r.alg).join(" | ") + " |");
console.log("|---|" + rows.map(() => "---:").join("|") + "|");
for (const [name, key] of [["tessera verifyAsync (WebCrypto)", "async"], ["tessera (WASM, sync)", "sync"], ["jose", "jose"]]) {
  console.log(`| ${name} | ${rows.map((r) => r[key].toFixed(1)).join(" | ")} |`);
}
console.log(`| verifyAsync ÷ jose | ${rows.map((r) => (r.async / r.jose).toFixed(2)).join(" | ")} |`);
await mf.dispose();
