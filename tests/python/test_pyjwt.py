"""Interop with PyJWT (an independent Python implementation), through the C
library loaded with ctypes: PyJWT verifies every token Tessera signs (the
shared signing vectors, and fresh tokens from tessera_issue_access), and
Tessera verifies what PyJWT signs; tampered tokens fail in both.

Run: python3 tests/python/test_pyjwt.py target/release/libtessera.so
"""
import ctypes
import json
import os
import sys
import time
import unittest

import jwt

HERE = os.path.dirname(os.path.abspath(__file__))
LIB = ctypes.CDLL(sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "../../target/release/libtessera.so"))
VECTORS = os.path.join(HERE, "../vectors")
ALGS = {"HS256": 1, "HS384": 2, "HS512": 3}


class Str(ctypes.Structure):
    _fields_ = [("ptr", ctypes.c_char_p), ("len", ctypes.c_size_t)]


def s(text):
    b = text.encode()
    return Str(b, len(b))


class Policy(ctypes.Structure):
    _fields_ = [("now", ctypes.c_uint64), ("leeway", ctypes.c_uint64), ("issuer", Str), ("audiences", ctypes.POINTER(Str)),
                ("audiences_len", ctypes.c_size_t), ("typ", Str), ("required", ctypes.c_uint32), ("max_age", ctypes.c_uint64),
                ("has_max_age", ctypes.c_bool), ("max_token_len", ctypes.c_size_t), ("ignore_audience", ctypes.c_bool),
                ("issued_before", ctypes.c_uint64), ("revoked", ctypes.c_void_p), ("revoked_user", ctypes.c_void_p)]


class Claims(ctypes.Structure):
    _fields_ = [(n, Str) for n in ("alg", "typ", "kid", "iss", "sub", "jti", "sid", "scope", "azp", "client_id")] + [
        ("exp", ctypes.c_int64), ("nbf", ctypes.c_int64), ("iat", ctypes.c_int64), ("present", ctypes.c_uint32),
        ("aud_count", ctypes.c_size_t), ("payload_json", Str), ("header_json", Str), ("error_claim", ctypes.c_uint32),
        ("private_aud_one", Str), ("private_aud_array", Str), ("private_aud_unescaped", Str)]


class AccessParams(ctypes.Structure):
    _fields_ = [(n, Str) for n in ("issuer", "subject", "audience", "session_id", "token_id", "scope", "client_id", "kid")] + [
        ("now", ctypes.c_uint64), ("lifetime", ctypes.c_uint64)]


LIB.tessera_status_name.restype = ctypes.c_char_p


def key(alg, secret):
    k = ctypes.c_void_p()
    assert LIB.tessera_key_new(ALGS[alg], secret, len(secret), ctypes.byref(k)) == 0
    return k


def make_policy(**policy):
    p = Policy()
    LIB.tessera_policy_init(ctypes.byref(p))
    for name, value in policy.items():
        if name == "audience":
            p.audiences = ctypes.pointer(s(value))
            p.audiences_len = 1
        elif isinstance(value, str):
            setattr(p, name, s(value))
        else:
            setattr(p, name, value)
    return p


def run_verify(fn, keys, token, policy):
    """`fn` (tessera_verify or tessera_verify_keyset) on `token`: the status name and the claims."""
    p = make_policy(**policy)
    scratch = ctypes.create_string_buffer(16384)
    out = Claims()
    t = token.encode()
    status = fn(t, len(t), keys, ctypes.byref(p), scratch, len(scratch), ctypes.byref(out))
    claims = json.loads(ctypes.string_at(out.payload_json.ptr, out.payload_json.len)) if status == 0 else None
    return LIB.tessera_status_name(status).decode(), claims


def verify(k, token, **policy):
    return run_verify(LIB.tessera_verify, k, token, policy)


