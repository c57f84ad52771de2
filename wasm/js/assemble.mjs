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

// See "Strings into WebAssembly" in assemble() below.
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

// Completes one wasm-bindgen output directory: the glue patches and the
// entry points per runtime. Run for the HMAC module (the package root) and
// the full module (`full/`).
function assemble(dir, ownExports = "") {
  // Every module ships the Hono and Express middleware, bound to its own
  // bearerToken and scopeContains.
  copyFileSync(new URL("./middleware.js", import.meta.url), join(dir, "middleware.js"));
  copyFileSync(new URL("./middleware.d.ts", import.meta.url), join(dir, "middleware.d.ts"));
  const extraExports = `export { honoBearer, expressBearer } from "./middleware.js";\n${ownExports}`;
  // Strings into WebAssembly: wasm-bindgen copies the ASCII prefix with a
  // per-character JavaScript loop, which costs ~2 ns a character (3 us for a
  // 1.5 KB token, a third of a verify); TextEncoder.encodeInto does the same
  // in ~0.1 us. The non-ASCII remainder keeps wasm-bindgen's own path. The
  // replaced text is matched exactly: a wasm-bindgen upgrade that changes it
  // fails the build here instead of silently losing the fast path.
  const glue = join(dir, "tessera_wasm.js");
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
  const errors = "./" + relative(dir, find(join(dir, "snippets"), "errors.js"));
  const fast = readFileSync(new URL("./fast.js", import.meta.url), "utf8");
  if (fast.split('"./ERRORS_SNIPPET"').length !== 2) throw new Error("fast.js: the ERRORS_SNIPPET import not found once");
  writeFileSync(join(dir, "fast.js"), fast.replace('"./ERRORS_SNIPPET"', JSON.stringify(errors)));

  const reexports = `import "./fast.js";\nexport * from "./tessera_wasm.js";\nexport { TesseraError } from "${errors}";\n${extraExports}`;

  // Browsers and Deno: `await init()` fetches the .wasm next to this file.
  // Node's fetch cannot read a file: URL, so there init() reads it from disk
  // (process.getBuiltinModule: no static node: import in the web entry).
  writeFileSync(
    join(dir, "index.js"),
    `${reexports}import wbgInit from "./tessera_wasm.js";\n` +
      `export default function init(input) {\n` +
      `  if (input === undefined && import.meta.url.startsWith("file:") && typeof globalThis.process?.getBuiltinModule === "function") {\n` +
      `    const { readFileSync } = globalThis.process.getBuiltinModule("node:fs");\n` +
      `    return wbgInit({ module_or_path: readFileSync(new URL("./tessera_wasm_bg.wasm", import.meta.url)) });\n` +
      `  }\n` +
      `  return wbgInit(input);\n` +
      `}\n`,
  );
  writeFileSync(join(dir, "index.d.ts"), `export * from "./tessera_wasm.js";\nexport { default } from "./tessera_wasm.js";\n${extraTypes(extraExports)}`);

  // Node and Bun: ready on import (the .wasm is read from disk synchronously).
  writeFileSync(
    join(dir, "node.js"),
    `import { readFileSync } from "node:fs";\nimport { initSync } from "./tessera_wasm.js";\n` +
      `initSync({ module: readFileSync(new URL("./tessera_wasm_bg.wasm", import.meta.url)) });\n${reexports}`,
  );
  writeFileSync(join(dir, "node.d.ts"), `export * from "./tessera_wasm.js";\n${extraTypes(extraExports)}`);

  // workerd (Cloudflare Workers, Miniflare): the runtime hands the .wasm
  // import over as a compiled WebAssembly.Module; initSync takes it as is.
  writeFileSync(
    join(dir, "workerd.js"),
    `import wasm from "./tessera_wasm_bg.wasm";\nimport { initSync } from "./tessera_wasm.js";\n` +
      `initSync({ module: wasm });\n${reexports}`,
  );
  writeFileSync(join(dir, "workerd.d.ts"), `export * from "./tessera_wasm.js";\n${extraTypes(extraExports)}`);
  return errors;
}

