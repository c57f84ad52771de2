//! verify/{small,access,large}, sign/access and key_setup: Tessera, its
//! peers, and the raw-HMAC limit in the same groups, so that ratios come
//! from one run. `make bench` turns the medians into benches/RESULTS.md.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::hint::black_box;

use base64ct::Encoding as _;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use hmac::{Hmac, KeyInit, Mac};
use serde::Deserialize;
use sha2::Sha256;
use tessera_benches::{NOW, SECRET, access_payload, large_payload, policy, small_payload, token};
use tessera_core::{Algorithm, HmacKey, SCRATCH_LEN, verify};

#[derive(Deserialize)]
#[allow(dead_code)]
struct Claims {
    sub: String,
    exp: u64,
    iss: Option<String>,
    aud: Option<String>,
}

fn verify_group(c: &mut Criterion, name: &str, payload: String, iss_aud: bool) {
    let tok = token(&payload);
    let mut g = c.benchmark_group(format!("verify/{name}"));
    g.throughput(Throughput::Bytes(tok.len() as u64));

    // The limit: one HMAC-SHA256 over header.payload with a precomputed key,
    // and a constant-time compare with the decoded signature.
    let signing_input = &tok.as_bytes()[..tok.rfind('.').unwrap()];
    let sig = base64ct::Base64UrlUnpadded::decode_vec(&tok[tok.rfind('.').unwrap() + 1..]).unwrap();
    let raw = <Hmac<Sha256> as KeyInit>::new_from_slice(SECRET).unwrap();
    g.bench_function("raw_hmac_sha2", |b| {
        b.iter(|| {
            let mut m = raw.clone();
            m.update(black_box(signing_input));
            black_box(m.verify_slice(&sig).is_ok())
        })
    });
    let ring_key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, SECRET);
    g.bench_function("raw_hmac_ring", |b| {
        b.iter(|| black_box(ring::hmac::verify(&ring_key, black_box(signing_input), &sig).is_ok()))
    });

    let key = HmacKey::new(Algorithm::Hs256, SECRET).unwrap();
    let pol = policy(iss_aud);
    let mut scratch = vec![0u8; SCRATCH_LEN];
    g.bench_function("tessera", |b| {
        b.iter(|| {
            let v = verify(black_box(&tok), &key, &pol, &mut scratch).unwrap();
            black_box(v.claims.sub());
        })
    });

    // The C ABI (`tessera_verify`, what C programs call) from the same
    // loop: the conversions of the boundary measured against the core call.
    c_abi_bench(&mut g, &tok, iss_aud);

    // jsonwebtoken's clock is the system's: its exp check uses real time,
    // so the benchmark tokens' exp (2023) is moved out of the way by leeway.
    // The same code for both backends (two major versions, see Cargo.toml).
    macro_rules! jsonwebtoken_bench {
        ($name:literal, $krate:ident) => {{
            let dkey = $krate::DecodingKey::from_secret(SECRET);
            let mut v = $krate::Validation::new($krate::Algorithm::HS256);
            v.leeway = $krate::get_current_timestamp() - NOW + 3600;
            v.validate_nbf = true;
            if iss_aud {
                v.set_issuer(&["https://auth.example.com"]);
                v.set_audience(&["api"]);
            }
            g.bench_function($name, |b| {
                b.iter(|| black_box($krate::decode::<Claims>(black_box(&tok), &dkey, &v).unwrap()))
            });
        }};
    }
    jsonwebtoken_bench!("jsonwebtoken", jsonwebtoken);
    jsonwebtoken_bench!("jsonwebtoken_aws_lc", jsonwebtoken_aws);

    {
        use jwt_simple::prelude::*;
        let k = HS256Key::from_bytes(SECRET);
        let mut o = VerificationOptions {
            time_tolerance: Some(Duration::from_secs(jsonwebtoken::get_current_timestamp() - NOW + 3600)),
            ..Default::default()
        };
        if iss_aud {
            o.allowed_issuers = Some(HashSet::from_strings(&["https://auth.example.com"]));
            o.allowed_audiences = Some(HashSet::from_strings(&["api"]));
        }
        g.bench_function("jwt_simple", |b| {
            b.iter(|| black_box(k.verify_token::<NoCustomClaims>(black_box(&tok), Some(o.clone())).unwrap()))
        });
    }

    {
        use jwt_compact::{
            AlgorithmExt, TimeOptions, UntrustedToken,
            alg::{Hs256, Hs256Key},
        };
        let k = Hs256Key::new(SECRET);
        let at = chrono_now();
        g.bench_function("jwt_compact", |b| {
            b.iter(|| {
                let t = UntrustedToken::new(black_box(&tok)).unwrap();
                let t = Hs256.validator::<serde_json::Value>(&k).validate(&t).unwrap();
                let opts = TimeOptions::new(chrono::Duration::seconds(0), move || at);
                t.claims().validate_expiration(&opts).unwrap();
                black_box(t)
            })
        });
    }
    g.finish();
}

