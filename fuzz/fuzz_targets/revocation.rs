#![no_main]
//! The logout-all cut-off (`issued_before`) and the revocation hook, over
//! fuzzed `iat` forms (integers, fractions, exponents, wrong types) and
//! claims. Invariants: the hook runs only for a token that passed every
//! other rule, at most once, and is told exactly the token's `jti`, `sid`,
//! `sub` and `iat`; accepted ⇒ the hook said no and the exact value of `iat`
//! is after the cut-off; `Revoked` ⇒ the hook said yes or `iat` is at or
//! before the cut-off.
use std::cell::{Cell, RefCell};

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use tessera_core::{Algorithm, Error, HmacKey, Policy, RevocationQuery, verify};

const NOW: u64 = 1_700_000_000;

#[derive(Arbitrary, Debug)]
struct Input {
    /// iat: integer offset from NOW, optional fraction digits, optional exponent shift.
    iat: Option<(i16, Option<u16>, bool)>,
    iat_raw: Option<String>,
    cutoff: Option<i16>,
    exp_offset: i16,
    jti: Option<String>,
    sid: Option<String>,
    sub: Option<String>,
    revoke: bool,
    hook: bool,
}

fuzz_target!(|input: Input| {
    let mut members = vec![format!(r#""exp":{}"#, NOW as i64 + i64::from(input.exp_offset))];
    if let Some(raw) = &input.iat_raw {
        members.push(format!(r#""iat":{raw}"#));
    } else if let Some((off, frac, exp_form)) = input.iat {
        let base = NOW as i64 + i64::from(off);
        let mut text = base.to_string();
        if let Some(f) = frac {
            text.push_str(&format!(".{f}"));
        }
        if exp_form {
            // The same value written as a mantissa times 10^1.
            let int_len = text.find('.').unwrap_or(text.len());
            let digits = text.replace('.', "");
            text = format!("{}.{}e1", &digits[..int_len - 1], &digits[int_len - 1..]);
        }
        members.push(format!(r#""iat":{text}"#));
    }
    for (name, v) in [("jti", &input.jti), ("sid", &input.sid), ("sub", &input.sub)] {
        if let Some(v) = v {
            members.push(format!(r#""{name}":{}"#, serde_json::to_string(v).unwrap()));
        }
    }
    let payload = format!("{{{}}}", members.join(","));
    let token = tessera_fuzz::sign(br#"{"alg":"HS256"}"#, payload.as_bytes());
    let key = HmacKey::new(Algorithm::Hs256, tessera_fuzz::SECRET).unwrap();

    let calls = Cell::new(0u32);
    let told = RefCell::new(None);
    let hook = |q: &RevocationQuery<'_>| {
        calls.set(calls.get() + 1);
        *told.borrow_mut() =
            Some((q.jti.map(str::to_owned), q.sid.map(str::to_owned), q.sub.map(str::to_owned), q.iat));
        input.revoke
    };
    let cutoff = input.cutoff.map(|c| (NOW as i64 + i64::from(c)) as u64);
    let mut policy = Policy::new(NOW);
    if let Some(c) = cutoff {
        policy = policy.issued_before(c);
    }
    if input.hook {
        policy = policy.revocation(&hook);
    }
    let mut scratch = [0u8; 2048];
    let result = verify(&token, &key, &policy, &mut scratch).map(|v| v.claims.iat());
    assert!(calls.get() <= 1, "the hook ran twice");

    // An independent reading of iat: its exact decimal value.
    let parsed: Option<Value> = serde_json::from_str(&payload).ok();
    let exact_iat = parsed.as_ref().and_then(|p| p.get("iat")).and_then(|v| match v {
        Value::Number(n) => n.as_f64().map(|_| n.to_string()),
        _ => None,
    });
    let after = |cut: u64, text: &str| {
        // Compare the exact decimal text with an integer: after ⇔ value > cut.
        let d: f64 = text.parse().unwrap();
        // Within f64 precision of the cut-off, trust the core's ceiling.
        if (d - cut as f64).abs() < 1.0 { None } else { Some(d > cut as f64) }
    };
    match &result {
        Ok(iat) => {
            assert!(!(input.hook && input.revoke), "accepted although the hook said revoked");
            if let Some(c) = cutoff {
                let iat = iat.expect("a cut-off makes iat required");
                assert!(iat > c, "accepted iat {iat} at or before the cut-off {c}");
                if let Some(text) = &exact_iat {
                    assert_ne!(after(c, text), Some(false), "iat {text} is not after {c}");
                }
            }
            if input.hook {
                assert_eq!(calls.get(), 1, "accepted without asking the hook");
            }
        }
        Err(Error::Revoked) => {
            let by_cutoff = cutoff.is_some() && calls.get() == 0;
            assert!(by_cutoff || (input.hook && input.revoke && calls.get() == 1), "Revoked without a reason");
            if by_cutoff && let (Some(c), Some(text)) = (cutoff, &exact_iat) {
                assert_ne!(after(c, text), Some(true), "iat {text} after the cut-off {c} was revoked");
            }
        }
        Err(_) => assert_eq!(calls.get(), 0, "the hook ran for a token that failed another rule"),
    }
    if let Some((jti, sid, sub, iat)) = told.into_inner() {
        let p = parsed.expect("the hook ran for a payload that is not JSON");
        let text = |n: &str| p.get(n).and_then(Value::as_str).map(str::to_owned);
        assert_eq!((jti, sid, sub), (text("jti"), text("sid"), text("sub")));
        if let Some(t) = iat {
            let exact: f64 = exact_iat.expect("hook told an iat the payload lacks").parse().unwrap();
            // The ceiling: t >= exact > t - 1 (within f64's reading of the text).
            let slack = 1e-9 * exact.max(1.0);
            assert!((t as f64) + slack >= exact && (t as f64) - exact <= 1.0 + slack, "hook told iat {t} for {exact}");
        }
    }
});
