//! verify_public/{eddsa,es256,es384,rs256,ps256}: an access token signed
//! with each public-key algorithm, verified by Tessera (every rule, claims
//! typed), against the bare signature check of the same bytes by the same
//! code (`primitive`: what Tessera adds is the difference), by `ring`, and
//! by the JWT libraries (`jsonwebtoken` with RustCrypto and with aws-lc-rs,
//! `jwt-simple` pure Rust) verifying the same token with iss and aud.
//! RSA keys are tests/keys/rsa2048.pem (2048 bits, e = 65537). This crate
//! links tessera-ffi, so on x86-64/aarch64 Linux the core has its `ring`
//! feature: `primitive` and `tessera` check ES256 with ring's code, and
//! `rustcrypto` is the pure-Rust check every other build uses (and every
//! build for ES384).
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::hint::black_box;

use base64ct::Encoding as _;
use criterion::{Criterion, criterion_group, criterion_main};
use p256::ecdsa::signature::Signer;
use ring::signature::{
    ECDSA_P256_SHA256_FIXED, ECDSA_P384_SHA384_FIXED, ED25519, RSA_PKCS1_2048_8192_SHA256, RSA_PSS_2048_8192_SHA256,
    UnparsedPublicKey,
};
use tessera_benches::{NOW, access_payload};
use tessera_core::{Algorithm, EcdsaKey, Ed25519Key, Key, Policy, SCRATCH_LEN, verify};

fn b64(bytes: &[u8]) -> String {
    base64ct::Base64UrlUnpadded::encode_string(bytes)
}

/// The token, its signing input and signature, Tessera's key, ring's view
/// of the public key, and the key as JWK components for the JWT libraries.
struct Case {
    token: String,
    key: Key,
    public: Vec<u8>,
    ring: &'static dyn ring::signature::VerificationAlgorithm,
    jwk: Jwk,
}

enum Jwk {
    Okp(String),
    Ec(String, String),
    Rsa(String, String),
}

const RSA_PEM: &str = include_str!("../../tests/keys/rsa2048.pem");
const RSA_PUB_PEM: &str = include_str!("../../tests/keys/rsa2048.pub.pem");

fn pem_der(pem: &str) -> Vec<u8> {
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    base64ct::Base64::decode_vec(&body).unwrap()
}

