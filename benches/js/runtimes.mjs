// Tessera's verify in Deno and Bun (`make bench-js` runs this file in each)
// against the same runtime's node:crypto HMAC: ns per verify, medians.
import * as tessera from "../../wasm/pkg/node.js";
import { measure, setup } from "./cases.mjs";

const runtime = globalThis.Deno ? `Deno ${Deno.version.deno}` : `Bun ${globalThis.Bun.version}`;
const sizes = setup(tessera);
const cells = [];
for (const [size, c] of Object.entries(sizes)) {
  if (!c.tessera() || !c.hmac()) throw new Error(`${size}: the benchmark token does not verify`);
  const hmac = await measure(c.hmac, 100000);
  const t = await measure(c.tessera, 100000);
  cells.push(`${size}: tessera ${t.toFixed(0)} ns, node:crypto HMAC ${hmac.toFixed(0)} ns (${(t / hmac).toFixed(2)}×)`);
}
console.log(`${runtime}: ${cells.join("; ")}`);
