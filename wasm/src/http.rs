//! The HTTP helpers for JavaScript.

use alloc::borrow::ToOwned;
use alloc::string::String;
use alloc::vec;

use tessera_core::http::{RefreshCookie, bearer_token as core_bearer, cookie_value as core_cookie};
use wasm_bindgen::prelude::*;
use zeroize::Zeroize;

use crate::convert::{check_options, integer_field, string_field};
use crate::error::js_error;

/// The token of an `Authorization: Bearer …` value (RFC 6750), or undefined.
#[wasm_bindgen(js_name = bearerToken, unchecked_return_type = "string | undefined")]
pub fn bearer_token(header: Option<String>) -> JsValue {
    // The token goes out as a JavaScript string made from the header's copy,
    // which is then wiped: no unwiped copy of a credential stays behind.
    wiped(header, |h| core_bearer(h).map(JsValue::from_str))
}

/// `f` of the string, then the module's copy of it is zeroized.
fn wiped(text: Option<String>, f: impl FnOnce(&str) -> Option<JsValue>) -> JsValue {
    let Some(mut text) = text else { return JsValue::UNDEFINED };
    let out = f(&text).unwrap_or(JsValue::UNDEFINED);
    text.zeroize();
    out
}

/// The value of cookie `name` in a `Cookie` header value (RFC 6265), or undefined.
/// When `name` appears more than once, the first is returned: browsers send
/// the cookie with the longest path first, and a sibling subdomain can plant
/// one with a more specific path (prefer a `__Host-` name, which it cannot).
#[wasm_bindgen(js_name = cookieValue, unchecked_return_type = "string | undefined")]
pub fn cookie_value(header: Option<String>, name: &str) -> JsValue {
    wiped(header, |h| core_cookie(h, name).map(JsValue::from_str))
}

/// The `Set-Cookie` value carrying a refresh token: `HttpOnly; Secure;
/// SameSite=Strict`. `options`: `{ path? = "/auth", maxAge? = 604800 }`.
#[wasm_bindgen(js_name = refreshCookie)]
pub fn refresh_cookie(
    name: &str,
    value: &str,
    #[wasm_bindgen(unchecked_optional_param_type = "CookieOptions")] options: JsValue,
) -> Result<String, JsValue> {
    check_options(&options, "refreshCookie's options", &["path", "maxAge"])?;
    let path = string_field(&options, "path")?;
    let max_age = integer_field(&options, "maxAge")?.unwrap_or(tessera_core::profile::REFRESH_LIFETIME);
    let mut c = RefreshCookie::new(name, value, max_age);
    if let Some(p) = &path {
        c = c.path(p);
    }
    write(c)
}

/// The `Set-Cookie` value that clears the refresh cookie. `options`: `{ path? }`.
#[wasm_bindgen(js_name = clearRefreshCookie)]
pub fn clear_refresh_cookie(
    name: &str,
    #[wasm_bindgen(unchecked_optional_param_type = "CookieOptions")] options: JsValue,
) -> Result<String, JsValue> {
    check_options(&options, "clearRefreshCookie's options", &["path"])?;
    let path = string_field(&options, "path")?;
    let mut c = RefreshCookie::clear(name);
    if let Some(p) = &path {
        c = c.path(p);
    }
    write(c)
}

fn write(c: RefreshCookie<'_>) -> Result<String, JsValue> {
    let mut out = vec![0u8; 64 + c.name.len() + c.value.len() + c.path.len()];
    c.write(&mut out).map(str::to_owned).map_err(js_error)
}