#[allow(unsafe_code)] // calling the C ABI as C does
fn c_abi_bench(g: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>, tok: &str, iss_aud: bool) {
    use std::mem::MaybeUninit;
    use tessera::status::tessera_status;
    use tessera::verify::{tessera_claims, tessera_verify, tessera_verify_prepared};

    // The key, the policy and (at start-up, as a server does) the same
    // policy prepared.
    let mut c = c_setup::CSetup::new(SECRET, iss_aud);
    c.policy.now = NOW;
    let (key, policy, prepared) = (c.key, &c.policy, c.prepared);
    let mut scratch = vec![0u8; SCRATCH_LEN];
    let mut claims = MaybeUninit::<tessera_claims>::uninit();
    g.bench_function("tessera_c_abi", |b| {
        b.iter(|| {
            // SAFETY: every pointer is valid for the lengths given.
            let s = unsafe {
                tessera_verify(
                    black_box(tok.as_ptr()),
                    tok.len(),
                    key,
                    policy,
                    scratch.as_mut_ptr(),
                    scratch.len(),
                    claims.as_mut_ptr(),
                )
            };
            assert_eq!(s, tessera_status::Ok);
        })
    });
    // The policy prepared once: the per-request cost of the boundary
    // without converting the policy.
    g.bench_function("tessera_c_abi_prepared", |b| {
        b.iter(|| {
            // SAFETY: every pointer is valid for the lengths given.
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
        })
    });
}

#[path = "../../ffi/tests/support/c_setup.rs"]
mod c_setup;

fn chrono_now() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp(NOW as i64, 0).unwrap()
}

fn verify_benches(c: &mut Criterion) {
    verify_group(c, "small", small_payload(), false);
    verify_group(c, "access", access_payload(), true);
    verify_group(c, "large", large_payload(), true);
}

