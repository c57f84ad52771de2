//! Reading JavaScript option objects and writing claim objects.

use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use js_sys::{Array, Object, Reflect};
use tessera_core::{Algorithm, Claim, Claims, Header};
use wasm_bindgen::prelude::*;
use zeroize::Zeroize;

use crate::error::{cat, invalid, invalid_named};
use crate::objects::header_object_js;

/// `obj[name]` when `obj` has it as an OWN property, or `None` when
/// missing, `undefined` or `null`. Never read through the prototype chain:
/// `Object.prototype.leeway = 2 ** 52` must not reach a verifier.
pub(crate) fn field(obj: &JsValue, name: &str) -> Option<JsValue> {
    own(obj, name).filter(|v| !v.is_undefined() && !v.is_null())
}

/// `obj`'s own property `name` as it is, `undefined` and `null` included.
fn own(obj: &JsValue, name: &str) -> Option<JsValue> {
    if !obj.is_object() {
        return None;
    }
    let key = JsValue::from_str(name);
    if !Object::has_own(obj.unchecked_ref::<Object>(), &key) {
        return None;
    }
    Reflect::get(obj, &key).ok()
}

/// Refuses the options among `names` that `obj` holds as its own property
/// with the value `undefined` or `null`. For an option whose absence turns
/// a check off (`issuer`, `typ`, `maxAge`, ...), such a value is nearly
/// always a missing setting (`issuer: process.env.ISSUER`), and reading it
/// as "not given" would verify less than its author wrote.
pub(crate) fn refuse_unset(obj: &JsValue, names: &[&str]) -> Result<(), JsValue> {
    for name in names {
        if own(obj, name).is_some_and(|v| v.is_undefined() || v.is_null()) {
            return Err(invalid(&cat(&["option `", name, "` is undefined or null: give its value, or omit it"])));
        }
    }
    Ok(())
}

/// Names an options object may carry that other libraries spell
/// differently: the hint in the error (`iss` -> `issuer`, jose's names).
const SPELLINGS: [(&str, &str); 9] = [
    ("iss", "issuer"),
    ("aud", "audience"),
    ("audiences", "audience"),
    ("clockTolerance", "leeway"),
    ("clockSkew", "leeway"),
    ("algorithms", "algorithm"),
    ("maxTokenAge", "maxAge"),
    ("required", "requiredClaims"),
    ("currentDate", "the `now` argument"),
];

/// Checks an options object: `undefined`/`null` (no options) or an object
/// whose own property names are all in `allowed`. A typo or another
/// library's option name is `InvalidArgument` naming it, never silently
/// ignored (a verifier that checks less than its author believes).
pub(crate) fn check_options(obj: &JsValue, what: &str, allowed: &[&str]) -> Result<(), JsValue> {
    if obj.is_undefined() || obj.is_null() {
        return Ok(());
    }
    if !obj.is_object() || obj.is_function() {
        return Err(invalid_named("", what, " must be an object"));
    }
    for name in Object::get_own_property_names(obj.unchecked_ref::<Object>()).iter() {
        let name = name.as_string().unwrap_or_default();
        if allowed.contains(&name.as_str()) {
            continue;
        }
        let hint = SPELLINGS.iter().find(|(from, _)| *from == name).map(|(_, to)| *to);
        let message = match hint {
            Some(to) if allowed.contains(&to) || to.starts_with("the") => {
                cat(&["`", &name, "` is not an option of ", what, ": did you mean ", to, "?"])
            }
            _ => {
                let mut message = cat(&["`", &name, "` is not an option of ", what, " ("]);
                for (i, option) in allowed.iter().enumerate() {
                    if i > 0 {
                        message.push_str(", ");
                    }
                    message.push_str(option);
                }
                message.push(')');
                message
            }
        };
        return Err(invalid(&message));
    }
    Ok(())
}

pub(crate) fn string_field(obj: &JsValue, name: &str) -> Result<Option<String>, JsValue> {
    match field(obj, name) {
        None => Ok(None),
        Some(v) => v.as_string().map(Some).ok_or_else(|| invalid_named("option `", name, "` must be a string")),
    }
}

