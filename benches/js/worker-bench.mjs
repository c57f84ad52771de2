// The workerd side of `benches/js/workerd.mjs`: GET /?size=access&op=tessera&n=20000
// runs the operation n times inside one request. (workerd's clocks do not
// advance while a request computes, so the timing happens outside.)
import * as tessera from "../../wasm/pkg/workerd.js";
import { setup } from "./cases.mjs";

const sizes = setup(tessera);

export default {
  fetch(request) {
    const url = new URL(request.url);
    const c = sizes[url.searchParams.get("size")];
    const op = c?.[url.searchParams.get("op")];
    if (!op) return new Response("unknown size or op", { status: 400 });
    let ok = 0;
    for (let i = Number(url.searchParams.get("n")); i > 0; i--) ok += op() ? 1 : 0;
    return Response.json({ ok });
  },
};