fn sign_benches(c: &mut Criterion) {
    use tessera_core::profile::AccessToken;
    let key = HmacKey::new(Algorithm::Hs256, SECRET).unwrap();
    let mut g = c.benchmark_group("sign/access");
    let mut out = vec![0u8; 2048];
    let t = AccessToken::new(
        "https://auth.example.com",
        "user-42",
        "api",
        "s-7f3a2b",
        "6f1c2a9e-8d4b-4c1e-9f2a-3b5d7e9a1c3f",
        NOW,
    )
    .scope("profile:read likes:write")
    .client_id("web-app");
    let len = t.sign(&key, &mut out).unwrap().len();
    g.throughput(Throughput::Bytes(len as u64));
    // The limit: encoding the same JSON (already built), one HMAC, and
    // encoding the MAC — a whole token, minus building its JSON.
    let header = br#"{"alg":"HS256","typ":"at+jwt"}"#;
    let payload = access_payload();
    let raw = <Hmac<Sha256> as KeyInit>::new_from_slice(SECRET).unwrap();
    let mut enc = vec![0u8; 2048];
    g.bench_function("raw_encode_and_hmac", |b| {
        b.iter(|| {
            use base64ct::Encoding;
            let h = base64ct::Base64UrlUnpadded::encode(header, &mut enc[..64]).unwrap().len();
            let p = base64ct::Base64UrlUnpadded::encode(black_box(payload.as_bytes()), &mut enc[64..]).unwrap().len();
            let mut m = raw.clone();
            m.update(&enc[..h]);
            m.update(b".");
            m.update(&enc[64..64 + p]);
            let tag = m.finalize().into_bytes();
            let mut sig = [0u8; 43];
            black_box(base64ct::Base64UrlUnpadded::encode(&tag, &mut sig).unwrap().len())
        })
    });
    g.bench_function("tessera", |b| b.iter(|| black_box(black_box(&t).sign(&key, &mut out).unwrap().len())));
    let ekey = jsonwebtoken::EncodingKey::from_secret(SECRET);
    let claims: serde_json::Value = serde_json::from_str(&access_payload()).unwrap();
    let mut h = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256);
    h.typ = Some("at+jwt".into());
    g.bench_function("jsonwebtoken", |b| {
        b.iter(|| black_box(jsonwebtoken::encode(&h, black_box(&claims), &ekey).unwrap()))
    });
    let ekey = jsonwebtoken_aws::EncodingKey::from_secret(SECRET);
    let mut h = jsonwebtoken_aws::Header::new(jsonwebtoken_aws::Algorithm::HS256);
    h.typ = Some("at+jwt".into());
    g.bench_function("jsonwebtoken_aws_lc", |b| {
        b.iter(|| black_box(jsonwebtoken_aws::encode(&h, black_box(&claims), &ekey).unwrap()))
    });
    g.finish();

    let mut g = c.benchmark_group("key_setup");
    g.bench_function("raw_hmac_sha2", |b| {
        b.iter(|| black_box(<Hmac<Sha256> as KeyInit>::new_from_slice(black_box(SECRET)).unwrap()))
    });
    g.bench_function("tessera", |b| b.iter(|| black_box(HmacKey::new(Algorithm::Hs256, black_box(SECRET)).unwrap())));
    g.finish();
}

fn scaling(c: &mut Criterion) {
    // Cost against size, 100 B to 8 KB.
    let key = HmacKey::new(Algorithm::Hs256, SECRET).unwrap();
    let pol = policy(false);
    let mut scratch = vec![0u8; SCRATCH_LEN];
    let mut g = c.benchmark_group("verify_by_size");
    for target in [100usize, 400, 1000, 2000, 4000, 8000] {
        let pad = target.saturating_sub(60) * 3 / 4;
        let payload = format!(r#"{{"sub":"42","exp":1700000900,"pad":"{}"}}"#, "x".repeat(pad.saturating_sub(40)));
        let tok = token(&payload);
        if tok.len() > 8192 {
            continue;
        }
        g.throughput(Throughput::Bytes(tok.len() as u64));
        g.bench_function(format!("tessera_{target}"), |b| {
            b.iter(|| black_box(verify(black_box(&tok), &key, &pol, &mut scratch).is_ok()))
        });
        let si = tok.as_bytes()[..tok.rfind('.').unwrap()].to_vec();
        let raw = <Hmac<Sha256> as KeyInit>::new_from_slice(SECRET).unwrap();
        g.bench_function(format!("raw_hmac_{target}"), |b| {
            b.iter(|| {
                let mut m = raw.clone();
                m.update(black_box(&si));
                black_box(m.finalize())
            })
        });
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(40).warm_up_time(std::time::Duration::from_millis(500)).measurement_time(std::time::Duration::from_secs(2));
    targets = verify_benches, sign_benches, scaling
}
criterion_main!(benches);
