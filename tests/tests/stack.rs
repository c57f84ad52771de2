//! The stack bound of `verify`: no recursion, so the worst case (an 8 KiB
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
//! token, nesting at the 32-level limit, more member names than the
//! duplicate check remembers) runs on a thread with a small stack.

use tessera_core::sign::sign_raw;
use tessera_core::{Algorithm, ClaimSet, HmacKey, Policy, verify};

/// The stack given to the verifying thread: 16 KiB, the smallest thread
/// stack Linux allows (PTHREAD_STACK_MIN), in debug and release builds alike.
const STACK: usize = 16 * 1024;

fn worst_payloads() -> Vec<Vec<u8>> {
    let deep = |open: &str, close: &str| {
        let mut p = String::from(r#"{"exp":2000000000,"x":"#);
        p.push_str(&open.repeat(31));
        p.push('1');
        p.push_str(&close.repeat(31));
        p.push('}');
        p.into_bytes()
    };
    let mut many = String::from(r#"{"exp":2000000000"#);
    let mut i = 0;
    while many.len() < 5900 {
        many.push_str(&format!(r#","m{i}":[{{"a":[1]}}]"#));
        i += 1;
    }
    many.push('}');
    let mut escaped = String::from(r#"{"exp":2000000000,"iss":""#);
    while escaped.len() < 5900 {
        escaped.push_str(r"\ud83d\ude00\u00e9\/");
    }
    escaped.push_str(r#""}"#);
    vec![deep("[", "]"), deep(r#"{"a":"#, "}"), many.into_bytes(), escaped.into_bytes()]
}

#[test]
fn verify_runs_on_a_small_stack() {
    let key = HmacKey::new(Algorithm::Hs256, &[9u8; 32]).unwrap();
    let tokens: Vec<String> = worst_payloads()
        .iter()
        .map(|p| {
            let mut out = vec![0u8; 16384];
            sign_raw(br#"{"alg":"HS256"}"#, p, &key, &mut out).unwrap().to_owned()
        })
        .collect();
    assert!(tokens.iter().all(|t| t.len() <= 8192), "{:?}", tokens.iter().map(String::len).collect::<Vec<_>>());
    let handle = std::thread::Builder::new()
        .stack_size(STACK)
        .spawn(move || {
            let mut scratch = vec![0u8; tessera_core::SCRATCH_LEN];
            let policy = Policy::new(1).required(ClaimSet::EMPTY);
            tokens.iter().map(|t| verify(t, &key, &policy, &mut scratch).is_ok()).collect::<Vec<_>>()
        })
        .unwrap();
    assert_eq!(handle.join().unwrap(), vec![true; 4]);
}

/// The stack public-key verification needs: the signature check is the
/// deepest part (P-384 arithmetic in `p384`), which unoptimized needs more
/// than 64 KiB; optimized builds run on the same 16 KiB as HMAC (`make
/// test` runs this test in both profiles).
const PUBLIC_STACK: usize = if cfg!(debug_assertions) { 128 * 1024 } else { STACK };

#[test]
fn public_key_verify_runs_on_a_small_stack() {
    use p256::ecdsa::signature::Signer;
    use tessera_core::{EcdsaKey, Ed25519Key, Key};
    let b64 = |b: &[u8]| {
        use base64::Engine;
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b)
    };
    let payload = b64(br#"{"exp":2000000000,"sub":"x"}"#);
    let ed = ed25519_dalek::SigningKey::from_bytes(&[1u8; 32]);
    let p256 = p256::ecdsa::SigningKey::from_slice(&[2u8; 32]).unwrap();
    let p384 = p384::ecdsa::SigningKey::from_slice(&[3u8; 48]).unwrap();
    let token = |alg: &str, sign: &dyn Fn(&[u8]) -> Vec<u8>| {
        let input = format!("{}.{payload}", b64(format!(r#"{{"alg":"{alg}"}}"#).as_bytes()));
        format!("{input}.{}", b64(&sign(input.as_bytes())))
    };
    let cases: Vec<(Key, String)> = vec![
        (
            Ed25519Key::from_bytes(&ed.verifying_key().to_bytes()).unwrap().into(),
            token("EdDSA", &|m| ed.sign(m).to_bytes().to_vec()),
        ),
        (
            EcdsaKey::from_sec1(Algorithm::Es256, p256.verifying_key().to_sec1_point(false).as_bytes()).unwrap().into(),
            token("ES256", &|m| {
                let s: p256::ecdsa::Signature = p256.sign(m);
                s.to_bytes().to_vec()
            }),
        ),
        (
            EcdsaKey::from_sec1(Algorithm::Es384, p384.verifying_key().to_sec1_point(false).as_bytes()).unwrap().into(),
            token("ES384", &|m| {
                let s: p384::ecdsa::Signature = p384.sign(m);
                s.to_bytes().to_vec()
            }),
        ),
    ];
    // RSA-4096 with PSS and SHA-512, the largest signature and the longest
    // padding check, and RS256 with a 2048-bit key.
    let mut cases = cases;
    for (alg, peer, name) in [
        (Algorithm::Ps512, jsonwebtoken::Algorithm::PS512, "rsa4096"),
        (Algorithm::Rs256, jsonwebtoken::Algorithm::RS256, "rsa2048"),
    ] {
        let read = |file: String| {
            std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("keys").join(file)).unwrap()
        };
        let signer = jsonwebtoken::EncodingKey::from_rsa_pem(read(format!("{name}.pem")).as_bytes()).unwrap();
        let token = jsonwebtoken::encode(
            &jsonwebtoken::Header::new(peer),
            &serde_json::json!({"exp": 2000000000, "sub": "x"}),
            &signer,
        )
        .unwrap();
        cases.push((Key::from_spki_pem(&read(format!("{name}.pub.pem")), alg).unwrap(), token));
    }
    let handle = std::thread::Builder::new()
        .stack_size(PUBLIC_STACK)
        .spawn(move || {
            let mut scratch = vec![0u8; tessera_core::SCRATCH_LEN];
            let policy = Policy::new(1);
            cases.iter().map(|(k, t)| verify(t, k, &policy, &mut scratch).is_ok()).collect::<Vec<_>>()
        })
        .unwrap();
    assert_eq!(handle.join().unwrap(), vec![true; 5]);
}
