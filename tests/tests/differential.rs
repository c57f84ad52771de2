//! Differential test against the `jsonwebtoken` crate: the same generated
#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::cast_possible_truncation
)]
//! tokens, valid and mutated, through both. Verdicts must agree except where
//! the contract deliberately differs; each such difference is named by its
//! rule, with the direction in which it is allowed.

use std::collections::BTreeMap;
use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use jsonwebtoken::{Algorithm as JwtAlg, DecodingKey, Validation};
use sha2::Sha256;
use tessera_core::{Algorithm, HmacKey, Policy, verify};

const SECRET: &[u8] = b"differential-test-secret-32-byte";

/// A deliberate difference: the rule, and whether Tessera is the one refusing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Known {
    /// Rule 1: jsonwebtoken has no length limit.
    TooLong,
    /// Rule 4c: jsonwebtoken does not refuse `crit`.
    Crit,
    /// Rule 6: duplicate top-level members (serde_json keeps the last one).
    Duplicate,
    /// Rule 6: nesting over 32 levels (serde_json allows 128).
    Deep,
    /// Rule 7: fractional NumericDates are accepted (ceiling); jsonwebtoken wants integers.
    Fraction,
    /// Rule 7: NumericDates at or above 2^53 are refused; jsonwebtoken takes any u64.
    Huge,
    /// Rule 7: registered claims of the wrong type that jsonwebtoken never looks at.
    WrongType,
    /// Rule 9: `iat` in the future is refused; jsonwebtoken does not check `iat`.
    FutureIat,
    /// Rule 6: a whitespace-padded or BOM-prefixed JSON text.
    Whitespace,
    /// Rule 6: unknown members are checked for grammar only; serde_json refuses `1e400`.
    BigNumber,
    /// Rule 10: an expected issuer makes `iss` mandatory; jsonwebtoken skips an absent `iss`.
    MissingIssuer,
    /// Rule 11: an expected audience makes `aud` mandatory; jsonwebtoken skips an absent `aud`.
    MissingAudience,
}

impl Known {
    /// Whether this difference lets Tessera refuse what jsonwebtoken accepts
    /// (`true`) or accept what it refuses (`false`).
    fn tessera_refuses(self) -> bool {
        !matches!(self, Known::Fraction | Known::Whitespace | Known::BigNumber)
    }
}

struct Case {
    header: Vec<u8>,
    payload: Vec<u8>,
    known: Vec<Known>,
    issuer: Option<&'static str>,
    audience: Option<&'static str>,
    mutate: Option<(usize, u8)>,
}

/// xorshift64*: deterministic, no dependency.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

