//! `Verifier`: one key or key set and one policy, verifying many tokens.

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use js_sys::{Function, Object};
use tessera_core::{
    ClaimSet, DEFAULT_MAX_TOKEN_LEN, HmacKey, KeySet, Policy, RevocationCheck, RevocationQuery, decode_unverified,
    scratch_len, verify,
};
use wasm_bindgen::prelude::*;

use crate::convert::{
    algorithm_field, bool_field, claim_named, claims_object, field, header_object, integer_field, integer_from_f64,
    now_seconds, secret_bytes, set, string_field, strings_field,
};
use crate::error::{invalid, js_error, js_result_error};
use crate::fast::FastPath;
use crate::objects::{error_result, ok_result, token_object};

const MAX_AUDIENCES: usize = 16;

/// The largest `maxLength` a verifier takes (1 MiB; the default is 8 KiB).
const MAX_LENGTH_LIMIT: usize = 1 << 20;

#[allow(clippy::large_enum_variant)] // one of the two, built once per verifier
pub(crate) enum Keys {
    One(HmacKey),
    Set(Box<KeySet<16>>),
}

/// The policy fields, owned, so that each call borrows them.
pub(crate) struct Options {
    issuer: Option<String>,
    audiences: Vec<String>,
    typ: Option<String>,
    leeway: u64,
    required: ClaimSet,
    max_age: Option<u64>,
    max_length: usize,
    ignore_audience: bool,
    is_revoked: Option<Function>,
}

impl Options {
    fn read(o: &JsValue) -> Result<Self, JsValue> {
        let audiences = strings_field(o, "audience")?.unwrap_or_default();
        if audiences.len() > MAX_AUDIENCES {
            return Err(invalid("at most 16 audiences"));
        }
        let required = match strings_field(o, "requiredClaims")? {
            None => Policy::new(0).required,
            Some(names) => names.iter().try_fold(ClaimSet::EMPTY, |s, n| claim_named(n).map(|c| s.with(c)))?,
        };
        let is_revoked = match field(o, "isRevoked") {
            None => None,
            Some(f) => Some(f.dyn_into::<Function>().map_err(|_| invalid("`isRevoked` must be a function"))?),
        };
        let max_length = integer_field(o, "maxLength")?.unwrap_or(DEFAULT_MAX_TOKEN_LEN as u64);
        // The verifier holds scratch for its longest token: bounded, so that
        // an option cannot ask for gigabytes.
        let max_length = usize::try_from(max_length)
            .ok()
            .filter(|&n| n <= MAX_LENGTH_LIMIT)
            .ok_or_else(|| invalid("`maxLength` must be at most 1048576"))?;
        Ok(Options {
            issuer: string_field(o, "issuer")?,
            audiences,
            typ: string_field(o, "typ")?,
            leeway: integer_field(o, "leeway")?.unwrap_or(0),
            required,
            max_age: integer_field(o, "maxAge")?,
            max_length,
            ignore_audience: bool_field(o, "ignoreAudience")?,
            is_revoked,
        })
    }
}

struct JsRevocation<'f>(&'f Function);

impl RevocationCheck for JsRevocation<'_> {
    fn is_revoked(&self, q: &RevocationQuery<'_>) -> bool {
        let query: JsValue = Object::new().into();
        let text = |v: Option<&str>| v.map_or(JsValue::UNDEFINED, JsValue::from_str);
        set(&query, "jti", &text(q.jti));
        set(&query, "sid", &text(q.sid));
        set(&query, "sub", &text(q.sub));
        // NumericDates are below 2^53: exact as a double.
        #[allow(clippy::cast_precision_loss)]
        set(&query, "iat", &q.iat.map_or(JsValue::UNDEFINED, |v| JsValue::from_f64(v as f64)));
        // A throwing callback fails closed: the token counts as revoked.
        self.0.call1(&JsValue::UNDEFINED, &query).map_or(true, |v| v.is_truthy())
    }
}

/// Verifies tokens with one key (or a key set) under one policy.
#[wasm_bindgen]
pub struct Verifier {
    pub(crate) keys: Keys,
    pub(crate) options: Options,
    pub(crate) scratch: Vec<u8>,
    /// The token buffer and results of the fast path (`crate::fast`).
    pub(crate) fast: FastPath,
}

fn now_or_clock(now: Option<f64>) -> Result<u64, JsValue> {
    match now {
        Some(n) => integer_from_f64(n, "now"),
        None => Ok(now_seconds()),
    }
}

/// One verification under the verifier's options: `Err` for a bad
/// argument (`now`), `Ok(Err)` for a refused token.
pub(crate) fn run<'s>(
    keys: &Keys,
    o: &Options,
    scratch: &'s mut [u8],
    token: &[u8],
    now: Option<f64>,
    issued_before: Option<u64>,
) -> Result<Result<tessera_core::Verified<'s>, tessera_core::Error>, JsValue> {
    // Field by field: what the builder's setters do, without passing the
    // whole policy by value through each (the bindings are optimised for
    // size), on every verify.
    let mut policy = Policy::new(now_or_clock(now)?);
    policy.leeway = o.leeway;
    policy.required = o.required;
    policy.max_token_len = o.max_length;
    policy.ignore_audience = o.ignore_audience;
    policy.issuer = o.issuer.as_deref();
    policy.typ = o.typ.as_deref();
    policy.max_age = o.max_age;
    policy.issued_before = issued_before;
    let revocation = o.is_revoked.as_ref().map(JsRevocation);
    policy.revocation = revocation.as_ref().map(|r| r as &dyn RevocationCheck);
    let mut auds = [""; MAX_AUDIENCES];
    for (slot, a) in auds.iter_mut().zip(&o.audiences) {
        *slot = a;
    }
    let expected = auds.get(..o.audiences.len()).unwrap_or_default();
    if !expected.is_empty() {
        policy = policy.audiences(expected);
    }
    Ok(match keys {
        Keys::One(k) => verify(token, k, &policy, scratch),
        Keys::Set(s) => verify(token, &**s, &policy, scratch),
    })
}

