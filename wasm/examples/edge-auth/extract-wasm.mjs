// workerd refuses to compile WebAssembly from bytes at run time, which is
// how hash-wasm loads its modules. This step (run by `make edge-auth`)
// writes hash-wasm's own argon2 and blake2b binaries to .wasm files, which
// the worker imports as precompiled modules (see wasm-shim.mjs).
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

const src = readFileSync(fileURLToPath(new URL("../../node_modules/hash-wasm/dist/index.esm.js", import.meta.url)), "utf8");
const out = fileURLToPath(new URL("./generated/", import.meta.url));
mkdirSync(out, { recursive: true });
const sizes = {};
for (const name of ["argon2", "blake2b"]) {
  const m = new RegExp(`var name\\$(\\w+) = "${name}";\\s*var data\\$\\1 = "([A-Za-z0-9+/=]+)"`).exec(src);
  if (!m) throw new Error(`hash-wasm: no ${name} module found`);
  const bytes = Buffer.from(m[2], "base64");
  writeFileSync(`${out}${name}.wasm`, bytes);
  sizes[name] = bytes.length;
  console.log(`edge-auth: extracted ${name}.wasm (${Buffer.from(m[2], "base64").length} bytes)`);
}
writeFileSync(`${out}sizes.mjs`, `export const SIZES = ${JSON.stringify(sizes)};\n`);
