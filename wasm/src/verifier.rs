//! `Verifier`: one key or key set and one policy, verifying many tokens.

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use js_sys::{Function, Object};
use tessera_core::{
    ClaimSet, DEFAULT_MAX_TOKEN_LEN, HmacKey, Key, KeySet, Policy, RevocationCheck, RevocationQuery, decode_unverified,
    scratch_len, verify_with,
};
use wasm_bindgen::prelude::*;
use zeroize::Zeroize;

use crate::convert::{
    Secret, algorithm_field, bool_field, check_options, claim_named, claims_object, field, header_object,
    integer_field, now_seconds, refuse_unset, seconds, set, string_field, strings_field,
};
use crate::error::{invalid, js_error, js_result_error};
use crate::fast::FastPath;
use crate::objects::{error_result, ok_result, token_object};

const MAX_AUDIENCES: usize = 16;

/// The largest `maxLength` a verifier takes (1 MiB; the default is 8 KiB).
const MAX_LENGTH_LIMIT: usize = 1 << 20;

#[allow(clippy::large_enum_variant)] // one of the two, built once per verifier
pub(crate) enum Keys {
    One(Key),
    Set(Box<KeySet<16>>),
}

/// What a verifier's options object may name.
const VERIFIER_OPTIONS: [&str; 10] = [
    "algorithm",
    "issuer",
    "audience",
    "typ",
    "leeway",
    "requiredClaims",
    "maxAge",
    "maxLength",
    "ignoreAudience",
    "isRevoked",
];

/// What the per-call options of `verify` may name.
const CALL_OPTIONS: [&str; 1] = ["issuedBefore"];

/// What each key of `withKeySet` may name.
const KEY_FIELDS: [&str; 3] = ["kid", "secret", "algorithm"];

/// The policy fields, owned, so that each call borrows them.
pub(crate) struct Options {
    issuer: Option<String>,
    /// `None`: no audience expected; `Some` (even empty): the list given.
    audiences: Option<Vec<String>>,
    typ: Option<String>,
    leeway: u64,
    required: ClaimSet,
    max_age: Option<u64>,
    max_length: usize,
    ignore_audience: bool,
    is_revoked: Option<Function>,
}

