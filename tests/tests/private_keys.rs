//! Private keys (EdDSA, ES256): PKCS#8 and JWK import checked against
//! RustCrypto's own PKCS#8 decoders, tokens we sign checked by an
//! independent verifier (`jsonwebtoken`), and the refusals.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use ed25519_dalek::pkcs8::DecodePrivateKey;
use jsonwebtoken::{DecodingKey, Validation};
use tessera_core::profile::{AccessToken, RandomId};
use tessera_core::{Algorithm, Error, Key, KeySet, Policy, PrivateKey, Sign, verify, write_jwks};

fn pem(name: &str) -> String {
    std::fs::read_to_string(format!("{}/keys/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn der(name: &str) -> Vec<u8> {
    use base64::Engine;
    let text: String = pem(name).lines().filter(|l| !l.starts_with("-----")).collect();
    base64::engine::general_purpose::STANDARD.decode(text).unwrap()
}

fn b64u(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

#[test]
fn pkcs8_import_agrees_with_rustcrypto() {
    let ed = PrivateKey::from_pkcs8_pem(&pem("ed25519.pem")).unwrap();
    let theirs = ed25519_dalek::SigningKey::from_pkcs8_der(&der("ed25519.pem")).unwrap();
    let mut out = [0u8; 256];
    assert_eq!(
        ed.public_key().to_public_jwk(&mut out).unwrap(),
        format!(r#"{{"kty":"OKP","crv":"Ed25519","x":"{}","alg":"EdDSA"}}"#, b64u(theirs.verifying_key().as_bytes()))
    );
    let ec = PrivateKey::from_pkcs8_der(&der("p256.pem")).unwrap();
    let theirs = p256::ecdsa::SigningKey::from_pkcs8_der(&der("p256.pem")).unwrap();
    let point = theirs.verifying_key().to_sec1_point(false);
    let xy = &point.as_bytes()[1..];
    assert_eq!(
        ec.public_key().to_public_jwk(&mut out).unwrap(),
        format!(r#"{{"kty":"EC","crv":"P-256","x":"{}","y":"{}","alg":"ES256"}}"#, b64u(&xy[..32]), b64u(&xy[32..]))
    );
    // Keys that are not signed with here, and public keys, are refused.
    for name in ["p384.pem", "rsa2048.pem", "ed25519.pub.pem", "p256.pub.pem"] {
        assert_eq!(PrivateKey::from_pkcs8_pem(&pem(name)).err(), Some(Error::InvalidKey), "{name}");
    }
}

#[test]
fn pkcs8_documents_must_be_strict_and_consistent() {
    let good = der("p256.pem");
    assert!(PrivateKey::from_pkcs8_der(&good).is_ok());
    // Trailing bytes, a truncated document, a flipped byte in the embedded
    // public key (it no longer matches the scalar).
    let mut trailing = good.clone();
    trailing.push(0);
    assert_eq!(PrivateKey::from_pkcs8_der(&trailing).err(), Some(Error::InvalidKey));
    assert_eq!(PrivateKey::from_pkcs8_der(&good[..good.len() - 1]).err(), Some(Error::InvalidKey));
    let mut other_public = good.clone();
    let last = other_public.len() - 1;
    other_public[last] ^= 1;
    assert_eq!(PrivateKey::from_pkcs8_der(&other_public).err(), Some(Error::InvalidKey));
    // Ed25519 v2 (RFC 8410 §10.3 style) with the public key: accepted when
    // it is the seed's, refused otherwise.
    let v1 = der("ed25519.pem");
    let seed = &v1[v1.len() - 32..];
    let public = PrivateKey::from_pkcs8_der(&v1).unwrap().public_key();
    let Key::Ed25519(public) = public else { panic!() };
    let v2 = |x: &[u8]| {
        let mut body = vec![0x02, 0x01, 0x01, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20];
        body.extend_from_slice(seed);
        body.extend_from_slice(&[0x81, 0x21, 0x00]);
        body.extend_from_slice(x);
        let mut doc = vec![0x30, u8::try_from(body.len()).unwrap()];
        doc.extend(body);
        doc
    };
    assert!(PrivateKey::from_pkcs8_der(&v2(&public.to_bytes())).is_ok());
    assert_eq!(PrivateKey::from_pkcs8_der(&v2(&[9u8; 32])).err(), Some(Error::InvalidKey));
    // PEM with another label, or text after the document.
    let text = pem("ed25519.pem");
    assert_eq!(
        PrivateKey::from_pkcs8_pem(&text.replace("PRIVATE KEY", "EC PRIVATE KEY")).err(),
        Some(Error::InvalidKey)
    );
    assert_eq!(PrivateKey::from_pkcs8_pem(&format!("{text}junk\n")).err(), Some(Error::InvalidKey));
}

#[test]
fn tokens_we_sign_verify_in_jsonwebtoken_and_in_our_jwks() {
    for (name, alg, jwt_alg) in [
        ("ed25519.pem", Algorithm::EdDsa, jsonwebtoken::Algorithm::EdDSA),
        ("p256.pem", Algorithm::Es256, jsonwebtoken::Algorithm::ES256),
    ] {
        let key = PrivateKey::from_pkcs8_pem(&pem(name)).unwrap();
        assert_eq!(key.algorithm(), alg);
        let public = key.public_key();
        let kid = public.thumbprint().unwrap();
        let (sid, jti) = (RandomId::from_random([1; 16]), RandomId::from_random([2; 16]));
        let mut out = [0u8; 1024];
        let token = AccessToken::new("https://auth.example", "42", "api", sid.as_str(), jti.as_str(), 1_700_000_000)
            .kid(kid.as_str())
            .sign(&key, &mut out)
            .unwrap()
            .to_owned();
        // Deterministic signatures: the same inputs give the same token.
        let mut again = [0u8; 1024];
        let second = AccessToken::new("https://auth.example", "42", "api", sid.as_str(), jti.as_str(), 1_700_000_000)
            .kid(kid.as_str())
            .sign(&key, &mut again)
            .unwrap();
        assert_eq!(token, second);

        // Ours, through the published JWK Set.
        let mut doc = [0u8; 2048];
        let jwks = write_jwks([(kid.as_str(), &public)], &mut doc).unwrap();
        let (set, _) = KeySet::<2>::from_jwks(jwks.as_bytes()).unwrap();
        let mut scratch = [0u8; 2048];
        let policy = Policy::new(1_700_000_100).issuer("https://auth.example").audience("api").typ("at+jwt");
        assert_eq!(verify(&token, &set, &policy, &mut scratch).unwrap().claims.sub(), Some("42"));

        // Theirs, from the JWK we publish.
        let jwk: jsonwebtoken::jwk::Jwk = serde_json::from_str(public.to_public_jwk(&mut [0u8; 512]).unwrap()).unwrap();
        let mut validation = Validation::new(jwt_alg);
        validation.set_audience(&["api"]);
        validation.validate_exp = false;
        let data =
            jsonwebtoken::decode::<serde_json::Value>(&token, &DecodingKey::from_jwk(&jwk).unwrap(), &validation)
                .unwrap();
        assert_eq!(data.claims["sub"], "42");
        assert_eq!(data.header.kid.as_deref(), Some(kid.as_str()));
    }
}

/// RS256 and RS512, which the core does not sign with: a vetted signer
/// (here jsonwebtoken's RustCrypto `rsa` backend, blinded; OpenSSL in C,
/// WebCrypto in JavaScript) signs our signing input, `attach_signature`
/// checks it with the public key and joins it. The token verifies in
/// jsonwebtoken and in ours; another key's signature is refused.
#[test]
fn rsa_tokens_through_a_vetted_signer() {
    use tessera_core::sign::{ClaimsOut, HeaderOut, attach_signature, signing_input};
    for (name, alg, jwt_alg) in [
        ("rsa2048", Algorithm::Rs256, jsonwebtoken::Algorithm::RS256),
        ("rsa4096", Algorithm::Rs512, jsonwebtoken::Algorithm::RS512),
    ] {
        let public = Key::from_spki_pem(&pem(&format!("{name}.pub.pem")), alg).unwrap();
        let private = jsonwebtoken::EncodingKey::from_rsa_pem(pem(&format!("{name}.pem")).as_bytes()).unwrap();
        let header = HeaderOut::typ("at+jwt").with_kid(name);
        let claims = ClaimsOut::new().iss("https://auth.example").sub("42").aud("api").exp(1_700_000_900);
        let mut out = [0u8; 2048];
        let len = signing_input(alg, &header, &claims, None, &mut out).unwrap().len();
        let sign = |key: &jsonwebtoken::EncodingKey, input: &[u8]| {
            use base64::Engine;
            let b64 = jsonwebtoken::crypto::sign(input, key, jwt_alg).unwrap();
            base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(b64).unwrap()
        };
        let signature = sign(&private, &out[..len]);
        let other_name = if name == "rsa2048" { "rsa4096" } else { "rsa2048" };
        let other = jsonwebtoken::EncodingKey::from_rsa_pem(pem(&format!("{other_name}.pem")).as_bytes()).unwrap();
        let wrong = sign(&other, &out[..len]);
        assert_eq!(attach_signature(&public, &mut out, len, &wrong), Err(Error::BadSignature));
        let token = attach_signature(&public, &mut out, len, &signature).unwrap().to_owned();

        let mut scratch = [0u8; 2048];
        let policy = Policy::new(1_700_000_100).issuer("https://auth.example").audience("api").typ("at+jwt");
        let verified = verify(&token, &public, &policy, &mut scratch).unwrap();
        assert_eq!((verified.claims.sub(), verified.header.kid()), (Some("42"), Some(name)));

        let mut validation = Validation::new(jwt_alg);
        validation.set_audience(&["api"]);
        validation.validate_exp = false;
        let decoding = DecodingKey::from_rsa_pem(pem(&format!("{name}.pub.pem")).as_bytes()).unwrap();
        let data = jsonwebtoken::decode::<serde_json::Value>(&token, &decoding, &validation).unwrap();
        assert_eq!(data.claims["sub"], "42");
    }
}
