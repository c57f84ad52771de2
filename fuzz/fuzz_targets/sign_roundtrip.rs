#![no_main]
//! Arbitrary registered and custom claims → sign → verify returns the same claims.
use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use tessera_core::sign::{ClaimsOut, HeaderOut, sign_with_json};
use tessera_core::{Algorithm, ClaimSet, HmacKey, Policy, verify};

#[derive(Arbitrary, Debug)]
struct Input {
    iss: Option<String>,
    sub: Option<String>,
    aud: Vec<String>,
    aud_array: bool,
    exp: Option<u64>,
    nbf: Option<u64>,
    iat: Option<u64>,
    jti: Option<String>,
    scope: Option<String>,
    typ: Option<String>,
    kid: Option<String>,
    custom: Vec<(String, String)>,
    alg: u8,
}

fuzz_target!(|i: Input| {
    let alg = [Algorithm::Hs256, Algorithm::Hs384, Algorithm::Hs512][usize::from(i.alg % 3)];
    let key = HmacKey::new(alg, &[0x42; 64]).unwrap();
    let auds: Vec<&str> = i.aud.iter().map(String::as_str).collect();
    let clamp = |t: Option<u64>| t.map(|v| v % (1 << 53));
    let mut c = ClaimsOut::new();
    c.iss = i.iss.as_deref();
    c.sub = i.sub.as_deref();
    c.jti = i.jti.as_deref();
    c.scope = i.scope.as_deref();
    c.exp = clamp(i.exp);
    c.nbf = clamp(i.nbf);
    c.iat = clamp(i.iat);
    c = match (auds.as_slice(), i.aud_array) {
        ([], false) => c,
        ([one], false) => c.aud(one),
        (many, _) => c.auds(many),
    };
    let custom: serde_json::Map<String, serde_json::Value> = i
        .custom
        .iter()
        .filter(|(k, _)| {
            !["iss", "sub", "aud", "exp", "nbf", "iat", "jti", "sid", "scope", "azp", "client_id"].contains(&k.as_str())
        })
        .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
        .collect();
    let custom_json = serde_json::to_string(&custom).unwrap();
    let header = HeaderOut { typ: i.typ.as_deref(), kid: i.kid.as_deref() };
    // Escaping grows a string up to 6x and base64 by 4/3: room for the worst case.
    let input_len: usize = [&i.iss, &i.sub, &i.jti, &i.scope, &i.typ, &i.kid]
        .iter()
        .map(|s| s.as_ref().map_or(0, String::len))
        .sum::<usize>()
        + i.aud.iter().map(String::len).sum::<usize>()
        + i.custom.iter().map(|(k, v)| k.len() + v.len()).sum::<usize>();
    let mut out = vec![0u8; 16 * input_len + 4096];
    let token = match sign_with_json(&key, &header, &c, custom_json.as_bytes(), &mut out) {
        Ok(t) => t.to_owned(),
        // A header over its 256-byte bound is refused, not truncated.
        Err(tessera_core::Error::InvalidArgument) => return,
        Err(e) => panic!("sign failed: {e:?}"),
    };
    // The latest time the claims allow, but a `now` in seconds (rule 0
    // refuses 10^11 and above, and 0: no time given).
    let now = c.nbf.max(c.iat).unwrap_or(0).clamp(1, tessera_core::MAX_TIME - 1);
    let policy = Policy::new(now).required(ClaimSet::EMPTY).ignore_audience(true).max_token_len(usize::MAX);
    let mut scratch = vec![0u8; tessera_core::scratch_len(token.len())];
    let v = match verify(&token, &key, &policy, &mut scratch) {
        Ok(v) => v,
        Err(tessera_core::Error::Expired(_)) => {
            assert!(c.exp.is_some_and(|e| e <= now));
            return;
        }
        Err(tessera_core::Error::NotYetValid(_)) => {
            assert!(c.nbf.max(c.iat).is_some_and(|t| t > now), "not yet valid at {now}");
            return;
        }
        Err(e) => panic!("a token we signed was refused: {e:?} {token}"),
    };
    assert_eq!(v.claims.iss(), c.iss);
    assert_eq!(v.claims.sub(), c.sub);
    assert_eq!(v.claims.jti(), c.jti);
    assert_eq!(v.claims.scope(), c.scope);
    assert_eq!(v.claims.exp(), c.exp);
    assert_eq!(v.claims.nbf(), c.nbf);
    assert_eq!(v.claims.iat(), c.iat);
    assert_eq!(v.header.typ(), header.typ);
    assert_eq!(v.header.kid(), header.kid);
    let got_aud: Vec<&str> = v.claims.aud().map(|a| a.iter().collect()).unwrap_or_default();
    assert_eq!(got_aud, auds);
    for (k, val) in &custom {
        let raw = v.claims.get_raw(k).expect("custom claim present");
        assert_eq!(&serde_json::from_str::<serde_json::Value>(raw).unwrap(), val);
    }
});