impl Options {
    /// Reads `o`, whose own property names must be among `allowed`.
    fn read(o: &JsValue, allowed: &[&str]) -> Result<Self, JsValue> {
        check_options(o, "the verifier options", allowed)?;
        // Each of these, left out, checks less (no issuer, typ, max age,
        // revocation; no audience accepts a token under `ignoreAudience`).
        refuse_unset(o, &["issuer", "audience", "typ", "maxAge", "isRevoked"])?;
        let audiences = strings_field(o, "audience")?;
        if let Some(list) = &audiences {
            if list.len() > MAX_AUDIENCES {
                return Err(invalid("at most 16 audiences"));
            }
            // The core's rule 0, run now so that the constructor fails, not every verify.
            let views: Vec<&str> = list.iter().map(String::as_str).collect();
            Policy::new(1).audiences(&views).check().map_err(|_| {
                invalid("`audience` is an empty list, which no token can match: omit it to expect no audience")
            })?;
        }
        let leeway = integer_field(o, "leeway")?.unwrap_or(0);
        // Rule 0 again, at construction: the core refuses it at every verify.
        Policy::new(1)
            .leeway(leeway)
            .check()
            .map_err(|_| invalid("`leeway` is at most 300 seconds (five minutes): was it given in milliseconds?"))?;
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
            leeway,
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
    /// JWK Set members passed over (`fromJwks`).
    pub(crate) skipped: u32,
}

/// `now` as given to `verify`: `undefined`, `null` or 0 read the clock.
pub(crate) fn now_or_clock(now: &JsValue) -> Result<u64, JsValue> {
    let given = if now.is_undefined() || now.is_null() { 0 } else { seconds(now, "now")? };
    Ok(given_or_clock(given))
}

/// A `now` given as 0 is "no time given", as in C (SPEC rule 0): the
/// clock, never 1970. Every path that takes `now` from JavaScript ends here.
pub(crate) fn given_or_clock(now: u64) -> u64 {
    if now == 0 { now_seconds() } else { now }
}

/// The per-call options of `verify`: the logout-all cut-off, if any.
pub(crate) fn issued_before(extra: &JsValue) -> Result<Option<u64>, JsValue> {
    check_options(extra, "verify's per-call options", &CALL_OPTIONS)?;
    refuse_unset(extra, &CALL_OPTIONS)?;
    field(extra, "issuedBefore").map(|v| seconds(&v, "issuedBefore")).transpose()
}

/// The token argument: a string, owned so that it can be wiped after use.
pub(crate) fn token_text(token: &JsValue) -> Result<String, JsValue> {
    token.as_string().ok_or_else(|| invalid("the token must be a string"))
}

/// Zeroes what a verify of a `token_len`-byte token may have written.
pub(crate) fn wipe_scratch(scratch: &mut [u8], token_len: usize) {
    let used = scratch_len(token_len).min(scratch.len());
    if let Some(s) = scratch.get_mut(..used) {
        s.fill(0);
    }
}

/// How much stack below the caller's frame a verify can use (measured: the
/// `wipe` test of tests/js/fail-closed.test.mjs finds the MAC with 2 KiB).
const VERIFY_STACK: usize = 4096;

/// Overwrites the stack a verify (or a signing) just used: the MAC it
/// computed, the signature it decoded and the encoder's blocks stay in
/// frames below the caller's stack pointer until something overwrites
/// them. This frame lies where they were. (`black_box` keeps the zeroing
/// from being elided.)
#[inline(never)]
pub(crate) fn scrub_stack() {
    let mut frame = [0u8; VERIFY_STACK];
    core::hint::black_box(&mut frame);
}

/// One verification under the verifier's options, at `now` (seconds,
/// already validated): `Ok(Err)` for a refused token.
pub(crate) fn run<'s>(
    keys: &Keys,
    o: &Options,
    scratch: &'s mut [u8],
    token: &[u8],
    now: u64,
    issued_before: Option<u64>,
) -> Result<tessera_core::Verified<'s>, tessera_core::Error> {
    run_with(keys, o, scratch, token, now, issued_before, &mut |c| c.verify())
}

/// `run` with rule 5 answered by `check` (see `tessera_core::verify_with`).
pub(crate) fn run_with<'s>(
    keys: &Keys,
    o: &Options,
    scratch: &'s mut [u8],
    token: &[u8],
    now: u64,
    issued_before: Option<u64>,
    check: &mut dyn FnMut(&tessera_core::SignatureCheck<'_>) -> bool,
) -> Result<tessera_core::Verified<'s>, tessera_core::Error> {
    // Field by field: what the builder's setters do, without passing the
    // whole policy by value through each (the bindings are optimised for
    // size), on every verify.
    let mut policy = Policy::new(now);
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
    if let Some(list) = &o.audiences {
        for (slot, a) in auds.iter_mut().zip(list) {
            *slot = a;
        }
        // Even an empty list goes to the core, whose rule 0 refuses it.
        policy = policy.audiences(auds.get(..list.len()).unwrap_or_default());
    }
    match keys {
        Keys::One(k) => verify_with(token, k, &policy, scratch, check),
        Keys::Set(s) => verify_with(token, &**s, &policy, scratch, check),
    }
}

