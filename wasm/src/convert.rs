//! Reading JavaScript option objects and writing claim objects.

use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use js_sys::{Array, Reflect};
use tessera_core::{Algorithm, Claim, Claims, Header};
use wasm_bindgen::prelude::*;

use crate::error::{invalid, invalid_named};
use crate::objects::header_object_js;

/// `obj[name]`, or `None` when missing, `undefined` or `null`.
pub(crate) fn field(obj: &JsValue, name: &str) -> Option<JsValue> {
    if obj.is_undefined() || obj.is_null() {
        return None;
    }
    Reflect::get(obj, &JsValue::from_str(name)).ok().filter(|v| !v.is_undefined() && !v.is_null())
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
        Some(name) => Algorithm::from_name(&name).ok_or_else(|| invalid("`algorithm` must be HS256, HS384 or HS512")),
    }
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

/// A secret from a `Uint8Array` (or any array-like of bytes).
pub(crate) fn secret_bytes(secret: &JsValue) -> Result<Vec<u8>, JsValue> {
    if let Some(s) = secret.as_string() {
        return Ok(s.into_bytes());
    }
    if secret.is_instance_of::<js_sys::Uint8Array>() {
        return Ok(js_sys::Uint8Array::from(secret.clone()).to_vec());
    }
    Err(invalid("the secret must be a Uint8Array or a string"))
}
