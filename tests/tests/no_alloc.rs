//! Proves the verify path allocates nothing: a counting global allocator
#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::cast_possible_truncation
)]
//! watches thousands of verifications of every shared vector.

use tessera_core::{decode_unverified, verify};
use tessera_tests::counting::{Counting, allocations};
use tessera_tests::{Keys, load};

#[global_allocator]
static GLOBAL: Counting = Counting;

#[test]
fn verify_never_allocates() {
    let vectors = load("verify.json");
    let keys: Vec<Keys> = vectors.iter().map(|v| v.keys().expect("vector key")).collect();
    let mut scratch = vec![0u8; tessera_core::SCRATCH_LEN];
    let mut accepted = 0u64;
    let mut refused = 0u64;
    let mut during = 0u64;
    for _ in 0..20 {
        for (v, k) in vectors.iter().zip(&keys) {
            // Building the policy from the vector may allocate; only the calls are counted.
            let ok = v.with_policy(|policy| {
                let before = allocations();
                let r =
                    match k {
                        Keys::One(key) => verify(&v.token, &**key, policy, &mut scratch)
                            .map(|t| t.claims.aud().map(|a| a.iter().count())),
                        Keys::Set(set) => verify(&v.token, &**set, policy, &mut scratch)
                            .map(|t| t.claims.aud().map(|a| a.iter().count())),
                    };
                let _ = decode_unverified(&v.token, &mut scratch).map(|u| u.claims.get_raw("x"));
                during += allocations() - before;
                r
            });
            if ok.is_ok() { accepted += 1 } else { refused += 1 }
        }
    }
    let after = allocations();
    assert!(accepted > 1000 && refused > 1000, "{accepted} accepted, {refused} refused");
    assert_eq!(during, 0, "{during} allocations during {} verifies", accepted + refused);
    // The counter works: an allocation right here is seen.
    let v = std::hint::black_box(vec![1u8; 10]);
    assert_eq!(allocations() - after, 1);
    drop(v);
}

