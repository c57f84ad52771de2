// The small objects the module returns, built here: one crossing from
// WebAssembly instead of one per member.

// `verifyResult`'s two shapes, built here in one crossing each.
export function okResult(claims) {
  return { ok: true, claims };
}

export function errorResult(error) {
  return { ok: false, error };
}

// A token header as a plain object; absent members are left out.
export function headerObject(alg, typ, kid) {
  const h = { alg };
  if (typ !== undefined) h.typ = typ;
  if (kid !== undefined) h.kid = kid;
  return h;
}

export function tokenObject(header, claims) {
  return { header, claims };
}

// The custom (unregistered) members of a claims object to sign, as the text
// of a JSON object, or undefined when there are none. Own enumerable
// members only (what JSON.stringify itself reads). What JSON cannot carry
// faithfully is refused, never dropped or changed: undefined, functions,
// symbols, NaN and infinities, anywhere in a value, and a `__proto__`
// member (a prototype-pollution payload for whoever spreads the claims).
// `registered` is the space-separated list of names the signer types itself.
export function customClaimsJson(claims, registered) {
  const skip = registered.split(" ");
  let text = "";
  for (const name of Object.keys(claims)) {
    if (skip.includes(name)) continue;
    if (name === "__proto__") throw new Error("claim `__proto__` cannot be signed");
    const value = JSON.stringify(claims[name], (key, v) => {
      const t = typeof v;
      if (v === undefined || t === "function" || t === "symbol" || t === "bigint" || (t === "number" && !Number.isFinite(v))) {
        const where = key === "" ? "" : ` (at member \`${key}\`)`;
        throw new Error(`claim \`${name}\`${where} holds ${t === "number" ? v : t}, which JSON cannot carry`);
      }
      return v;
    });
    text += (text ? "," : "") + JSON.stringify(name) + ":" + value;
  }
  return text ? `{${text}}` : undefined;
}
