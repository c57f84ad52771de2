//! The C ABI's cost over the core call, measured interleaved: rounds of
//! 20,000 verifies each through the core (`verify`), `tessera_verify` (the
//! policy converted per call) and `tessera_verify_prepared`, alternating,
//! so that clock-speed drift hits all three alike; the medians of the
//! per-round ratios are printed (`make bench`; goal of issue #17: ≤ 3%).
// It times the C ABI, which only `unsafe` calls reach.
#![allow(unsafe_code)]
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::hint::black_box;
use std::mem::MaybeUninit;
use std::time::Instant;

use tessera::status::tessera_status;
use tessera::verify::{tessera_claims, tessera_verify, tessera_verify_prepared};
use tessera_benches::{NOW, SECRET, access_payload, large_payload, policy, small_payload, token};
use tessera_core::{Algorithm, HmacKey, Key, SCRATCH_LEN, verify};

#[path = "../../ffi/tests/support/c_setup.rs"]
mod c_setup;

const PER_ROUND: u32 = 20_000;
const ROUNDS: usize = 31;

/// `ABI_BENCH_SHORT=1` runs one short round (for a profiler).
fn per_round() -> (u32, usize) {
    if std::env::var_os("ABI_BENCH_SHORT").is_some() { (2_000, 1) } else { (PER_ROUND, ROUNDS) }
}

/// Whether the loop `name` runs: `ABI_BENCH_ONLY=prepared` (or `core`,
/// `full`, `verify`) runs that one alone and `ABI_BENCH_TOKEN=access` one
/// token, so that an instruction counter (callgrind) sees one path; the
/// others then time nothing and their ratios are meaningless. A value that
/// names none of `all` stops the run (a typo would otherwise count nothing).
fn runs(var: &str, all: &[&str], name: &str) -> bool {
    let Ok(only) = std::env::var(var) else { return true };
    assert!(all.contains(&only.as_str()), "{var}={only}: expected one of {all:?}");
    only == name
}

const TOKENS: [&str; 3] = ["small", "access", "large"];
const LOOPS: [&str; 4] = ["core", "full", "verify", "prepared"];

fn time(mut f: impl FnMut()) -> f64 {
    let n = per_round().0;
    let start = Instant::now();
    for _ in 0..n {
        f();
    }
    start.elapsed().as_nanos() as f64 / f64::from(n)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    println!("C ABI over the core call: medians of {ROUNDS} interleaved rounds of {PER_ROUND} verifies");
    println!(
        "| | core ns (`verify` with a `Key`) | tessera_verify | tessera_verify_prepared | prepared over the core call reading every claim the C struct carries |"
    );
    println!("|---|---:|---:|---:|---:|");
    for (name, payload, iss_aud) in
        [("small", small_payload(), false), ("access", access_payload(), true), ("large", large_payload(), true)]
    {
        if !runs("ABI_BENCH_TOKEN", &TOKENS, name) {
            continue;
        }
        let tok = token(&payload);
        // The key as the C library holds it: the `Key` enum of every family
        // (a bare `HmacKey` lets the core skip the family dispatch).
        let core_key = Key::from(HmacKey::new(Algorithm::Hs256, SECRET).unwrap());
        let core_policy = policy(iss_aud);
        let mut scratch = vec![0u8; SCRATCH_LEN];

        // The C caller's key and policy (the same issuer and audience as `policy`).
        let mut c = c_setup::CSetup::new(SECRET, iss_aud);
        c.policy.now = NOW;
        let (key, p, prepared) = (c.key, &c.policy, c.prepared);
        let mut claims = MaybeUninit::<tessera_claims>::uninit();

        let [run_core, run_full, run_verify, run_prepared] =
            LOOPS.map(|loop_name| runs("ABI_BENCH_ONLY", &LOOPS, loop_name));
        let (mut base, mut abi, mut prep, mut prep_full) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for _ in 0..per_round().1 {
            let core = time(|| {
                if !run_core {
                    return;
                }
                let v = verify(black_box(&tok), &core_key, &core_policy, &mut scratch).unwrap();
                black_box(v.claims.sub());
            });
            // The core call reading what `tessera_claims` carries: the same
            // information the C caller gets, without the boundary.
            let full = time(|| {
                if !run_full {
                    return;
                }
                let v = verify(black_box(&tok), &core_key, &core_policy, &mut scratch).unwrap();
                let (h, c) = (&v.header, &v.claims);
                black_box((h.alg(), h.typ(), h.kid(), h.json(), c.json()));
                black_box((c.iss(), c.sub(), c.jti(), c.sid(), c.scope(), c.azp(), c.client_id()));
                black_box((c.exp(), c.nbf(), c.iat(), c.aud().map(|a| (a.iter().count(), a.to_parts()))));
            });
            let c = time(|| {
                if !run_verify {
                    return;
                }
                // SAFETY: every pointer is valid for the lengths given.
                let s = unsafe {
                    tessera_verify(
                        black_box(tok.as_ptr()),
                        tok.len(),
                        key,
                        p,
                        scratch.as_mut_ptr(),
                        scratch.len(),
                        claims.as_mut_ptr(),
                    )
                };
                assert_eq!(s, tessera_status::Ok);
            });
            let pr = time(|| {
                if !run_prepared {
                    return;
                }
                // SAFETY: as above.
                let s = unsafe {
                    tessera_verify_prepared(
                        black_box(tok.as_ptr()),
                        tok.len(),
                        key,
                        prepared,
                        NOW,
                        scratch.as_mut_ptr(),
                        scratch.len(),
                        claims.as_mut_ptr(),
                    )
                };
                assert_eq!(s, tessera_status::Ok);
            });
            base.push(core);
            abi.push(c / core);
            prep.push(pr / core);
            prep_full.push(pr / full);
        }
        println!(
            "| {name} | {:.0} | {:+.1}% | {:+.1}% | {:+.1}% |",
            median(base),
            (median(abi) - 1.0) * 100.0,
            (median(prep) - 1.0) * 100.0,
            (median(prep_full) - 1.0) * 100.0
        );
    }
}