#[wasm_bindgen]
impl Verifier {
    /// A verifier for one key. `options`: see `VerifierOptions` in the types.
    #[wasm_bindgen(constructor)]
    pub fn new(secret: JsValue, options: JsValue) -> Result<Verifier, JsValue> {
        let alg = algorithm_field(&options)?;
        let key = HmacKey::new(alg, &secret_bytes(&secret)?).map_err(js_error)?;
        Verifier::build(Keys::One(key), &options)
    }

    /// A verifier selecting among `keys` (`[{kid, secret, algorithm?}]`) by the header's `kid`.
    #[wasm_bindgen(js_name = withKeySet)]
    pub fn with_key_set(keys: JsValue, options: JsValue) -> Result<Verifier, JsValue> {
        let mut set = Box::new(KeySet::<16>::new());
        if !js_sys::Array::is_array(&keys) {
            return Err(invalid("keys must be an array of {kid, secret, algorithm}"));
        }
        for k in js_sys::Array::from(&keys).iter() {
            let kid = string_field(&k, "kid")?.ok_or_else(|| invalid("each key needs a `kid`"))?;
            let secret = field(&k, "secret").ok_or_else(|| invalid("each key needs a `secret`"))?;
            let key = HmacKey::new(algorithm_field(&k)?, &secret_bytes(&secret)?).map_err(js_error)?;
            set.insert(&kid, key).map_err(js_error)?;
        }
        Verifier::build(Keys::Set(set), &options)
    }

    /// Scratch for the longest token the options allow.
    fn build(keys: Keys, options: &JsValue) -> Result<Verifier, JsValue> {
        let options = Options::read(options)?;
        Ok(Verifier { keys, scratch: vec![0; scratch_len(options.max_length)], options, fast: FastPath::new() })
    }

    fn run<R>(
        &mut self,
        token: &str,
        now: Option<f64>,
        issued_before: Option<u64>,
        f: impl FnOnce(&tessera_core::Verified<'_>) -> Result<R, JsValue>,
    ) -> Result<Result<R, tessera_core::Error>, JsValue> {
        let verified = run(&self.keys, &self.options, &mut self.scratch, token.as_bytes(), now, issued_before)?;
        match verified {
            Ok(v) => f(&v).map(Ok),
            Err(e) => Ok(Err(e)),
        }
    }

    /// Verifies `token` at `now` (seconds; default: the current time) and
    /// returns its claims, or throws a `TesseraError`.
    pub fn verify(&mut self, token: &str, now: Option<f64>, extra: JsValue) -> Result<JsValue, JsValue> {
        let issued_before = integer_field(&extra, "issuedBefore")?;
        self.run(token, now, issued_before, |v| claims_object(&v.claims))?.map_err(js_error)
    }

    /// Like `verify`, returning `{ header, claims }`.
    #[wasm_bindgen(js_name = verifyToken)]
    pub fn verify_token(&mut self, token: &str, now: Option<f64>, extra: JsValue) -> Result<JsValue, JsValue> {
        let issued_before = integer_field(&extra, "issuedBefore")?;
        self.run(token, now, issued_before, |v| {
            Ok(token_object(&header_object(&v.header), &claims_object(&v.claims)?))
        })?
        .map_err(js_error)
    }

    /// Never throws for a refused token: `{ ok: true, claims }` or
    /// `{ ok: false, error }` (a `TesseraError`, not thrown).
    #[wasm_bindgen(js_name = verifyResult)]
    pub fn verify_result(&mut self, token: &str, now: Option<f64>, extra: JsValue) -> Result<JsValue, JsValue> {
        let issued_before = integer_field(&extra, "issuedBefore")?;
        Ok(match self.run(token, now, issued_before, |v| claims_object(&v.claims))? {
            Ok(claims) => ok_result(&claims),
            Err(e) => error_result(&js_result_error(e)),
        })
    }
}

/// Reads a token WITHOUT verifying it — no signature, no time, no issuer
/// check — for browsers that only schedule a refresh from `exp`. Returns
/// `{ header, claims }`; never trust them.
#[wasm_bindgen(js_name = decodeUnverified)]
pub fn decode_unverified_js(token: &str) -> Result<JsValue, JsValue> {
    // Longer tokens are refused (TokenTooLong) before the scratch is used.
    let mut scratch = vec![0u8; scratch_len(token.len().min(DEFAULT_MAX_TOKEN_LEN))];
    let u = decode_unverified(token, &mut scratch).map_err(js_error)?;
    Ok(token_object(&header_object(&u.header), &claims_object(&u.claims)?))
}

/// Whether the space-separated `scope` (a verified token's `scope` claim)
/// contains `wanted` exactly (RFC 6749 §3.3). `undefined` has no scopes.
#[wasm_bindgen(js_name = scopeContains)]
pub fn scope_contains(scope: Option<String>, wanted: &str) -> bool {
    scope.is_some_and(|s| tessera_core::scope_contains(&s, wanted))
}
