#![no_main]
//! JWK and JWK Set import from arbitrary bytes and from structured,
//! mostly valid documents. Invariants: no panic; an accepted set holds
//! exactly `imported` keys, each under a distinct `kid`, and never more
//! keys than the document has members; a document serde_json does not read
//! as `{"keys": [objects...]}` is refused; a single JWK with private
//! members is refused. Private keys (`PrivateKey::from_jwk`, and PKCS#8
//! DER from the raw bytes): an accepted one came from a `d`, and what it
//! signs verifies under its public half, re-imported from its own JWK.
use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use tessera_core::{ClaimSet, Key, KeySet, Policy, PrivateKey, verify};

#[derive(Arbitrary, Debug)]
enum Member {
    Kty(u8),
    Crv(u8),
    Alg(u8),
    Use(bool),
    KeyOps(Vec<bool>),
    Kid(u8),
    X(u8),
    Y(u8),
    Private(u8),
    D(u8),
    N(u8),
    E(u8),
    Raw(String, String),
}

#[derive(Arbitrary, Debug)]
enum Input {
    Bytes(Vec<u8>),
    Set(Vec<Vec<Member>>),
}

const XS: [&str; 5] = [
    "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo",
    "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
    "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0",
    "AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    "AA",
];

// RSA moduli: RFC 7515 A.2's (2048 bits), the same with a leading zero
// octet, a 1024-bit prefix of it (weak), an even number, one byte.
const A2_N: &str = "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ";

fn modulus(i: u8) -> String {
    match i % 5 {
        0 => A2_N.to_owned(),
        1 => format!("AA{}", &A2_N[2..]),
        2 => A2_N[..172].to_owned(),
        3 => format!("{}Q", &A2_N[..A2_N.len() - 1]),
        _ => "AQ".to_owned(),
    }
}

fn render(members: &[Member]) -> String {
    let pick = |list: &[&str], i: u8| list[usize::from(i) % list.len()].to_owned();
    let parts: Vec<String> = members
        .iter()
        .map(|m| match m {
            Member::Kty(i) => format!(r#""kty":"{}""#, pick(&["EC", "OKP", "RSA", "oct", "ec"], *i)),
            Member::Crv(i) => format!(r#""crv":"{}""#, pick(&["P-256", "P-384", "Ed25519", "P-521", "X25519"], *i)),
            Member::Alg(i) => format!(r#""alg":"{}""#, pick(&["ES256", "ES384", "EdDSA", "HS256", "none", "RS256", "PS512", "RSA-OAEP"], *i)),
            Member::Use(sig) => format!(r#""use":"{}""#, if *sig { "sig" } else { "enc" }),
            Member::KeyOps(v) => format!(
                r#""key_ops":[{}]"#,
                v.iter().map(|b| if *b { r#""verify""# } else { r#""sign""# }).collect::<Vec<_>>().join(",")
            ),
            Member::Kid(i) => format!(r#""kid":"k{}""#, i % 4),
            Member::X(i) => format!(r#""x":"{}""#, pick(&XS, *i)),
            Member::Y(i) => format!(r#""y":"{}""#, pick(&XS, *i)),
            Member::Private(i) => format!(r#""{}":"AA""#, pick(&["d", "p", "k", "qi"], *i)),
            // RFC 8037 A.1's seed, RFC 7515 A.3's P-256 scalar, zero, too short.
            Member::D(i) => format!(
                r#""d":"{}""#,
                pick(&["nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A", "jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "AA"], *i)
            ),
            Member::N(i) => format!(r#""n":"{}""#, modulus(*i)),
            Member::E(i) => format!(r#""e":"{}""#, pick(&["AQAB", "Aw", "AQ", "AAEAAQ", "Ag", "AQAAAAAB"], *i)),
            Member::Raw(n, v) => format!("{}:{}", serde_json::to_string(n).unwrap(), v),
        })
        .collect();
    format!("{{{}}}", parts.join(","))
}

/// A private key signs; its public half, exported and re-imported, verifies.
fn round_trip(private: &PrivateKey) {
    let mut jwk = [0u8; 1024];
    let public = Key::from_jwk(private.public_key().to_public_jwk(&mut jwk).unwrap().as_bytes()).unwrap();
    let mut out = [0u8; 512];
    let token = tessera_core::sign::sign_raw(br#"{"alg":"EdDSA"}"#, br#"{"sub":"a"}"#, private, &mut out).unwrap();
    let mut scratch = [0u8; 512];
    // The header names EdDSA whatever the key: an ES256 key's token is refused by rule 4b, never accepted.
    let verdict = verify(token, &public, &Policy::new(1).required(ClaimSet::EMPTY), &mut scratch).map(|_| ());
    let alg = tessera_core::Sign::algorithm(private);
    assert_eq!(verdict.is_ok(), alg == tessera_core::Algorithm::EdDsa, "{verdict:?} for {alg:?}");
}

fuzz_target!(|input: Input| {
    let doc = match &input {
        Input::Bytes(b) => b.clone(),
        Input::Set(keys) => format!(r#"{{"keys":[{}]}}"#, keys.iter().map(|k| render(k)).collect::<Vec<_>>().join(",")).into_bytes(),
    };
    let parsed: Option<Value> = match serde_json::from_slice(&doc) {
        Ok(v) => Some(v),
        // Numbers beyond f64 are valid JSON that serde_json refuses: no oracle.
        Err(e) if e.to_string().contains("number out of range") => return,
        Err(_) => None,
    };
    if let Ok(private) = PrivateKey::from_pkcs8_der(&doc) {
        round_trip(&private);
    }
    let members = parsed.as_ref().and_then(|v| v.get("keys")).and_then(Value::as_array).map(Vec::len);
    // With and without a caller's default for RSA keys without `alg`.
    let with_default = KeySet::<8>::from_jwks_rsa_default(&doc, tessera_core::Algorithm::Rs256);
    if let (Ok((_, plain)), Ok((_, defaulted))) = (KeySet::<8>::from_jwks(&doc), &with_default) {
        // A default only ever turns skipped RSA keys into imported ones.
        assert_eq!(plain.imported + plain.skipped, defaulted.imported + defaulted.skipped);
        assert!(defaulted.imported >= plain.imported);
    }
    match KeySet::<8>::from_jwks(&doc) {
        Ok((set, report)) => {
            let count = members.expect("accepted a document serde_json does not read as a JWK Set");
            assert_eq!(set.len(), report.imported);
            assert!(report.imported + report.skipped == count, "{report:?} for {count} members");
            assert!(parsed.unwrap()["keys"].as_array().unwrap().iter().all(Value::is_object));
        }
        Err(_) => {}
    }
    if let Input::Set(keys) = &input {
        for k in keys {
            let text = render(k);
            let private = k.iter().any(|m| matches!(m, Member::Private(_)));
            if let Ok(key) = Key::from_jwk(text.as_bytes()) {
                assert!(!private, "a JWK with private members was imported: {text}");
                assert!(key.is_public());
            }
            if let Ok(key) = PrivateKey::from_jwk(text.as_bytes()) {
                assert!(k.iter().any(|m| matches!(m, Member::D(_))), "a private key without `d`: {text}");
                round_trip(&key);
            }
        }
    }
});
