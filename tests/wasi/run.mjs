#!/usr/bin/env -S node --no-warnings
// Runs a wasm32-wasip1 test binary (cargo's `runner` for that target) in
// Node's WASI, so that the core's unit tests also run as WebAssembly, with
// the SIMD code paths that only the wasm32 build has.
import { readFile } from "node:fs/promises";
import { argv, env, exit } from "node:process";
import { WASI } from "node:wasi";

const [file, ...args] = argv.slice(2);
if (!file) {
  console.error("usage: node tests/wasi/run.mjs <test.wasm> [args...]");
  exit(2);
}
const wasi = new WASI({ version: "preview1", args: [file, ...args], env, returnOnExit: true });
const module = await WebAssembly.compile(await readFile(file));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
exit(wasi.start(instance));