class PyJwtInterop(unittest.TestCase):
    def test_pyjwt_verifies_every_signing_vector(self):
        with open(os.path.join(VECTORS, "sign.json")) as f:
            vectors = json.load(f)
        for v in vectors:
            if v.get("error"):
                continue  # inputs every surface refuses: no token to read
            if "jwk" in v["key"]:
                # EdDSA / ES256: PyJWT verifies with the public half alone.
                public = {k: x for k, x in json.loads(v["key"]["jwk"]).items() if k != "d"}
                secret = jwt.PyJWK(public, algorithm=v["key"]["alg"]).key
            else:
                secret = bytes.fromhex(v["key"]["secret"])
            header = jwt.get_unverified_header(v["token"])
            claims = jwt.decode(v["token"], secret, algorithms=[v["key"]["alg"]],
                                options={"verify_exp": False, "verify_aud": False, "verify_iat": False, "verify_nbf": False,
                                         "verify_sub": False, "verify_jti": False})
            self.assertEqual(header["alg"], v["key"]["alg"], v["name"])
            for name, want in v.get("claims", {}).items():
                self.assertEqual(claims[name], want, v["name"])

    def test_tessera_signs_with_private_keys_pyjwt_verifies_with_the_public_pem(self):
        keys = os.path.join(HERE, "../keys")
        for name, alg in (("ed25519", "EdDSA"), ("p256", "ES256")):
            with open(os.path.join(keys, name + ".pem"), "rb") as f:
                pem = f.read()
            k = ctypes.c_void_p()
            self.assertEqual(LIB.tessera_key_from_private(3, pem, len(pem), ctypes.byref(k)), 0)
            kid = ctypes.create_string_buffer(44)
            self.assertEqual(LIB.tessera_key_thumbprint(k, kid, len(kid)), 0)
            params = AccessParams(issuer=s("https://auth.example.com"), subject=s("user-42"), audience=s("api"),
                                  session_id=s("session-1"), kid=s(kid.value.decode()))
            out = ctypes.create_string_buffer(1024)
            n = ctypes.c_size_t()
            self.assertEqual(LIB.tessera_issue_access(k, ctypes.byref(params), out, len(out), ctypes.byref(n)), 0)
            token = out.raw[: n.value].decode()
            with open(os.path.join(keys, name + ".pub.pem"), "rb") as f:
                public_pem = f.read()
            claims = jwt.decode(token, public_pem, algorithms=[alg], audience="api", issuer="https://auth.example.com")
            self.assertEqual(claims["sub"], "user-42")
            header = jwt.get_unverified_header(token)
            self.assertEqual((header["alg"], header["kid"], header["typ"]), (alg, kid.value.decode(), "at+jwt"))
            # PyJWT's thumbprint of the JWK we publish is our kid.
            jwk_out = ctypes.create_string_buffer(1024)
            self.assertEqual(LIB.tessera_key_public_jwk(k, jwk_out, len(jwk_out), ctypes.byref(n)), 0)
            import base64
            import hashlib
            jwk = json.loads(jwk_out.value)
            members = {"EC": ("crv", "kty", "x", "y"), "OKP": ("crv", "kty", "x")}[jwk["kty"]]
            canonical = json.dumps({m: jwk[m] for m in members}, separators=(",", ":"), sort_keys=True).encode()
            thumb = base64.urlsafe_b64encode(hashlib.sha256(canonical).digest()).rstrip(b"=").decode()
            self.assertEqual(thumb, kid.value.decode())
            LIB.tessera_key_free(k)

    def test_tessera_issues_pyjwt_verifies(self):
        for alg, size in (("HS256", 32), ("HS384", 48), ("HS512", 64)):
            secret = os.urandom(size)
            k = key(alg, secret)
            params = AccessParams(issuer=s("https://auth.example.com"), subject=s("user-42"), audience=s("api"),
                                  session_id=s("session-1"), scope=s("profile:read"))
            out = ctypes.create_string_buffer(1024)
            n = ctypes.c_size_t()
            self.assertEqual(LIB.tessera_issue_access(k, ctypes.byref(params), out, len(out), ctypes.byref(n)), 0)
            token = out.raw[: n.value].decode()
            claims = jwt.decode(token, secret, algorithms=[alg], audience="api", issuer="https://auth.example.com")
            self.assertEqual(claims["sub"], "user-42")
            self.assertEqual(claims["exp"] - claims["iat"], 900)
            self.assertEqual(jwt.get_unverified_header(token)["typ"], "at+jwt")
            h, p, sig = token.split(".")
            tampered = f"{h}.{p}.{'B' if sig[0] == 'A' else 'A'}{sig[1:]}"
            with self.assertRaises(jwt.InvalidSignatureError):
                jwt.decode(tampered, secret, algorithms=[alg], audience="api")
            self.assertEqual(verify(k, tampered, ignore_audience=True)[0], "BadSignature")
            LIB.tessera_key_free(k)

    def test_pyjwt_signs_tessera_verifies(self):
        now = int(time.time())
        for alg, size in (("HS256", 32), ("HS384", 48), ("HS512", 64)):
            secret = os.urandom(size)
            token = jwt.encode({"iss": "https://auth.example.com", "sub": "user-7", "aud": ["web", "api"], "exp": now + 60,
                                "iat": now, "roles": ["a"], "scope": "read write"}, secret, algorithm=alg,
                               headers={"typ": "at+jwt", "kid": "k1"})
            k = key(alg, secret)
            status, claims = verify(k, token, issuer="https://auth.example.com", audience="api", typ="at+jwt")
            self.assertEqual(status, "Ok")
            self.assertEqual(claims["sub"], "user-7")
            self.assertEqual(claims["roles"], ["a"])
            expired = jwt.encode({"sub": "x", "exp": now - 10}, secret, algorithm=alg)
            self.assertEqual(verify(k, expired)[0], "Expired")
            with self.assertRaises(jwt.ExpiredSignatureError):
                jwt.decode(expired, secret, algorithms=[alg])
            h, p, sig = token.split(".")
            other = jwt.encode({"sub": "admin", "exp": now + 60}, secret, algorithm=alg).split(".")[1]
            self.assertEqual(verify(k, f"{h}.{other}.{sig}", ignore_audience=True)[0], "BadSignature")
            LIB.tessera_key_free(k)


    def test_pyjwt_signs_public_key_tokens_tessera_verifies_with_the_jwks(self):
        """PyJWT (with cryptography) signs EdDSA, ES256, ES384, RS256..RS512
        and PS256..PS512 tokens and exports the public JWKs; the C library
        imports that JWK Set and verifies the tokens by kid. Tampering,
        algorithm confusion and a JWK Set with a private key are refused."""
        from cryptography.hazmat.primitives import serialization
        from jwt.algorithms import ECAlgorithm, OKPAlgorithm, RSAAlgorithm, RSAPSSAlgorithm

        now = int(time.time())
        claims = {"iss": "https://idp.example", "sub": "user-9", "aud": "api", "exp": now + 60, "iat": now}
        jwks, tokens, private_jwks = [], {}, []
        cases = [("EdDSA", "ed25519.pem", "ed", OKPAlgorithm), ("ES256", "p256.pem", "p256", ECAlgorithm),
                 ("ES384", "p384.pem", "p384", ECAlgorithm)]
        for size in ("2048", "4096"):
            cases += [(f"RS{h}", f"rsa{size}.pem", f"rs{h}-{size}", RSAAlgorithm) for h in ("256", "384", "512")]
            cases += [(f"PS{h}", f"rsa{size}.pem", f"ps{h}-{size}", RSAPSSAlgorithm) for h in ("256", "384", "512")]
        for alg, pem, kid, algo in cases:
            with open(os.path.join(HERE, "..", "keys", pem), "rb") as f:
                private = serialization.load_pem_private_key(f.read(), None)
            jwk = algo.to_jwk(private.public_key(), as_dict=True)
            # One RSA key per algorithm: the JWK names it (PyJWT leaves `alg` out).
            jwks.append({**jwk, "kid": kid, "use": "sig", **({"alg": alg} if alg[0] in "RP" else {})})
            private_jwks.append({**algo.to_jwk(private, as_dict=True), "kid": kid})
            tokens[kid] = jwt.encode(claims, private, algorithm=alg, headers={"kid": kid})
        document = json.dumps({"keys": jwks}).encode()
        keyset, skipped = ctypes.c_void_p(), ctypes.c_size_t(99)
        self.assertEqual(LIB.tessera_keyset_from_jwks(document, len(document), 0, ctypes.byref(keyset), ctypes.byref(skipped)), 0)
        self.assertEqual(skipped.value, 0)
        for kid, token in tokens.items():
            status, got = verify_keyset(keyset, token, issuer="https://idp.example", audience="api")
            self.assertEqual((status, got and got["sub"]), ("Ok", "user-9"), kid)
            h, p, sig = token.split(".")
            other = jwt.encode({**claims, "sub": "admin"}, "x" * 32, algorithm="HS256").split(".")[1]
            self.assertEqual(verify_keyset(keyset, f"{h}.{other}.{sig}", audience="api")[0], "BadSignature", kid)
            # The same claims MACed with the published JWK Set as the HS256 secret, naming the key's kid.
            # (Made by hand: PyJWT itself refuses a JWK-looking HMAC secret.)
            forged = hs256({"alg": "HS256", "kid": kid}, claims, document)
            self.assertEqual(verify_keyset(keyset, forged, audience="api")[0], "AlgorithmMismatch", kid)
        LIB.tessera_keyset_free(keyset)
        leaked = json.dumps({"keys": jwks[:1] + private_jwks[1:2]}).encode()
        untouched = ctypes.c_void_p(None)
        status = LIB.tessera_keyset_from_jwks(leaked, len(leaked), 0, ctypes.byref(untouched), None)
        self.assertEqual(LIB.tessera_status_name(status).decode(), "InvalidKey")
        self.assertIsNone(untouched.value)
        # The RSA keys without their `alg`: passed over, or bound by the caller's default.
        bare = json.dumps({"keys": [{k: v for k, v in j.items() if k != "alg"} for j in jwks if j["kty"] == "RSA"]}).encode()
        self.assertEqual(LIB.tessera_keyset_from_jwks(bare, len(bare), 0, ctypes.byref(keyset), ctypes.byref(skipped)), 0)
        self.assertEqual(skipped.value, 12)
        LIB.tessera_keyset_free(keyset)
        rs256 = 30
        self.assertEqual(LIB.tessera_keyset_from_jwks(bare, len(bare), rs256, ctypes.byref(keyset), ctypes.byref(skipped)), 0)
        self.assertEqual(skipped.value, 0)
        self.assertEqual(verify_keyset(keyset, tokens["rs256-2048"], issuer="https://idp.example", audience="api")[0], "Ok")
        self.assertEqual(verify_keyset(keyset, tokens["ps256-2048"], audience="api")[0], "AlgorithmMismatch")
        LIB.tessera_keyset_free(keyset)


def hs256(header, payload, secret):
    import base64
    import hashlib
    import hmac

    b64 = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode()
    signing_input = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(payload).encode())}"
    return f"{signing_input}.{b64(hmac.new(secret, signing_input.encode(), hashlib.sha256).digest())}"


def verify_keyset(keyset, token, **policy):
    return run_verify(LIB.tessera_verify_keyset, keyset, token, policy)


if __name__ == "__main__":
    result = unittest.main(argv=[sys.argv[0]], exit=False, verbosity=1).result
    ran, bad = result.testsRun, len(result.failures) + len(result.errors)
    print(f"pyjwt interop: {ran - bad} passed, {bad} failed")
    sys.exit(0 if ran > 0 and bad == 0 else 1)