/// A non-negative integer below 2^53 (seconds, lengths).
pub(crate) fn integer(v: &JsValue, name: &str) -> Result<u64, JsValue> {
    integer_from_f64(v.as_f64().ok_or_else(|| invalid_named("`", name, "` must be a number"))?, name)
}

/// [`integer`] for a number already read (no crossing back to JavaScript).
pub(crate) fn integer_from_f64(n: f64, name: &str) -> Result<u64, JsValue> {
    // In range, the cast is exact exactly when `n` has no fraction (no_std: no `f64::fract`).
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss, clippy::cast_precision_loss)]
    let whole = n as u64;
    #[allow(clippy::cast_precision_loss, clippy::float_cmp)]
    if !((0.0..9_007_199_254_740_992.0).contains(&n) && whole as f64 == n) {
        return Err(invalid_named("`", name, "` must be a non-negative integer below 2^53"));
    }
    Ok(whole)
}

/// A point in time given by JavaScript, in whole seconds: a number of
/// seconds (an integer, not NaN or infinite, below the core's `MAX_TIME`)
/// or a `Date`. Anything else is `InvalidArgument`: `""`, `false` or `[]`
/// must never become time 0, and `Date.now()` (milliseconds) gets a
/// message that says so.
pub(crate) fn seconds(v: &JsValue, name: &str) -> Result<u64, JsValue> {
    if let Some(date) = v.dyn_ref::<js_sys::Date>() {
        let ms = date.get_time();
        if !ms.is_finite() || ms < 0.0 {
            return Err(invalid_named("`", name, "` is an invalid Date or before 1970"));
        }
        return seconds_from_f64(ms / 1000.0 - (ms / 1000.0) % 1.0, name);
    }
    match v.as_f64() {
        Some(n) => seconds_from_f64(n, name),
        None => Err(invalid_named("`", name, "` must be a number of seconds since the epoch, or a Date")),
    }
}

/// [`seconds`] for a number already read (the fast path).
pub(crate) fn seconds_from_f64(n: f64, name: &str) -> Result<u64, JsValue> {
    let s = integer_from_f64(n, name)?;
    if s >= tessera_core::MAX_TIME {
        return Err(invalid_named(
            "`",
            name,
            "` is 10^11 or more: that is milliseconds (Date.now()); pass seconds, Math.floor(Date.now() / 1000), or a Date",
        ));
    }
    Ok(s)
}

/// The current time in whole seconds since the epoch.
pub(crate) fn now_seconds() -> u64 {
    // Milliseconds since the epoch: positive and far below 2^53, so the
    // truncating cast is the floor.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let s = (js_sys::Date::now() / 1000.0) as u64;
    s
}

pub(crate) fn integer_field(obj: &JsValue, name: &str) -> Result<Option<u64>, JsValue> {
    field(obj, name).map(|v| integer(&v, name)).transpose()
}

pub(crate) fn bool_field(obj: &JsValue, name: &str) -> Result<bool, JsValue> {
    match field(obj, name) {
        None => Ok(false),
        Some(v) => v.as_bool().ok_or_else(|| invalid_named("option `", name, "` must be a boolean")),
    }
}

/// A string, or an array of strings, as a list.
pub(crate) fn strings_field(obj: &JsValue, name: &str) -> Result<Option<Vec<String>>, JsValue> {
    let Some(v) = field(obj, name) else { return Ok(None) };
    if let Some(s) = v.as_string() {
        return Ok(Some(vec![s]));
    }
    if Array::is_array(&v) {
        let list: Result<Vec<String>, JsValue> = Array::from(&v)
            .iter()
            .map(|x| x.as_string().ok_or_else(|| invalid_named("`", name, "` must hold strings")))
            .collect();
        return list.map(Some);
    }
    Err(invalid_named("option `", name, "` must be a string or an array of strings"))
}

