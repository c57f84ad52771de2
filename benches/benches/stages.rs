//! stages/{small,access,large}: where a verify's time goes, stage by
//! stage, through public entry points (`make bench`; `benches/report.py`
//! puts the table in benches/RESULTS.md).
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::hint::black_box;

use base64ct::Encoding as _;
use criterion::{Criterion, criterion_group, criterion_main};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use tessera_benches::{SECRET, access_payload, large_payload, policy, small_payload, token};
use tessera_core::{Algorithm, HmacKey, SCRATCH_LEN, verify};

/// Where a verify's time goes (the profile of issue #17), stage by stage,
/// through public entry points: the MAC alone; base64url decoding of the
/// three segments alone; `decode_unverified` (splitting, decoding, the
/// header, the JSON pass with the duplicate check, claim typing: everything
/// but the MAC and the policy); the whole verify. `benches/report.py`
/// derives the JSON-and-typing and policy-and-glue shares from these.
fn stages(c: &mut Criterion) {
    let key = HmacKey::new(Algorithm::Hs256, SECRET).unwrap();
    for (name, payload, iss_aud) in
        [("small", small_payload(), false), ("access", access_payload(), true), ("large", large_payload(), true)]
    {
        let tok = token(&payload);
        let pol = policy(iss_aud);
        let mut scratch = vec![0u8; SCRATCH_LEN];
        let mut g = c.benchmark_group(format!("stages/{name}"));
        let dot = tok.rfind('.').unwrap();
        let signing_input = &tok.as_bytes()[..dot];
        let sig = base64ct::Base64UrlUnpadded::decode_vec(&tok[dot + 1..]).unwrap();
        let raw = <Hmac<Sha256> as KeyInit>::new_from_slice(SECRET).unwrap();
        g.bench_function("hmac", |b| {
            b.iter(|| {
                let mut m = raw.clone();
                m.update(black_box(signing_input));
                black_box(m.verify_slice(&sig).is_ok())
            })
        });
        let segments: Vec<&str> = tok.split('.').collect();
        let mut out = vec![0u8; tok.len()];
        g.bench_function("base64url", |b| {
            b.iter(|| {
                for seg in &segments {
                    black_box(tessera_core::base64url::decode(black_box(seg.as_bytes()), &mut out).unwrap().len());
                }
            })
        });
        // Two general JSON parsers on the decoded payload, into the same
        // registered claims (borrowed, no duplicate check, no policy): how
        // fast the "JSON pass + claim typing" stage could be with the best
        // parser at hand, for the arithmetic of issue #17's 1.5x goal.
        let json = payload.as_bytes();
        g.bench_function("serde_json", |b| {
            b.iter(|| black_box(serde_json::from_slice::<Registered<'_>>(black_box(json)).unwrap().exp))
        });
        g.bench_function("sonic_rs", |b| {
            b.iter(|| black_box(sonic_rs::from_slice::<Registered<'_>>(black_box(json)).unwrap().exp))
        });
        g.bench_function("decode_unverified", |b| {
            b.iter(|| black_box(tessera_core::decode_unverified(black_box(&tok), &mut scratch).unwrap().claims.exp()))
        });
        g.bench_function("verify", |b| {
            b.iter(|| black_box(verify(black_box(&tok), &key, &pol, &mut scratch).unwrap().claims.exp()))
        });
        g.finish();
    }
}

/// The registered claims a verify types, as a serde struct (every
/// benchmark payload's strings are free of escapes, so they borrow).
#[derive(serde::Deserialize)]
#[allow(dead_code)] // read by the parsers only
struct Registered<'a> {
    iss: Option<&'a str>,
    sub: Option<&'a str>,
    aud: Option<&'a str>,
    exp: Option<u64>,
    nbf: Option<u64>,
    iat: Option<u64>,
    jti: Option<&'a str>,
    sid: Option<&'a str>,
    scope: Option<&'a str>,
    azp: Option<&'a str>,
    client_id: Option<&'a str>,
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(40).warm_up_time(std::time::Duration::from_millis(500)).measurement_time(std::time::Duration::from_secs(2));
    targets = stages
}
criterion_main!(benches);
