#![no_main]
//! The C ABI entry points driven as a careless C caller would: NULL
//! pointers with arbitrary lengths, `{NULL, n}` policy strings, odd
//! audience arrays, out-of-range numbers, overlapping buffers, missing
//! outputs. Lengths never exceed the memory they describe (that would be
//! the caller's undefined behaviour, not ours). Invariants: no crash (ASan
//! watches); a known status; `PANIC` never; a NULL pointer with a non-zero
//! length is `NULL_PARAMETER`; on success every claim view lies inside the
//! scratch; on failure the scratch verify may have used is zeroed.
use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use tessera::http::{tessera_bearer_token, tessera_cookie_value};
use tessera::key::{tessera_alg, tessera_key, tessera_key_free, tessera_key_new};
use tessera::policy::{tessera_policy, tessera_policy_init, tessera_str};
use tessera::status::tessera_status;
use tessera::verify::{
    tessera_claims, tessera_claims_aud_at, tessera_claims_get, tessera_claims_has_scope, tessera_decode_unverified,
    tessera_verify,
};

#[derive(Arbitrary, Debug)]
enum Text {
    Absent,
    Null(u16),
    Bytes(Vec<u8>),
}

#[derive(Arbitrary, Debug)]
enum Audiences {
    Absent,
    NullWith(u8),
    List(Vec<Text>, u8),
}

#[derive(Arbitrary, Debug)]
struct Input {
    token: Vec<u8>,
    signed_payload: Option<String>,
    token_null: bool,
    token_len_cut: u16,
    scratch_len: u16,
    scratch_null: bool,
    overlap: u8,
    out_null: bool,
    policy_null: bool,
    key_null: bool,
    issuer: Text,
    typ: Text,
    audiences: Audiences,
    now: u64,
    issued_before: u64,
    leeway: u64,
    max_token_len: u16,
    required: u32,
    ignore_audience: bool,
    max_age: Option<u64>,
    lookup: Vec<u8>,
    lookup_null: bool,
    rsa_default: u8,
}

/// A `tessera_str` for `t`, with storage kept in `keep`.
fn view(t: &Text, keep: &mut Vec<Vec<u8>>) -> (tessera_str, bool) {
    match t {
        Text::Absent => (tessera_str { ptr: std::ptr::null(), len: 0 }, false),
        Text::Null(n) => (tessera_str { ptr: std::ptr::null(), len: usize::from(*n) }, *n > 0),
        Text::Bytes(b) => {
            keep.push(b.clone());
            let last = keep.last().unwrap();
            (tessera_str { ptr: last.as_ptr().cast(), len: last.len() }, false)
        }
    }
}

/// A non-NULL pointer for an empty audience list.
static EMPTY: [u8; 1] = [0];

fn known(s: tessera_status) -> bool {
    let code = s as u32;
    (1..=19).contains(&code) || code == 0 || code == 100 || code == 102
}

