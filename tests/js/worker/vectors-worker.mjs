// Every shared vector inside workerd: the same runner as Node, Deno, Bun
// and Chromium, against the module as Workers load it.
import * as tessera from "../../../wasm/pkg/workerd.js";
import { runSignVectors, runVerifyVectors } from "../run-vectors.mjs";
import verifyText from "../../vectors/verify.json";
import signText from "../../vectors/sign.json";

export default {
  async fetch() {
    const verify = JSON.parse(verifyText);
    const sign = JSON.parse(signText);
    const failures = [...runVerifyVectors(tessera, verify), ...runSignVectors(tessera, sign)];
    return Response.json({ total: verify.length + sign.length, failures });
  },
};
