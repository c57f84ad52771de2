//! Every signing vector through `tessera-core`: byte-identical tokens, which
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
//! then verify in Tessera and in an independent peer (`jsonwebtoken`).

use jsonwebtoken::{Algorithm as JwtAlg, DecodingKey, Validation};
use serde_json::Value;
use tessera_core::profile::{AccessToken, RandomId, RefreshToken};
use tessera_core::sign::{ClaimsOut, HeaderOut, sign, sign_with_json};
use tessera_core::{HmacKey, Key, Policy, PrivateKey, Sign, verify};
use tessera_tests::{SignVector, algorithm, hex, load_sign, random16};

/// The vector's signing key: an HMAC secret, or a private key given as a JWK.
fn signing_key(v: &SignVector) -> Box<dyn Sign> {
    match &v.key.jwk {
        Some(jwk) => Box::new(PrivateKey::from_jwk(jwk.as_bytes()).unwrap()),
        None => Box::new(HmacKey::new(algorithm(&v.key.alg), &hex(&v.key.secret)).unwrap()),
    }
}

/// The key that verifies what `signing_key` signed.
fn verifying_key(v: &SignVector) -> Key {
    match &v.key.jwk {
        Some(jwk) => PrivateKey::from_jwk(jwk.as_bytes()).unwrap().public_key(),
        None => HmacKey::new(algorithm(&v.key.alg), &hex(&v.key.secret)).unwrap().into(),
    }
}

/// jsonwebtoken's key for the vector, from the JWK we publish for a private key.
fn peer_key(v: &SignVector) -> (JwtAlg, DecodingKey) {
    if v.key.jwk.is_some() {
        let jwk: jsonwebtoken::jwk::Jwk =
            serde_json::from_str(verifying_key(v).to_public_jwk(&mut [0u8; 1024]).unwrap()).unwrap();
        let alg = if v.key.alg == "EdDSA" { JwtAlg::EdDSA } else { JwtAlg::ES256 };
        return (alg, DecodingKey::from_jwk(&jwk).unwrap());
    }
    let alg = match v.key.alg.as_str() {
        "HS256" => JwtAlg::HS256,
        "HS384" => JwtAlg::HS384,
        _ => JwtAlg::HS512,
    };
    (alg, DecodingKey::from_secret(&hex(&v.key.secret)))
}

