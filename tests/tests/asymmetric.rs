//! Public-key tokens made by independent signers — `jsonwebtoken` (a peer
//! JWT library) and the RustCrypto signing keys themselves — verified by
//! Tessera; tampering, algorithm confusion and key mix-ups refused.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use ed25519_dalek::pkcs8::DecodePrivateKey;
use jsonwebtoken::{EncodingKey, Header, encode};
use p256::ecdsa::signature::Signer;
use serde_json::json;
use tessera_core::{Algorithm, EcdsaKey, Ed25519Key, Error, HmacKey, Key, KeySet, Policy, verify};

fn pem(name: &str) -> String {
    std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("keys").join(name)).unwrap()
}

const NOW: u64 = 1_700_000_000;

fn claims() -> serde_json::Value {
    json!({"iss": "https://idp.example", "sub": "user-7", "aud": "api", "exp": NOW + 300, "iat": NOW, "scope": "read"})
}

fn policy() -> Policy<'static> {
    Policy::new(NOW + 1).issuer("https://idp.example").audience("api")
}

/// The DER inside a PEM file (the signing crates are built without their
/// `pem` feature, which would turn on `alloc` in `signature` for the whole
/// test build: see the allocation test).
fn der(name: &str) -> Vec<u8> {
    use base64::Engine;
    let text: String = pem(name).lines().filter(|l| !l.starts_with("-----")).collect();
    base64::engine::general_purpose::STANDARD.decode(text).unwrap()
}

/// The public keys of tests/keys, as Tessera imports them.
fn keys() -> (Ed25519Key, EcdsaKey, EcdsaKey) {
    let ed = ed25519_dalek::SigningKey::from_pkcs8_der(&der("ed25519.pem")).unwrap();
    let p256 = p256::ecdsa::SigningKey::from_pkcs8_der(&der("p256.pem")).unwrap();
    let p384 = p384::ecdsa::SigningKey::from_pkcs8_der(&der("p384.pem")).unwrap();
    (
        Ed25519Key::from_bytes(&ed.verifying_key().to_bytes()).unwrap(),
        EcdsaKey::from_sec1(Algorithm::Es256, p256.verifying_key().to_sec1_point(false).as_bytes()).unwrap(),
        EcdsaKey::from_sec1(Algorithm::Es384, p384.verifying_key().to_sec1_point(true).as_bytes()).unwrap(),
    )
}

/// Tokens signed by `jsonwebtoken` with each key.
fn peer_tokens() -> [(Algorithm, String); 3] {
    let sign = |alg, key: EncodingKey, kid: &str| {
        let mut h = Header::new(alg);
        h.kid = Some(kid.into());
        encode(&h, &claims(), &key).unwrap()
    };
    [
        (
            Algorithm::EdDsa,
            sign(
                jsonwebtoken::Algorithm::EdDSA,
                EncodingKey::from_ed_pem(pem("ed25519.pem").as_bytes()).unwrap(),
                "ed",
            ),
        ),
        (
            Algorithm::Es256,
            sign(jsonwebtoken::Algorithm::ES256, EncodingKey::from_ec_pem(pem("p256.pem").as_bytes()).unwrap(), "p256"),
        ),
        (
            Algorithm::Es384,
            sign(jsonwebtoken::Algorithm::ES384, EncodingKey::from_ec_pem(pem("p384.pem").as_bytes()).unwrap(), "p384"),
        ),
    ]
}

fn check(token: &str, keys: &impl tessera_core::KeySource) -> Result<(String, String), Error> {
    let mut scratch = [0u8; 2048];
    verify(token, keys, &policy(), &mut scratch)
        .map(|v| (v.header.alg().to_owned(), v.claims.sub().unwrap_or("").to_owned()))
}

#[test]
fn jsonwebtoken_tokens_verify_with_the_public_key_alone() {
    let (ed, p256, p384) = keys();
    let [(_, t_ed), (_, t_256), (_, t_384)] = peer_tokens();
    assert_eq!(check(&t_ed, &ed), Ok(("EdDSA".into(), "user-7".into())));
    assert_eq!(check(&t_256, &p256), Ok(("ES256".into(), "user-7".into())));
    assert_eq!(check(&t_384, &p384), Ok(("ES384".into(), "user-7".into())));
    // One JWK-Set-like key set with all three, selected by kid.
    let mut set = KeySet::<4>::new();
    set.insert("ed", ed).unwrap();
    set.insert("p256", p256).unwrap();
    set.insert("p384", p384).unwrap();
    set.insert("mac", HmacKey::new(Algorithm::Hs256, &[5u8; 32]).unwrap()).unwrap();
    for (_, t) in peer_tokens() {
        assert_eq!(check(&t, &set).map(|(_, s)| s), Ok("user-7".into()));
    }
}

