// Every shared vector inside workerd: the same runner as Node, Deno, Bun
// and Chromium, against the module as Workers load it.
import * as tessera from "../../../wasm/pkg/workerd.js";
import * as full from "../../../wasm/pkg/full/workerd.js";
import * as issuer from "../../../wasm/pkg/issuer/workerd.js";
import { publicVectorsForJs, runPublicVectors, runPublicVectorsAsync, runSignVectors, runVerifyVectors } from "../run-vectors.mjs";
import verifyText from "../../vectors/verify.json";
import signText from "../../vectors/sign.json";
import publicText from "../../vectors/public.json";

export default {
  async fetch() {
    const verify = JSON.parse(verifyText);
    const sign = JSON.parse(signText);
    const publicKeys = JSON.parse(publicText);
    const failures = [
      ...runVerifyVectors(tessera, verify),
      ...runSignVectors(tessera, sign, issuer),
      ...runPublicVectors(full, publicKeys).map((f) => `full: ${f}`),
      ...(await runPublicVectorsAsync(full, publicKeys)).map((f) => `full async: ${f}`),
    ];
    return Response.json({ total: verify.length + sign.length + publicVectorsForJs(publicKeys), failures });
  },
};
