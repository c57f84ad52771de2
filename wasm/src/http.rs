//! The HTTP helpers for JavaScript.

use alloc::borrow::ToOwned;
use alloc::string::String;
use alloc::vec;

use tessera_core::http::{RefreshCookie, bearer_token as core_bearer, cookie_value as core_cookie};
use wasm_bindgen::prelude::*;

use crate::convert::{integer_field, string_field};
use crate::error::js_error;

/// The token of an `Authorization: Bearer …` value (RFC 6750), or undefined.
#[wasm_bindgen(js_name = bearerToken)]
pub fn bearer_token(header: Option<String>) -> Option<String> {
    header.as_deref().and_then(core_bearer).map(str::to_owned)
}

/// The value of cookie `name` in a `Cookie` header value (RFC 6265), or undefined.
#[wasm_bindgen(js_name = cookieValue)]
pub fn cookie_value(header: Option<String>, name: &str) -> Option<String> {
    header.as_deref().and_then(|h| core_cookie(h, name)).map(str::to_owned)
}

/// The `Set-Cookie` value carrying a refresh token: `HttpOnly; Secure;
/// SameSite=Strict`. `options`: `{ path? = "/auth", maxAge? = 604800 }`.
#[wasm_bindgen(js_name = refreshCookie)]
pub fn refresh_cookie(name: &str, value: &str, options: JsValue) -> Result<String, JsValue> {
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
pub fn clear_refresh_cookie(name: &str, options: JsValue) -> Result<String, JsValue> {
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
