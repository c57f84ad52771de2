// Two builds of the package compared in one Node process, in paired rounds:
//
//   cp -r wasm/pkg /tmp/before   # then change the code, `make wasm`
//   node benches/js/ab.mjs /tmp/before wasm/pkg
//
// Each round times the same verify with both builds back to back (their
// order alternating), and the answer is the median of the per-round ratios
// after/before with its quartiles: a pair shares the machine's state of the
// moment, so drift and a noisy neighbour cancel out where separate runs
// (±10% on our VMs) would drown a 3% change. Run it on an idle machine;
// a build against itself gives 1.00 ± the noise left.
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

import { pairedRounds, payloads, quantile, setup } from "./cases.mjs";

const [before, after] = process.argv.slice(2);
if (!before || !after) {
  console.error("usage: node benches/js/ab.mjs <package dir before> <package dir after>");
  process.exit(2);
}
const load = async (dir) => setup(await import(pathToFileURL(resolve(dir, "node.js")).href));
const builds = { before: await load(before), after: await load(after) };

const PER_ROUND = { small: 20000, access: 20000, large: 5000 };
const cell = (values) => `${quantile(values, 0.5).toFixed(3)} [${quantile(values, 0.25).toFixed(3)}, ${quantile(values, 0.75).toFixed(3)}]`;
console.log(`Node ${process.version}, 36 paired rounds: after / before per round (median [quartiles]), median ns`);
for (const size of Object.keys(payloads)) {
  const ns = pairedRounds({ before: builds.before[size].tessera, after: builds.after[size].tessera }, { rounds: 41, warmUp: 5, n: PER_ROUND[size] });
  const ratios = ns.after.map((a, i) => a / ns.before[i]);
  console.log(`${size.padEnd(7)} ${cell(ratios)}  before ${quantile(ns.before, 0.5).toFixed(0)} ns, after ${quantile(ns.after, 0.5).toFixed(0)} ns`);
}
