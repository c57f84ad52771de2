//! A statistical check that the MAC comparison's time does not depend on
//! where the first wrong byte is (dudect-style): tokens whose signature is
//! wrong in its first byte and in its last byte are verified interleaved
//! in random order, and Welch's t-test compares the two timing
//! distributions (after dropping the slowest 5% of each). |t| < 4.5 is the
//! usual threshold for "no detectable difference". Run as a benchmark
//! (`make bench`), never as a unit test: timing is noisy by nature.
#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::cast_precision_loss,
    clippy::expect_used,
    clippy::panic
)]

use std::hint::black_box;
use std::time::Instant;

use tessera_benches::{SECRET, access_payload, policy, token};
use tessera_core::{Algorithm, Error, HmacKey, SCRATCH_LEN, verify};

fn with_signature_byte_flipped(tok: &str, index: usize) -> String {
    use base64ct::Encoding;
    let dot = tok.rfind('.').unwrap();
    let mut sig = base64ct::Base64UrlUnpadded::decode_vec(&tok[dot + 1..]).unwrap();
    sig[index] ^= 0x01;
    format!("{}.{}", &tok[..dot], base64ct::Base64UrlUnpadded::encode_string(&sig))
}

fn stats(mut v: Vec<f64>) -> (f64, f64, usize) {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v.truncate(v.len() * 95 / 100);
    let n = v.len() as f64;
    let mean = v.iter().sum::<f64>() / n;
    let var = v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, var, v.len())
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let key = HmacKey::new(Algorithm::Hs256, SECRET).unwrap();
    let pol = policy(true);
    let good = token(&access_payload());
    let first = with_signature_byte_flipped(&good, 0);
    let last = with_signature_byte_flipped(&good, 31);
    let mut scratch = vec![0u8; SCRATCH_LEN];
    assert_eq!(verify(&first, &key, &pol, &mut scratch).err(), Some(Error::BadSignature));
    assert_eq!(verify(&last, &key, &pol, &mut scratch).err(), Some(Error::BadSignature));
    let rounds: usize = std::env::var("TIMING_ROUNDS").ok().and_then(|s| s.parse().ok()).unwrap_or(400_000);
    let (mut a, mut b) = (Vec::with_capacity(rounds), Vec::with_capacity(rounds));
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    // Both tokens are verified from the same buffer: two separate strings
    // sit at different addresses, and address effects (cache sets, 4K
    // aliasing with the scratch buffer) gave run-to-run differences of
    // either sign that had nothing to do with the signature's bytes.
    let mut input = vec![0u8; good.len()];
    for _ in 0..rounds {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let which = state & 1 == 0;
        input.copy_from_slice(if which { first.as_bytes() } else { last.as_bytes() });
        let start = Instant::now();
        black_box(verify(black_box(&input[..]), &key, &pol, &mut scratch).is_err());
        let ns = start.elapsed().as_nanos() as f64;
        if which { a.push(ns) } else { b.push(ns) }
    }
    let (ma, va, na) = stats(a);
    let (mb, vb, nb) = stats(b);
    let t = (ma - mb) / (va / na as f64 + vb / nb as f64).sqrt();
    println!("timing: wrong first byte {ma:.1} ns, wrong last byte {mb:.1} ns (means of {na} and {nb} samples)");
    println!(
        "timing: Welch t = {t:.2} ({})",
        if t.abs() < 4.5 {
            "no detectable dependence on the position, |t| < 4.5"
        } else {
            "DIFFERENCE DETECTED, |t| >= 4.5"
        }
    );
}