#[test]
fn wrong_key_tampering_and_confusion_are_refused() {
    let (ed, p256, p384) = keys();
    let tokens = peer_tokens();
    // Each token against the other two keys: their algorithm is not the token's.
    assert_eq!(check(&tokens[0].1, &p256), Err(Error::AlgorithmMismatch));
    assert_eq!(check(&tokens[1].1, &p384), Err(Error::AlgorithmMismatch));
    assert_eq!(check(&tokens[2].1, &ed), Err(Error::AlgorithmMismatch));
    // Another key of the same algorithm.
    let other = p256::ecdsa::SigningKey::from_slice(&[7u8; 32]).unwrap();
    let other = EcdsaKey::from_sec1(Algorithm::Es256, other.verifying_key().to_sec1_point(false).as_bytes()).unwrap();
    assert_eq!(check(&tokens[1].1, &other), Err(Error::BadSignature));
    // A changed payload under the original signature.
    for ((_, t), key) in tokens.iter().zip([Key::from(ed), Key::from(p256), Key::from(p384)]) {
        let parts: Vec<&str> = t.split('.').collect();
        let evil = base64_url(
            &serde_json::to_vec(&json!({"iss": "https://idp.example", "sub": "admin", "aud": "api", "exp": NOW + 300}))
                .unwrap(),
        );
        assert_eq!(check(&format!("{}.{evil}.{}", parts[0], parts[2]), &key), Err(Error::BadSignature));
        // The same token re-signed as HS256 with the public key's bytes as the secret.
        let public: Vec<u8> = match &key {
            Key::Ed25519(k) => k.to_bytes().to_vec(),
            _ => parts[2].as_bytes().to_vec(),
        };
        let forged =
            encode(&Header::new(jsonwebtoken::Algorithm::HS256), &claims(), &EncodingKey::from_secret(&public))
                .unwrap();
        assert_eq!(check(&forged, &key), Err(Error::AlgorithmMismatch));
    }
    // A header carrying its own key (jwk, jku, x5c) is never used to find one.
    let ed_signer = ed25519_dalek::SigningKey::from_bytes(&[3u8; 32]);
    let x = base64_url(&ed_signer.verifying_key().to_bytes());
    for header in [
        format!(r#"{{"alg":"EdDSA","jwk":{{"kty":"OKP","crv":"Ed25519","x":"{x}"}}}}"#),
        r#"{"alg":"EdDSA","jku":"https://evil.example/jwks.json"}"#.to_owned(),
        r#"{"alg":"EdDSA","x5c":["MIIB"]}"#.to_owned(),
    ] {
        let input =
            format!("{}.{}", base64_url(header.as_bytes()), base64_url(&serde_json::to_vec(&claims()).unwrap()));
        let sig: ed25519_dalek::Signature = ed_signer.sign(input.as_bytes());
        let token = format!("{input}.{}", base64_url(&sig.to_bytes()));
        assert_eq!(check(&token, &ed), Err(Error::BadSignature), "{header}");
        let mut set = KeySet::<1>::new();
        set.insert("ed", ed).unwrap();
        assert_eq!(check(&token, &set), Err(Error::UnknownKey), "{header}");
    }
}

#[test]
fn rustcrypto_signatures_verify_including_high_s() {
    let (_, p256_key, _) = keys();
    let signer = p256::ecdsa::SigningKey::from_pkcs8_der(&der("p256.pem")).unwrap();
    let input =
        format!("{}.{}", base64_url(br#"{"alg":"ES256"}"#), base64_url(&serde_json::to_vec(&claims()).unwrap()));
    let sig: p256::ecdsa::Signature = signer.sign(input.as_bytes());
    let low = sig.normalize_s();
    // Whichever of s and n - s the signer produced, both are accepted.
    let negated = p256::ecdsa::Signature::from_scalars(sig.r(), -*sig.s()).unwrap();
    for s in [sig, low, negated] {
        assert_eq!(
            check(&format!("{input}.{}", base64_url(&s.to_bytes())), &p256_key).map(|(a, _)| a),
            Ok("ES256".into())
        );
    }
}

fn base64_url(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

const RSA_ALGS: [(Algorithm, jsonwebtoken::Algorithm); 6] = [
    (Algorithm::Rs256, jsonwebtoken::Algorithm::RS256),
    (Algorithm::Rs384, jsonwebtoken::Algorithm::RS384),
    (Algorithm::Rs512, jsonwebtoken::Algorithm::RS512),
    (Algorithm::Ps256, jsonwebtoken::Algorithm::PS256),
    (Algorithm::Ps384, jsonwebtoken::Algorithm::PS384),
    (Algorithm::Ps512, jsonwebtoken::Algorithm::PS512),
];

/// A token signed by `jsonwebtoken` (the `rsa` crate underneath) with a tests/keys RSA key.
fn rsa_token(name: &str, alg: jsonwebtoken::Algorithm, kid: Option<&str>) -> String {
    let mut h = Header::new(alg);
    h.kid = kid.map(Into::into);
    encode(&h, &claims(), &EncodingKey::from_rsa_pem(pem(&format!("{name}.pem")).as_bytes()).unwrap()).unwrap()
}

#[test]
fn jsonwebtoken_rsa_tokens_verify_from_spki_and_jwk_keys() {
    for name in ["rsa2048", "rsa2049", "rsa4096"] {
        let public = pem(&format!("{name}.pub.pem"));
        let jwk = pem(&format!("{name}.pub.jwk"));
        for (alg, peer) in RSA_ALGS {
            let token = rsa_token(name, peer, Some("r"));
            let from_pem = Key::from_spki_pem(&public, alg).unwrap();
            let from_jwk = Key::from_jwk_as(jwk.as_bytes(), alg).unwrap();
            let from_der = Key::from_spki_der(&der(&format!("{name}.pub.pem")), alg).unwrap();
            for key in [&from_pem, &from_jwk, &from_der] {
                assert_eq!(check(&token, key), Ok((alg.name().into(), "user-7".into())), "{name} {alg:?}");
            }
            // The same key bound to any other RSA algorithm refuses the token.
            for (other, _) in RSA_ALGS.iter().filter(|(a, _)| *a != alg) {
                let key = Key::from_spki_pem(&public, *other).unwrap();
                assert_eq!(check(&token, &key), Err(Error::AlgorithmMismatch), "{name} {alg:?} as {other:?}");
            }
            // A set: by kid, and the RSA default for a JWK without alg.
            let doc = format!(r#"{{"keys":[{}]}}"#, jwk.trim().replace("{", r#"{"kid":"r","use":"sig","#));
            let (set, report) = KeySet::<2>::from_jwks_rsa_default(doc.as_bytes(), alg).unwrap();
            assert_eq!(report.imported, 1);
            assert_eq!(check(&token, &set).map(|(_, s)| s), Ok("user-7".into()));
            assert_eq!(check(&rsa_token(name, peer, None), &set), Err(Error::UnknownKey));
        }
    }
    // Tokens of one key against the other key.
    let other = Key::from_spki_pem(&pem("rsa4096.pub.pem"), Algorithm::Rs256).unwrap();
    assert_eq!(check(&rsa_token("rsa2048", jsonwebtoken::Algorithm::RS256, None), &other), Err(Error::BadSignature));
}

#[test]
fn rsa_attacks_are_refused() {
    let public_pem = pem("rsa2048.pub.pem");
    let key = Key::from_spki_pem(&public_pem, Algorithm::Rs256).unwrap();
    let token = rsa_token("rsa2048", jsonwebtoken::Algorithm::RS256, Some("r"));
    let (input, sig) = token.rsplit_once('.').unwrap();
    // The token re-signed as HS256 with the public key's PEM text, DER or
    // JWK text as the HMAC secret (the classic algorithm confusion).
    let jwk = pem("rsa2048.pub.jwk");
    let mut set = KeySet::<2>::new();
    set.insert("r", key.clone()).unwrap();
    for secret in [public_pem.as_bytes().to_vec(), der("rsa2048.pub.pem"), jwk.as_bytes().to_vec()] {
        let mut h = Header::new(jsonwebtoken::Algorithm::HS256);
        h.kid = Some("r".into());
        let forged = encode(&h, &claims(), &EncodingKey::from_secret(&secret)).unwrap();
        assert_eq!(check(&forged, &key), Err(Error::AlgorithmMismatch));
        assert_eq!(check(&forged, &set), Err(Error::AlgorithmMismatch));
    }
    // alg "none", with and without a signature.
    let none = format!(
        "{}.{}",
        base64_url(br#"{"alg":"none","kid":"r"}"#),
        base64_url(&serde_json::to_vec(&claims()).unwrap())
    );
    assert_eq!(check(&format!("{none}.{sig}"), &key), Err(Error::AlgorithmMismatch));
    assert_eq!(check(&format!("{none}."), &key), Err(Error::Malformed));
    // Signatures of the wrong length (one byte short, one long with a
    // leading zero), equal to n, above n, zero.
    let raw = {
        use base64::Engine;
        base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(sig).unwrap()
    };
    let n = {
        let doc: serde_json::Value = serde_json::from_str(&jwk).unwrap();
        use base64::Engine;
        base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(doc["n"].as_str().unwrap()).unwrap()
    };
    let mut longer = vec![0u8];
    longer.extend_from_slice(&raw);
    let mut above = n.clone();
    *above.last_mut().unwrap() += 2;
    for bad in [raw[1..].to_vec(), longer, n.clone(), above, vec![0xFF; 256], vec![0; 256]] {
        assert_eq!(check(&format!("{input}.{}", base64_url(&bad)), &key), Err(Error::BadSignature));
    }
    // A kid selecting a key of another type: an RS256 token naming an EC key.
    let mut mixed = KeySet::<2>::new();
    mixed.insert("r", keys().1).unwrap();
    assert_eq!(check(&token, &mixed), Err(Error::AlgorithmMismatch));
    // The untouched token still verifies (the cases above are refusals of it).
    assert!(check(&token, &key).is_ok());
}
