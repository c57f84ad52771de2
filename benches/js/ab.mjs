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

import { NOW, SECRET, payloads, sign, verifierOptions } from "./cases.mjs";

const [before, after] = process.argv.slice(2);
if (!before || !after) {
  console.error("usage: node benches/js/ab.mjs <package dir before> <package dir after>");
  process.exit(2);
}
const load = (dir) => import(pathToFileURL(resolve(dir, "node.js")).href);
const builds = { before: await load(before), after: await load(after) };

const key = new TextEncoder().encode(SECRET);
const calls = Object.fromEntries(
  Object.entries(builds).map(([name, tessera]) => [
    name,
    Object.fromEntries(
      Object.entries(payloads).map(([size, payload]) => {
        const token = sign(payload);
        const verifier = new tessera.Verifier(key, verifierOptions(size));
        return [size, () => verifier.verify(token, NOW)];
      }),
    ),
  ]),
);

const ROUNDS = 41;
const WARM_UP = 5;
const PER_ROUND = { small: 20000, access: 20000, large: 5000 };
const ratios = {};
const times = {};
let sink;
for (let round = 0; round < ROUNDS; round++) {
  for (const size of Object.keys(payloads)) {
    const ns = {};
    for (const build of round % 2 ? ["before", "after"] : ["after", "before"]) {
      const call = calls[build][size];
      const start = process.hrtime.bigint();
      for (let i = 0; i < PER_ROUND[size]; i++) sink = call();
      ns[build] = Number(process.hrtime.bigint() - start) / PER_ROUND[size];
    }
    if (round < WARM_UP) continue;
    (ratios[size] ??= []).push(ns.after / ns.before);
    (times[size] ??= { before: [], after: [] }).before.push(ns.before);
    times[size].after.push(ns.after);
  }
}
if (sink === undefined) throw new Error("unreachable: keeps the results alive");

const quantile = (values, q) => [...values].sort((a, b) => a - b)[Math.floor(q * (values.length - 1))];
console.log(`Node ${process.version}, ${ROUNDS - WARM_UP} paired rounds: after / before per round (median [quartiles]), median ns`);
for (const size of Object.keys(payloads)) {
  const r = ratios[size];
  const t = times[size];
  console.log(
    `${size.padEnd(7)} ${quantile(r, 0.5).toFixed(3)} [${quantile(r, 0.25).toFixed(3)}, ${quantile(r, 0.75).toFixed(3)}]` +
      `  before ${quantile(t.before, 0.5).toFixed(0)} ns, after ${quantile(t.after, 0.5).toFixed(0)} ns`,
  );
}
