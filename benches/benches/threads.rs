//! Throughput with 1 and 2 threads verifying with one shared key: each
//! thread has its own scratch, and nothing is locked or written in common,
//! so two threads should give twice the verifies per second (as far as the
//! machine's cores allow: raw HMAC is measured the same way for reference).
//! Prints a table that `make bench` copies into benches/RESULTS.md.
#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::cast_precision_loss,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use tessera_benches::{SECRET, access_payload, policy, token};
use tessera_core::{Algorithm, HmacKey, SCRATCH_LEN, verify};

const RUN: Duration = Duration::from_millis(1500);

/// Operations per second of `threads` threads, each running its own
/// `make()` (its per-thread state) for `RUN`.
fn throughput<M: Fn() -> O + Sync, O: FnMut() -> bool>(threads: usize, make: &M) -> f64 {
    let total: u64 = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut op = make();
                    let start = Instant::now();
                    let mut n = 0u64;
                    while start.elapsed() < RUN {
                        for _ in 0..256 {
                            assert!(black_box(op()));
                        }
                        n += 256;
                    }
                    n
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).sum()
    });
    total as f64 / RUN.as_secs_f64()
}

/// The median of five runs.
fn median<M: Fn() -> O + Sync, O: FnMut() -> bool>(threads: usize, make: &M) -> f64 {
    let mut runs: Vec<f64> = (0..5).map(|_| throughput(threads, make)).collect();
    runs.sort_by(f64::total_cmp);
    runs[2]
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return; // `cargo bench -- --list` and friends: nothing to list
    }
    let tok = token(&access_payload());
    let key = HmacKey::new(Algorithm::Hs256, SECRET).unwrap();
    let tessera = || {
        // Per thread: a scratch buffer; per request, as a server does, the
        // policy (its `now`). Only the key is shared.
        let mut scratch = vec![0u8; SCRATCH_LEN];
        let (tok, key) = (&tok, &key);
        move || verify(black_box(tok), key, &policy(true), &mut scratch).is_ok()
    };
    let signing_input = &tok.as_bytes()[..tok.rfind('.').unwrap()];
    let raw = <Hmac<Sha256> as KeyInit>::new_from_slice(SECRET).unwrap();
    let raw_hmac = || {
        || {
            let mut m = raw.clone();
            m.update(black_box(signing_input));
            black_box(m.finalize());
            true
        }
    };
    println!("verify/access throughput, one shared key, {} s per run, median of 5", RUN.as_secs_f64());
    println!("| | 1 thread (verifies/s) | 2 threads (verifies/s) | scaling |");
    println!("|---|---:|---:|---:|");
    for (name, one, two) in [
        ("tessera", median(1, &tessera), median(2, &tessera)),
        ("raw HMAC-SHA256", median(1, &raw_hmac), median(2, &raw_hmac)),
    ] {
        println!("| {name} | {one:.0} | {two:.0} | {:.2}× |", two / one);
    }
}
