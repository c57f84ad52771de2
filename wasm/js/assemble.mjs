// Completes wasm/pkg after wasm-bindgen: the entry points, package.json,
// types and README. Run by `make wasm`.
import { readFileSync, writeFileSync, readdirSync, statSync, copyFileSync } from "node:fs";
import { join, relative } from "node:path";

const pkg = process.argv[2];
const version = process.argv[3];

function find(dir, name) {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) {
      const found = find(path, name);
      if (found) return found;
    } else if (entry === name) return path;
  }
  return null;
}

// Strings into WebAssembly: wasm-bindgen copies the ASCII prefix with a
// per-character JavaScript loop, which costs ~2 ns a character (3 us for a
// 1.5 KB token, a third of a verify); TextEncoder.encodeInto does the same
// in ~0.1 us. The non-ASCII remainder keeps wasm-bindgen's own path. The
// replaced text is matched exactly: a wasm-bindgen upgrade that changes it
// fails the build here instead of silently losing the fast path.
const glue = join(pkg, "tessera_wasm.js");
const asciiLoop = `    let offset = 0;

    for (; offset < len; offset++) {
        const code = arg.charCodeAt(offset);
        if (code > 0x7F) break;
        mem[ptr + offset] = code;
    }
    if (offset !== len) {
        if (offset !== 0) {
            arg = arg.slice(offset);
        }
`;
const encodeInto = `    const head = cachedTextEncoder.encodeInto(arg, mem.subarray(ptr, ptr + len));
    let offset = head.written;
    if (head.read !== len) {
        arg = arg.slice(head.read);
`;
const source = readFileSync(glue, "utf8");
if (source.split(asciiLoop).length !== 2) throw new Error(`${glue}: wasm-bindgen's string copy loop not found once; update assemble.mjs`);
const patched = source.replace(asciiLoop, encodeInto);
writeFileSync(glue, patched);

// The fast path of Verifier.verify/verifyResult (js/fast.js) relies on two
// details of the generated class: a freed object's address is set to 0,
// and the fast-path methods exist. Checked here, like the text above.
for (const needle of ["        this.__wbg_ptr = 0;\n        VerifierFinalization.unregister(this);", "    fastVerify(len, has_now, now, for_result) {"]) {
  if (!patched.includes(needle)) throw new Error(`${glue}: ${JSON.stringify(needle)} not found; update js/fast.js and assemble.mjs`);
}

// The wasm-bindgen snippet that defines TesseraError: re-exported so that
// `instanceof TesseraError` works against the very class the module throws;
// fast.js takes its errors from it.
const errors = "./" + relative(pkg, find(join(pkg, "snippets"), "errors.js"));
const fast = readFileSync(new URL("./fast.js", import.meta.url), "utf8");
if (fast.split('"./ERRORS_SNIPPET"').length !== 2) throw new Error("fast.js: the ERRORS_SNIPPET import not found once");
writeFileSync(join(pkg, "fast.js"), fast.replace('"./ERRORS_SNIPPET"', JSON.stringify(errors)));

const reexports = `import "./fast.js";\nexport * from "./tessera_wasm.js";\nexport { TesseraError } from "${errors}";\n`;

// Browsers and Deno: `await init()` fetches the .wasm next to this file.
writeFileSync(join(pkg, "index.js"), `${reexports}export { default } from "./tessera_wasm.js";\n`);
writeFileSync(join(pkg, "index.d.ts"), `export * from "./tessera_wasm.js";\nexport { default } from "./tessera_wasm.js";\n`);

// Node and Bun: ready on import (the .wasm is read from disk synchronously).
writeFileSync(
  join(pkg, "node.js"),
  `import { readFileSync } from "node:fs";\nimport { initSync } from "./tessera_wasm.js";\n` +
    `initSync({ module: readFileSync(new URL("./tessera_wasm_bg.wasm", import.meta.url)) });\n${reexports}`,
);
writeFileSync(join(pkg, "node.d.ts"), `export * from "./tessera_wasm.js";\n`);

// workerd (Cloudflare Workers, Miniflare): the runtime hands the .wasm
// import over as a compiled WebAssembly.Module; initSync takes it as is.
writeFileSync(
  join(pkg, "workerd.js"),
  `import wasm from "./tessera_wasm_bg.wasm";\nimport { initSync } from "./tessera_wasm.js";\n` +
    `initSync({ module: wasm });\n${reexports}`,
);
writeFileSync(join(pkg, "workerd.d.ts"), `export * from "./tessera_wasm.js";\n`);

writeFileSync(
  join(pkg, "package.json"),
  JSON.stringify(
    {
      name: "tessera-jwt",
      version,
      description: "Allocation-free HMAC JWT verification and issuance, as WebAssembly (same core as the Rust and C libraries)",
      type: "module",
      license: "MIT OR Apache-2.0",
      main: "./node.js",
      types: "./index.d.ts",
      exports: {
        ".": {
          types: "./index.d.ts",
          workerd: "./workerd.js",
          node: "./node.js",
          bun: "./node.js",
          default: "./index.js",
        },
        "./web": "./index.js",
        "./node": "./node.js",
        "./workerd": "./workerd.js",
        "./tessera_wasm_bg.wasm": "./tessera_wasm_bg.wasm",
      },
      files: ["*.js", "*.d.ts", "*.wasm", "snippets/**", "README.md"],
      sideEffects: ["./node.js", "./workerd.js", "./fast.js"],
    },
    null,
    2,
  ) + "\n",
);
copyFileSync(new URL("./README.md", import.meta.url), join(pkg, "README.md"));
console.log(`assembled ${pkg} (TesseraError from ${errors})`);