#[wasm_bindgen]
impl Verifier {
    /// A verifier for one key. `options`: see `VerifierOptions` in the types.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] secret: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "VerifierOptions")] options: JsValue,
    ) -> Result<Verifier, JsValue> {
        let alg = algorithm_field(&options)?;
        let key = HmacKey::new(alg, &Secret::from_js(&secret)?.0).map_err(js_error)?;
        Verifier::build(Keys::One(key.into()), &options, &VERIFIER_OPTIONS)
    }

    /// A verifier for one public key given as a JWK (JSON text or object).
    /// `options.algorithm` is the algorithm you expect: it binds an RSA JWK
    /// without `alg` and must agree with any other JWK (absent: the JWK's
    /// own `alg` or curve decides).
    #[cfg(feature = "full")]
    #[wasm_bindgen(js_name = fromJwk)]
    pub fn from_jwk(
        #[wasm_bindgen(unchecked_param_type = "string | Jwk")] jwk: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "VerifierOptions")] options: JsValue,
    ) -> Result<Verifier, JsValue> {
        let text = crate::convert::json_text(&jwk, "the JWK")?;
        let key = match crate::convert::public_algorithm_field(&options)? {
            None => Key::from_jwk(text.as_bytes()),
            Some(alg) => Key::from_jwk_as(text.as_bytes(), alg),
        }
        .map_err(js_error)?;
        Verifier::build(Keys::One(key), &options, &VERIFIER_OPTIONS)
    }

    /// A verifier for a JWK Set document (`{"keys": [...]}`, JSON text or
    /// object), selecting the key by the token's `kid`. Private or `oct`
    /// members refuse the whole set. `options.algorithm` (RS256..PS512)
    /// binds RSA keys published without `alg`; without it they are passed
    /// over (`skippedKeys` counts what was).
    #[cfg(feature = "full")]
    #[wasm_bindgen(js_name = fromJwks)]
    pub fn from_jwks(
        #[wasm_bindgen(unchecked_param_type = "string | { keys: Jwk[] }")] jwks: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "VerifierOptions")] options: JsValue,
    ) -> Result<Verifier, JsValue> {
        let text = crate::convert::json_text(&jwks, "the JWK Set")?;
        let (set, report) = match crate::convert::public_algorithm_field(&options)? {
            None => KeySet::<16>::from_jwks(text.as_bytes()),
            Some(alg) => KeySet::<16>::from_jwks_rsa_default(text.as_bytes(), alg),
        }
        .map_err(js_error)?;
        let mut v = Verifier::build(Keys::Set(Box::new(set)), &options, &VERIFIER_OPTIONS)?;
        v.skipped = u32::try_from(report.skipped).unwrap_or(u32::MAX);
        Ok(v)
    }

    /// How many members of the JWK Set were passed over (unknown `kty`,
    /// `crv` or `alg`, `use` ≠ `sig`, RSA without `alg` or default, no `kid`).
    #[wasm_bindgen(getter, js_name = skippedKeys)]
    pub fn skipped_keys(&self) -> u32 {
        self.skipped
    }

    /// A verifier selecting among `keys` (`[{kid, secret, algorithm?}]`) by the header's `kid`.
    #[wasm_bindgen(js_name = withKeySet)]
    pub fn with_key_set(
        #[wasm_bindgen(unchecked_param_type = "KidKey[]")] keys: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "VerifierOptions")] options: JsValue,
    ) -> Result<Verifier, JsValue> {
        let mut set = Box::new(KeySet::<16>::new());
        if !js_sys::Array::is_array(&keys) {
            return Err(invalid("keys must be an array of {kid, secret, algorithm}"));
        }
        let allowed = KEY_FIELDS;
        for k in js_sys::Array::from(&keys).iter() {
            check_options(&k, "a key of the key set", &allowed)?;
            let kid = string_field(&k, "kid")?.ok_or_else(|| invalid("each key needs a `kid`"))?;
            let secret = field(&k, "secret").ok_or_else(|| invalid("each key needs a `secret`"))?;
            let key = HmacKey::new(algorithm_field(&k)?, &Secret::from_js(&secret)?.0).map_err(js_error)?;
            set.insert(&kid, key).map_err(js_error)?;
        }
        // Each key names its algorithm: `algorithm` is not an option of the set.
        Verifier::build(Keys::Set(set), &options, VERIFIER_OPTIONS.get(1..).unwrap_or_default())
    }

    /// Scratch for the longest token the options allow.
    fn build(keys: Keys, options: &JsValue, allowed: &[&str]) -> Result<Verifier, JsValue> {
        let options = Options::read(options, allowed)?;
        Ok(Verifier {
            keys,
            scratch: vec![0; scratch_len(options.max_length)],
            options,
            fast: FastPath::new(),
            skipped: 0,
        })
    }

    /// The general path: validates the arguments, verifies, hands the
    /// outcome to `f`, then wipes the token's copy and the scratch.
    fn run<R>(
        &mut self,
        token: &JsValue,
        now: Option<JsValue>,
        extra: Option<JsValue>,
        f: impl FnOnce(Result<&tessera_core::Verified<'_>, tessera_core::Error>) -> Result<R, JsValue>,
    ) -> Result<R, JsValue> {
        let now = now_or_clock(&now.unwrap_or_default())?;
        let issued_before = issued_before(&extra.unwrap_or_default())?;
        let mut token = token_text(token)?.into_bytes();
        let verified = run(&self.keys, &self.options, &mut self.scratch, &token, now, issued_before);
        scrub_stack();
        let out = f(verified.as_ref().map_err(|e| *e));
        wipe_scratch(&mut self.scratch, token.len());
        token.zeroize();
        out
    }

    /// Verifies `token` at `now` (seconds since the epoch, or a `Date`;
    /// default: the current time) and returns its claims, or throws a
    /// `TesseraError`.
    #[wasm_bindgen(unchecked_return_type = "Claims")]
    pub fn verify(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] token: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "number | Date | null")] now: Option<JsValue>,
        #[wasm_bindgen(unchecked_optional_param_type = "VerifyExtra")] extra: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        self.run(&token, now, extra, |v| claims_object(&v.map_err(js_error)?.claims))
    }

    /// Like `verify`, returning `{ header, claims }`.
    #[wasm_bindgen(js_name = verifyToken, unchecked_return_type = "{ header: TokenHeader; claims: Claims }")]
    pub fn verify_token(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] token: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "number | Date | null")] now: Option<JsValue>,
        #[wasm_bindgen(unchecked_optional_param_type = "VerifyExtra")] extra: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        self.run(&token, now, extra, |v| {
            let v = v.map_err(js_error)?;
            Ok(token_object(&header_object(&v.header), &claims_object(&v.claims)?))
        })
    }

    /// Never throws for a refused token: `{ ok: true, claims }` or
    /// `{ ok: false, error }` (a `TesseraError`, not thrown). Bad arguments
    /// (a `now` that is not seconds, an unknown option) still throw.
    #[wasm_bindgen(js_name = verifyResult, unchecked_return_type = "VerifyResult")]
    pub fn verify_result(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] token: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "number | Date | null")] now: Option<JsValue>,
        #[wasm_bindgen(unchecked_optional_param_type = "VerifyExtra")] extra: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        self.run(&token, now, extra, |v| {
            Ok(match v {
                Ok(v) => ok_result(&claims_object(&v.claims)?),
                Err(e) => error_result(&js_result_error(e)),
            })
        })
    }
}

