#![no_main]
//! Structured header and payload, signed with the fuzz key, so that the
//! claims parser and validation are reached. Invariant: accepted ⇒ every
//! rule of the contract holds on what was returned, checked against an
//! independent JSON parser (serde_json).
use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use tessera_core::{Algorithm, HmacKey, Policy, verify};
use tessera_fuzz::{Fragment, HeaderChoice, build, depth, sign};

#[derive(Arbitrary, Debug)]
struct Input {
    header: HeaderChoice,
    payload: Vec<Fragment>,
    now: u32,
    leeway: u8,
    issuer: bool,
    audience: bool,
    typ: bool,
    max_age: Option<u16>,
}

const NOW_BASE: u64 = 1_700_000_000;

/// Seeds in the `RAW` framing keep their bytes and use a plain policy.
fn decode(data: &[u8]) -> Option<(Input, Option<(&[u8], &[u8])>)> {
    if let Some(frame) = tessera_fuzz::raw_frame(data) {
        let plain = Input {
            header: HeaderChoice::Plain(None),
            payload: Vec::new(),
            now: 0,
            leeway: 0,
            issuer: false,
            audience: false,
            typ: false,
            max_age: None,
        };
        return Some((plain, Some(frame)));
    }
    Some((Input::arbitrary(&mut arbitrary::Unstructured::new(data)).ok()?, None))
}

fuzz_target!(|data: &[u8]| {
    let Some((input, raw)) = decode(data) else { return };
    let now = NOW_BASE + u64::from(input.now % 1000);
    let (header, payload) = match raw {
        Some((h, p)) => (h.to_vec(), p.to_vec()),
        None => (input.header.render(now), build(&input.payload, now)),
    };
    let token = sign(&header, &payload);
    let key = HmacKey::new(Algorithm::Hs256, tessera_fuzz::SECRET).unwrap();
    let mut policy = Policy::new(now).leeway(u64::from(input.leeway));
    if input.issuer {
        policy = policy.issuer("iss");
    }
    if input.audience {
        policy = policy.audience("aud");
    }
    if input.typ {
        policy = policy.typ("typ");
    }
    if let Some(m) = input.max_age {
        policy = policy.max_age(u64::from(m));
    }
    let mut scratch = [0u8; tessera_core::SCRATCH_LEN];
    let Ok(v) = verify(&token, &key, &policy, &mut scratch) else { return };

    // Rule 6, by an independent parser: one object, depth <= 32, no duplicate
    // top-level names (serde_json keeps the last: compare member counts).
    // serde_json refuses numbers beyond f64 (such as 1e400) that the contract
    // accepts in unknown members: then only the grammar-level checks apply.
    let parsed: Value = match serde_json::from_slice(&payload) {
        Ok(v) => v,
        Err(e) if e.to_string().contains("number out of range") => return,
        Err(e) => panic!("accepted payload is not JSON: {e}"),
    };
    let obj = parsed.as_object().expect("accepted payload must be an object");
    assert!(depth(&parsed) <= 32, "depth");
    let text = std::str::from_utf8(&payload).unwrap();
    let mut names = 0;
    let mut de = serde_json::Deserializer::from_str(text);
    let _ = serde::de::Deserializer::deserialize_map(&mut de, CountNames(&mut names));
    assert_eq!(names, obj.len(), "duplicate top-level member accepted");
    assert_eq!(v.claims.json().as_bytes(), &payload[..]);

    // Rules 7 to 11 on what was returned.
    let leeway = u64::from(input.leeway);
    let exp = v.claims.exp().expect("exp is required by default");
    assert!(now < exp + leeway);
    if let Some(nbf) = v.claims.nbf() {
        assert!(now + leeway >= nbf);
    }
    if let Some(iat) = v.claims.iat() {
        assert!(iat <= now + leeway);
    }
    if let Some(m) = input.max_age {
        assert!(now.saturating_sub(v.claims.iat().expect("iat required")) <= u64::from(m) + leeway);
    }
    for (name, got) in [
        ("iss", v.claims.iss()),
        ("sub", v.claims.sub()),
        ("jti", v.claims.jti()),
        ("sid", v.claims.sid()),
        ("scope", v.claims.scope()),
        ("azp", v.claims.azp()),
        ("client_id", v.claims.client_id()),
    ] {
        assert_eq!(got, obj.get(name).map(|x| x.as_str().expect("string claim")), "{name}");
    }
    if input.issuer {
        assert_eq!(v.claims.iss(), Some("iss"));
    }
    match (input.audience, v.claims.aud()) {
        (true, Some(aud)) => assert!(aud.contains("aud")),
        (true, None) => panic!("audience expected but none"),
        (false, aud) => assert!(aud.is_none(), "aud accepted without an expected audience"),
    }
    if input.typ {
        let t = v.header.typ().expect("typ").to_ascii_lowercase();
        assert!(t == "typ" || t == "application/typ");
    }
});

struct CountNames<'a>(&'a mut usize);

impl<'de> serde::de::Visitor<'de> for CountNames<'_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an object")
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while map.next_entry::<String, serde::de::IgnoredAny>()?.is_some() {
            *self.0 += 1;
        }
        Ok(())
    }
}
