#!/usr/bin/env python3
"""Generates tests/vectors/verify.json: the verification conformance vectors.

Every surface (Rust, C, JavaScript) runs every vector and must reach the
same verdict. Tokens are built here from raw header and payload bytes with
Python's own hmac/hashlib/base64, so duplicates, escapes and odd numbers can
be expressed, and so that nothing depends on Tessera's own encoder.

Each vector: name, rule (the contract rule it exercises), token, key (alg +
hex secret) or keyset, policy (fields absent = the secure default) and
expect: {"ok": true, "header": {...}, "claims": {...}} or
{"ok": false, "error": "Expired", "claim": "exp"}.

Run: python3 tests/vectors/generate.py  (rewrites verify.json; CI checks
that the committed file is what this script produces).
"""
import base64
import hashlib
import hmac
import json
import os
import sys
from decimal import Decimal, ROUND_CEILING

HERE = os.path.dirname(os.path.abspath(__file__))
NOW = 1_700_000_000
SECRETS = {
    "HS256": hashlib.sha256(b"tessera-conformance-hs256").digest(),
    "HS384": hashlib.sha384(b"tessera-conformance-hs384").digest(),
    "HS512": hashlib.sha512(b"tessera-conformance-hs512").digest(),
}
HASHES = {"HS256": hashlib.sha256, "HS384": hashlib.sha384, "HS512": hashlib.sha512}
OTHER_SECRET = hashlib.sha256(b"some other key").digest()

VECTORS = []


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def raw(x) -> bytes:
    if isinstance(x, bytes):
        return x
    if isinstance(x, str):
        return x.encode()
    return json.dumps(x, separators=(",", ":")).encode()


# Private keys for the EdDSA and ES256 signing vectors: RFC 8037 A.1's
# Ed25519 key and RFC 7515 A.3's P-256 key (public test keys).
PRIVATE_JWKS = {
    "EdDSA": '{"kty":"OKP","crv":"Ed25519","d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A",'
             '"x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}',
    "ES256": '{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",'
             '"y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0","d":"jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI"}',
}


def private_signature(alg, message: bytes) -> bytes:
    """The signature by Python's `cryptography` (OpenSSL): Ed25519 is
    deterministic (RFC 8032), ECDSA with RFC 6979 nonces on request, so the
    expected tokens are computed by another implementation than ours."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519
    from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
    d = base64.urlsafe_b64decode(json.loads(PRIVATE_JWKS[alg])["d"] + "==")
    if alg == "EdDSA":
        return ed25519.Ed25519PrivateKey.from_private_bytes(d).sign(message)
    key = ec.derive_private_key(int.from_bytes(d, "big"), ec.SECP256R1())
    r, s = decode_dss_signature(key.sign(message, ec.ECDSA(hashes.SHA256(), deterministic_signing=True)))
    return r.to_bytes(32, "big") + s.to_bytes(32, "big")


def sign(header, payload, alg="HS256", secret=None) -> str:
    h, p = b64(raw(header)), b64(raw(payload))
    if alg in PRIVATE_JWKS:
        return f"{h}.{p}.{b64(private_signature(alg, f'{h}.{p}'.encode()))}"
    mac = hmac.new(secret or SECRETS[alg], f"{h}.{p}".encode(), HASHES[alg]).digest()
    return f"{h}.{p}.{b64(mac)}"


def numeric_date(text: str):
    """The contract's reading of a NumericDate: ceiling of the exact decimal."""
    d = Decimal(text)
    if d < 0:
        return None
    ceiling = int(d.to_integral_value(rounding=ROUND_CEILING))
    # The bound applies to the value exposed (the ceiling), so that every
    # exposed NumericDate is a safe integer in JavaScript.
    return ceiling if ceiling < 2**53 else None


def expected_claims(payload: bytes) -> dict:
    """What an accepting surface must expose, computed from Python's parser."""
    obj = json.loads(payload, parse_float=str, parse_int=str)
    out = {}
    for name in ("iss", "sub", "jti", "sid", "scope", "azp", "client_id"):
        if name in obj:
            out[name] = obj[name]
    for name in ("exp", "nbf", "iat"):
        if name in obj:
            out[name] = numeric_date(obj[name])
    if "aud" in obj:
        out["aud"] = [obj["aud"]] if isinstance(obj["aud"], str) else obj["aud"]
    return out


def expected_header(header: bytes) -> dict:
    obj = json.loads(header)
    return {k: obj[k] for k in ("alg", "typ", "kid") if isinstance(obj.get(k), str)}


H = {"alg": "HS256", "typ": "JWT"}
GOOD = {"iss": "https://auth.example.com", "sub": "42", "exp": NOW + 900}


def case(name, rule, expect, header=H, payload=GOOD, policy=None, key=None,
         keyset=None, token=None, alg="HS256", secret=None):
    """Adds one vector. `expect` is "ok" or "Error" or "Error:claim"."""
    if token is None:
        token = sign(header, payload, alg, secret)
    v = {"name": name, "rule": rule, "token": token}
    if keyset is not None:
        v["keyset"] = [{"kid": k, "alg": a, "secret": (s or SECRETS[a]).hex()} for k, a, s in keyset]
    else:
        k = key or alg
        v["key"] = {"alg": k, "secret": SECRETS[k].hex()}
    v["policy"] = {"now": NOW, **(policy or {})}
    if expect == "ok":
        v["expect"] = {"ok": True, "header": expected_header(raw(header)),
                       "claims": expected_claims(raw(payload))}
    else:
        err, _, claim = expect.partition(":")
        v["expect"] = {"ok": False, "error": err}
        if claim:
            v["expect"]["claim"] = claim
    VECTORS.append(v)


