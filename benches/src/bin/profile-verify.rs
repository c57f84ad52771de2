//! Verifies one benchmark token (small, access or large) in a loop, for a
//! profiler: `valgrind --tool=callgrind --branch-sim=yes --cache-sim=yes`
//! attributes instructions, branch mispredictions and cache misses to each
//! stage of a verify by source file (`make profile` prints the table).
// A benchmark harness: a failed setup should stop it loudly.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]
use std::hint::black_box;

use tessera_benches::{SECRET, access_payload, large_payload, policy, small_payload, token};
use tessera_core::{Algorithm, HmacKey, SCRATCH_LEN, verify};

fn main() {
    let mut args = std::env::args().skip(1);
    let which = args.next().unwrap_or_else(|| "access".into());
    let n: u32 = args.next().and_then(|s| s.parse().ok()).unwrap_or(100_000);
    let (payload, iss_aud) = match which.as_str() {
        "small" => (small_payload(), false),
        "large" => (large_payload(), true),
        _ => (access_payload(), true),
    };
    let tok = token(&payload);
    let key = HmacKey::new(Algorithm::Hs256, SECRET).expect("key");
    let pol = policy(iss_aud);
    let mut scratch = vec![0u8; SCRATCH_LEN];
    for _ in 0..n {
        let v = verify(black_box(&tok), &key, &pol, &mut scratch).expect("verifies");
        black_box(v.claims.sub());
    }
}
