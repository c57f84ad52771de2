// What `npm publish` would upload from wasm/pkg (nothing is uploaded): every
// file the `exports` map, `main` and `types` name, the licences and the
// README are in the tarball, and nothing from outside the package is.
// usage: node tests/js/package-check.mjs
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

const pkgDir = new URL("../../wasm/pkg/", import.meta.url);
const manifest = JSON.parse(readFileSync(new URL("package.json", pkgDir), "utf8"));
const [tarball] = JSON.parse(execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: pkgDir, encoding: "utf8" }));
const files = new Set(tarball.files.map((f) => f.path));

const targets = new Set([manifest.main, manifest.types, "LICENSE-MIT", "LICENSE-APACHE", "README.md"]);
const walk = (v) => (typeof v === "string" ? targets.add(v) : Object.values(v).forEach(walk));
walk(manifest.exports);
const missing = [...targets].map((t) => t.replace(/^\.\//, "")).filter((t) => !files.has(t));
// .d.ts beside every entry a runtime loads, so types match what runs.
const entries = [...targets].filter((t) => /\.js$/.test(t)).map((t) => t.replace(/^\.\//, ""));
const untyped = entries.filter((t) => !files.has(t.replace(/\.js$/, ".d.ts")));
const stray = [...files].filter((f) => /(^|\/)(node_modules|target|\.git)\//.test(f) || f.endsWith(".map"));
// Size budgets, gzip -9 (what edge platforms and browsers transfer), both
// issue #14's: the full module's 110 KB, and the HMAC module no larger than
// it was when the public-key work began (54,345 bytes, 2026-11-24; see
// wasm/js/README.md, "Size"), so that growth is seen, not shipped unnoticed.
const budgets = { "tessera_wasm_bg.wasm": 54_345, "full/tessera_wasm_bg.wasm": 110_000 };
const oversized = Object.entries(budgets).flatMap(([file, budget]) => {
  // GNU gzip, as `make wasm` reports (zlib's level 9 comes out ~1% larger).
  const size = execFileSync("gzip", ["-9c", new URL(file, pkgDir).pathname]).length;
  console.log(`package-check: ${file} ${size} bytes gzip (budget ${budget})`);
  return size > budget ? [`${file} is ${size} bytes gzip, over its budget of ${budget}`] : [];
});
const problems = [
  ...oversized,
  ...missing.map((f) => `named by package.json but not in the tarball: ${f}`),
  ...untyped.map((f) => `no declarations beside ${f}`),
  ...stray.map((f) => `does not belong in the tarball: ${f}`),
];
for (const p of problems) console.error(`package-check: ${p}`);
console.log(`package-check: ${manifest.name}@${manifest.version}, ${files.size} files, ${(tarball.size / 1024).toFixed(1)} KiB packed, ${targets.size} named files present`);
process.exit(problems.length ? 1 : 0);