def published():
    # RFC 7515 A.1 = RFC 7519 §3.1: HS256, exp 1300819380.
    tok = ("eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQog"
           "Imh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
    k = base64.urlsafe_b64decode("AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow==")
    h, p, _ = tok.split(".")
    hd = base64.urlsafe_b64decode(h + "==")
    pd = base64.urlsafe_b64decode(p + "==")
    assert sign(hd, pd, "HS256", k) == tok, "RFC 7515 A.1 token does not verify in Python"
    for name, now, exp in [("rfc7515-a1/rfc7519-3.1 valid at 1300819379", 1300819379, "ok"),
                           ("rfc7515-a1 expired at 1300819380", 1300819380, "Expired:exp")]:
        v = {"name": name, "rule": "published", "token": tok, "key": {"alg": "HS256", "secret": k.hex()},
             "policy": {"now": now, "issuer": "joe"}}
        if exp == "ok":
            v["expect"] = {"ok": True, "header": expected_header(hd), "claims": expected_claims(pd)}
        else:
            v["expect"] = {"ok": False, "error": "Expired", "claim": "exp"}
        VECTORS.append(v)
    # RFC 7520 §4.4: HS256 with a kid over a non-JSON payload: the signature
    # is valid, so rule 6 refuses the text payload.
    tok = ("eyJhbGciOiJIUzI1NiIsImtpZCI6IjAxOGMwYWU1LTRkOWItNDcxYi1iZmQ2LWVlZjMxNGJjNzAzNyJ9.SXTigJlzIGEgZGFu"
           "Z2Vyb3VzIGJ1c2luZXNzLCBGcm9kbywgZ29pbmcgb3V0IHlvdXIgZG9vci4gWW91IHN0ZXAgb250byB0aGUgcm9hZCwgYW5kIG"
           "lmIHlvdSBkb24ndCBrZWVwIHlvdXIgZmVldCwgdGhlcmXigJlzIG5vIGtub3dpbmcgd2hlcmUgeW91IG1pZ2h0IGJlIHN3ZXB0"
           "IG9mZiB0by4.s0h6KThzkfBBBkLspW1h84VsJZFTsPPqMDA7g1Md7p0")
    k = base64.urlsafe_b64decode("hJtXIZ2uSN5kbQfbtTNWbpdmhkV8FJG-Onbc6mxCcYg=")
    h, p, _ = tok.split(".")
    assert sign(base64.urlsafe_b64decode(h + "=" * (-len(h) % 4)), base64.urlsafe_b64decode(p + "=" * (-len(p) % 4)), "HS256", k) == tok
    VECTORS.append({"name": "rfc7520-4.4 valid MAC, text payload", "rule": "published", "token": tok,
                    "keyset": [{"kid": "018c0ae5-4d9b-471b-bfd6-eef314bc7037", "alg": "HS256", "secret": k.hex()}],
                    "policy": {"now": NOW}, "expect": {"ok": False, "error": "Malformed"}})
    VECTORS.append({"name": "rfc7520-4.4 with a wrong kid", "rule": "published", "token": tok,
                    "keyset": [{"kid": "other", "alg": "HS256", "secret": k.hex()}],
                    "policy": {"now": NOW}, "expect": {"ok": False, "error": "UnknownKey"}})


def rule0():
    e = NOW + 900
    ms = NOW * 1000
    for name, pl, pol, tok in [
        ("empty audience list, token without aud", {"exp": e}, {"audience": []}, None),
        ("empty audience list, token with aud", {"exp": e, "aud": "api"}, {"audience": []}, None),
        ("empty audience list, even when ignored", {"exp": e, "aud": "api"}, {"audience": [], "ignore_audience": True}, None),
        ("empty audience list beats a malformed token", {"exp": e}, {"audience": []}, "x"),
        ("now in milliseconds", {"exp": ms + 900_000}, {"now": ms}, None),
        ("now at the bound (10^11)", {"exp": 10**11 + 1}, {"now": 10**11}, None),
        ("issued_before in milliseconds", {"exp": e, "iat": NOW}, {"issued_before": ms}, None),
        ("milliseconds beat an expired token", {"exp": 1}, {"now": ms}, None),
        # A leeway above five minutes (MAX_LEEWAY): 30 s and 1 s written in milliseconds.
        ("leeway in milliseconds", {"exp": e}, {"leeway": 30_000}, None),
        ("one second of leeway in milliseconds", {"exp": e}, {"leeway": 1_000}, None),
        ("leeway one past the bound", {"exp": e}, {"leeway": 301}, None),
        ("a day of leeway", {"exp": e}, {"leeway": 86_400}, None),
        ("huge leeway refused", {"exp": 1}, {"leeway": 2**63}, None),
    ]:
        case(name, "0", "InvalidArgument", payload=pl, policy=pol, token=tok)
    case("now just below the bound", "0", "ok", payload={"exp": 10**11}, policy={"now": 10**11 - 1})


def rule12():
    e = NOW + 900
    cut = NOW - 100
    for name, iat, verdict in [
        ("iat before the cut-off", str(cut - 1), "Revoked"),
        ("iat in the cut-off's own second", str(cut), "Revoked"),
        ("fractional iat just below the cut-off", "%d.5" % (cut - 1), "Revoked"),
        ("fractional iat just after the cut-off", "%d.001" % cut, "ok"),
        ("iat one second after the cut-off", str(cut + 1), "ok"),
    ]:
        case(f"issued_before: {name}", "12", verdict, payload='{"exp":%d,"iat":%s}' % (e, iat),
             policy={"issued_before": cut})
    case("issued_before makes iat required", "12", "MissingClaim:iat", payload={"exp": e},
         policy={"issued_before": cut})
    case("issued_before after every other rule", "12", "Expired:exp", payload={"exp": NOW, "iat": cut},
         policy={"issued_before": cut})


def rule1():
    t = sign(H, GOOD)
    case("length at max", "1", "ok", policy={"max_token_len": len(t)})
    case("length max+1", "1", "TokenTooLong", policy={"max_token_len": len(t) - 1})
    case("empty token", "1", "Malformed", token="")
    case("too long beats malformed", "1", "TokenTooLong", token="x" * 8193)
    case("8192 garbage is malformed", "1", "Malformed", token="x" * 8192)


def rule2():
    t = sign(H, GOOD)
    h, p, s = t.split(".")
    for name, tok in [("one segment", h), ("two segments", f"{h}.{p}"), ("four segments", f"{t}.{s}"),
                      ("five segments (JWE)", f"{h}.{p}.{s}.{s}.{s}"), ("empty header", f".{p}.{s}"),
                      ("empty payload", f"{h}..{s}"), ("empty signature", f"{h}.{p}."),
                      ("trailing dot", f"{t}."), ("leading dot", f".{t}"), ("only dots", "..")]:
        case(name, "2", "Malformed", token=tok)


def rule3():
    t = sign(H, GOOD)
    h, p, s = t.split(".")
    ph = b64(raw(H))
    padded = base64.urlsafe_b64encode(b'{"alg":"HS256","x":12}').decode()
    assert padded.endswith("=")
    for name, tok in [
        ("padding on signature", f"{h}.{p}.{s}="),
        ("padding on header", f"{padded}.{p}.{s}"),
        ("plus in payload", f"{h}.{p[:-1]}+.{s}"),
        ("slash in signature", f"{h}.{p}.{s[:-1]}/"),
        ("space in payload", f"{h}.{p[:5]} {p[5:]}.{s}"),
        ("newline in header", f"{h[:4]}\n{h[4:]}.{p}.{s}"),
        ("length 1 mod 4 header", f"{ph}A.{p}.{s}" if len(ph) % 4 == 0 else f"{ph}{'A' * ((1 - len(ph)) % 4)}.{p}.{s}"),
        ("length 1 mod 4 signature", f"{h}.{p}.{s}AA"),
        ("standard base64 alphabet", t.replace("-", "+").replace("_", "/") if ("-" in t or "_" in t) else f"{h}.{p}.+{s[1:]}"),
        ("non-ascii byte", f"{h}.{p}.{s[:-1]}é"),
    ]:
        case(name, "3", "Malformed", token=tok)
    # Non-canonical trailing bits: a final partial group leaves 2 (3 chars)
    # or 4 (2 chars) unused bits, which must all be zero: every non-zero
    # pattern of them, each bit on its own and together.
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

    def noncanonical(enc):
        unused = {3: 2, 2: 4}[len(enc) % 4]
        i = alphabet.index(enc[-1])
        for k in range(1, 2 ** unused):
            yield k, enc[:-1] + alphabet[i + k]

    for k, bad in noncanonical(s):  # 43 chars of 32 bytes: 2 unused bits
        case(f"non-canonical signature bits (+{k})", "3", "Malformed", token=f"{h}.{p}.{bad}")
    for header in (b'{"alg":"HS256" }', b'{"alg":"HS256"  }'):  # 22 and 23 characters
        eh = b64(header)
        assert len(eh) % 4 in (2, 3)
        for k, bad in noncanonical(eh):
            case(f"non-canonical header bits ({len(eh)} chars, +{k})", "3", "Malformed",
                     token=f"{bad}.{p}.{s}")
    pl = b64(raw({"exp": NOW + 900, "x": 1}))
    if len(pl) % 4 in (2, 3):
        for k, bad in noncanonical(pl):
            case(f"non-canonical payload bits (+{k})", "3", "Malformed", token=f"{h}.{bad}.{s}")


def rule4():
    for name, hdr in [("header not json", b"not json"), ("header is array", b'["HS256"]'),
                      ("header with BOM", b'\xef\xbb\xbf{"alg":"HS256"}'),
                      ("header invalid utf-8", b'{"alg":"HS256","x":"\xff"}'),
                      ("header duplicate alg", b'{"alg":"HS256","alg":"HS256"}'),
                      ("header duplicate via escape", b'{"alg":"HS256","\\u0061lg":"HS256"}'),
                      ("header trailing garbage", b'{"alg":"HS256"}x'),
                      ("header lone surrogate", b'{"alg":"HS256","x":"\\ud800"}'),
                      ("header nested too deep", b'{"alg":"HS256","x":' + b"[" * 32 + b"]" * 32 + b"}"),
                      ("header trailing comma", b'{"alg":"HS256",}')]:
        case(name, "4a", "Malformed", header=hdr)
    case("header nested at limit", "4a", "ok", header=b'{"alg":"HS256","x":' + b"[" * 31 + b"]" * 31 + b"}")
    # At most 32 header members (the header is read before the signature).
    many = lambda n: b'{"alg":"HS256"' + b"".join(b',"m%d":0' % i for i in range(n - 1)) + b"}"
    case("header with 32 members", "4a", "ok", header=many(32))
    case("header with 33 members", "4a", "Malformed", header=many(33))
    case("header with 700 members", "4a", "Malformed", header=many(700), policy={"max_token_len": 16384})
    case("header whitespace around", "4a", "ok", header=b' \r\n\t{ "alg" : "HS256" }\n ')
    for name, hdr in [("alg missing", {"typ": "JWT"}), ("alg number", {"alg": 256}), ("alg null", {"alg": None}),
                      ("alg none", {"alg": "none"}), ("alg None", {"alg": "None"}), ("alg NONE", {"alg": "NONE"}),
                      ("alg nOnE", {"alg": "nOnE"}), ("alg lowercase", {"alg": "hs256"}),
                      ("alg trailing space", {"alg": "HS256 "}), ("alg array", {"alg": ["HS256"]}),
                      ("alg RS256", {"alg": "RS256"})]:
        case(name, "4b", "AlgorithmMismatch", header=hdr)
    case("alg HS384 with HS256 key", "4b", "AlgorithmMismatch", header={"alg": "HS384"}, alg="HS384", key="HS256")
    case("alg HS256 with HS512 key", "4b", "AlgorithmMismatch", header={"alg": "HS256"}, key="HS512")
    case("alg escaped", "4b", "ok", header=b'{"alg":"\\u0048S256"}')
    case("HS384 token", "4b", "ok", header={"alg": "HS384"}, alg="HS384")
    case("HS512 token", "4b", "ok", header={"alg": "HS512"}, alg="HS512")
    case("alg none with crit is alg first", "4b", "AlgorithmMismatch", header={"alg": "none", "crit": ["exp"]})
    for name, hdr in [("crit empty", {"alg": "HS256", "crit": []}), ("crit b64", {"alg": "HS256", "b64": False, "crit": ["b64"]}),
                      ("crit null", {"alg": "HS256", "crit": None}), ("crit escaped name", b'{"alg":"HS256","\\u0063rit":1}')]:
        case(name, "4c", "UnsupportedCritical", header=hdr)
    case("b64 without crit ignored", "4c", "ok", header={"alg": "HS256", "b64": False})
    case("crit before typ", "4c", "UnsupportedCritical", header={"alg": "HS256", "crit": [], "typ": "x"}, policy={"typ": "at+jwt"})
    for name, typ, want, verdict in [
        ("typ exact", "at+jwt", "at+jwt", "ok"), ("typ case", "AT+JWT", "at+jwt", "ok"),
        ("typ application prefix", "Application/AT+JWT", "at+jwt", "ok"),
        ("typ expected with prefix", "at+jwt", "application/at+jwt", "ok"),
        ("typ JWT vs at+jwt", "JWT", "at+jwt", "TypeMismatch"), ("typ double prefix", "application/application/at+jwt", "at+jwt", "TypeMismatch"),
        ("typ refresh vs access", "refresh+jwt", "at+jwt", "TypeMismatch"), ("typ prefix only", "application/", "at+jwt", "TypeMismatch")]:
        case(name, "4d", verdict, header={"alg": "HS256", "typ": typ}, policy={"typ": want})
    case("typ escaped", "4d", "ok", header=b'{"alg":"HS256","typ":"at\\u002bjwt"}', policy={"typ": "at+jwt"})
    case("typ missing", "4d", "TypeMismatch", header={"alg": "HS256"}, policy={"typ": "at+jwt"})
    case("typ number", "4d", "TypeMismatch", header={"alg": "HS256", "typ": 1}, policy={"typ": "at+jwt"})
    case("typ not checked when not expected", "4d", "ok", header={"alg": "HS256", "typ": ["odd"]})
    ks = [("k1", "HS256", None), ("k2", "HS256", OTHER_SECRET)]
    case("kid selects key", "4e", "ok", header={"alg": "HS256", "kid": "k1"}, keyset=ks)
    case("kid selects other key", "4e", "ok", header={"alg": "HS256", "kid": "k2"}, keyset=ks, secret=OTHER_SECRET)
    case("kid escaped", "4e", "ok", header=b'{"alg":"HS256","kid":"k\\u0031"}', keyset=ks)
    case("kid signed by wrong key", "4e", "BadSignature", header={"alg": "HS256", "kid": "k2"}, keyset=ks)
    case("kid missing", "4e", "UnknownKey", header={"alg": "HS256"}, keyset=ks)
    case("kid unknown", "4e", "UnknownKey", header={"alg": "HS256", "kid": "k3"}, keyset=ks)
    case("kid number", "4e", "UnknownKey", header={"alg": "HS256", "kid": 1}, keyset=ks)
    case("kid case differs", "4e", "UnknownKey", header={"alg": "HS256", "kid": "K1"}, keyset=ks)
    case("kid ignored with single key", "4e", "ok", header={"alg": "HS256", "kid": "anything"})
    case("keyset alg mismatch before kid", "4e", "AlgorithmMismatch", header={"alg": "HS512"}, alg="HS512", keyset=ks)


def rule5():
    t = sign(H, GOOD)
    h, p, s = t.split(".")
    case("signature by other key", "5", "BadSignature", secret=OTHER_SECRET)
    flipped = b64(bytes([base64.urlsafe_b64decode(s + "=")[0] ^ 1]) + base64.urlsafe_b64decode(s + "=")[1:])
    case("signature one bit flipped", "5", "BadSignature", token=f"{h}.{p}.{flipped}")
    case("signature truncated to 16 bytes", "5", "BadSignature", token=f"{h}.{p}.{b64(base64.urlsafe_b64decode(s + '=')[:16])}")
    case("signature of HS512 length", "5", "BadSignature", token=f"{h}.{p}.{b64(bytes(64))}")
    case("signature over 64 bytes", "5", "BadSignature", token=f"{h}.{p}.{b64(bytes(100))}")
    case("payload swapped", "5", "BadSignature", token=f"{h}.{b64(raw({'exp': NOW + 9999}))}.{s}")
    case("header re-encoded", "5", "BadSignature", token=f"{b64(raw({'typ': 'JWT', 'alg': 'HS256'}))}.{p}.{s}")
    bad = sign(H, b"not json at all")
    bh, bp, _ = bad.split(".")
    case("payload not parsed before signature", "5", "BadSignature", token=f"{bh}.{bp}.{s}")


def rule6():
    e = NOW + 900
    for name, pl in [
        ("payload array", b"[1]"), ("payload string", b'"x"'), ("payload number", b"1"), ("payload null", b"null"),
        ("payload BOM", b"\xef\xbb\xbf" + raw({"exp": e})), ("payload invalid utf-8", b'{"exp":%d,"x":"\xc3\x28"}' % e),
        ("payload overlong utf-8", b'{"exp":%d,"x":"\xc0\xaf"}' % e),
        ("payload bad escape", b'{"exp":%d,"x":"\\q"}' % e), ("payload short unicode escape", b'{"exp":%d,"x":"\\u12"}' % e),
        ("payload lone high surrogate", b'{"exp":%d,"x":"\\ud83d"}' % e), ("payload lone low surrogate", b'{"exp":%d,"x":"\\ude00"}' % e),
        ("payload high then non-low", b'{"exp":%d,"x":"\\ud83d\\u0041"}' % e),
        ("payload depth 33", b'{"exp":%d,"x":' % e + b"[" * 32 + b"]" * 32 + b"}"),
        ("payload depth 33 objects", b'{"exp":%d,"x":' % e + b'{"a":' * 32 + b"1" + b"}" * 32 + b"}"),
        ("payload duplicate exp", b'{"exp":%d,"exp":%d}' % (e, e)), ("payload duplicate escaped", b'{"sub":"a","\\u0073ub":"a","exp":%d}' % e),
        ("payload duplicate unknown", b'{"exp":%d,"x":1,"x":1}' % e),
        ("payload trailing comma", b'{"exp":%d,}' % e), ("payload trailing garbage", b'{"exp":%d} x' % e),
        ("payload control char in string", b'{"exp":%d,"x":"a\x01b"}' % e), ("payload leading zero", b'{"exp":0%d}' % e),
        ("payload NaN", b'{"exp":%d,"x":NaN}' % e), ("payload single quotes", b"{'exp':%d}" % e),
        ("payload unterminated", b'{"exp":%d' % e), ("payload two objects", b'{"exp":%d}{}' % e),
        ("payload empty", b" "),
    ]:
        case(name, "6", "Malformed", payload=pl)
    for name, pl in [
        ("payload depth 32", b'{"exp":%d,"x":' % e + b"[" * 31 + b"]" * 31 + b"}"),
        ("payload whitespace around", b'\n {"exp" : %d } \t' % e),
        ("payload surrogate pair", b'{"exp":%d,"x":"\\ud83d\\ude00"}' % e),
        ("payload nested duplicates allowed", b'{"exp":%d,"x":{"a":1,"a":2}}' % e),
        ("payload unknown 1e400", b'{"exp":%d,"x":1e400}' % e),
        ("payload unknown huge int", b'{"exp":%d,"x":123456789012345678901234567890}' % e),
        ("payload raw utf-8", '{"exp":%d,"sub":"Zoë 😀"}' % e),
        ("payload escaped names", b'{"\\u0065xp":%d,"\\u0073ub":"x"}' % e),
    ]:
        case(name, "6", "ok", payload=pl)


def rule7():
    e = NOW + 900
    for claim, bad in [("exp", '"%d"' % e), ("exp", "-1"), ("exp", str(2**53)), ("exp", "1e16"), ("exp", "null"),
                       ("exp", "true"), ("exp", "[1]"), ("exp", "-0.5"), ("nbf", '"0"'), ("iat", "{}"),
                       ("iss", "1"), ("sub", "[]"), ("jti", "null"), ("sid", "true"), ("scope", '["a"]'),
                       ("azp", "{}"), ("client_id", "7"), ("aud", "1"), ("aud", '["a",1]'), ("aud", '[["a"]]'),
                       ("aud", "null"), ("aud", "{}")]:
        pl = '{"exp":%d,"%s":%s}' % (e, claim, bad) if claim != "exp" else '{"exp":%s}' % bad
        case(f"{claim} = {bad}", "7", f"InvalidClaim:{claim}", payload=pl, policy={"ignore_audience": True})
    case("first wrong type in document order", "7", "InvalidClaim:sub", payload='{"exp":%d,"sub":1,"iss":2}' % e)
    case("malformed beats wrong type", "7", "Malformed", payload='{"exp":"x","y":01}')
    for claim in ("exp", "nbf", "iat"):
        for text in ("9007199254740991.5", "9007199254740991.000001", "9.0071992547409911e15"):
            pl = '{"exp":%s}' % text if claim == "exp" else '{"exp":%d,"%s":%s}' % (e, claim, text)
            case(f"{claim} {text}: ceiling 2^53", "7", f"InvalidClaim:{claim}", payload=pl)
    for text, verdict in [(str(2**53 - 1), "ok"), ("9007199254740990.5", "ok"), ("9007199254740991.0", "ok"), ("%d.5" % e, "ok"), ("%de0" % e, "ok"),
                          ("1.7000009e9", "ok"), ("%d.000000000000000000001" % (e - 1), "ok"), ("17000009E+2", "ok"),
                          ("-0", "Expired:exp"), ("0.0", "Expired:exp"), ("1e-400", "Expired:exp")]:
        case(f"exp number form {text}", "7", verdict, payload='{"exp":%s}' % text)
    case("iat fraction ceiling", "7", "ok", payload='{"exp":%d,"iat":%d.1}' % (e, NOW - 10))
    case("nbf fraction ceiling reaches future", "7", "NotYetValid:nbf", payload='{"exp":%d,"nbf":%d.0001}' % (e, NOW))
    case("aud string", "7", "ok", payload={"exp": e, "aud": "api"}, policy={"audience": "api"})
    case("aud array", "7", "ok", payload={"exp": e, "aud": ["web", "api"]}, policy={"audience": "api"})
    case("all registered claims", "7", "ok", payload={"iss": "i", "sub": "s", "aud": ["a"], "exp": e, "nbf": NOW, "iat": NOW,
                                                  "jti": "j", "sid": "sess", "scope": "read write", "azp": "az", "client_id": "c"},
         policy={"audience": "a"})
    case("escaped strings unescaped", "7", "ok",
         payload=b'{"iss":"https:\\/\\/auth.example.com","sub":"\\u00e9\\n\\"q\\"","exp":%d,"aud":["x\\/y","plain"],"scope":"a\\u0020b"}' % e,
         policy={"issuer": "https://auth.example.com", "audience": "x/y"})


def rule8():
    e = NOW + 900
    case("exp required by default", "8", "MissingClaim:exp", payload={"sub": "x"})
    case("nothing required", "8", "ok", payload={"sub": "x"}, policy={"required": []})
    case("sub required and missing", "8", "MissingClaim:sub", payload={"exp": e}, policy={"required": ["exp", "sub"]})
    case("first missing in claim order", "8", "MissingClaim:iss", payload={}, policy={"required": ["exp", "iss", "jti"]})
    case("max age makes iat required", "8", "MissingClaim:iat", payload={"exp": e}, policy={"max_age": 60})
    case("type error before missing", "8", "InvalidClaim:sub", payload={"sub": 1})


def rule9():
    for name, pl, pol, verdict in [
        ("exp now+1", {"exp": NOW + 1}, {}, "ok"), ("exp now", {"exp": NOW}, {}, "Expired:exp"),
        ("exp now-1", {"exp": NOW - 1}, {}, "Expired:exp"),
        ("exp now with leeway 1", {"exp": NOW}, {"leeway": 1}, "ok"), ("exp now-1 leeway 1", {"exp": NOW - 1}, {"leeway": 1}, "Expired:exp"),
        ("exp 0", {"exp": 0}, {}, "Expired:exp"), ("exp max", {"exp": 2**53 - 1}, {}, "ok"),
        ("nbf now", {"exp": NOW + 9, "nbf": NOW}, {}, "ok"), ("nbf now+1", {"exp": NOW + 9, "nbf": NOW + 1}, {}, "NotYetValid:nbf"),
        ("nbf now+1 leeway 1", {"exp": NOW + 9, "nbf": NOW + 1}, {"leeway": 1}, "ok"),
        ("nbf now+2 leeway 1", {"exp": NOW + 9, "nbf": NOW + 2}, {"leeway": 1}, "NotYetValid:nbf"),
        ("iat now", {"exp": NOW + 9, "iat": NOW}, {}, "ok"), ("iat now+1", {"exp": NOW + 9, "iat": NOW + 1}, {}, "NotYetValid:iat"),
        ("iat now+1 leeway 1", {"exp": NOW + 9, "iat": NOW + 1}, {"leeway": 1}, "ok"),
        ("max age exact", {"exp": NOW + 9, "iat": NOW - 60}, {"max_age": 60}, "ok"),
        ("max age exceeded", {"exp": NOW + 9, "iat": NOW - 61}, {"max_age": 60}, "Expired:iat"),
        ("max age leeway", {"exp": NOW + 9, "iat": NOW - 61}, {"max_age": 60, "leeway": 1}, "ok"),
        ("exp before nbf", {"exp": NOW, "nbf": NOW + 5}, {}, "Expired:exp"),
        ("nbf before iat", {"exp": NOW + 9, "nbf": NOW + 5, "iat": NOW + 5}, {}, "NotYetValid:nbf"),
        ("expired beats issuer", {"exp": NOW, "iss": "x"}, {"issuer": "y"}, "Expired:exp"),
        ("now 1, exp 2", {"exp": 2}, {"now": 1}, "ok"),
        ("now 1, exp 1", {"exp": 1}, {"now": 1}, "Expired:exp"),
        ("leeway at its bound, one second short", {"exp": NOW - 300 + 1}, {"leeway": 300}, "ok"),
        ("leeway at its bound, expired", {"exp": NOW - 300}, {"leeway": 300}, "Expired:exp"),
    ]:
        case(name, "9", verdict, payload=pl, policy=pol)


def rule10_11():
    e = NOW + 900
    for name, pl, pol, verdict in [
        ("issuer match", {"exp": e, "iss": "https://a"}, {"issuer": "https://a"}, "ok"),
        ("issuer escaped slash", b'{"exp":%d,"iss":"https:\\/\\/a"}' % e, {"issuer": "https://a"}, "ok"),
        ("issuer case differs", {"exp": e, "iss": "https://A"}, {"issuer": "https://a"}, "InvalidIssuer"),
        ("issuer trailing slash", {"exp": e, "iss": "https://a/"}, {"issuer": "https://a"}, "InvalidIssuer"),
        ("issuer missing", {"exp": e}, {"issuer": "https://a"}, "InvalidIssuer"),
        ("issuer not expected", {"exp": e, "iss": "anything"}, {}, "ok"),
        ("issuer before audience", {"exp": e, "iss": "x", "aud": "y"}, {"issuer": "z", "audience": "w"}, "InvalidIssuer"),
    ]:
        case(name, "10", verdict, payload=pl, policy=pol)
    for name, pl, pol, verdict in [
        ("aud string match", {"exp": e, "aud": "api"}, {"audience": "api"}, "ok"),
        ("aud string mismatch", {"exp": e, "aud": "web"}, {"audience": "api"}, "InvalidAudience"),
        ("aud array contains", {"exp": e, "aud": ["web", "api"]}, {"audience": "api"}, "ok"),
        ("aud array lacks", {"exp": e, "aud": ["web", "app"]}, {"audience": "api"}, "InvalidAudience"),
        ("aud empty array", {"exp": e, "aud": []}, {"audience": "api"}, "InvalidAudience"),
        ("aud missing", {"exp": e}, {"audience": "api"}, "InvalidAudience"),
        ("aud one of many expected", {"exp": e, "aud": "b"}, {"audience": ["a", "b"]}, "ok"),
        ("aud none of many expected", {"exp": e, "aud": ["c"]}, {"audience": ["a", "b"]}, "InvalidAudience"),
        ("aud escaped", b'{"exp":%d,"aud":"\\u0061pi"}' % e, {"audience": "api"}, "ok"),
        ("aud case differs", {"exp": e, "aud": "API"}, {"audience": "api"}, "InvalidAudience"),
        ("aud present, none expected", {"exp": e, "aud": "api"}, {}, "InvalidAudience"),
        ("aud empty array, none expected", {"exp": e, "aud": []}, {}, "InvalidAudience"),
        ("aud present, ignored", {"exp": e, "aud": "api"}, {"ignore_audience": True}, "ok"),
        ("aud empty array, ignored", {"exp": e, "aud": []}, {"ignore_audience": True}, "ok"),
        ("ignore only without expected", {"exp": e, "aud": "web"}, {"audience": "api", "ignore_audience": True}, "InvalidAudience"),
        ("no aud, none expected", {"exp": e}, {}, "ok"),
    ]:
        case(name, "11", verdict, payload=pl, policy=pol)


def realistic():
    access = {"iss": "https://auth.example.com", "sub": "user-42", "aud": "api", "exp": NOW + 900, "iat": NOW, "nbf": NOW,
              "jti": "6f1c2a9e-8d4b-4c1e-9f2a-3b5d7e9a1c3f", "sid": "s-7f3a", "scope": "read:profile write:likes",
              "azp": "web", "client_id": "web-app"}
    case("access token", "all", "ok", header={"alg": "HS256", "typ": "at+jwt"}, payload=access,
         policy={"issuer": "https://auth.example.com", "audience": "api", "typ": "at+jwt", "max_age": 3600})
    large = dict(access, roles=[f"role-{i}" for i in range(40)], meta={"tenant": "t1", "flags": {"beta": True, "n": [1, 2.5, None]}})
    case("large token", "all", "ok", payload=large, policy={"audience": "api"})


SIGN_VECTORS = []
REGISTERED_ORDER = ("iss", "sub", "aud", "exp", "nbf", "iat", "jti", "sid", "scope", "azp", "client_id")


def compact(obj) -> str:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


def expected_signed(alg, secret, header, claims, custom):
    """Tessera's documented layout: alg, typ, kid; registered claims in a
    fixed order; custom claims spliced after them as given."""
    hdr = {"alg": alg}
    for k in ("typ", "kid"):
        if header.get(k) is not None:
            hdr[k] = header[k]
    body = compact({k: claims[k] for k in REGISTERED_ORDER if k in claims})
    if custom is not None:
        text = custom.strip(" \t\r\n")
        inner = text[1:-1]
        if inner.strip(" \t\r\n"):
            body = (body[:-1] + "," if body != "{}" else "{") + text[1:]
    return sign(compact(hdr).encode(), body.encode(), alg, secret)


def key_spec(alg):
    if alg in PRIVATE_JWKS:
        return {"alg": alg, "jwk": PRIVATE_JWKS[alg]}
    return {"alg": alg, "secret": SECRETS[alg].hex()}


def sign_case(name, claims, header=None, custom=None, alg="HS256"):
    header = header or {}
    SIGN_VECTORS.append({"name": name, "key": key_spec(alg), "header": header,
                         "claims": claims, "custom": custom,
                         "token": expected_signed(alg, SECRETS.get(alg), header, claims, custom)})


def profile_case(name, kind, error=None, **inputs):
    """A profile token every surface must issue byte for byte, or (`error`)
    refuse with that error kind."""
    rand = lambda tag: hashlib.sha256(f"{name}/{tag}".encode()).digest()[:16]
    sid, jti = b64(rand("sid")), b64(rand("jti"))
    now = inputs.get("now", NOW)
    if kind == "access":
        claims = {"iss": inputs["issuer"], "sub": inputs["subject"], "aud": inputs["audience"],
                  "exp": now + inputs.get("lifetime", 900), "iat": now, "jti": jti, "sid": sid}
        for k in ("scope", "client_id"):
            if k in inputs:
                claims[k] = inputs[k]
        header = {"typ": "at+jwt"}
    else:
        claims = {"iss": inputs["issuer"], "sub": inputs["subject"], "exp": now + inputs.get("lifetime", 604800),
                  "iat": now, "jti": jti, "sid": sid}
        header = {"typ": "refresh+jwt"}
    alg = inputs.get("alg", "HS256")
    vector = {"name": name, "profile": kind, "key": {"alg": alg, "secret": SECRETS[alg].hex()},
              "inputs": {**inputs, "now": now, "sid_random": rand("sid").hex(), "jti_random": rand("jti").hex()}}
    if error:
        vector["error"] = error
        vector["token"] = None
    else:
        vector["token"] = expected_signed(alg, SECRETS[alg], header, claims, None)
    SIGN_VECTORS.append(vector)


def signing():
    sign_case("minimal exp", {"exp": NOW + 900})
    sign_case("empty claims", {})
    sign_case("typ and kid", {"sub": "42", "exp": NOW}, header={"typ": "JWT", "kid": "2026-11"})
    sign_case("all registered", {"iss": "https://auth.example.com", "sub": "user-42", "aud": ["web", "api"], "exp": NOW + 900,
                                 "nbf": NOW, "iat": NOW, "jti": "j-1", "sid": "s-1", "scope": "read write", "azp": "web",
                                 "client_id": "web-app"}, header={"typ": "at+jwt"})
    sign_case("escapes and unicode", {"sub": "q\"uote\\back\nline\u0001ctl/slash é 😀", "exp": NOW})
    sign_case("aud string", {"aud": "api", "exp": NOW})
    sign_case("custom claims", {"sub": "1", "exp": NOW}, custom='{"role":"admin","n":[1,2.5,null],"o":{"x":true}}')
    sign_case("custom only", {}, custom='{"role":"admin"}')
    sign_case("custom empty", {"exp": NOW}, custom="{}")
    sign_case("custom with inner spaces", {"exp": NOW}, custom=' { "a" : 1 } ')
    sign_case("HS384", {"sub": "x", "exp": NOW}, alg="HS384")
    sign_case("HS512", {"sub": "x", "exp": NOW}, alg="HS512", header={"typ": "JWT"})
    sign_case("max time", {"exp": 2**53 - 1, "iat": 0})
    profile_case("access default", "access", issuer="https://auth.example.com", subject="user-42", audience="api")
    profile_case("access full", "access", issuer="https://auth.example.com", subject="user-42", audience="api",
                 scope="profile:read likes:write", client_id="web-app", lifetime=60)
    profile_case("refresh default", "refresh", issuer="https://auth.example.com", subject="user-42")
    profile_case("refresh short", "refresh", issuer="https://auth.example.com", subject="user-42", lifetime=30, alg="HS512")
    # Lifetimes: up to a day for access tokens, 365 days for refresh tokens;
    # beyond is a slip (milliseconds), refused rather than issued. (0 is
    # not here: C reads it as "the default", the other surfaces refuse it.)
    who = {"issuer": "https://auth.example.com", "subject": "user-42"}
    profile_case("access lifetime of a day", "access", audience="api", lifetime=86_400, **who)
    profile_case("access lifetime one past a day", "access", "InvalidArgument", audience="api", lifetime=86_401, **who)
    profile_case("access lifetime 15 min in milliseconds", "access", "InvalidArgument", audience="api", lifetime=900_000, **who)
    profile_case("refresh lifetime of 365 days", "refresh", lifetime=31_536_000, **who)
    profile_case("refresh lifetime one past 365 days", "refresh", "InvalidArgument", lifetime=31_536_001, **who)
    profile_case("refresh lifetime 1 day in milliseconds", "refresh", "InvalidArgument", lifetime=86_400_000, **who)
    # Private keys (EdDSA, ES256): deterministic signatures, so every
    # surface must produce these bytes. Each carries a kid, as a JWK Set's
    # key does (the JavaScript signer defaults its kid to the thumbprint).
    for alg in PRIVATE_JWKS:
        sign_case(f"{alg} access claims", {"iss": "https://auth.example.com", "sub": "user-42", "aud": "api",
                                           "exp": NOW + 900, "iat": NOW, "jti": "j-1", "sid": "s-1",
                                           "scope": "read write"}, header={"typ": "at+jwt", "kid": "2026-12"}, alg=alg)
        sign_case(f"{alg} escapes and custom", {"sub": "q\"uote é 😀", "exp": NOW}, header={"kid": "k"},
                  custom='{"role":"admin","n":[1,2.5,null]}', alg=alg)
        sign_case(f"{alg} empty claims", {}, header={"kid": "k"}, alg=alg)


def main():
    published()
    rule0()
    rule1()
    rule2()
    rule3()
    rule4()
    rule5()
    rule6()
    rule7()
    rule8()
    rule9()
    rule10_11()
    rule12()
    realistic()
    names = [v["name"] for v in VECTORS]
    dup = {n for n in names if names.count(n) > 1}
    assert not dup, f"duplicate vector names: {dup}"
    signing()
    for file, vectors in (("verify.json", VECTORS), ("sign.json", SIGN_VECTORS)):
        text = json.dumps(vectors, indent=1, ensure_ascii=True) + "\n"
        path = os.path.join(HERE, file)
        if "--check" in sys.argv:
            with open(path) as f:
                if f.read() != text:
                    sys.exit(f"{path} is stale: run python3 tests/vectors/generate.py")
            print(f"{len(vectors)} vectors: {file} is up to date")
            continue
        with open(path, "w") as f:
            f.write(text)
        print(f"{len(vectors)} vectors written to {file}")


if __name__ == "__main__":
    main()
