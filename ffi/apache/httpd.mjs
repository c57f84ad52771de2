// Starts Debian's Apache httpd (/usr/sbin/apache2) in the foreground, single
// process (-X), with mod_tessera and httpd.conf.in beside this file: the
// demo's image service. Used by `make demo` (wasm/examples/edge-auth/
// server.mjs) and tests/httpd/. `valgrind: true` runs it under valgrind and
// `stop()` then reports valgrind's error count.
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { connect } from "node:net";

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
export const MODULE = here("../../target/apache/.libs/mod_tessera.so");

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const listening = (port) =>
  new Promise((resolve) => {
    const s = connect(port, "127.0.0.1", () => {
      s.end();
      resolve(true);
    });
    s.on("error", () => resolve(false));
  });

// Writes httpd.conf.in filled in, plus `extra` directives, under `root`.
function writeConf({ port, root, jwksUrl, origin, cooldown = 30, module = MODULE, extra = "" }) {
  if (!existsSync(module)) throw new Error(`${module} is missing: run make httpd-module`);
  mkdirSync(root, { recursive: true });
  const conf = readFileSync(here("./httpd.conf.in"), "utf8")
    .replaceAll("@ROOT@", root)
    .replaceAll("@PORT@", String(port))
    .replaceAll("@MODULE@", module)
    .replaceAll("@JWKS_URL@", jwksUrl)
    .replaceAll("@COOLDOWN@", String(cooldown))
    .replaceAll("@CGI@", here("./image-service.cgi"))
    .replaceAll("@ORIGIN@", origin);
  const confFile = join(root, "httpd.conf");
  writeFileSync(confFile, `${conf}\n${extra}\n`);
  return ["-f", confFile, ...(process.getuid?.() === 0 ? ["-D", "AsRoot"] : [])];
}

// `apache2 -t` on the configuration with `extra`: { ok, output }.
export function configTest(options) {
  const r = spawnSync("/usr/sbin/apache2", ["-t", ...writeConf(options)], { encoding: "utf8" });
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
}

export async function startHttpd({ valgrind = false, ...options }) {
  const { port, root } = options;
  const args = ["-X", ...writeConf(options)];
  const valgrindLog = join(root, "valgrind.log");
  const [cmd, argv] = valgrind
    ? ["valgrind", ["-q", "--error-exitcode=99", "--leak-check=no", `--log-file=${valgrindLog}`, "/usr/sbin/apache2", ...args]]
    : ["/usr/sbin/apache2", args];
  // The PidFile under `root` is ours alone. One left by an httpd still on
  // its way down (stopped with the previous run) would make this one exit
  // with "already running".
  rmSync(join(root, "httpd.pid"), { force: true });
  const child = spawn(cmd, argv, { stdio: ["ignore", "inherit", "inherit"] });
  // httpd goes down with this process however it ends: Miniflare's exit
  // hook answers SIGINT and SIGTERM with process.exit() before an async
  // `stop()` can run, and an orphaned httpd would hold the port.
  const orphanGuard = () => child.kill("SIGTERM");
  process.on("exit", orphanGuard);
  const exited = new Promise((resolve) =>
    child.on("exit", (code, signal) => {
      process.off("exit", orphanGuard);
      resolve({ code, signal });
    }),
  );
  const errorLog = () => (existsSync(join(root, "error.log")) ? readFileSync(join(root, "error.log"), "utf8") : "");
  const deadline = Date.now() + (valgrind ? 120000 : 20000);
  while (!(await listening(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`httpd did not start:\n${errorLog()}`);
    }
    await sleep(100);
  }
  return {
    url: `http://127.0.0.1:${port}`,
    errorLog,
    // Stops httpd; resolves to { code, signal, valgrindErrors (null without valgrind) }.
    async stop() {
      child.kill("SIGTERM");
      const r = await exited;
      let valgrindErrors = null;
      if (valgrind) {
        const log = existsSync(valgrindLog) ? readFileSync(valgrindLog, "utf8") : "";
        valgrindErrors = r.code === 99 || /Invalid (read|write)|uninitialised|Mismatched free|Invalid free/.test(log) ? log : "";
      }
      return { ...r, valgrindErrors };
    },
  };
}
