#![no_main]
//! The same signed inputs through tessera-core and the `jsonwebtoken`
//! crate. Accept/reject must agree except where the contract deliberately
//! differs; each exception below names its rule and the side that refuses.
//! When both accept, the claims must be equal.
use arbitrary::Arbitrary;
use jsonwebtoken::{Algorithm as JwtAlg, DecodingKey, Validation};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use tessera_core::{Algorithm, HmacKey, Policy, verify};
use tessera_fuzz::{Fragment, HeaderChoice, build, depth, sign};

#[derive(Arbitrary, Debug)]
struct Input {
    header: HeaderChoice,
    payload: Vec<Fragment>,
    issuer: bool,
    audience: bool,
}

/// Which side may refuse alone.
#[derive(Debug, PartialEq, Clone, Copy)]
enum Side {
    Tessera,
    Jsonwebtoken,
    Either,
}

/// Seeds in the `RAW` framing keep their bytes and use a plain policy.
fn decode(data: &[u8]) -> Option<(Input, Option<(&[u8], &[u8])>)> {
    if let Some(frame) = tessera_fuzz::raw_frame(data) {
        let plain = Input { header: HeaderChoice::Plain(None), payload: Vec::new(), issuer: false, audience: false };
        return Some((plain, Some(frame)));
    }
    Some((Input::arbitrary(&mut arbitrary::Unstructured::new(data)).ok()?, None))
}

/// The real time, read for every input: jsonwebtoken has no other clock,
/// so Tessera's policy uses the same one (a cached start time made tokens
/// drift into expiry on one side only during long runs).
fn now() -> u64 {
    jsonwebtoken::get_current_timestamp()
}

fn top_level_names(text: &[u8]) -> Option<Vec<String>> {
    let s = std::str::from_utf8(text).ok()?;
    let mut names = Vec::new();
    let mut de = serde_json::Deserializer::from_str(s);
    serde::de::Deserializer::deserialize_map(&mut de, Names(&mut names)).ok()?;
    Some(names)
}

/// The contract's deliberate differences that apply to this input.
fn exceptions(token: &str, header: &[u8], payload: &[u8], input: &Input, now: u64) -> Vec<(&'static str, Side)> {
    let mut out = Vec::new();
    if token.len() > 8192 {
        out.push(("rule 1: jsonwebtoken has no length limit", Side::Tessera));
    }
    let hv: Option<Value> = serde_json::from_slice(header).ok();
    if hv.as_ref().and_then(|h| h.get("crit")).is_some() {
        out.push(("rule 4c: crit is refused", Side::Tessera));
    }
    if top_level_names(header).is_some_and(|n| n.len() > tessera_core::MAX_HEADER_MEMBERS) {
        out.push(("rule 4a: at most 32 header members", Side::Tessera));
    }
    if serde_json::from_slice::<jsonwebtoken::Header>(header).is_err() {
        out.push(("rule 4: other header members are ignored; jsonwebtoken types them", Side::Jsonwebtoken));
    }
    for doc in [header, payload] {
        if let Some(names) = top_level_names(doc) {
            let mut sorted = names.clone();
            sorted.sort();
            sorted.dedup();
            if sorted.len() != names.len() {
                out.push(("rule 6: duplicate top-level members are refused", Side::Tessera));
            }
        }
        if serde_json::from_slice::<Value>(doc).as_ref().map_or(false, |v| depth(v) > 32) {
            out.push(("rule 6: nesting over 32 levels is refused", Side::Tessera));
        }
        let t = String::from_utf8_lossy(doc).to_ascii_lowercase();
        if t.contains("\\ud8")
            || t.contains("\\ud9")
            || t.contains("\\uda")
            || t.contains("\\udb")
            || t.contains("\\udc")
            || t.contains("\\udd")
            || t.contains("\\ude")
            || t.contains("\\udf")
        {
            out.push(("rule 6: surrogate escapes are checked for pairing", Side::Either));
        }
        if let Err(e) = serde_json::from_slice::<Value>(doc) {
            if e.to_string().contains("number out of range") {
                out.push(("rule 6: unknown members are checked for grammar only", Side::Jsonwebtoken));
            }
        }
    }
    if let Ok(Value::Object(obj)) = serde_json::from_slice::<Value>(payload) {
        for name in ["exp", "nbf", "iat"] {
            if let Some(v) = obj.get(name) {
                match v.as_u64() {
                    Some(t) if t >= 1 << 53 => out.push(("rule 7: NumericDates must be below 2^53", Side::Tessera)),
                    Some(t) if t.abs_diff(now) <= 2 => out.push(("rule 9: now == exp is expired here", Side::Either)),
                    Some(_) => {}
                    None => out.push(("rule 7: fractions, exponents and -0 are NumericDates", Side::Either)),
                }
            }
        }
        if let Some(iat) = obj.get("iat").and_then(Value::as_u64) {
            if iat > now {
                out.push(("rule 9: iat in the future is refused", Side::Tessera));
            }
        }
        for name in ["iss", "sub", "jti", "sid", "scope", "azp", "client_id"] {
            if obj.get(name).is_some_and(|v| !v.is_string()) {
                out.push(("rule 7: registered claims are typed", Side::Tessera));
            }
        }
        if let Some(aud) = obj.get("aud") {
            let typed = aud.is_string() || aud.as_array().is_some_and(|a| a.iter().all(Value::is_string));
            if !typed {
                out.push(("rule 7: aud must be a string or an array of strings", Side::Tessera));
            }
        }
        if input.issuer && !obj.contains_key("iss") {
            out.push(("rule 10: an expected issuer makes iss mandatory", Side::Tessera));
        }
        if input.audience && !obj.contains_key("aud") {
            out.push(("rule 11: an expected audience makes aud mandatory", Side::Tessera));
        }
    }
    out
}

