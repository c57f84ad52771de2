// The vector runner for Deno and Bun (no node:test there): prints the
// plain "N passed, N failed" line and exits non-zero on any failure.
import * as tessera from "../../wasm/pkg/node.js";
import * as full from "../../wasm/pkg/full/node.js";
import * as issuer from "../../wasm/pkg/issuer/node.js";
import { publicVectorsForJs, runPublicVectors, runPublicVectorsAsync, runSignVectors, runVerifyVectors } from "./run-vectors.mjs";

const runtime = globalThis.process?.argv?.[2] ?? globalThis.Deno?.args?.[0] ?? "js";
const read = async (name) => {
  const url = new URL(`../vectors/${name}`, import.meta.url);
  const text = globalThis.Deno ? await Deno.readTextFile(url) : await (await import("node:fs/promises")).readFile(url, "utf8");
  return JSON.parse(text);
};

const verify = await read("verify.json");
const sign = await read("sign.json");
const publicKeys = await read("public.json");
const failures = [
  ...runVerifyVectors(tessera, verify),
  ...runSignVectors(tessera, sign, issuer),
  ...runPublicVectors(full, publicKeys).map((f) => `full: ${f}`),
  ...(await runPublicVectorsAsync(full, publicKeys)).map((f) => `full async: ${f}`),
];
const total = verify.length + sign.length + publicVectorsForJs(publicKeys);
for (const f of failures) console.error(`FAIL ${f}`);
console.log(`${runtime} vectors: ${total - failures.length} passed, ${failures.length} failed`);
if (failures.length > 0 || total < 400) (globalThis.Deno ? Deno.exit(1) : process.exit(1));
