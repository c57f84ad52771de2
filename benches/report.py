#!/usr/bin/env python3
"""Writes benches/RESULTS.md from criterion's medians (target/criterion),
plus the C and JS benchmark outputs when present: medians and ratios only,
every ratio taken within one group of one run. The hand-written sections
after the marker line are kept."""
import datetime
import json
import os
import platform
import subprocess
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
CRIT = os.path.join(ROOT, "target", "criterion")
# Where the generated report ends in RESULTS.md.
MARKER = "<!-- Written by hand below this line: benches/report.py keeps it. -->"


def median(group, name):
    path = os.path.join(CRIT, group.replace("/", "_"), name, "new", "estimates.json")
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)["median"]["point_estimate"]


def fmt(ns):
    return "–" if ns is None else (f"{ns:.0f}" if ns >= 10 else f"{ns:.1f}")


def main():
    lines = ["# Benchmark results", ""]
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    lines += [f"Machine: {cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}; "
              f"{subprocess.run(['rustc', '--version'], capture_output=True, text=True).stdout.strip()}; "
              f"written {datetime.date.today().isoformat()} (an otherwise idle machine).",
              "Medians in ns per operation; × is the ratio to raw HMAC-SHA256 (`hmac`+`sha2`, precomputed key) "
              "measured in the same group of the same run. Regenerate with `make bench`.",
              "The C table's limit is OpenSSL's HMAC with the key set up once (an `EVP_MAC` context duplicated "
              "per call); one-shot `HMAC()` is shown beside it.", ""]
    peers = ["raw_hmac_sha2", "raw_hmac_ring", "tessera", "tessera_c_abi", "tessera_c_abi_prepared", "jsonwebtoken", "jsonwebtoken_aws_lc", "jwt_simple", "jwt_compact"]
    lines += ["## Rust: verify", "", "| | small | access | large |", "|---|---:|---:|---:|"]
    for p in peers:
        row = [p.replace("_", " ")]
        for size in ("small", "access", "large"):
            ns, base = median(f"verify/{size}", p), median(f"verify/{size}", "raw_hmac_sha2")
            row.append(f"{fmt(ns)} ({ns / base:.2f}×)" if ns and base else fmt(ns))
        lines.append("| " + " | ".join(row) + " |")
    lines.append("")
    speedups = [(median(f"verify/{s}", "jsonwebtoken"), median(f"verify/{s}", "tessera")) for s in ("small", "access", "large")]
    if all(j and t for j, t in speedups):
        lines.append("Tessera vs jsonwebtoken (small / access / large): "
                     + " / ".join(f"{j / t:.1f}×" for j, t in speedups) + " faster.")
    abi = [(median(f"verify/{s}", "tessera_c_abi"), median(f"verify/{s}", "tessera")) for s in ("small", "access", "large")]
    if all(c and t for c, t in abi):
        lines.append("The C ABI (`tessera_verify`, called in the same loop) over the core call (small / access / large): "
                     + " / ".join(f"{(c / t - 1) * 100:+.0f}%" for c, t in abi) + ".")
    prepared = [(median(f"verify/{s}", "tessera_c_abi_prepared"), median(f"verify/{s}", "tessera")) for s in ("small", "access", "large")]
    if all(c and t for c, t in prepared):
        lines.append("With a prepared policy (`tessera_verify_prepared`) over the core call (small / access / large): "
                     + " / ".join(f"{(c / t - 1) * 100:+.1f}%" for c, t in prepared) + ".")
    lines.append("")
    lines += ["## Rust: where a verify's time goes", "",
              "`cargo bench --bench stages`: the MAC alone, base64url decoding of the three segments alone, "
              "`decode_unverified` (everything but the MAC and the policy) and the whole verify; "
              "JSON + typing = decode_unverified − base64url, the rest = verify − decode_unverified − MAC. "
              "`serde_json` and `sonic-rs` parse the decoded payload into the same registered claims (no duplicate "
              "check, no policy); the last column is the verify with the JSON pass and typing taken out, "
              "the lowest ratio any JSON parser could give.", "",
              "| ns | MAC | base64url | JSON pass + claim typing | serde_json | sonic-rs | policy, signature decode, glue | verify | × MAC | × MAC, JSON at 0 |",
              "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for size in ("small", "access", "large"):
        h, b, d, v, sj, so = (median(f"stages/{size}", n) for n in ("hmac", "base64url", "decode_unverified", "verify", "serde_json", "sonic_rs"))
        if h and b and d and v:
            lines.append(f"| {size} | {fmt(h)} | {fmt(b)} | {fmt(d - b)} | {fmt(sj)} | {fmt(so)} | {fmt(v - d - h)} | {fmt(v)} "
                         f"| {v / h:.2f}× | {(v - (d - b)) / h:.2f}× |")
    lines.append("")
    lines += ["## Rust: sign and key setup", "", "| operation | ns | × |", "|---|---:|---:|"]
    for group, names, base in (("sign/access", ["raw_encode_and_hmac", "tessera", "jsonwebtoken", "jsonwebtoken_aws_lc"], "raw_encode_and_hmac"),
                               ("key_setup", ["raw_hmac_sha2", "tessera"], "raw_hmac_sha2")):
        b = median(group, base)
        for n in names:
            v = median(group, n)
            lines.append(f"| {group} {n} | {fmt(v)} | {v / b:.2f}× |" if v and b else f"| {group} {n} | {fmt(v)} | |")
    lines += ["", "## Rust: cost by token size", "", "| token size | tessera ns | raw HMAC ns | × |", "|---:|---:|---:|---:|"]
    for size in (100, 400, 1000, 2000, 4000, 8000):
        t, r = median("verify_by_size", f"tessera_{size}"), median("verify_by_size", f"raw_hmac_{size}")
        if t and r:
            lines.append(f"| ~{size} B | {fmt(t)} | {fmt(r)} | {t / r:.2f}× |")
    lines += ["", "## Rust: public-key verify (access token)", "",
              "`primitive` is the bare signature check of the same bytes by the same crate; Tessera's cost over it is "
              "everything else a verify does (every rule, claims typed).", "",
              "The JWT libraries verify the same token with iss and aud checked; RSA is 2048 bits.", "",
              "| | primitive | ring | tessera | tessera over primitive | jsonwebtoken (RustCrypto) | jsonwebtoken (aws-lc) | jwt-simple |",
              "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for alg in ("eddsa", "es256", "es384", "rs256", "ps256"):
        g = f"verify_public/{alg}"
        p_, r_, t_, j_, a_, s_ = (median(g, n) for n in ("primitive", "ring", "tessera", "jsonwebtoken", "jsonwebtoken_aws_lc", "jwt_simple"))
        over = f"{(t_ / p_ - 1) * 100:+.1f}%" if p_ and t_ else "–"
        lines.append(f"| {alg} | {fmt(p_)} | {fmt(r_)} | {fmt(t_)} | {over} | {fmt(j_)} | {fmt(a_)} | {fmt(s_)} |")
    for extra in ("abi.txt", "bench-c.txt", "bench-js.txt", "timing.txt", "threads.txt"):
        path = os.path.join(ROOT, "target", extra)
        if os.path.exists(path):
            lines += ["", f"## {extra[:-4]}", "", "```", open(path).read().strip(), "```"]
    out = os.path.join(ROOT, "benches", "RESULTS.md")
    # The hand-written sections below the marker (profiles, before/after
    # tables, what each change measured) are kept: only the report above
    # it is regenerated. Without a marker, the whole old file is kept below.
    kept = ""
    if os.path.exists(out):
        old = open(out).read()
        kept = old.split(MARKER, 1)[1] if MARKER in old else "\n" + old
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n\n" + MARKER + kept.rstrip("\n") + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    sys.exit(main())