fn case(alg: &str) -> Case {
    let input =
        format!("{}.{}", b64(format!(r#"{{"alg":"{alg}","typ":"JWT"}}"#).as_bytes()), b64(access_payload().as_bytes()));
    type Made = (Vec<u8>, Key, Vec<u8>, &'static dyn ring::signature::VerificationAlgorithm, Jwk);
    let (sig, key, public, ring, jwk): Made = match alg {
        "EdDSA" => {
            let sk = ed25519_dalek::SigningKey::from_bytes(&[7u8; 32]);
            let pk = sk.verifying_key().to_bytes();
            (
                sk.sign(input.as_bytes()).to_bytes().to_vec(),
                Ed25519Key::from_bytes(&pk).unwrap().into(),
                pk.to_vec(),
                &ED25519,
                Jwk::Okp(b64(&pk)),
            )
        }
        "ES256" => {
            let sk = p256::ecdsa::SigningKey::from_slice(&[7u8; 32]).unwrap();
            let point = sk.verifying_key().to_sec1_point(false).as_bytes().to_vec();
            let s: p256::ecdsa::Signature = sk.sign(input.as_bytes());
            let jwk = Jwk::Ec(b64(&point[1..33]), b64(&point[33..]));
            (
                s.to_bytes().to_vec(),
                EcdsaKey::from_sec1(Algorithm::Es256, &point).unwrap().into(),
                point,
                &ECDSA_P256_SHA256_FIXED,
                jwk,
            )
        }
        "RS256" | "PS256" => {
            let pair = ring::signature::RsaKeyPair::from_pkcs8(&pem_der(RSA_PEM)).unwrap();
            let mut sig = vec![0u8; pair.public().modulus_len()];
            let (encoding, ring): (
                &dyn ring::signature::RsaEncoding,
                &'static dyn ring::signature::VerificationAlgorithm,
            ) = if alg == "RS256" {
                (&ring::signature::RSA_PKCS1_SHA256, &RSA_PKCS1_2048_8192_SHA256)
            } else {
                (&ring::signature::RSA_PSS_SHA256, &RSA_PSS_2048_8192_SHA256)
            };
            pair.sign(encoding, &ring::rand::SystemRandom::new(), input.as_bytes(), &mut sig).unwrap();
            let components: ring::signature::RsaPublicKeyComponents<Vec<u8>> = pair.public().into();
            let jwk = Jwk::Rsa(b64(&components.n), b64(&components.e));
            let key = Key::from_spki_pem(RSA_PUB_PEM, Algorithm::from_name(alg).unwrap()).unwrap();
            (sig, key, pair.public().as_ref().to_vec(), ring, jwk)
        }
        _ => {
            let sk = p384::ecdsa::SigningKey::from_slice(&[7u8; 48]).unwrap();
            let point = sk.verifying_key().to_sec1_point(false).as_bytes().to_vec();
            let s: p384::ecdsa::Signature = sk.sign(input.as_bytes());
            (
                s.to_bytes().to_vec(),
                EcdsaKey::from_sec1(Algorithm::Es384, &point).unwrap().into(),
                point.clone(),
                &ECDSA_P384_SHA384_FIXED,
                Jwk::Ec(b64(&point[1..49]), b64(&point[49..])),
            )
        }
    };
    Case { token: format!("{input}.{}", b64(&sig)), key, public, ring, jwk }
}

fn verify_public(c: &mut Criterion) {
    for (name, alg) in
        [("eddsa", "EdDSA"), ("es256", "ES256"), ("es384", "ES384"), ("rs256", "RS256"), ("ps256", "PS256")]
    {
        let k = case(alg);
        let (input, sig) = k.token.rsplit_once('.').unwrap();
        let sig = base64ct::Base64UrlUnpadded::decode_vec(sig).unwrap();
        let mut g = c.benchmark_group(format!("verify_public/{name}"));
        g.bench_function("primitive", |b| {
            b.iter(|| match &k.key {
                Key::Ed25519(key) => black_box(key.verify_signature(black_box(input.as_bytes()), &sig)),
                Key::Ecdsa(key) => black_box(key.verify_signature(black_box(input.as_bytes()), &sig)),
                Key::Rsa(key) => black_box(key.verify_signature(black_box(input.as_bytes()), &sig)),
                _ => unreachable!(),
            })
        });
        if let Key::Ecdsa(key) = &k.key {
            // The pure-Rust check (RustCrypto), what every target without the
            // core's `ring` feature runs (this bench, through tessera-ffi, has it).
            g.bench_function("rustcrypto", |b| {
                b.iter(|| black_box(key.verify_signature_rustcrypto(black_box(input.as_bytes()), &sig)))
            });
        }
        let ring_key = UnparsedPublicKey::new(k.ring, &k.public);
        g.bench_function("ring", |b| b.iter(|| black_box(ring_key.verify(black_box(input.as_bytes()), &sig).is_ok())));
        let policy = Policy::new(NOW).issuer("https://auth.example.com").audience("api");
        let mut scratch = vec![0u8; SCRATCH_LEN];
        g.bench_function("tessera", |b| {
            b.iter(|| {
                let v = verify(black_box(&k.token), &k.key, &policy, &mut scratch).unwrap();
                black_box(v.claims.sub());
            })
        });
        peers(&mut g, alg, &k);
        g.finish();
    }
}

/// The JWT libraries on the same token, with iss and aud checked (their
/// clock is the system's: the 2023 exp is moved out of the way by leeway).
fn peers(g: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>, alg: &str, k: &Case) {
    #[derive(serde::Deserialize)]
    #[allow(dead_code)]
    struct Claims {
        sub: String,
    }
    macro_rules! jsonwebtoken_bench {
        ($name:literal, $krate:ident) => {{
            let dkey = match &k.jwk {
                Jwk::Okp(x) => $krate::DecodingKey::from_ed_components(x).unwrap(),
                Jwk::Ec(x, y) => $krate::DecodingKey::from_ec_components(x, y).unwrap(),
                Jwk::Rsa(n, e) => $krate::DecodingKey::from_rsa_components(n, e).unwrap(),
            };
            let mut v = $krate::Validation::new(alg.parse().unwrap());
            v.leeway = $krate::get_current_timestamp() - NOW + 3600;
            v.set_issuer(&["https://auth.example.com"]);
            v.set_audience(&["api"]);
            g.bench_function($name, |b| {
                b.iter(|| black_box($krate::decode::<Claims>(black_box(&k.token), &dkey, &v).unwrap()))
            });
        }};
    }
    jsonwebtoken_bench!("jsonwebtoken", jsonwebtoken);
    jsonwebtoken_bench!("jsonwebtoken_aws_lc", jsonwebtoken_aws);

    use jwt_simple::prelude::*;
    let o = VerificationOptions {
        time_tolerance: Some(Duration::from_secs(jsonwebtoken::get_current_timestamp() - NOW + 3600)),
        allowed_issuers: Some(HashSet::from_strings(&["https://auth.example.com"])),
        allowed_audiences: Some(HashSet::from_strings(&["api"])),
        ..Default::default()
    };
    let unb64 = |s: &str| base64ct::Base64UrlUnpadded::decode_vec(s).unwrap();
    macro_rules! jwt_simple_bench {
        ($key:expr) => {{
            let key = $key;
            g.bench_function("jwt_simple", |b| {
                b.iter(|| black_box(key.verify_token::<NoCustomClaims>(black_box(&k.token), Some(o.clone())).unwrap()))
            });
        }};
    }
    match (&k.jwk, alg) {
        (Jwk::Okp(x), _) => jwt_simple_bench!(Ed25519PublicKey::from_bytes(&unb64(x)).unwrap()),
        (Jwk::Ec(..), "ES256") => jwt_simple_bench!(ES256PublicKey::from_bytes(&k.public).unwrap()),
        (Jwk::Ec(..), _) => jwt_simple_bench!(ES384PublicKey::from_bytes(&k.public).unwrap()),
        (Jwk::Rsa(n, e), "RS256") => jwt_simple_bench!(RS256PublicKey::from_components(&unb64(n), &unb64(e)).unwrap()),
        (Jwk::Rsa(n, e), _) => jwt_simple_bench!(PS256PublicKey::from_components(&unb64(n), &unb64(e)).unwrap()),
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30);
    targets = verify_public
}
criterion_main!(benches);