fuzz_target!(|data: &[u8]| {
    let Some((input, raw)) = decode(data) else { return };
    let now = now();
    let (header, payload) = match raw {
        Some((h, p)) => (h.to_vec(), p.to_vec()),
        None => (input.header.render(now), build(&input.payload, now)),
    };
    let token = sign(&header, &payload);

    let key = HmacKey::new(Algorithm::Hs256, tessera_fuzz::SECRET).unwrap();
    let mut policy = Policy::new(now);
    let mut v = Validation::new(JwtAlg::HS256);
    v.leeway = 0;
    v.validate_nbf = true;
    if input.issuer {
        policy = policy.issuer("iss");
        v.set_issuer(&["iss"]);
    }
    if input.audience {
        policy = policy.audience("aud");
        v.set_audience(&["aud"]);
    }
    let mut scratch = vec![0u8; tessera_core::SCRATCH_LEN];
    let ours = verify(&token, &key, &policy, &mut scratch);
    let theirs = jsonwebtoken::decode::<Value>(&token, &DecodingKey::from_secret(tessera_fuzz::SECRET), &v);
    match (&ours, &theirs) {
        (Ok(o), Ok(t)) => {
            let c = &t.claims;
            assert_eq!(o.claims.sub(), c.get("sub").and_then(Value::as_str));
            assert_eq!(o.claims.iss(), c.get("iss").and_then(Value::as_str));
            if let Some(exp) = c.get("exp").and_then(Value::as_u64) {
                assert_eq!(o.claims.exp(), Some(exp));
            }
        }
        (Err(_), Err(_)) => {}
        _ => {
            let refuser = if ours.is_err() { Side::Tessera } else { Side::Jsonwebtoken };
            let ex = exceptions(&token, &header, &payload, &input, now);
            assert!(
                ex.iter().any(|(_, side)| *side == refuser || *side == Side::Either),
                "unexplained difference: tessera {:?}, jsonwebtoken {:?}\nheader {}\npayload {}\nknown: {ex:?}",
                ours.err(),
                theirs.err().map(|e| e.into_kind()),
                String::from_utf8_lossy(&header),
                String::from_utf8_lossy(&payload),
            );
        }
    }
});

struct Names<'a>(&'a mut Vec<String>);

impl<'de> serde::de::Visitor<'de> for Names<'_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an object")
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some((k, _)) = map.next_entry::<String, serde::de::IgnoredAny>()? {
            self.0.push(k);
        }
        Ok(())
    }
}
