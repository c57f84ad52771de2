#!/usr/bin/env python3
"""Builds each fuzz target's seed corpus from tests/vectors/ (the corpus is
not committed: run this, or `make fuzz-smoke`, which does)."""
import base64
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
VECTORS = os.path.join(HERE, "..", "tests", "vectors")


def unb64(s):
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def main():
    verify = json.load(open(os.path.join(VECTORS, "verify.json")))
    sign = json.load(open(os.path.join(VECTORS, "sign.json")))
    tokens = [v["token"] for v in verify] + [v["token"] for v in sign if v["token"]]
    structured = ("keyset_kid", "revocation", "claims_access", "c_abi", "signatures", "jwks", "rsa")
    seeds = {t: [] for t in ("verify_bytes", "verify_signed", "differential", "sign_roundtrip", "http_helpers", "simd_differential") + structured}
    for i, t in enumerate(tokens):
        seeds["verify_bytes"].append(bytes([i % 64]) + t.encode())
        parts = t.split(".")
        if len(parts) == 3:
            try:
                h, p = unb64(parts[0]), unb64(parts[1])
            except Exception:
                continue
            if b"\n" not in h:
                seeds["verify_signed"].append(b"RAW\0" + h + b"\n" + p)
                seeds["differential"].append(b"RAW\0" + h + b"\n" + p)
        # Arbitrary-decoded targets: the token bytes are as good a start as any.
        seeds["sign_roundtrip"].append(t.encode()[:256])
        for target in structured:
            # rsa signs with a 4096-bit key per run (~60 runs/s): a few seeds are enough.
            if target != "rsa" or len(seeds[target]) < 40:
                seeds[target].append(t.encode()[:512])
        seeds["http_helpers"].append(f"Bearer {t}".encode() + b"refresh=" + t.encode()[:64])
        # Base64url segments and the JSON they decode to.
        for part in parts[:2]:
            seeds["simd_differential"].append(part.encode())
            try:
                seeds["simd_differential"].append(unb64(part))
            except Exception:
                pass
    for target, items in seeds.items():
        d = os.path.join(HERE, "corpus", target)
        os.makedirs(d, exist_ok=True)
        for n, data in enumerate(items):
            with open(os.path.join(d, f"seed-{n:04d}"), "wb") as f:
                f.write(data)
        print(f"{target}: {len(items)} seeds")


if __name__ == "__main__":
    main()
