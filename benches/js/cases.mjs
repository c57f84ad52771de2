// The three benchmark tokens (the same payloads as the Rust benches) and a
// measuring loop, shared by the Node benchmark and the Deno/Bun/workerd one.
// Only node:crypto's createHmac is needed, which all four runtimes offer.
import { createHmac } from "node:crypto";

export const SECRET = "benchmark secret, thirty-two b!!";
export const NOW = 1700000100;
const access = `{"iss":"https://auth.example.com","sub":"user-42","aud":"api","exp":1700000900,"iat":1700000000,"nbf":1700000000,"jti":"6f1c2a9e-8d4b-4c1e-9f2a-3b5d7e9a1c3f","sid":"s-7f3a2b","scope":"profile:read likes:write","azp":"web-app"}`;
const roles = Array.from({ length: 40 }, (_, i) => `"role-${String(i).padStart(2, "0")}-reader"`).join(",");
const large = `${access.slice(0, -1)},"roles":[${roles}],"meta":{"tenant":"tenant-0001","region":"eu-west-1","flags":{"beta":true,"mfa":true,"level":3},"quota":[100,250,500],"created":"2024-01-01T00:00:00Z"}}`;
export const payloads = { small: `{"sub":"42","exp":1700000900}`, access, large };

const b64 = (s) => btoa(s).replaceAll("+", "-").replaceAll("/", "_").replaceAll("=", "");
export function sign(payload) {
  const input = `${b64('{"alg":"HS256","typ":"JWT"}')}.${b64(payload)}`;
  return `${input}.${createHmac("sha256", SECRET).update(input).digest("base64url")}`;
}

/** The policy options of each size: issuer and audience for all but small. */
export const verifierOptions = (size) => (size === "small" ? {} : { issuer: "https://auth.example.com", audience: "api" });

/** A Tessera verifier and a raw-HMAC check per size. */
export function setup(tessera) {
  const key = new TextEncoder().encode(SECRET);
  return Object.fromEntries(
    Object.entries(payloads).map(([size, payload]) => {
      const token = sign(payload);
      const verifier = new tessera.Verifier(key, verifierOptions(size));
      const input = token.slice(0, token.lastIndexOf("."));
      const sig = token.slice(token.lastIndexOf(".") + 1);
      return [size, {
        token,
        tessera: () => verifier.verify(token, NOW).sub !== undefined,
        hmac: () => createHmac("sha256", SECRET).update(input).digest("base64url") === sig,
      }];
    }),
  );
}

/** Median ns per call of five timed runs after a warm-up; `now()` in ms. */
export async function measure(fn, iterations, now = () => performance.now()) {
  // A synchronous function is timed in a plain loop: awaiting its result
  // would add a microtask to every call (to every library alike, so ratios
  // hold, but it inflated the absolute times). What it returns is kept in
  // `sink` so that no call can be optimised away.
  let sink = fn();
  const isAsync = typeof sink?.then === "function";
  if (isAsync) await sink;
  const run = isAsync
    ? async (n) => {
        for (let i = 0; i < n; i++) sink = await fn();
      }
    : (n) => {
        for (let i = 0; i < n; i++) sink = fn();
      };
  await run(iterations / 5);
  const runs = [];
  for (let r = 0; r < 5; r++) {
    const start = now();
    await run(iterations);
    runs.push(((now() - start) * 1e6) / iterations);
  }
  if (sink === measure) throw new Error("unreachable: keeps the results alive");
  runs.sort((a, b) => a - b);
  return runs[2];
}

/** The `q` quantile (0…1) of `values`, by rank. */
export const quantile = (values, q) => [...values].sort((a, b) => a - b)[Math.floor(q * (values.length - 1))];

/**
 * Paired rounds: in each round every function of `fns` (name → function)
 * runs `n` times back to back, in an order that rotates per round, and
 * the ns per call of each is recorded; the first `warmUp` rounds are
 * dropped. Returns one array per name, aligned by round, so that ratios
 * are taken within a round (where the machine's state is shared).
 */
export function pairedRounds(fns, { rounds, warmUp, n }) {
  const names = Object.keys(fns);
  const ns = Object.fromEntries(names.map((name) => [name, []]));
  let sink;
  for (let round = 0; round < rounds; round++) {
    const times = {};
    for (let i = 0; i < names.length; i++) {
      const name = names[(i + round) % names.length];
      const fn = fns[name];
      const start = process.hrtime.bigint();
      for (let k = 0; k < n; k++) sink = fn();
      times[name] = Number(process.hrtime.bigint() - start) / n;
    }
    if (round >= warmUp) for (const name of names) ns[name].push(times[name]);
  }
  if (sink === pairedRounds) throw new Error("unreachable: keeps the results alive");
  return ns;
}