fn generate(rng: &mut Rng, now: u64) -> Case {
    // A third of the cases are valid by construction, so that acceptance is
    // compared as often as refusal.
    let clean = rng.chance(35);
    let mut known = Vec::new();
    let headers: [(&str, Option<Known>); 8] = [
        (r#"{"alg":"HS256","typ":"JWT"}"#, None),
        (r#"{"alg":"HS256"}"#, None),
        (r#"{"typ":"JWT","alg":"HS256","kid":"k1"}"#, None),
        (r#"{"alg":"HS384"}"#, None),
        (r#"{"alg":"none"}"#, None),
        (r#"{"alg":"HS256","crit":["exp"]}"#, Some(Known::Crit)),
        (r#"{"alg":"HS256","alg":"HS256"}"#, Some(Known::Duplicate)),
        (r#"{"alg":"hs256"}"#, None),
    ];
    let range = if clean || rng.chance(70) { 3 } else { headers.len() };
    let (h, k) = headers[rng.below(range)];
    known.extend(k);
    let mut members: Vec<String> = Vec::new();
    let mut add = |m: String| members.push(m);
    // exp
    match if clean { 9 } else { rng.below(10) } {
        0 => {}
        1 => add(format!(r#""exp":{}"#, now - 1000)),
        2 => add(format!(r#""exp":"{}""#, now + 1000)),
        3 => {
            add(format!(r#""exp":{}.5"#, now + 1000));
            known.push(Known::Fraction);
        }
        4 => {
            add(format!(r#""exp":{}"#, 1u64 << 60));
            known.push(Known::Huge);
        }
        5 => add(r#""exp":-5"#.into()),
        _ => add(format!(r#""exp":{}"#, now + 1000)),
    }
    if rng.chance(30) {
        add(format!(r#""nbf":{}"#, if clean || rng.chance(50) { now - 1000 } else { now + 1000 }));
    }
    if rng.chance(30) {
        let future = !clean && rng.chance(30);
        add(format!(r#""iat":{}"#, if future { now + 1000 } else { now - 100 }));
        if future {
            known.push(Known::FutureIat);
        }
    }
    let issuer = rng.chance(50).then_some("https://issuer.example");
    let iss_choice = if clean { if issuer.is_some() { rng.below(2) } else { 5 } } else { rng.below(6) };
    if issuer.is_some() && iss_choice > 3 {
        known.push(Known::MissingIssuer);
    }
    match iss_choice {
        0 => add(r#""iss":"https://issuer.example""#.into()),
        1 => add(r#""iss":"https:\/\/issuer.example""#.into()),
        2 => add(r#""iss":"https://other.example""#.into()),
        3 => {
            // jsonwebtoken 10 treats a non-string `iss` as absent, even when an
            // issuer is expected; rule 7 refuses it.
            add(r#""iss":7"#.into());
            known.push(Known::WrongType);
        }
        _ => {}
    }
    let audience = rng.chance(50).then_some("api");
    let aud_choice = if clean { if audience.is_some() { [0, 1, 4][rng.below(3)] } else { 6 } } else { rng.below(7) };
    if audience.is_some() && aud_choice > 4 {
        known.push(Known::MissingAudience);
    }
    match aud_choice {
        0 => add(r#""aud":"api""#.into()),
        1 => add(r#""aud":["web","api"]"#.into()),
        2 => add(r#""aud":["web"]"#.into()),
        3 => add(r#""aud":[]"#.into()),
        4 => add(r#""aud":"\u0061pi""#.into()),
        _ => {}
    }
    match if clean { [0, 2, 3][rng.below(3)] } else { rng.below(5) } {
        0 => add(r#""sub":"user-1""#.into()),
        1 => {
            add(r#""sub":1"#.into());
            known.push(Known::WrongType);
        }
        2 => add(r#""sub":"\u00e9\ud83d\ude00""#.into()),
        _ => {}
    }
    if rng.chance(20) {
        add(r#""scope":"read write""#.into());
    }
    if !clean && rng.chance(10) {
        add(r#""jti":["not","a","string"]"#.into());
        known.push(Known::WrongType);
    }
    if !clean && rng.chance(20) {
        add(r#""meta":{"a":[1,2,{"b":null}],"c":1e400}"#.into());
        known.push(Known::BigNumber);
    }
    if !clean && rng.chance(5) {
        add(format!(r#""deep":{}1{}"#, "[".repeat(40), "]".repeat(40)));
        known.push(Known::Deep);
    }
    if !clean && rng.chance(5) && !members.is_empty() {
        let first = members[0].clone();
        members.push(first);
        known.push(Known::Duplicate);
    }
    if !clean && rng.chance(3) {
        members.push(format!(r#""pad":"{}""#, "x".repeat(7000)));
        known.push(Known::TooLong);
    }
    let shuffle = rng.next();
    let n = members.len().max(1);
    members.rotate_left((shuffle as usize) % n);
    let mut payload = format!("{{{}}}", members.join(","));
    if !clean && rng.chance(3) {
        payload = format!(" {payload}\n");
        known.push(Known::Whitespace);
    }
    let mutate = (!clean && rng.chance(15)).then(|| (rng.below(1000), b"AZaz09-_.=+/ !"[rng.below(14)]));
    Case { header: h.as_bytes().to_vec(), payload: payload.into_bytes(), known, issuer, audience, mutate }
}

fn token(case: &Case) -> String {
    let h = URL_SAFE_NO_PAD.encode(&case.header);
    let p = URL_SAFE_NO_PAD.encode(&case.payload);
    let mut mac = Hmac::<Sha256>::new_from_slice(SECRET).unwrap();
    mac.update(format!("{h}.{p}").as_bytes());
    let mut t = format!("{h}.{p}.{}", URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())).into_bytes();
    if let Some((at, byte)) = case.mutate {
        let i = at % t.len();
        t[i] = byte;
    }
    String::from_utf8(t).unwrap()
}

#[test]
fn agrees_with_jsonwebtoken_except_where_the_contract_differs() {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
    let key = HmacKey::new(Algorithm::Hs256, SECRET).unwrap();
    let dkey = DecodingKey::from_secret(SECRET);
    let mut rng = Rng(0x7e55_e7a0_5eed_0001);
    let mut scratch = vec![0u8; tessera_core::SCRATCH_LEN];
    let (mut agree_ok, mut agree_err) = (0, 0);
    let mut explained: BTreeMap<Known, u32> = BTreeMap::new();
    let mut unexplained = Vec::new();
    for _ in 0..20_000 {
        let case = generate(&mut rng, now);
        let t = token(&case);
        let mut policy = Policy::new(now).ignore_audience(false);
        let mut v = Validation::new(JwtAlg::HS256);
        v.leeway = 0;
        v.validate_nbf = true;
        v.set_required_spec_claims(&["exp"]);
        if let Some(i) = case.issuer {
            policy = policy.issuer(i);
            v.set_issuer(&[i]);
        }
        if let Some(a) = case.audience {
            policy = policy.audience(a);
            v.set_audience(&[a]);
        }
        let ours = verify(&t, &key, &policy, &mut scratch);
        let theirs = jsonwebtoken::decode::<serde_json::Value>(&t, &dkey, &v);
        match (&ours, &theirs) {
            (Ok(o), Ok(th)) => {
                agree_ok += 1;
                let c = &th.claims;
                assert_eq!(o.claims.sub(), c.get("sub").and_then(|s| s.as_str()), "{t}");
                assert_eq!(o.claims.iss(), c.get("iss").and_then(|s| s.as_str()), "{t}");
                // Tessera exposes the ceiling of a fractional NumericDate (rule 7).
                let exp = c.get("exp").and_then(|s| s.as_u64().or_else(|| s.as_f64().map(|f| f.ceil() as u64)));
                assert_eq!(o.claims.exp(), exp, "{t}");
                assert_eq!(o.claims.scope(), c.get("scope").and_then(|s| s.as_str()), "{t}");
            }
            (Err(_), Err(_)) => agree_err += 1,
            _ => {
                let tessera_refuses = ours.is_err();
                match case.known.iter().find(|k| k.tessera_refuses() == tessera_refuses) {
                    Some(k) => *explained.entry(*k).or_default() += 1,
                    None => unexplained.push(format!(
                        "{t}\n  header {} payload {}\n  tessera {:?}, jsonwebtoken {:?}",
                        String::from_utf8_lossy(&case.header),
                        String::from_utf8_lossy(&case.payload),
                        ours.err(),
                        theirs.err().map(|e| e.into_kind())
                    )),
                }
            }
        }
    }
    println!("agree accept {agree_ok}, agree refuse {agree_err}, explained differences {explained:?}");
    assert!(
        unexplained.is_empty(),
        "{} unexplained differences:\n{}",
        unexplained.len(),
        unexplained.iter().take(10).cloned().collect::<Vec<_>>().join("\n")
    );
    assert!(agree_ok > 2000 && agree_err > 2000, "too few agreements: {agree_ok} / {agree_err}");
}
