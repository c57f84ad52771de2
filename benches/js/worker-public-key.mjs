// The workerd side of `benches/js/workerd-public-key.mjs`:
// GET /?alg=ES256&op=async&n=200 verifies the access token n times inside
// one request (sequentially awaited), with Tessera's verifyAsync
// (WebCrypto's signature check), Tessera's synchronous WebAssembly verify,
// or jose's jwtVerify. (workerd's clocks do not advance while a request
// computes, so the timing happens outside.)
import { Verifier } from "../../wasm/pkg/full/workerd.js";
import * as jose from "../../wasm/node_modules/jose/dist/webapi/index.js";
import { NOW, payloads } from "./cases.mjs";

const ISS = "https://auth.example.com";
const cases = new Map();

async function setup(alg) {
  const { publicKey, privateKey } = await jose.generateKeyPair(alg, { extractable: true, modulusLength: 2048 });
  const jwk = { ...(await jose.exportJWK(publicKey)), alg };
  const token = await new jose.CompactSign(new TextEncoder().encode(payloads.access)).setProtectedHeader({ alg, typ: "JWT" }).sign(privateKey);
  const verifier = Verifier.fromJwk(jwk, { issuer: ISS, audience: "api" });
  const options = { currentDate: new Date(NOW * 1000), issuer: ISS, audience: "api" };
  return {
    async: async () => (await verifier.verifyAsync(token, NOW)).sub !== undefined,
    sync: async () => verifier.verify(token, NOW).sub !== undefined,
    jose: async () => (await jose.jwtVerify(token, publicKey, options)).payload.sub !== undefined,
  };
}

export default {
  async fetch(request) {
    const url = new URL(request.url);
    const alg = url.searchParams.get("alg");
    if (!cases.has(alg)) cases.set(alg, await setup(alg));
    const op = cases.get(alg)[url.searchParams.get("op")];
    if (!op) return new Response("unknown op", { status: 400 });
    let ok = 0;
    for (let i = Number(url.searchParams.get("n")); i > 0; i--) ok += (await op()) ? 1 : 0;
    return Response.json({ ok });
  },
};
