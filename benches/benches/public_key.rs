//! verify_public/{eddsa,es256,es384}: an access token signed with each
//! public-key algorithm, verified by Tessera (every rule, claims typed),
//! against the bare signature check of the same bytes by the same crate
//! (`primitive`: what Tessera adds is the difference) and by `ring`.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::hint::black_box;

use base64ct::Encoding as _;
use criterion::{Criterion, criterion_group, criterion_main};
use p256::ecdsa::signature::Signer;
use ring::signature::{ECDSA_P256_SHA256_FIXED, ECDSA_P384_SHA384_FIXED, ED25519, UnparsedPublicKey};
use tessera_benches::{NOW, access_payload};
use tessera_core::{Algorithm, EcdsaKey, Ed25519Key, Key, Policy, SCRATCH_LEN, verify};

fn b64(bytes: &[u8]) -> String {
    base64ct::Base64UrlUnpadded::encode_string(bytes)
}

/// The token, its signing input and signature, Tessera's key, and ring's view of the public key.
struct Case {
    token: String,
    key: Key,
    public: Vec<u8>,
    ring: &'static dyn ring::signature::VerificationAlgorithm,
}

fn case(alg: &str) -> Case {
    let input =
        format!("{}.{}", b64(format!(r#"{{"alg":"{alg}","typ":"JWT"}}"#).as_bytes()), b64(access_payload().as_bytes()));
    let (sig, key, public, ring): (Vec<u8>, Key, Vec<u8>, &'static dyn ring::signature::VerificationAlgorithm) =
        match alg {
            "EdDSA" => {
                let sk = ed25519_dalek::SigningKey::from_bytes(&[7u8; 32]);
                let pk = sk.verifying_key().to_bytes();
                (
                    sk.sign(input.as_bytes()).to_bytes().to_vec(),
                    Ed25519Key::from_bytes(&pk).unwrap().into(),
                    pk.to_vec(),
                    &ED25519,
                )
            }
            "ES256" => {
                let sk = p256::ecdsa::SigningKey::from_slice(&[7u8; 32]).unwrap();
                let point = sk.verifying_key().to_sec1_point(false).as_bytes().to_vec();
                let s: p256::ecdsa::Signature = sk.sign(input.as_bytes());
                (
                    s.to_bytes().to_vec(),
                    EcdsaKey::from_sec1(Algorithm::Es256, &point).unwrap().into(),
                    point,
                    &ECDSA_P256_SHA256_FIXED,
                )
            }
            _ => {
                let sk = p384::ecdsa::SigningKey::from_slice(&[7u8; 48]).unwrap();
                let point = sk.verifying_key().to_sec1_point(false).as_bytes().to_vec();
                let s: p384::ecdsa::Signature = sk.sign(input.as_bytes());
                (
                    s.to_bytes().to_vec(),
                    EcdsaKey::from_sec1(Algorithm::Es384, &point).unwrap().into(),
                    point,
                    &ECDSA_P384_SHA384_FIXED,
                )
            }
        };
    Case { token: format!("{input}.{}", b64(&sig)), key, public, ring }
}

fn verify_public(c: &mut Criterion) {
    for (name, alg) in [("eddsa", "EdDSA"), ("es256", "ES256"), ("es384", "ES384")] {
        let k = case(alg);
        let (input, sig) = k.token.rsplit_once('.').unwrap();
        let sig = base64ct::Base64UrlUnpadded::decode_vec(sig).unwrap();
        let mut g = c.benchmark_group(format!("verify_public/{name}"));
        g.bench_function("primitive", |b| {
            b.iter(|| match &k.key {
                Key::Ed25519(key) => black_box(key.verify_signature(black_box(input.as_bytes()), &sig)),
                Key::Ecdsa(key) => black_box(key.verify_signature(black_box(input.as_bytes()), &sig)),
                _ => unreachable!(),
            })
        });
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
        g.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30);
    targets = verify_public
}
criterion_main!(benches);