pub(crate) fn algorithm_field(obj: &JsValue) -> Result<Algorithm, JsValue> {
    match string_field(obj, "algorithm")? {
        None => Ok(Algorithm::Hs256),
        Some(name) => Algorithm::from_name(&name)
            .filter(|a| a.min_secret_len().is_some())
            .ok_or_else(|| invalid("`algorithm` must be HS256, HS384 or HS512")),
    }
}

/// `algorithm` of a public-key constructor: any algorithm but HMAC's, or absent.
#[cfg(feature = "full")]
pub(crate) fn public_algorithm_field(obj: &JsValue) -> Result<Option<Algorithm>, JsValue> {
    match string_field(obj, "algorithm")? {
        None => Ok(None),
        Some(name) => Algorithm::from_name(&name)
            .filter(|a| a.min_secret_len().is_none())
            .map(Some)
            .ok_or_else(|| invalid("`algorithm` must be RS256..RS512, PS256..PS512, ES256, ES384 or EdDSA")),
    }
}

/// A JWK or JWK Set argument: JSON text, or an object (serialised as JSON).
#[cfg(feature = "full")]
pub(crate) fn json_text(value: &JsValue, what: &str) -> Result<String, JsValue> {
    if let Some(text) = value.as_string() {
        return Ok(text);
    }
    if !value.is_object() {
        return Err(invalid_named("", what, " must be JSON text or an object"));
    }
    // `JSON.stringify` calls any `toJSON` it finds, inherited ones too: a
    // polluted `Object.prototype.toJSON` could swap in another key. Such an
    // object is refused (JSON text is never affected).
    let has_to_json = |v: &JsValue| Reflect::has(v, &JsValue::from_str("toJSON")).unwrap_or(true);
    let array_proto = Object::get_prototype_of(&Array::new().into());
    if has_to_json(value) || has_to_json(&array_proto.into()) {
        return Err(invalid_named("", what, " has a `toJSON` (a polluted prototype?): pass it as JSON text"));
    }
    js_sys::JSON::stringify(value)
        .ok()
        .and_then(|t| t.as_string())
        .ok_or_else(|| invalid_named("", what, " must be JSON text or an object"))
}

pub(crate) fn claim_named(name: &str) -> Result<Claim, JsValue> {
    Claim::ALL.into_iter().find(|c| c.name() == name).ok_or_else(|| invalid_named("unknown claim `", name, "`"))
}

pub(crate) fn set(obj: &JsValue, name: &str, value: &JsValue) {
    let _ = Reflect::set(obj, &JsValue::from_str(name), value);
}

/// The claims as a plain object: the payload parsed by the engine's own
/// `JSON.parse` (one crossing), with rounded NumericDates put right.
pub(crate) fn claims_object(c: &Claims<'_>) -> Result<JsValue, JsValue> {
    let obj = js_sys::JSON::parse(c.json()).map_err(|_| invalid("payload is not JSON"))?;
    if c.times_need_rounding() {
        for (name, v) in [("exp", c.exp()), ("nbf", c.nbf()), ("iat", c.iat())] {
            if let Some(v) = v {
                // NumericDates are below 2^53: exact as a double.
                #[allow(clippy::cast_precision_loss)]
                set(&obj, name, &JsValue::from_f64(v as f64));
            }
        }
    }
    Ok(obj)
}

pub(crate) fn header_object(h: &Header<'_>) -> JsValue {
    header_object_js(h.alg(), h.typ(), h.kid())
}

/// A secret copied in from JavaScript, zeroized when dropped: once the key
/// is built from it, no copy stays behind in the module's memory.
pub(crate) struct Secret(pub(crate) Vec<u8>);

impl Secret {
    /// The bytes of a `Uint8Array` or the UTF-8 of a string.
    pub(crate) fn from_js(secret: &JsValue) -> Result<Secret, JsValue> {
        if let Some(s) = secret.as_string() {
            return Ok(Secret(s.into_bytes()));
        }
        if secret.is_instance_of::<js_sys::Uint8Array>() {
            return Ok(Secret(js_sys::Uint8Array::from(secret.clone()).to_vec()));
        }
        Err(invalid("the secret must be a Uint8Array or a string"))
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}