fuzz_target!(|input: Input| {
    let mut key: *mut tessera_key = std::ptr::null_mut();
    let secret = tessera_fuzz::SECRET;
    // SAFETY: valid secret and output.
    assert_eq!(
        unsafe { tessera_key_new(tessera_alg::Hs256 as u32, secret.as_ptr(), secret.len(), &mut key) },
        tessera_status::Ok
    );

    let token: Vec<u8> = match &input.signed_payload {
        Some(p) => tessera_fuzz::sign(br#"{"alg":"HS256"}"#, p.as_bytes()).into_bytes(),
        None => input.token.clone(),
    };
    let mut keep = Vec::new();
    let mut policy: tessera_policy = unsafe { std::mem::zeroed() };
    // SAFETY: writable policy.
    unsafe { tessera_policy_init(&mut policy) };
    let (issuer, null_issuer) = view(&input.issuer, &mut keep);
    let (typ, null_typ) = view(&input.typ, &mut keep);
    policy.issuer = issuer;
    policy.typ = typ;
    policy.now = input.now;
    policy.issued_before = input.issued_before;
    policy.leeway = input.leeway;
    policy.max_token_len = usize::from(input.max_token_len);
    policy.required = input.required;
    policy.ignore_audience = input.ignore_audience;
    if let Some(m) = input.max_age {
        policy.has_max_age = true;
        policy.max_age = m;
    }
    let mut list: Vec<tessera_str> = Vec::new();
    let mut null_audience = false;
    match &input.audiences {
        Audiences::Absent => {}
        Audiences::NullWith(n) => {
            policy.audiences_len = usize::from(*n);
            null_audience = *n > 0;
        }
        Audiences::List(items, cut) => {
            for t in items.iter().take(40) {
                list.push(view(t, &mut keep).0);
            }
            // Any length up to the entries there are, NULL-ptr entries included.
            let len = usize::from(*cut) % (list.len() + 1);
            null_audience = list.iter().take(len.min(16)).any(|s| s.ptr.is_null() && s.len > 0) && len <= 16;
            // An empty list still has a non-NULL pointer (an explicit empty list).
            policy.audiences = if list.is_empty() { EMPTY.as_ptr().cast() } else { list.as_ptr() };
            policy.audiences_len = len;
        }
    }

    // One arena holds the scratch and, when overlap asks, the token too.
    let scratch_len = usize::from(input.scratch_len);
    let mut arena = vec![0x5au8; scratch_len + token.len() + 64];
    let (token_ptr, scratch_ptr): (*const u8, *mut u8) = match input.overlap % 4 {
        0 => (token.as_ptr(), arena.as_mut_ptr()),
        // The token inside the scratch, or straddling its end.
        1 if scratch_len > 0 => {
            let at = usize::from(input.overlap) % scratch_len;
            arena[at..at + token.len()].copy_from_slice(&token);
            (arena[at..].as_ptr(), arena.as_mut_ptr())
        }
        _ => {
            let at = scratch_len;
            arena[at..at + token.len()].copy_from_slice(&token);
            (arena[at..].as_ptr(), arena.as_mut_ptr())
        }
    };
    // NULL: any length; otherwise at most the bytes there are (a prefix, often all).
    let cut = usize::from(input.token_len_cut);
    let token_len = if input.token_null {
        cut
    } else if cut % 3 == 0 {
        cut % (token.len() + 1)
    } else {
        token.len()
    };
    let token_ptr = if input.token_null { std::ptr::null() } else { token_ptr };
    let scratch_ptr = if input.scratch_null { std::ptr::null_mut() } else { scratch_ptr };
    let mut out: tessera_claims = unsafe { std::mem::zeroed() };
    let out_ptr: *mut tessera_claims = if input.out_null { std::ptr::null_mut() } else { &mut out };
    let policy_ptr: *const tessera_policy = if input.policy_null { std::ptr::null() } else { &policy };
    let key_ptr: *const tessera_key = if input.key_null { std::ptr::null() } else { key };

    // SAFETY: every non-NULL pointer is valid for its length.
    let s = unsafe { tessera_verify(token_ptr, token_len, key_ptr, policy_ptr, scratch_ptr, scratch_len, out_ptr) };
    assert!(known(s), "unknown status {}", s as u32);
    let null_given = input.key_null
        || input.policy_null
        || input.out_null
        || (input.token_null && token_len > 0)
        || (input.scratch_null && scratch_len > 0);
    if null_given {
        assert!(
            matches!(s, tessera_status::NullParameter | tessera_status::InvalidArgument),
            "{s:?} with a NULL argument"
        );
    }
    if (null_issuer || null_typ || null_audience) && !null_given && s == tessera_status::Ok {
        panic!("a {{NULL, n}} policy string was accepted as absent");
    }
    if s == tessera_status::Ok {
        let inside = |v: tessera_str| {
            v.ptr.is_null() || {
                let (a, b) = (v.ptr as usize, v.ptr as usize + v.len);
                a >= scratch_ptr as usize && b <= scratch_ptr as usize + scratch_len
            }
        };
        // Claims are decoded into the scratch; a common header's members may
        // instead be the library's constants (its known headers are never
        // decoded). Nothing may point into the caller's token.
        for v in [out.iss, out.sub, out.jti, out.sid, out.scope, out.azp, out.client_id, out.payload_json] {
            assert!(inside(v), "a claim view outside the scratch");
        }
        let in_token = |v: tessera_str| {
            !v.ptr.is_null() && (v.ptr as usize) < token_ptr as usize + token_len && v.ptr as usize + v.len > token_ptr as usize
        };
        for v in [out.alg, out.typ, out.kid, out.header_json] {
            assert!(inside(v) || !in_token(v), "a header view into the token");
        }
        let mut r = tessera_str { ptr: std::ptr::null(), len: 0 };
        let lookup_ptr = if input.lookup_null { std::ptr::null() } else { input.lookup.as_ptr() };
        // SAFETY: out from a successful verify, scratch alive; lookup valid for its length.
        unsafe {
            let g = tessera_claims_get(&out, lookup_ptr, input.lookup.len(), &mut r);
            assert!(known(g));
            if input.lookup_null && !input.lookup.is_empty() {
                assert_eq!(g, tessera_status::NullParameter);
            }
            let _ = tessera_claims_has_scope(&out, lookup_ptr, input.lookup.len());
            for i in 0..out.aud_count + 2 {
                assert!(known(tessera_claims_aud_at(&out, i, &mut r)));
            }
        }
    } else if !null_given && s != tessera_status::InvalidArgument && input.overlap % 4 == 0 {
        let used = tessera::verify::tessera_scratch_len(token_len).min(scratch_len);
        assert!(arena[..used].iter().all(|&b| b == 0), "a refused token left bytes in the scratch ({s:?})");
    }
    // The same buffers through the unverified decoder and the HTTP helpers.
    let mut out2: tessera_claims = unsafe { std::mem::zeroed() };
    // SAFETY: as above.
    let d = unsafe { tessera_decode_unverified(token_ptr, token_len, scratch_ptr, scratch_len, &mut out2) };
    assert!(known(d));
    let mut v = tessera_str { ptr: std::ptr::null(), len: 0 };
    // SAFETY: as above.
    unsafe {
        let _ = tessera_bearer_token(token_ptr, token_len, &mut v);
        let name = if input.lookup_null { std::ptr::null() } else { input.lookup.as_ptr() };
        let _ = tessera_cookie_value(token_ptr, token_len, name, input.lookup.len(), &mut v);
        tessera_key_free(key);
        // The token's bytes (or NULL with its length) as a JWK Set document.
        let mut set: *mut tessera::key::tessera_keyset = std::ptr::null_mut();
        let mut skipped = 0usize;
        let skipped_ptr: *mut usize = if input.lookup_null { std::ptr::null_mut() } else { &mut skipped };
        // The RSA default: none, each RSA algorithm, and caller slips (an
        // ECDSA or HMAC algorithm, a number no algorithm has).
        let rsa_default = [0u32, 30, 31, 32, 40, 41, 42, 10, 1, 999][usize::from(input.rsa_default) % 10];
        let j = tessera::key::tessera_keyset_from_jwks(token_ptr, token_len, rsa_default, &mut set, skipped_ptr);
        assert!(known(j));
        assert_eq!(j == tessera_status::Ok, !set.is_null(), "*out written on failure or not on success");
        if input.token_null && token_len > 0 {
            assert_eq!(j, tessera_status::NullParameter);
        } else if matches!(rsa_default, 1 | 10 | 999) {
            assert_eq!(j, tessera_status::InvalidArgument, "a default that is not an RSA algorithm is refused");
        }
        tessera::key::tessera_keyset_free(set);
    }
});
