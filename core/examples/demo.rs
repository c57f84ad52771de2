//! `make demo`, part 1: verifies the published RFC tokens and prints what
#![allow(clippy::unwrap_used, clippy::cast_lossless, clippy::cast_precision_loss)]
//! they say and what a verification costs.

use std::time::Instant;

use tessera_core::{Algorithm, HmacKey, KeySet, Policy, SCRATCH_LEN, verify};

const RFC7515_A1: &str = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const RFC7515_A1_KEY: [u8; 64] = [
    3, 35, 53, 75, 43, 15, 165, 188, 131, 126, 6, 101, 119, 123, 166, 143, 90, 179, 40, 230, 240, 84, 201, 40, 169, 15,
    132, 178, 210, 80, 46, 191, 211, 251, 90, 146, 210, 6, 71, 239, 150, 138, 180, 195, 119, 98, 61, 34, 61, 46, 33,
    114, 5, 46, 79, 8, 192, 205, 154, 245, 103, 208, 128, 163,
];
const RFC7520_4_4: &str = "eyJhbGciOiJIUzI1NiIsImtpZCI6IjAxOGMwYWU1LTRkOWItNDcxYi1iZmQ2LWVlZjMxNGJjNzAzNyJ9.SXTigJlzIGEgZGFuZ2Vyb3VzIGJ1c2luZXNzLCBGcm9kbywgZ29pbmcgb3V0IHlvdXIgZG9vci4gWW91IHN0ZXAgb250byB0aGUgcm9hZCwgYW5kIGlmIHlvdSBkb24ndCBrZWVwIHlvdXIgZmVldCwgdGhlcmXigJlzIG5vIGtub3dpbmcgd2hlcmUgeW91IG1pZ2h0IGJlIHN3ZXB0IG9mZiB0by4.s0h6KThzkfBBBkLspW1h84VsJZFTsPPqMDA7g1Md7p0";

fn main() -> Result<(), tessera_core::Error> {
    let mut scratch = [0u8; SCRATCH_LEN];
    println!("Tessera demo: verifying published tokens\n");

    let key = HmacKey::new(Algorithm::Hs256, &RFC7515_A1_KEY)?;
    let policy = Policy::new(1_300_819_379).issuer("joe");
    let t = verify(RFC7515_A1, &key, &policy, &mut scratch)?;
    println!("RFC 7515 A.1 / RFC 7519 §3.1 at now=1300819379: accepted");
    println!("  header  {}", t.header.json().replace("\r\n", " "));
    println!(
        "  iss={:?} exp={:?} is_root={:?}",
        t.claims.iss(),
        t.claims.exp(),
        t.claims.get_raw("http://example.com/is_root")
    );
    let e = verify(RFC7515_A1, &key, &policy.at(1_300_819_380), &mut scratch).unwrap_err();
    println!("  one second later: refused, {} (code {}): {e}", e.name(), e.code());

    let mut keys = KeySet::<2>::new();
    keys.insert(
        "018c0ae5-4d9b-471b-bfd6-eef314bc7037",
        HmacKey::new(Algorithm::Hs256, b"\x84\x9b\x57\x21\x9d\xae\x48\xde\x64\x6d\x07\xdb\xb5\x33\x56\x6e\x97\x66\x86\x45\x7c\x14\x91\xbe\x3a\x76\xdc\xea\x6c\x42\x71\x88")?,
    )?;
    let e = verify(RFC7520_4_4, &keys, &Policy::new(1_700_000_000), &mut scratch).unwrap_err();
    println!("\nRFC 7520 §4.4 (valid HMAC by kid, but a text payload): refused, {} (code {}): {e}", e.name(), e.code());

    let n = 200_000;
    let start = Instant::now();
    for _ in 0..n {
        std::hint::black_box(verify(std::hint::black_box(RFC7515_A1), &key, &policy, &mut scratch)?);
    }
    let per = start.elapsed().as_nanos() as f64 / n as f64;
    println!("\n{n} verifications of the RFC 7515 token: {per:.0} ns each (see benches/ for measured ratios)");
    Ok(())
}