/// Reads a token WITHOUT verifying it — no signature, no time, no issuer
/// check — for browsers that only schedule a refresh from `exp`. Returns
/// `{ header, claims }`; never trust them.
#[wasm_bindgen(js_name = decodeUnverified, unchecked_return_type = "{ header: TokenHeader; claims: Claims }")]
pub fn decode_unverified_js(
    #[wasm_bindgen(unchecked_param_type = "string")] token: JsValue,
) -> Result<JsValue, JsValue> {
    let mut token = token_text(&token)?.into_bytes();
    // Longer tokens are refused (TokenTooLong) before the scratch is used.
    let mut scratch = vec![0u8; scratch_len(token.len().min(DEFAULT_MAX_TOKEN_LEN))];
    let out = decode_unverified(&token, &mut scratch)
        .map_err(js_error)
        .and_then(|u| Ok(token_object(&header_object(&u.header), &claims_object(&u.claims)?)));
    scratch.zeroize();
    token.zeroize();
    out
}

/// Whether the space-separated `scope` (a verified token's `scope` claim)
/// contains `wanted` exactly (RFC 6749 §3.3). `undefined` has no scopes.
#[wasm_bindgen(js_name = scopeContains)]
pub fn scope_contains(scope: Option<String>, wanted: &str) -> bool {
    scope.is_some_and(|s| tessera_core::scope_contains(&s, wanted))
}
