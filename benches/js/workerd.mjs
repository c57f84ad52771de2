// Tessera's verify in workerd (Miniflare, offline) against workerd's own
// node:crypto HMAC. Each figure is (time of a request doing n operations −
// time of an empty request) / n, median of five.
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const require = createRequire(new URL("../../wasm/package.json", import.meta.url));
const { Miniflare } = await import(require.resolve("miniflare"));

const mf = new Miniflare({
  modules: true,
  modulesRoot: fileURLToPath(new URL("../../", import.meta.url)),
  scriptPath: fileURLToPath(new URL("./worker-bench.mjs", import.meta.url)),
  modulesRules: [
    { type: "ESModule", include: ["**/*.js", "**/*.mjs"] },
    { type: "CompiledWasm", include: ["**/*.wasm"] },
  ],
  compatibilityDate: "2025-09-01",
  compatibilityFlags: ["nodejs_compat"],
});

const N = 20000;
async function timed(size, op, n) {
  const start = process.hrtime.bigint();
  const res = await mf.dispatchFetch(`http://localhost/?size=${size}&op=${op}&n=${n}`);
  const { ok } = await res.json();
  if (ok !== n) throw new Error(`${size}/${op}: ${ok} of ${n} verified`);
  return Number(process.hrtime.bigint() - start);
}
async function perOp(size, op) {
  await timed(size, op, N); // warm-up
  const runs = [];
  for (let r = 0; r < 5; r++) runs.push(((await timed(size, op, N)) - (await timed(size, op, 0))) / N);
  runs.sort((a, b) => a - b);
  return runs[2];
}

const cells = [];
for (const size of ["small", "access", "large"]) {
  const hmac = await perOp(size, "hmac");
  const t = await perOp(size, "tessera");
  cells.push(`${size}: tessera ${t.toFixed(0)} ns, node:crypto HMAC ${hmac.toFixed(0)} ns (${(t / hmac).toFixed(2)}×)`);
}
console.log(`workerd (Miniflare ${require("miniflare/package.json").version}): ${cells.join("; ")}`);
await mf.dispose();
