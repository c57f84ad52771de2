//! Wycheproof (C2SP/wycheproof, Apache-2.0; files in tests/wycheproof/ with
//! their licence) through the core's public-key primitives: every "valid"
//! vector verifies, every "invalid" one is refused ("acceptable" may go
//! either way, and is counted). A group whose key the core refuses on
//! import must hold no "valid" vector.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use serde_json::Value;
use tessera_core::{Algorithm, EcdsaKey, Ed25519Key, Error};

fn hex(s: &str) -> Vec<u8> {
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}

fn load(name: &str) -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("wycheproof").join(name);
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

/// Runs a file's groups: `key` imports a group's key, `check` one vector.
fn run<K>(
    name: &str,
    key: impl Fn(&Value) -> Result<K, Error>,
    check: impl Fn(&K, &[u8], &[u8]) -> bool,
) -> [usize; 3] {
    let file = load(name);
    let (mut valid, mut invalid, mut acceptable) = (0, 0, 0);
    let mut failures = Vec::new();
    for group in file["testGroups"].as_array().unwrap() {
        let imported = key(&group["publicKey"]);
        for t in group["tests"].as_array().unwrap() {
            let id = t["tcId"].as_u64().unwrap();
            let result = t["result"].as_str().unwrap();
            let ok = match &imported {
                Ok(k) => check(k, &hex(t["msg"].as_str().unwrap()), &hex(t["sig"].as_str().unwrap())),
                Err(_) => false,
            };
            match (result, ok) {
                ("valid", true) => valid += 1,
                ("invalid", false) => invalid += 1,
                ("acceptable", _) => acceptable += 1,
                _ => failures.push(format!("{name} #{id} ({}): expected {result}, got {ok}", t["comment"])),
            }
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
    [valid, invalid, acceptable]
}

#[test]
fn ed25519() {
    let counts = run(
        "ed25519_test.json",
        |k| Ed25519Key::from_bytes(&hex(k["pk"].as_str().unwrap())),
        |k, m, s| k.verify_signature(m, s),
    );
    assert!(counts[0] > 50 && counts[1] > 50, "{counts:?}");
    println!("ed25519: {counts:?} (valid, invalid, acceptable)");
}

fn ecdsa(alg: Algorithm, file: &str) -> [usize; 3] {
    run(
        file,
        |k| EcdsaKey::from_sec1(alg, &hex(k["uncompressed"].as_str().unwrap())),
        |k, m, s| k.verify_signature(m, s),
    )
}

#[test]
fn ecdsa_p256_sha256_p1363() {
    let counts = ecdsa(Algorithm::Es256, "ecdsa_secp256r1_sha256_p1363_test.json");
    assert!(counts[0] > 100 && counts[1] > 50, "{counts:?}");
    println!("ES256: {counts:?} (valid, invalid, acceptable)");
}

#[test]
fn ecdsa_p384_sha384_p1363() {
    let counts = ecdsa(Algorithm::Es384, "ecdsa_secp384r1_sha384_p1363_test.json");
    assert!(counts[0] > 100 && counts[1] > 50, "{counts:?}");
    println!("ES384: {counts:?} (valid, invalid, acceptable)");
}

/// The JWK coordinates Wycheproof gives equal the SEC1 point it gives.
#[test]
fn ecdsa_coordinates_match_sec1() {
    for (alg, file, len) in [
        (Algorithm::Es256, "ecdsa_secp256r1_sha256_p1363_test.json", 32),
        (Algorithm::Es384, "ecdsa_secp384r1_sha384_p1363_test.json", 48),
    ] {
        for group in load(file)["testGroups"].as_array().unwrap() {
            let k = &group["publicKey"];
            let fixed = |h: &str| {
                let b = hex(h);
                let b = &b[b.len().saturating_sub(len)..];
                let mut out = vec![0u8; len - b.len()];
                out.extend_from_slice(b);
                out
            };
            let from_xy =
                EcdsaKey::from_coordinates(alg, &fixed(k["wx"].as_str().unwrap()), &fixed(k["wy"].as_str().unwrap()));
            let from_sec1 = EcdsaKey::from_sec1(alg, &hex(k["uncompressed"].as_str().unwrap()));
            assert_eq!(from_xy, from_sec1);
        }
    }
}

/// Every group's key as its JWK (`publicKeyJwk`) is the same key as its
/// SEC1 or raw form: `Key::from_jwk` against the other import path.
#[test]
fn jwk_forms_match_the_raw_keys() {
    use tessera_core::Key;
    let mut checked = 0;
    for (alg, file) in [
        (Algorithm::Es256, "ecdsa_secp256r1_sha256_p1363_test.json"),
        (Algorithm::Es384, "ecdsa_secp384r1_sha384_p1363_test.json"),
    ] {
        for group in load(file)["testGroups"].as_array().unwrap() {
            if group.get("publicKeyJwk").is_none() {
                continue; // some groups give no JWK
            }
            let jwk = serde_json::to_vec(&group["publicKeyJwk"]).unwrap();
            let sec1 = EcdsaKey::from_sec1(alg, &hex(group["publicKey"]["uncompressed"].as_str().unwrap()));
            match (Key::from_jwk(&jwk), sec1) {
                (Ok(Key::Ecdsa(k)), Ok(s)) => assert_eq!(k, s),
                (Err(_), Err(_)) => {}
                (j, s) => panic!("{file}: JWK {:?}, SEC1 {s:?}", j.map(|k| k.algorithm())),
            }
            checked += 1;
        }
    }
    for group in load("ed25519_test.json")["testGroups"].as_array().unwrap() {
        if group.get("publicKeyJwk").is_none() {
            continue;
        }
        let jwk = serde_json::to_vec(&group["publicKeyJwk"]).unwrap();
        let raw = Ed25519Key::from_bytes(&hex(group["publicKey"]["pk"].as_str().unwrap()));
        match (Key::from_jwk(&jwk), raw) {
            (Ok(Key::Ed25519(k)), Ok(r)) => assert_eq!(k, r),
            (Err(a), Err(b)) => assert_eq!(a, b),
            (j, r) => panic!("ed25519: JWK {:?}, raw {r:?}", j.map(|k| k.algorithm())),
        }
        checked += 1;
    }
    assert!(checked > 20, "{checked}");
}
