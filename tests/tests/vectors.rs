//! Every shared vector through `tessera-core`: same verdicts, same claims.
#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::cast_possible_truncation
)]

use serde_json::{Value, json};
use tessera_core::{Claims, Header, verify};
use tessera_tests::{Expect, Keys, PublicKeys, PublicVector, Vector, load, load_public};

fn exposed_claims(c: &Claims<'_>) -> serde_json::Map<String, Value> {
    let mut m = serde_json::Map::new();
    let strings = [
        ("iss", c.iss()),
        ("sub", c.sub()),
        ("jti", c.jti()),
        ("sid", c.sid()),
        ("scope", c.scope()),
        ("azp", c.azp()),
        ("client_id", c.client_id()),
    ];
    for (k, v) in strings {
        if let Some(v) = v {
            m.insert(k.into(), json!(v));
        }
    }
    for (k, v) in [("exp", c.exp()), ("nbf", c.nbf()), ("iat", c.iat())] {
        if let Some(v) = v {
            m.insert(k.into(), json!(v));
        }
    }
    if let Some(aud) = c.aud() {
        m.insert("aud".into(), json!(aud.iter().collect::<Vec<_>>()));
    }
    m
}

fn exposed_header(h: &Header<'_>) -> serde_json::Map<String, Value> {
    let mut m = serde_json::Map::new();
    m.insert("alg".into(), json!(h.alg()));
    if let Some(t) = h.typ() {
        m.insert("typ".into(), json!(t));
    }
    if let Some(k) = h.kid() {
        m.insert("kid".into(), json!(k));
    }
    m
}

type Exposed = (serde_json::Map<String, Value>, serde_json::Map<String, Value>);

fn run(v: &Vector) -> Result<(), String> {
    let keys = v.keys().map_err(|e| format!("key: {e}"))?;
    let mut scratch = vec![0u8; tessera_core::SCRATCH_LEN];
    let got =
        v.with_policy(|policy| match &keys {
            Keys::One(k) => verify(&v.token, &**k, policy, &mut scratch)
                .map(|t| (exposed_header(&t.header), exposed_claims(&t.claims))),
            Keys::Set(s) => verify(&v.token, &**s, policy, &mut scratch)
                .map(|t| (exposed_header(&t.header), exposed_claims(&t.claims))),
        });
    compare(&v.expect, got)
}

/// A public-key vector: the key is imported as a caller would; a vector
/// whose key must be refused (`at: import`) gets its verdict there.
fn run_public(v: &PublicVector) -> Result<(), String> {
    let keys = match (v.keys(), v.expect.at.as_deref()) {
        (Ok(_), Some(_)) => return Err("the key was imported, expected its refusal".into()),
        (Err(e), Some(_)) => return compare(&v.expect, Err(e)),
        (Err(e), None) => return Err(format!("key refused: {e:?}")),
        (Ok(k), None) => k,
    };
    let mut scratch = vec![0u8; tessera_core::SCRATCH_LEN];
    let got =
        v.with_policy(|policy| match &keys {
            PublicKeys::One(k) => verify(&v.token, &**k, policy, &mut scratch)
                .map(|t| (exposed_header(&t.header), exposed_claims(&t.claims))),
            PublicKeys::Set(s) => verify(&v.token, &**s, policy, &mut scratch)
                .map(|t| (exposed_header(&t.header), exposed_claims(&t.claims))),
        });
    compare(&v.expect, got)
}

fn compare(expect: &Expect, got: Result<Exposed, tessera_core::Error>) -> Result<(), String> {
    match (&expect.ok, got) {
        (true, Ok((header, claims))) => {
            let want_h = expect.header.clone().unwrap_or_default();
            let want_c = expect.claims.clone().unwrap_or_default();
            if header != want_h {
                return Err(format!("header {header:?} != {want_h:?}"));
            }
            if claims != want_c {
                return Err(format!("claims {claims:?} != {want_c:?}"));
            }
            Ok(())
        }
        (true, Err(e)) => Err(format!("refused with {e:?}, expected acceptance")),
        (false, Ok(_)) => Err(format!("accepted, expected {:?}", expect.error)),
        (false, Err(e)) => {
            let want = expect.error.as_deref().unwrap_or("?");
            let want_claim = expect.claim.as_deref();
            if e.name() != want || e.claim().map(|c| c.name()).filter(|_| want_claim.is_some()) != want_claim {
                return Err(format!("refused with {e:?}, expected {want} {want_claim:?}"));
            }
            Ok(())
        }
    }
}

#[test]
fn every_vector_gets_its_verdict() {
    let vectors = load("verify.json");
    assert!(vectors.len() > 200, "only {} vectors", vectors.len());
    let failures: Vec<String> =
        vectors.iter().filter_map(|v| run(v).err().map(|e| format!("[rule {}] {}: {e}", v.rule, v.name))).collect();
    assert!(failures.is_empty(), "{} of {} vectors failed:\n{}", failures.len(), vectors.len(), failures.join("\n"));
}

#[test]
fn every_public_key_vector_gets_its_verdict() {
    let vectors = load_public();
    assert!(vectors.len() > 100, "only {} vectors", vectors.len());
    let failures: Vec<String> = vectors
        .iter()
        .filter_map(|v| run_public(v).err().map(|e| format!("[rule {}] {}: {e}", v.rule, v.name)))
        .collect();
    assert!(failures.is_empty(), "{} of {} vectors failed:\n{}", failures.len(), vectors.len(), failures.join("\n"));
}

#[test]
fn every_rule_has_both_verdicts() {
    let vectors = load("verify.json");
    for rule in ["1", "4a", "4b", "4d", "4e", "6", "7", "8", "9", "10", "11"] {
        let of_rule: Vec<_> = vectors.iter().filter(|v| v.rule == rule).collect();
        assert!(of_rule.iter().any(|v| v.expect.ok), "rule {rule} has no accepting vector");
        assert!(of_rule.iter().any(|v| !v.expect.ok), "rule {rule} has no refusing vector");
    }
}
