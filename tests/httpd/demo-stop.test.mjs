// `make demo`'s server (the edge-auth worker with the image service beside
// it) takes its Apache httpd down when it is stopped: Miniflare answers
// SIGTERM and SIGINT with process.exit() before an async cleanup can run,
// and an orphaned httpd kept the image port bound after the demo ended.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const server = fileURLToPath(new URL("../../wasm/examples/edge-auth/server.mjs", import.meta.url));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const listening = (port) =>
  new Promise((resolve) => {
    const s = connect({ port, host: "127.0.0.1" }, () => {
      s.destroy();
      resolve(true);
    });
    s.on("error", () => resolve(false));
  });

for (const signal of ["SIGINT", "SIGTERM"]) {
  test(`the demo server stops its httpd on ${signal}`, async () => {
    const dir = mkdtempSync(join(tmpdir(), "demo-stop-"));
    const port = 20000 + Math.floor(Math.random() * 20000);
    const imagePort = port + 1;
    const child = spawn(process.execPath, [server], {
      env: { ...process.env, PORT: String(port), IMAGE_PORT: String(imagePort), EDGE_AUTH_DATA: join(dir, "d1"), EDGE_AUTH_QUIET: "1" },
      stdio: ["ignore", "ignore", "inherit"],
    });
    const exited = new Promise((resolve) => child.on("exit", resolve));
    try {
      const deadline = Date.now() + 90000;
      while (!(await listening(imagePort))) {
        assert.ok(child.exitCode === null && Date.now() < deadline, "the image service never listened");
        await sleep(200);
      }
      child.kill(signal);
      await exited;
      // httpd may take a moment to close its socket after the signal.
      let open = true;
      for (let i = 0; i < 50 && open; i++) {
        open = await listening(imagePort);
        if (open) await sleep(100);
      }
      assert.equal(open, false, `httpd still listens on ${imagePort} after the server ended`);
    } finally {
      child.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
