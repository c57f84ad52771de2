// make test-ts: the package's declarations under `tsc --strict`, the way
// users meet them (resolved through package.json `exports`, Node's
// conditions): the JavaScript snippets of README.md and wasm/js/README.md
// are type-checked (checkJs), and tests/js/ts/typed.ts is compiled and run.
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const work = `${root}target/ts-check/`;
rmSync(work, { recursive: true, force: true });
mkdirSync(`${work}node_modules`, { recursive: true });
mkdirSync(`${work}snippets`);
symlinkSync(`${root}wasm/pkg`, `${work}node_modules/tessera-jwt`, "dir");
// Hono with its own declarations, to check the middleware against them.
symlinkSync(`${root}wasm/node_modules/hono`, `${work}node_modules/hono`, "dir");
writeFileSync(`${work}package.json`, '{ "type": "module", "private": true }\n');
cpSync(new URL("./typed.ts", import.meta.url), `${work}typed.ts`);
cpSync(new URL("./compile-only.ts", import.meta.url), `${work}compile-only.ts`);
cpSync(new URL("./globals.d.ts", import.meta.url), `${work}globals.d.ts`);

// Every ```js / ```ts block of the READMEs, as its own module. The browser
// snippet imports the web entry by the path it is served at.
let count = 0;
for (const readme of ["README.md", "wasm/js/README.md"]) {
  const text = readFileSync(`${root}${readme}`, "utf8");
  for (const [, lang, body] of text.matchAll(/^```(js|ts)\n([\s\S]*?)^```$/gm)) {
    count += 1;
    const name = `${readme.replace(/[/.]/g, "_")}_${count}.${lang === "ts" ? "mts" : "mjs"}`;
    writeFileSync(`${work}snippets/${name}`, `${body.replaceAll('"/pkg/index.js"', '"tessera-jwt/web"')}\nexport {};\n`);
  }
}
if (count < 4) throw new Error(`only ${count} README snippets found: the extraction is broken`);

writeFileSync(
  `${work}tsconfig.json`,
  JSON.stringify({
    compilerOptions: {
      strict: true, target: "ES2022", module: "node16", moduleResolution: "node16", allowJs: true, checkJs: true,
      outDir: "out", types: ["node"], typeRoots: [`${root}wasm/node_modules/@types`], skipLibCheck: false,
      lib: ["ES2022", "DOM"],
    },
    include: ["globals.d.ts", "typed.ts", "compile-only.ts", "snippets/*"],
  }),
);
const tsc = `${root}wasm/node_modules/typescript/bin/tsc`;
try {
  execFileSync(process.execPath, [tsc, "-p", work], { stdio: "inherit" });
} catch {
  console.error("test-ts: tsc --strict failed");
  process.exit(1);
}
execFileSync(process.execPath, [`${work}out/typed.js`], { stdio: "inherit", cwd: work });
console.log(`test-ts: ${count} README snippets and typed.ts pass tsc --strict; typed.js ran`);
