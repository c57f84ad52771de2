#!/usr/bin/env python3
"""Mints an HS256 token with Python's standard library (independent of
Tessera), for the example and demo checks.

usage: mint.py SECRET SUB [LIFETIME_SECONDS] [TYP]
A negative lifetime gives an expired token.
"""
import base64
import hashlib
import hmac
import json
import sys
import time


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def main():
    secret, sub = sys.argv[1].encode(), sys.argv[2]
    lifetime = int(sys.argv[3]) if len(sys.argv) > 3 else 900
    typ = sys.argv[4] if len(sys.argv) > 4 else "at+jwt"
    now = int(time.time())
    header = {"alg": "HS256", "typ": typ}
    payload = {"iss": "https://auth.example.com", "sub": sub, "aud": "api", "exp": now + lifetime,
               "iat": min(now, now + lifetime - 1), "scope": "profile:read"}
    signing_input = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(payload).encode())}"
    mac = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    print(f"{signing_input}.{b64(mac)}")


if __name__ == "__main__":
    main()