fn produce(v: &SignVector, out: &mut [u8]) -> Result<String, tessera_core::Error> {
    let key = signing_key(v);
    let key = key.as_ref();
    let s = |m: &serde_json::Map<String, Value>, k: &str| m.get(k).and_then(Value::as_str).map(str::to_owned);
    let n = |m: &serde_json::Map<String, Value>, k: &str| m.get(k).and_then(Value::as_u64);
    if let Some(kind) = &v.profile {
        let i = &v.inputs;
        let sid = RandomId::from_random(random16(&s(i, "sid_random").unwrap()));
        let jti = RandomId::from_random(random16(&s(i, "jti_random").unwrap()));
        let (iss, sub, now) = (s(i, "issuer").unwrap(), s(i, "subject").unwrap(), n(i, "now").unwrap());
        return if kind == "access" {
            let aud = s(i, "audience").unwrap();
            let mut t = AccessToken::new(&iss, &sub, &aud, sid.as_str(), jti.as_str(), now);
            let (scope, client) = (s(i, "scope"), s(i, "client_id"));
            if let Some(sc) = &scope {
                t = t.scope(sc);
            }
            if let Some(c) = &client {
                t = t.client_id(c);
            }
            if let Some(l) = n(i, "lifetime") {
                t = t.lifetime(l);
            }
            t.sign(key, out).map(str::to_owned)
        } else {
            let mut t = RefreshToken::new(&iss, &sub, sid.as_str(), jti.as_str(), now);
            if let Some(l) = n(i, "lifetime") {
                t = t.lifetime(l);
            }
            // Refresh tokens are HMAC only.
            let secret = HmacKey::new(algorithm(&v.key.alg), &hex(&v.key.secret)).unwrap();
            t.sign(&secret, out).map(str::to_owned)
        };
    }
    let c = &v.claims;
    let strings: Vec<Option<String>> =
        ["iss", "sub", "jti", "sid", "scope", "azp", "client_id"].iter().map(|k| s(c, k)).collect();
    let auds: Vec<String> = match c.get("aud") {
        Some(Value::Array(a)) => a.iter().map(|x| x.as_str().unwrap().to_owned()).collect(),
        _ => vec![],
    };
    let aud_refs: Vec<&str> = auds.iter().map(String::as_str).collect();
    let mut claims = ClaimsOut::new();
    claims.iss = strings[0].as_deref();
    claims.sub = strings[1].as_deref();
    claims.jti = strings[2].as_deref();
    claims.sid = strings[3].as_deref();
    claims.scope = strings[4].as_deref();
    claims.azp = strings[5].as_deref();
    claims.client_id = strings[6].as_deref();
    claims.exp = n(c, "exp");
    claims.nbf = n(c, "nbf");
    claims.iat = n(c, "iat");
    let one = s(c, "aud");
    if let Some(a) = &one {
        claims = claims.aud(a);
    } else if c.contains_key("aud") {
        claims = claims.auds(&aud_refs);
    }
    let (typ, kid) = (s(&v.header, "typ"), s(&v.header, "kid"));
    let header = HeaderOut { typ: typ.as_deref(), kid: kid.as_deref() };
    match &v.custom {
        Some(json) => sign_with_json(key, &header, &claims, json.as_bytes(), out).map(str::to_owned),
        None => sign(key, &header, &claims, out).map(str::to_owned),
    }
}

#[test]
fn every_signing_vector_is_byte_identical_and_verifies_in_a_peer() {
    let vectors = load_sign();
    assert!(vectors.len() >= 15);
    for v in &vectors {
        let mut out = vec![0u8; 2048];
        if let Some(error) = &v.error {
            let refused = produce(v, &mut out).map_err(tessera_core::Error::name);
            assert_eq!(refused, Err(error.as_str()), "{}", v.name);
            continue;
        }
        let token = produce(v, &mut out).unwrap_or_else(|e| panic!("{}: {e}", v.name));
        assert_eq!(Some(&token), v.token.as_ref(), "{}", v.name);

        let key = verifying_key(v);
        let mut scratch = vec![0u8; 4096];
        let mut probe = vec![0u8; 4096];
        let unverified = tessera_core::decode_unverified(&token, &mut probe).unwrap();
        // The earliest time at which every time claim holds (0 is no time: 1 at least).
        let now = unverified.claims.nbf().max(unverified.claims.iat()).unwrap_or(0).max(1);
        let policy = Policy::new(now).required(tessera_core::ClaimSet::EMPTY).ignore_audience(true);
        let ours = verify(&token, &key, &policy, &mut scratch).unwrap_or_else(|e| panic!("{}: {e}", v.name));

        let (alg, peer_key) = peer_key(v);
        let mut validation = Validation::new(alg);
        validation.validate_exp = false;
        validation.validate_aud = false;
        validation.required_spec_claims.clear();
        let peer = jsonwebtoken::decode::<Value>(&token, &peer_key, &validation)
            .unwrap_or_else(|e| panic!("{}: jsonwebtoken refused our token: {e}", v.name));
        assert_eq!(ours.claims.sub(), peer.claims.get("sub").and_then(Value::as_str), "{}", v.name);
        assert_eq!(ours.claims.exp(), peer.claims.get("exp").and_then(Value::as_u64), "{}", v.name);
        let ours_json: Value = serde_json::from_str(ours.claims.json()).unwrap();
        assert_eq!(ours_json, peer.claims, "{}", v.name);
    }
}