// The types of the extra exports (remote-jwks.js ships its own .d.ts).
function extraTypes(extraExports) {
  return extraExports ? extraExports.replace(/\.js"/g, '.js"') : "";
}

const errors = assemble(pkg);
// The full and issuer modules: public keys, the async verify and RemoteJwks
// (issuer adds private-key signing to the same exports).
for (const name of ["full", "issuer"]) {
  const dir = join(pkg, name);
  const signer = name === "issuer" ? 'export { AsyncSigner } from "./async-signer.js";\n' : "";
  const moduleErrors = assemble(dir, `import "./async.js";\nexport { RemoteJwks } from "./remote-jwks.js";\n${signer}`);
  if (signer) {
    copyFileSync(new URL("./async-signer.js", import.meta.url), join(dir, "async-signer.js"));
    copyFileSync(new URL("./async-signer.d.ts", import.meta.url), join(dir, "async-signer.d.ts"));
  }
  copyFileSync(new URL("./async.js", import.meta.url), join(dir, "async.js"));
  copyFileSync(new URL("./async.d.ts", import.meta.url), join(dir, "async.d.ts"));
  // RemoteJwks takes TesseraError from the snippet, as fast.js does.
  const remote = readFileSync(new URL("./remote-jwks.js", import.meta.url), "utf8");
  if (remote.split('"./ERRORS_SNIPPET"').length !== 2) throw new Error("remote-jwks.js: the ERRORS_SNIPPET import not found once");
  writeFileSync(join(dir, "remote-jwks.js"), remote.replace('"./ERRORS_SNIPPET"', JSON.stringify(moduleErrors)));
  copyFileSync(new URL("./remote-jwks.d.ts", import.meta.url), join(dir, "remote-jwks.d.ts"));
}

/**
 * The package.json `exports` entries of one module directory (`""`: the
 * root): each runtime's entry with the declarations that match it, so that
 * TypeScript under `moduleResolution: node16` sees the Node entry (ready on
 * import, no default `init`) and under `bundler` the web one (with `init`).
 */
const moduleExports = (name) => {
  const at = name ? `./${name}` : ".";
  const entry = (file) => ({ types: `${at}/${file}.d.ts`, default: `${at}/${file}.js` });
  return {
    [at]: { workerd: entry("workerd"), node: entry("node"), bun: entry("node"), default: entry("index") },
    [`${at}/web`]: entry("index"),
    [`${at}/node`]: entry("node"),
    [`${at}/workerd`]: entry("workerd"),
    [`${at}/tessera_wasm_bg.wasm`]: `${at}/tessera_wasm_bg.wasm`,
  };
};

writeFileSync(
  join(pkg, "package.json"),
  JSON.stringify(
    {
      name: "tessera-jwt",
      version,
      description: "Allocation-free JWT verification (HMAC; RSA, ECDSA and EdDSA in tessera-jwt/full) and issuance (HMAC; EdDSA and ES256 in tessera-jwt/issuer), as WebAssembly (same core as the Rust and C libraries)",
      type: "module",
      license: "MIT OR Apache-2.0",
      keywords: ["jwt", "jose", "jwk", "webassembly", "cloudflare-workers"],
      engines: { node: ">=18" },
      main: "./node.js",
      types: "./node.d.ts",
      exports: {
        ...moduleExports(""),
        ...moduleExports("full"),
        ...moduleExports("issuer"),
      },
      files: ["*.js", "*.d.ts", "*.wasm", "snippets/**", "full/**", "issuer/**", "README.md", "LICENSE-MIT", "LICENSE-APACHE"],
      sideEffects: ["./node.js", "./workerd.js", "./fast.js", ...["full", "issuer"].flatMap((m) => [`./${m}/node.js`, `./${m}/workerd.js`, `./${m}/fast.js`])],
    },
    null,
    2,
  ) + "\n",
);
copyFileSync(new URL("./README.md", import.meta.url), join(pkg, "README.md"));
for (const licence of ["LICENSE-MIT", "LICENSE-APACHE"]) copyFileSync(new URL(`../../${licence}`, import.meta.url), join(pkg, licence));
console.log(`assembled ${pkg}, ${pkg}/full and ${pkg}/issuer (TesseraError from ${errors})`);
