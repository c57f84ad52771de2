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

/// Both ECDSA backends on every vector: `verify_signature` (ring's for
/// P-256 on std Linux targets, where the C library enables the `ring`
/// feature; in a workspace build that unifies features, this crate gets it
/// too; RustCrypto's for P-384 everywhere) and RustCrypto's, which must
/// agree with it and with Wycheproof.
fn ecdsa(alg: Algorithm, file: &str) -> [usize; 3] {
    run(
        file,
        |k| EcdsaKey::from_sec1(alg, &hex(k["uncompressed"].as_str().unwrap())),
        |k, m, s| {
            let (backend, rustcrypto) = (k.verify_signature(m, s), k.verify_signature_rustcrypto(m, s));
            assert_eq!(backend, rustcrypto, "the two ECDSA backends disagree");
            backend
        },
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

/// An RSA group's key from its modulus and exponent (Wycheproof gives the
/// modulus as a DER-style positive integer: a leading zero byte when the
/// top bit is set), checked against the same key from the group's SPKI
/// DER, its PEM and its JWK: every vector gets one verdict from all four.
///
/// `expect(group, vector)` is the result this algorithm must give (a
/// valid PSS signature with another salt length is not a valid PS256
/// one), `None` to leave the group out.
fn rsa(alg: Algorithm, file: &str, expect: impl Fn(&Value, &Value) -> Option<String>) -> [usize; 3] {
    use tessera_core::{Key, RsaKey};
    let (mut valid, mut invalid, mut acceptable) = (0, 0, 0);
    let mut failures = Vec::new();
    for group in load(file)["testGroups"].as_array().unwrap() {
        if group["tests"].as_array().unwrap().iter().all(|t| expect(group, t).is_none()) {
            continue;
        }
        let k = &group["publicKey"];
        let n = hex(k["modulus"].as_str().unwrap());
        let n = &n[n.iter().position(|&b| b != 0).unwrap()..];
        let e = hex(k["publicExponent"].as_str().unwrap());
        let key = RsaKey::from_components(alg, n, &e).map(Key::from);
        let der = Key::from_spki_der(&hex(group["publicKeyDer"].as_str().unwrap()), alg);
        let pem = Key::from_spki_pem(group["publicKeyPem"].as_str().unwrap(), alg);
        let jwk = group.get("publicKeyJwk").or(group.get("keyJwk")).map(|j| {
            let mut j = j.clone();
            j.as_object_mut().unwrap().remove("alg"); // the caller names the algorithm
            Key::from_jwk_as(&serde_json::to_vec(&j).unwrap(), alg)
        });
        assert_eq!(key.as_ref().err(), der.as_ref().err(), "{file}: SPKI DER import");
        assert_eq!(key.as_ref().err(), pem.as_ref().err(), "{file}: PEM import");
        if let Some(jwk) = &jwk {
            assert_eq!(key.as_ref().err(), jwk.as_ref().err(), "{file}: JWK import");
        }
        for t in group["tests"].as_array().unwrap() {
            let id = t["tcId"].as_u64().unwrap();
            let (msg, sig) = (hex(t["msg"].as_str().unwrap()), hex(t["sig"].as_str().unwrap()));
            let verdict = |k: &Result<Key, Error>| match k {
                Ok(Key::Rsa(k)) => k.verify_signature(&msg, &sig),
                _ => false,
            };
            let ok = verdict(&key);
            assert_eq!(ok, verdict(&der), "{file} #{id}: DER key disagrees");
            assert_eq!(ok, verdict(&pem), "{file} #{id}: PEM key disagrees");
            if let Some(jwk) = &jwk {
                assert_eq!(ok, verdict(jwk), "{file} #{id}: JWK key disagrees");
            }
            let Some(result) = expect(group, t) else { continue };
            match (result.as_str(), ok) {
                ("valid", true) => valid += 1,
                ("invalid", false) => invalid += 1,
                ("acceptable", _) => acceptable += 1,
                _ => failures.push(format!("{file} #{id} ({}): expected {result}, got {ok}", t["comment"])),
            }
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
    [valid, invalid, acceptable]
}

fn as_given(_: &Value, t: &Value) -> Option<String> {
    Some(t["result"].as_str().unwrap().into())
}

#[test]
fn rsa_pkcs1_v15() {
    for bits in [2048, 3072, 4096] {
        for (alg, sha) in [(Algorithm::Rs256, 256), (Algorithm::Rs384, 384), (Algorithm::Rs512, 512)] {
            let file = format!("rsa_signature_{bits}_sha{sha}_test.json");
            let counts = rsa(alg, &file, as_given);
            assert!(counts[0] >= 1 && counts[1] > 50, "{file}: {counts:?}");
            println!("{file}: {counts:?} (valid, invalid, acceptable)");
        }
    }
}

#[test]
fn rsa_pss() {
    for (alg, file) in [
        (Algorithm::Ps256, "rsa_pss_2048_sha256_mgf1_32_test.json"),
        (Algorithm::Ps256, "rsa_pss_3072_sha256_mgf1_32_test.json"),
        (Algorithm::Ps384, "rsa_pss_2048_sha384_mgf1_48_test.json"),
        (Algorithm::Ps384, "rsa_pss_4096_sha384_mgf1_48_test.json"),
        (Algorithm::Ps512, "rsa_pss_4096_sha512_mgf1_64_test.json"),
    ] {
        let counts = rsa(alg, file, as_given);
        assert!(counts[0] >= 1 && counts[1] > 20, "{file}: {counts:?}");
        println!("{file}: {counts:?} (valid, invalid, acceptable)");
    }
    // PSS with a salt of 0 bytes is valid PSS but not PS256 (salt = hash
    // length): only the file's one vector re-signed with a 32-byte salt is.
    let counts = rsa(Algorithm::Ps256, "rsa_pss_2048_sha256_mgf1_0_test.json", |_, t| {
        Some(if t["comment"] == "s_len changed to 32" { "valid" } else { "invalid" }.into())
    });
    assert_eq!(counts[0], 1);
    // Every hash / MGF hash / salt length combination: only the JOSE one verifies.
    let mut seen = [0usize; 2];
    for (alg, sha, h_len) in
        [(Algorithm::Ps256, "SHA-256", 32), (Algorithm::Ps384, "SHA-384", 48), (Algorithm::Ps512, "SHA-512", 64)]
    {
        let counts = rsa(alg, "rsa_pss_misc_test.json", |g, _| {
            let jose = g["mgfSha"] == sha && g["sLen"] == h_len;
            (g["sha"] == sha).then(|| if jose { "valid" } else { "invalid" }.into())
        });
        seen[0] += counts[0];
        seen[1] += counts[1];
    }
    assert_eq!(seen, [3, 3 * 5 * 6 - 3], "valid / refused in rsa_pss_misc");
}
