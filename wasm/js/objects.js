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
