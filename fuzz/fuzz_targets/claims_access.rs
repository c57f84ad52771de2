#![no_main]
//! `Claims::get_raw` and `Claims::deserialize` on verified payloads built
//! from fuzzed fragments (escaped names, odd numbers, nesting, duplicates).
//! Invariants, against serde_json: `get_raw(name)` is present exactly when
//! the object has that (unescaped) name, and its text parses to the same
//! value; `deserialize` into a map of the registered string claims and a
//! generic custom claim either fails with a documented error kind or agrees
//! with serde_json.
use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use serde::Deserialize;
use serde_json::Value;
use tessera_core::{Algorithm, ClaimSet, Error, HmacKey, Policy, verify};
use tessera_fuzz::{Fragment, build, sign};

#[derive(Arbitrary, Debug)]
struct Input {
    payload: Vec<Fragment>,
    names: Vec<String>,
    unescape_len: u16,
}

/// What `deserialize` is asked for: borrowed and numeric fields, one optional.
#[derive(Deserialize, Debug)]
struct Typed<'a> {
    sub: Option<&'a str>,
    iss: Option<&'a str>,
    exp: Option<u64>,
    level: Option<i64>,
    flag: Option<bool>,
}

fuzz_target!(|input: Input| {
    let now = 1_700_000_000;
    let payload = build(&input.payload, now);
    let token = sign(br#"{"alg":"HS256"}"#, &payload);
    let key = HmacKey::new(Algorithm::Hs256, tessera_fuzz::SECRET).unwrap();
    let policy = Policy::new(now).required(ClaimSet::EMPTY).ignore_audience(true);
    let mut scratch = [0u8; tessera_core::SCRATCH_LEN];
    let Ok(v) = verify(&token, &key, &policy, &mut scratch) else { return };
    let parsed: Value = match serde_json::from_slice(&payload) {
        Ok(p) => p,
        Err(e) if e.to_string().contains("number out of range") => return,
        Err(e) => panic!("verified payload is not JSON: {e}"),
    };
    let obj = parsed.as_object().unwrap();
    let mut names: Vec<&str> = obj.keys().map(String::as_str).collect();
    names.extend(input.names.iter().map(String::as_str));
    names.extend(["exp", "sub", "missing", "", "\\u0065xp"]);
    for name in names {
        match (v.claims.get_raw(name), obj.get(name)) {
            (None, None) => {}
            (Some(raw), Some(want)) => match serde_json::from_str::<Value>(raw) {
                Ok(got) => assert_eq!(&got, want, "get_raw({name:?}) = {raw}"),
                Err(e) => assert!(e.to_string().contains("number out of range"), "get_raw({name:?}) = {raw}: {e}"),
            },
            (got, want) => panic!("get_raw({name:?}) = {got:?}, serde_json has {want:?}"),
        }
    }
    let mut unescape = vec![0u8; usize::from(input.unescape_len % 512)];
    match v.claims.deserialize::<Typed<'_>>(&mut unescape) {
        Ok(t) => {
            let s = |n: &str| obj.get(n).and_then(Value::as_str);
            assert_eq!(t.sub, s("sub"));
            assert_eq!(t.iss, s("iss"));
            // A number read by both is the same number; absent (or null) is None.
            let num = |n: &str| obj.get(n).filter(|v| !v.is_null()).map(|v| v.as_f64());
            #[allow(clippy::cast_precision_loss)]
            {
                assert_eq!(t.exp.map(|x| Some(x as f64)), num("exp"), "exp");
                assert_eq!(t.level.map(|x| Some(x as f64)), num("level"), "level");
            }
            assert_eq!(t.flag, obj.get("flag").filter(|v| !v.is_null()).map(|v| v.as_bool().unwrap()));
        }
        Err(e) => assert!(matches!(e, Error::InvalidArgument | Error::BufferTooSmall), "{e:?}"),
    }
});