/// Public-key verification allocates nothing either: EdDSA, ES256, ES384,
/// RS256 (2048 bits) and PS512 (4096 bits) tokens, accepted and refused (tampered, wrong key), from one key
/// set and from single keys.
#[test]
fn public_key_verify_never_allocates() {
    use p256::ecdsa::signature::Signer;
    use tessera_core::{Algorithm, EcdsaKey, Ed25519Key, Key, KeySet, Policy};
    let b64 = |b: &[u8]| {
        use base64::Engine;
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b)
    };
    let ed = ed25519_dalek::SigningKey::from_bytes(&[1u8; 32]);
    let p256 = p256::ecdsa::SigningKey::from_slice(&[2u8; 32]).unwrap();
    let p384 = p384::ecdsa::SigningKey::from_slice(&[3u8; 48]).unwrap();
    let token = |alg: &str, kid: &str, sign: &dyn Fn(&[u8]) -> Vec<u8>| {
        let header = format!(r#"{{"alg":"{alg}","kid":"{kid}"}}"#);
        let input = format!("{}.{}", b64(header.as_bytes()), b64(br#"{"exp":2000000000,"sub":"x","aud":["a","b"]}"#));
        format!("{input}.{}", b64(&sign(input.as_bytes())))
    };
    let keys: Vec<Key> = vec![
        Ed25519Key::from_bytes(&ed.verifying_key().to_bytes()).unwrap().into(),
        EcdsaKey::from_sec1(Algorithm::Es256, p256.verifying_key().to_sec1_point(false).as_bytes()).unwrap().into(),
        EcdsaKey::from_sec1(Algorithm::Es384, p384.verifying_key().to_sec1_point(false).as_bytes()).unwrap().into(),
    ];
    let rsa_pem = |name: &str| {
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("keys").join(name)).unwrap()
    };
    let mut keys = keys;
    keys.push(Key::from_spki_pem(&rsa_pem("rsa2048.pub.pem"), Algorithm::Rs256).unwrap());
    keys.push(Key::from_spki_pem(&rsa_pem("rsa4096.pub.pem"), Algorithm::Ps512).unwrap());
    let rsa = |alg, kid: &str, name: &str| {
        let mut h = jsonwebtoken::Header::new(alg);
        h.kid = Some(kid.into());
        let key = jsonwebtoken::EncodingKey::from_rsa_pem(rsa_pem(name).as_bytes()).unwrap();
        jsonwebtoken::encode(&h, &serde_json::json!({"exp": 2000000000, "sub": "x", "aud": ["a", "b"]}), &key).unwrap()
    };
    let mut tokens = vec![
        token("EdDSA", "k0", &|m| ed.sign(m).to_bytes().to_vec()),
        token("ES256", "k1", &|m| {
            let s: p256::ecdsa::Signature = p256.sign(m);
            s.to_bytes().to_vec()
        }),
        token("ES384", "k2", &|m| {
            let s: p384::ecdsa::Signature = p384.sign(m);
            s.to_bytes().to_vec()
        }),
        rsa(jsonwebtoken::Algorithm::RS256, "k3", "rsa2048.pem"),
        rsa(jsonwebtoken::Algorithm::PS512, "k4", "rsa4096.pem"),
    ];
    let tampered: Vec<String> = tokens.iter().map(|t| t.replacen(".eyJ", ".eyK", 1)).collect();
    tokens.extend(tampered);
    let mut set = KeySet::<5>::new();
    for (i, k) in keys.iter().enumerate() {
        set.insert(&format!("k{i}"), k.clone()).unwrap();
    }
    let policy = Policy::new(1).ignore_audience(true);
    let mut scratch = vec![0u8; tessera_core::SCRATCH_LEN];
    let (mut accepted, mut refused) = (0u32, 0u32);
    let before = allocations();
    for _ in 0..5 {
        for t in &tokens {
            for r in [verify(t, &set, &policy, &mut scratch).is_ok()]
                .into_iter()
                .chain(keys.iter().map(|k| verify(t, k, &policy, &mut scratch).is_ok()))
            {
                if r { accepted += 1 } else { refused += 1 }
            }
        }
    }
    let during = allocations() - before;
    // Per round: 5 good tokens via the set and their own key; the rest refused.
    assert_eq!((accepted, refused), (50, 250));
    assert_eq!(during, 0, "{during} allocations during public-key verifies");
}

/// Issuance allocates nothing either: HMAC, Ed25519 and ES256 signing,
/// the access-token profile, the signing input of a key held elsewhere
/// and `attach_signature` (whose check is a public-key verify).
#[test]
fn signing_never_allocates() {
    use tessera_core::profile::AccessToken;
    use tessera_core::sign::{ClaimsOut, HeaderOut, attach_signature, sign, sign_with_json, signing_input};
    use tessera_core::{Algorithm, HmacKey, Key, PrivateKey, Sign};
    let hmac = HmacKey::new(Algorithm::Hs512, &[5u8; 64]).unwrap();
    let ed = PrivateKey::from_pkcs8_pem(
        &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/keys/ed25519.pem")).unwrap(),
    )
    .unwrap();
    let ec = PrivateKey::from_pkcs8_pem(
        &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/keys/p256.pem")).unwrap(),
    )
    .unwrap();
    let ec_public: Key = ec.public_key();
    let signers: [&dyn Sign; 3] = [&hmac, &ed, &ec];
    let header = HeaderOut::typ("at+jwt").with_kid("k1");
    let claims = ClaimsOut::new().iss("https://auth.example").sub("42").aud("api").exp(1_700_000_900).scope("a b");
    let mut out = [0u8; 2048];
    let mut signature = [0u8; tessera_core::MAX_SIGNATURE_LEN];
    let mut made = 0u32;
    let before = allocations();
    for _ in 0..20 {
        for key in signers {
            made += u32::from(sign(key, &header, &claims, &mut out).is_ok());
            made +=
                u32::from(sign_with_json(key, &header, &claims, br#"{"role":"admin","n":[1,2]}"#, &mut out).is_ok());
            made += u32::from(AccessToken::new("i", "s", "a", "sid", "jti", 1_700_000_000).sign(key, &mut out).is_ok());
        }
        let len = signing_input(Algorithm::Es256, &header, &claims, None, &mut out).unwrap().len();
        let n = ec.sign_input(&out[..len], &mut signature).unwrap();
        made += u32::from(attach_signature(&ec_public, &mut out, len, &signature[..n]).is_ok());
        let len =
            AccessToken::new("i", "s", "a", "sid", "jti", 1).signing_input(Algorithm::Rs256, &mut out).unwrap().len();
        made += u32::from(attach_signature(&ec_public, &mut out, len, &signature[..n]).is_err());
    }
    let during = allocations() - before;
    assert_eq!(made, 20 * 11);
    assert_eq!(during, 0, "{during} allocations while signing");
}
