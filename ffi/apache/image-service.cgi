#!/usr/bin/env python3
# The demo's "image service": a backend behind mod_tessera. It does no
# token work at all: httpd verified the bearer token and handed over the
# subject and scopes (environment and X-Tessera-* headers).
import json
import os

env = os.environ.get
print("Content-Type: application/json")
print("Cache-Control: no-store")
print()
print(json.dumps({
    "service": "image (Apache httpd + mod_tessera, C)",
    "subject": env("TESSERA_SUB"),
    "subjectHeader": env("HTTP_X_TESSERA_SUB"),
    "scope": env("TESSERA_SCOPE"),
    "kid": env("TESSERA_KID"),
    "remoteUser": env("REMOTE_USER"),
    "path": env("PATH_INFO", ""),
}))
