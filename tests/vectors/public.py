#!/usr/bin/env python3
"""Generates tests/vectors/public.json: the public-key verification vectors
(RS256..PS512, ES256, ES384, EdDSA; single keys and JWK Sets).

Every surface (Rust, C, JavaScript's full module) runs every vector and
must reach the same verdict. Tokens are signed here with Python's
`cryptography` and the keys of tests/keys — nothing depends on Tessera.
Signatures are deterministic so that `--check` can compare bytes: ECDSA
with RFC 6979 nonces (`deterministic_signing`), PSS with a salt derived
from the message and the RSA private operation done in Python integers
(then checked by `cryptography`'s own PSS verification).

Each vector: name, rule, token, then either
  key:    {"alg": caller's algorithm or absent, "jwk": {...}} or {"alg", "pem"}
  keyset: {"jwks": {...}, "rsa_default": "RS256" (optional)}
policy (as in verify.json) and expect: {"ok": true, "header", "claims"}, or
{"ok": false, "error": ...}, or {"ok": false, "error": ..., "at": "import"}
when the key (or set) itself must be refused.

Run: python3 tests/vectors/public.py [--check]
"""
import base64
import hashlib
import json
import os
import sys

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

HERE = os.path.dirname(os.path.abspath(__file__))
KEYS = os.path.join(HERE, "..", "keys")
NOW = 1_700_000_000
VECTORS = []
HASH = {"256": (hashes.SHA256, hashlib.sha256), "384": (hashes.SHA384, hashlib.sha384),
        "512": (hashes.SHA512, hashlib.sha512)}


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def uint(i: int) -> bytes:
    return i.to_bytes((i.bit_length() + 7) // 8, "big")


def private(name):
    with open(os.path.join(KEYS, f"{name}.pem"), "rb") as f:
        return serialization.load_pem_private_key(f.read(), None)


def public_pem(name) -> str:
    with open(os.path.join(KEYS, f"{name}.pub.pem")) as f:
        return f.read()


def jwk(key) -> dict:
    pub = key.public_key() if hasattr(key, "public_key") else key
    if isinstance(pub, rsa.RSAPublicKey):
        n = pub.public_numbers()
        return {"kty": "RSA", "n": b64(uint(n.n)), "e": b64(uint(n.e))}
    if isinstance(pub, ec.EllipticCurvePublicKey):
        n, size = pub.public_numbers(), (pub.curve.key_size + 7) // 8
        crv = {"secp256r1": "P-256", "secp384r1": "P-384"}[pub.curve.name]
        return {"kty": "EC", "crv": crv, "x": b64(n.x.to_bytes(size, "big")), "y": b64(n.y.to_bytes(size, "big"))}
    raw = pub.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return {"kty": "OKP", "crv": "Ed25519", "x": b64(raw)}


def pss_sign(key, message: bytes, bits: str) -> bytes:
    """EMSA-PSS-ENCODE (RFC 8017 §9.1.1) with a salt derived from the message, then m^d mod n."""
    hlen = int(bits) // 8
    h = HASH[bits][1]
    n = key.private_numbers().public_numbers.n
    d = key.private_numbers().d
    mod_bits = n.bit_length()
    em_bits = mod_bits - 1
    em_len = (em_bits + 7) // 8
    salt = h(b"salt" + message).digest()
    m_hash = h(message).digest()
    hh = h(b"\0" * 8 + m_hash + salt).digest()
    db = b"\0" * (em_len - 2 * hlen - 2) + b"\x01" + salt
    mask, counter = b"", 0
    while len(mask) < len(db):
        mask += h(hh + counter.to_bytes(4, "big")).digest()
        counter += 1
    masked = bytes(a ^ b for a, b in zip(db, mask))
    masked = bytes([masked[0] & (0xFF >> (8 * em_len - em_bits))]) + masked[1:]
    em = int.from_bytes(masked + hh + b"\xbc", "big")
    k = (mod_bits + 7) // 8
    sig = pow(em, d, n).to_bytes(k, "big")
    key.public_key().verify(sig, message, padding.PSS(padding.MGF1(HASH[bits][0]()), hlen), HASH[bits][0]())
    return sig


def signature(key, alg: str, message: bytes) -> bytes:
    bits = alg[2:]
    if alg == "EdDSA":
        return key.sign(message)
    if alg.startswith("RS"):
        return key.sign(message, padding.PKCS1v15(), HASH[bits][0]())
    if alg.startswith("PS"):
        return pss_sign(key, message, bits)
    der = key.sign(message, ec.ECDSA(HASH[bits][0](), deterministic_signing=True))
    r, s = decode_dss_signature(der)
    size = (key.curve.key_size + 7) // 8
    return r.to_bytes(size, "big") + s.to_bytes(size, "big")


def token(key, header: dict, payload: dict, alg=None, sig=None) -> str:
    alg = alg or header["alg"]
    signing_input = f"{b64(json.dumps(header, separators=(',', ':')).encode())}.{b64(json.dumps(payload, separators=(',', ':')).encode())}"
    if sig is None:
        sig = signature(key, alg, signing_input.encode())
    return f"{signing_input}.{b64(sig)}"


NONE_HEADER = b'{"alg":"none"}'
PS256_HEADER = b'{"alg":"PS256"}'
GOOD = {"iss": "https://idp.example", "sub": "user-7", "aud": "api", "exp": NOW + 900, "iat": NOW}
POLICY = {"now": NOW, "issuer": "https://idp.example", "audience": "api"}


def expect_ok(header, payload):
    claims = {k: payload[k] for k in ("iss", "sub") if k in payload}
    claims.update({k: payload[k] for k in ("exp", "iat", "nbf") if k in payload})
    if "aud" in payload:
        claims["aud"] = [payload["aud"]] if isinstance(payload["aud"], str) else payload["aud"]
    return {"ok": True, "header": {k: header[k] for k in ("alg", "typ", "kid") if k in header}, "claims": claims}


def add(name, rule, tok, expect, key=None, keyset=None, policy=None):
    v = {"name": name, "rule": rule, "token": tok}
    if key is not None:
        v["key"] = key
    else:
        v["keyset"] = keyset
    v["policy"] = policy or POLICY
    if isinstance(expect, str):
        err, _, at = expect.partition("@")
        expect = {"ok": False, "error": err}
        if at:
            expect["at"] = at
    v["expect"] = expect
    VECTORS.append(v)


FAMILIES = [  # (alg, key file)
    ("RS256", "rsa2048"), ("RS384", "rsa2048"), ("RS512", "rsa4096"), ("PS256", "rsa2048"),
    ("PS256", "rsa2049"), ("PS384", "rsa4096"), ("PS512", "rsa4096"), ("ES256", "p256"), ("ES384", "p384"),
    ("EdDSA", "ed25519"),
]


def per_algorithm():
    for alg, name in FAMILIES:
        sk = private(name)
        key = {"alg": alg, "jwk": jwk(sk)}
        h = {"alg": alg, "typ": "JWT"}
        tag = f"{alg} {name}"
        good = token(sk, h, GOOD)
        add(f"{tag}: valid", "5", good, expect_ok(h, GOOD), key)
        add(f"{tag}: valid, key from SPKI PEM", "5", good, expect_ok(h, GOOD), {"alg": alg, "pem": public_pem(name)})
        add(f"{tag}: expired", "9", good, "Expired", key, policy={**POLICY, "now": NOW + 900})
        hp, pp, sp = good.split(".")
        other = b64(json.dumps({**GOOD, "sub": "admin"}, separators=(",", ":")).encode())
        add(f"{tag}: payload changed", "5", f"{hp}.{other}.{sp}", "BadSignature", key)
        sig = base64.urlsafe_b64decode(sp + "=" * (-len(sp) % 4))
        add(f"{tag}: signature one byte short", "5", f"{hp}.{pp}.{b64(sig[:-1])}", "BadSignature", key)
        add(f"{tag}: signature with a leading zero byte", "5", f"{hp}.{pp}.{b64(bytes(1) + sig)}", "BadSignature", key)
        add(f"{tag}: signature bit flipped", "5", f"{hp}.{pp}.{b64(sig[:-1] + bytes([sig[-1] ^ 1]))}", "BadSignature", key)
        # The token re-signed as HS256 with the public key's PEM text as the secret.
        import hmac as _hmac
        hs = {"alg": "HS256", "typ": "JWT"}
        si = f"{b64(json.dumps(hs, separators=(',', ':')).encode())}.{pp}"
        mac = _hmac.new(public_pem(name).encode(), si.encode(), hashlib.sha256).digest()
        add(f"{tag}: HS256 with the public PEM as secret", "4b", f"{si}.{b64(mac)}", "AlgorithmMismatch", key)
        none = f"{b64(NONE_HEADER)}.{pp}.{sp}"
        add(f"{tag}: alg none", "4b", none, "AlgorithmMismatch", key)
    # RSA: another RSA algorithm's token against this key; s = n; s > n.
    sk = private("rsa2048")
    n = sk.public_key().public_numbers().n
    h = {"alg": "RS256"}
    good = token(sk, h, GOOD)
    add("RS256 token against a PS256 key", "4b", good, "AlgorithmMismatch", {"alg": "PS256", "jwk": jwk(sk)})
    hp, pp, _ = good.split(".")
    add("RS256: s = n", "5", f"{hp}.{pp}.{b64(uint(n))}", "BadSignature", {"alg": "RS256", "jwk": jwk(sk)})
    add("RS256: s = n + 2", "5", f"{hp}.{pp}.{b64(uint(n + 2))}", "BadSignature", {"alg": "RS256", "jwk": jwk(sk)})
    # PSS with a 0-byte salt (valid PSS, not PS256).
    msg = f"{b64(PS256_HEADER)}.{pp}".encode()
    zero_salt = sk.sign(msg, padding.PSS(padding.MGF1(hashes.SHA256()), 0), hashes.SHA256())
    add("PS256 with an empty salt", "5", f"{msg.decode()}.{b64(zero_salt)}", "BadSignature", {"alg": "PS256", "jwk": jwk(sk)})
    # ECDSA: high-S accepted; r = s = 0 and DER refused.
    sk = private("p256")
    h = {"alg": "ES256"}
    good = token(sk, h, GOOD)
    hp, pp, sp = good.split(".")
    raw = base64.urlsafe_b64decode(sp + "==")
    order = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
    r, s = int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big")
    high = r.to_bytes(32, "big") + (order - s).to_bytes(32, "big")
    key = {"alg": "ES256", "jwk": jwk(sk)}
    add("ES256: the other S (n - s) is also valid", "5", f"{hp}.{pp}.{b64(high)}", expect_ok(h, GOOD), key)
    add("ES256: r = s = 0", "5", f"{hp}.{pp}.{b64(bytes(64))}", "BadSignature", key)
    add("ES256: s = n", "5", f"{hp}.{pp}.{b64(raw[:32] + order.to_bytes(32, 'big'))}", "BadSignature", key)
    der = sk.sign(f"{hp}.{pp}".encode(), ec.ECDSA(hashes.SHA256(), deterministic_signing=True))
    add("ES256: a DER signature", "5", f"{hp}.{pp}.{b64(der)}", "BadSignature", key)


def published():
    a2 = ("eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ."
          "cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t1dnZcAcQ"
          "jbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqt"
          "FZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw")
    a2_n = ("ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_"
            "YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ")
    old = {"now": 1300819379, "issuer": "joe"}
    a2_ok = {"ok": True, "header": {"alg": "RS256"}, "claims": {"iss": "joe", "exp": 1300819380}}
    add("rfc7515-a2 RS256", "published", a2, a2_ok, {"jwk": {"kty": "RSA", "n": a2_n, "e": "AQAB", "alg": "RS256"}}, policy=old)
    add("rfc7515-a2 with the caller's RS256", "published", a2, a2_ok, {"alg": "RS256", "jwk": {"kty": "RSA", "n": a2_n, "e": "AQAB"}}, policy=old)
    add("rfc7515-a2: RSA JWK without alg, none given", "jwk", a2, "InvalidKey@import", {"jwk": {"kty": "RSA", "n": a2_n, "e": "AQAB"}}, policy=old)
    a3 = ("eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ."
          "DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q")
    a3_key = {"kty": "EC", "crv": "P-256", "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU", "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}
    add("rfc7515-a3 ES256", "published", a3, {"ok": True, "header": {"alg": "ES256"}, "claims": {"iss": "joe", "exp": 1300819380}}, {"jwk": a3_key}, policy=old)
    # RFC 8037 A.4: valid Ed25519 signature over a payload that is not JSON: rule 6 after rule 5.
    a4 = ("eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc."
          "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg")
    # RFC 7520 §4.1: RS256 with a kid, over a text payload (valid signature,
    # so rule 6's Malformed), checked here with `cryptography` first.
    r41 = ("eyJhbGciOiJSUzI1NiIsImtpZCI6ImJpbGJvLmJhZ2dpbnNAaG9iYml0b24uZXhhbXBsZSJ9."
           "SXTigJlzIGEgZGFuZ2Vyb3VzIGJ1c2luZXNzLCBGcm9kbywgZ29pbmcgb3V0IHlvdXIgZG9vci4gWW91IHN0ZXAgb250byB0aGUgcm9hZCwgYW5kIGlmIHlvdSBkb24ndCBrZWVwIHlvdXIgZmVldCwgdGhlcmXigJlzIG5vIGtub3dpbmcgd2hlcmUgeW91IG1pZ2h0IGJlIHN3ZXB0IG9mZiB0by4."
           "MRjdkly7_-oTPTS3AXP41iQIGKa80A0ZmTuV5MEaHoxnW2e5CZ5NlKtainoFmKZopdHM1O2U4mwzJdQx996ivp83xuglII7PNDi84wnB-BDkoBwA78185hX-Es4J"
           "IwmDLJK3lfWRa-XtL0RnltuYv746iYTh_qHRD68BNt1uSNCrUCTJDt5aAE6x8wW1Kt9eRo4QPocSadnHXFxnt8Is9UzpERV0ePPQdLuW3IS_de3xyIrDaLGdjluP"
           "xUAhb6L2aXic1U12podGU0KLUQSE_oI-ZnmKJ3F4uOZDnd6QZWJushZ41Axf_fcIe8u9ipH84ogoree7vjbU5y18kDquDg")
    r41_n = ("n4EPtAOCc9AlkeQHPzHStgAbgs7bTZLwUBZdR8_KuKPEHLd4rHVTeT-O-XV2jRojdNhxJWTDvNd7nqQ0VEiZQHz_AJmSCpMaJMRBSFKrKb2wqVwGU_NsYOYL-"
             "QtiWN2lbzcEe6XC0dApr5ydQLrHqkHHig3RBordaZ6Aj-oBHqFEHYpPe7Tpe-OfVfHd1E6cS6M1FZcD1NNLYD5lFHpPI9bTwJlsde3uhGqC0ZCuEHg8lhzwOHrtIQbS0FVbb9k3-tVTU4fg_"
             "3L_vniUFAKwuCLqKnS2BYwdq_mzSnbLY7h_qixoR7jig3__kRhuaxwUkRz5iaiQkqgc5gHdrNP5zw")
    unb64 = lambda t: base64.urlsafe_b64decode(t + "=" * (-len(t) % 4))
    pub = rsa.RSAPublicNumbers(65537, int.from_bytes(unb64(r41_n), "big")).public_key()
    pub.verify(unb64(r41.split(".")[2]), r41.rsplit(".", 1)[0].encode(), padding.PKCS1v15(), hashes.SHA256())
    bilbo = {"kty": "RSA", "kid": "bilbo.baggins@hobbiton.example", "use": "sig", "n": r41_n, "e": "AQAB"}
    add("rfc7520-4.1 RS256 over a text payload", "published", r41, "Malformed", {"alg": "RS256", "jwk": bilbo}, policy={"now": NOW})
    add("rfc7520-4.1 by kid from a set, RS256 default", "published", r41, "Malformed", keyset={"jwks": {"keys": [bilbo]}, "rsa_default": "RS256"}, policy={"now": NOW})
    h41, p41, s41 = r41.split(".")
    add("rfc7520-4.1 tampered signature", "published", f"{h41}.{p41}.A{s41[1:]}", "BadSignature", {"alg": "RS256", "jwk": bilbo}, policy={"now": NOW})
    # RFC 7520 §4.2: PS384 by the same key over the same text payload. PSS is
    # randomised, so this is the published signature, checked by
    # `cryptography` first; valid, hence rule 6's Malformed.
    h42 = "eyJhbGciOiJQUzM4NCIsImtpZCI6ImJpbGJvLmJhZ2dpbnNAaG9iYml0b24uZXhhbXBsZSJ9"
    s42 = ("cu22eBqkYDKgIlTpzDXGvaFfz6WGoz7fUDcfT0kkOy42miAh2qyBzk1xEsnk2IpN6-tPid6VrklHkqsGqDqHCdP6O8TTB5dDDItllVo6_1OLPpcbUrhiUSMx"
           "bbXUvdvWXzg-UD8biiReQFlfz28zGWVsdiNAUf8ZnyPEgVFn442ZdNqiVJRmBqrYRXe8P_ijQ7p8Vdz0TTrxUeT3lm8d9shnr2lfJT8ImUjvAA2Xez2Mlp8c"
           "BE5awDzT0qI0n6uiP1aCN_2_jLAeQTlqRHtfa64QQSUmFAAjVKPbByi7xho0uTOcbH510a6GYmJUAfmWjwZ6oD4ifKo8DYM-X72Eaw")
    r42 = f"{h42}.{p41}.{s42}"
    pub.verify(unb64(s42), f"{h42}.{p41}".encode(), padding.PSS(padding.MGF1(hashes.SHA384()), 48), hashes.SHA384())
    add("rfc7520-4.2 PS384 over a text payload", "published", r42, "Malformed", {"alg": "PS384", "jwk": bilbo}, policy={"now": NOW})
    add("rfc7520-4.2 by kid from a set, PS384 default", "published", r42, "Malformed", keyset={"jwks": {"keys": [bilbo]}, "rsa_default": "PS384"}, policy={"now": NOW})
    add("rfc7520-4.2 tampered signature", "published", f"{h42}.{p41}.A{s42[1:]}", "BadSignature", {"alg": "PS384", "jwk": bilbo}, policy={"now": NOW})
    add("rfc7520-4.2 verified as RS384", "published", r42, "AlgorithmMismatch", {"alg": "RS384", "jwk": bilbo}, policy={"now": NOW})
    # RFC 7520 §4.3: ES512 (P-521), which this version does not offer: the
    # P-521 key is passed over in a set, and the token's alg matches no key.
    h43 = "eyJhbGciOiJFUzUxMiIsImtpZCI6ImJpbGJvLmJhZ2dpbnNAaG9iYml0b24uZXhhbXBsZSJ9"
    s43 = ("AE_R_YZCChjn4791jSQCrdPZCNYqHXCTZH0-JZGYNlaAjP2kqaluUIIUnC9qvbu9Plon7KRTzoNEuT4Va2cmL1eJAQy3mtPBu_u_sDDyYjnAMDxXPn7XrT0lw-"
           "kvAD890jl8e2puQens_IEKBpHABlsbEPX6sFY8OcGDqoRuBomu9xQ2")
    p521 = {"kty": "EC", "kid": "bilbo.baggins@hobbiton.example", "use": "sig", "crv": "P-521",
            "x": "AHKZLLOsCOzz5cY97ewNUajB957y-C-U88c3v13nmGZx6sYl_oJXu9A5RkTKqjqvjyekWF-7ytDyRXYgCF5cj0Kt",
            "y": "AdymlHvOiLxXkEhayXQnNCvDX4h9htZaCJN34kfmC6pV5OhQHiraVySsUdaQkAgDPrwQrJmbnX9cwlGfP-HqHZR1"}
    add("rfc7520-4.3 ES512 against its P-521 key in a set", "published", f"{h43}.{p41}.{s43}", "AlgorithmMismatch",
        keyset={"jwks": {"keys": [p521, {**bilbo, "alg": "RS256"}]}}, policy={"now": NOW})
    add("rfc7520-4.3 the P-521 key alone", "published", f"{h43}.{p41}.{s43}", "InvalidKey@import", {"jwk": p521}, policy={"now": NOW})
    ed = {"kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}
    add("rfc8037-a4 EdDSA over a text payload", "published", a4, "Malformed", {"jwk": ed}, policy={"now": NOW})
    hp, pp, sp = a4.split(".")
    add("rfc8037-a4 tampered signature", "published", f"{hp}.{pp}.A{sp[1:]}", "BadSignature", {"jwk": ed}, policy={"now": NOW})


def keys():
    """Key import: refused keys, as JWKs and PEM."""
    sk = private("rsa2048")
    j = jwk(sk)
    good = token(sk, {"alg": "RS256"}, GOOD)
    n = base64.urlsafe_b64decode(j["n"] + "==")
    cases = [
        ("RSA e = 1", {**j, "e": "AQ"}, "WeakKey"),
        ("RSA e even", {**j, "e": "AQAA"}, "InvalidKey"),
        ("RSA e with a leading zero", {**j, "e": "AAEAAQ"}, "InvalidKey"),
        ("RSA e of 2^33", {**j, "e": "AgAAAAE"}, "InvalidKey"),
        ("RSA n with a leading zero", {**j, "n": b64(b"\0" + n)}, "InvalidKey"),
        ("RSA n of 1024 bits", {**j, "n": b64(n[:127] + bytes([n[127] | 1]))}, "WeakKey"),
        ("RSA n even", {**j, "n": b64(n[:-1] + bytes([n[-1] & 0xFE]))}, "InvalidKey"),
        ("RSA with a private member", {**j, "d": "AQAB"}, "InvalidKey"),
        ("RSA JWK alg contradicting the caller's", {**j, "alg": "PS256"}, "InvalidKey"),
        ("RSA JWK for encryption", {**j, "use": "enc"}, "InvalidKey"),
        ("oct key", {"kty": "oct", "k": b64(b"x" * 32)}, "InvalidKey"),
        ("Ed25519 identity key", {"kty": "OKP", "crv": "Ed25519", "x": b64(b"\x01" + bytes(31))}, "WeakKey"),
        ("EC point off the curve", {**jwk(private("p256")), "y": jwk(private("p256"))["x"]}, "InvalidKey"),
        ("EC P-521", {"kty": "EC", "crv": "P-521", "x": "AA", "y": "AA"}, "InvalidKey"),
    ]
    for name, key, err in cases:
        add(f"key: {name}", "jwk", good, f"{err}@import", {"alg": "RS256" if key.get("kty") == "RSA" else None, "jwk": key})
    # A PEM for the wrong algorithm family, and a private key PEM.
    add("pem: an RSA key for ES256", "spki", good, "InvalidKey@import", {"alg": "ES256", "pem": public_pem("rsa2048")})
    priv = sk.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()
    add("pem: a private key", "spki", good, "InvalidKey@import", {"alg": "RS256", "pem": priv})


def keysets():
    rs, ec256, ed = private("rsa2048"), private("p256"), private("ed25519")
    jwks = {"keys": [
        {**jwk(rs), "kid": "rsa", "alg": "RS256", "use": "sig"},
        {**jwk(ec256), "kid": "ec", "use": "sig"},
        {**jwk(ed), "kid": "ed", "key_ops": ["verify"]},
        {**jwk(rs), "kid": "rsa-noalg"},
        {"kty": "EC", "crv": "P-521", "kid": "p521", "x": "AA", "y": "AA"},
        {**jwk(ec256), "kid": "enc", "use": "enc"},
    ]}
    ks = {"jwks": jwks}
    for kid, alg, sk in (("rsa", "RS256", rs), ("ec", "ES256", ec256), ("ed", "EdDSA", ed)):
        h = {"alg": alg, "kid": kid}
        add(f"set: {alg} by kid", "4e", token(sk, h, GOOD), expect_ok(h, GOOD), keyset=ks)
    add("set: no kid", "4e", token(rs, {"alg": "RS256"}, GOOD), "UnknownKey", keyset=ks)
    add("set: unknown kid", "4e", token(rs, {"alg": "RS256", "kid": "nope"}, GOOD), "UnknownKey", keyset=ks)
    add("set: kid of a passed-over key", "4e", token(ec256, {"alg": "ES256", "kid": "enc"}, GOOD), "UnknownKey", keyset=ks)
    add("set: RSA key without alg, no default", "4e", token(rs, {"alg": "RS256", "kid": "rsa-noalg"}, GOOD), "UnknownKey", keyset=ks)
    ks_default = {"jwks": jwks, "rsa_default": "RS256"}
    h = {"alg": "RS256", "kid": "rsa-noalg"}
    add("set: RSA key without alg, RS256 default", "4e", token(rs, h, GOOD), expect_ok(h, GOOD), keyset=ks_default)
    add("set: PS256 token, RS256 default", "4b", token(rs, {"alg": "PS256", "kid": "rsa-noalg"}, GOOD), "AlgorithmMismatch", keyset=ks_default)
    add("set: kid of an EC key, RS256 token", "4b", token(rs, {"alg": "RS256", "kid": "ec"}, GOOD), "AlgorithmMismatch", keyset=ks)
    # A header carrying the attacker's own key: never used.
    attacker = ed25519.Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
    h = {"alg": "EdDSA", "kid": "ed", "jwk": jwk(attacker)}
    add("set: jwk in the header", "4e", token(attacker, h, GOOD), "BadSignature", keyset=ks)
    h = {"alg": "EdDSA", "kid": "ed", "jku": "https://evil.example/jwks.json"}
    add("set: jku in the header", "4e", token(attacker, h, GOOD), "BadSignature", keyset=ks)
    good = token(rs, {"alg": "RS256", "kid": "rsa"}, GOOD)
    bad_sets = [
        ("a private member", {"keys": jwks["keys"] + [{**jwk(ec256), "kid": "x", "d": "AA"}]}, "InvalidKey", None),
        ("an oct key", {"keys": jwks["keys"] + [{"kty": "oct", "kid": "s", "k": "c2VjcmV0"}]}, "InvalidKey", None),
        ("two usable keys under one kid", {"keys": jwks["keys"] + [{**jwk(ed), "kid": "ec"}]}, "InvalidKey", None),
        ("a default contradicting a key's alg", jwks, "InvalidKey", "PS256"),
        ("a non-RSA default", jwks, "InvalidArgument", "ES256"),
        ("not a JWK Set", {"key": []}, "InvalidKey", None),
    ]
    for name, doc, err, default in bad_sets:
        ks = {"jwks": doc}
        if default:
            ks["rsa_default"] = default
        add(f"set: {name}", "jwks", good, f"{err}@import", keyset=ks)


def main():
    per_algorithm()
    published()
    keys()
    keysets()
    names = [v["name"] for v in VECTORS]
    dup = {n for n in names if names.count(n) > 1}
    assert not dup, f"duplicate vector names: {dup}"
    text = json.dumps(VECTORS, indent=1, ensure_ascii=True) + "\n"
    path = os.path.join(HERE, "public.json")
    if "--check" in sys.argv:
        with open(path) as f:
            if f.read() != text:
                sys.exit(f"{path} is stale: run python3 tests/vectors/public.py")
        print(f"{len(VECTORS)} vectors: public.json is up to date")
        return
    with open(path, "w") as f:
        f.write(text)
    print(f"{len(VECTORS)} vectors written to public.json")


if __name__ == "__main__":
    main()
