//! Errors thrown to JavaScript: real `TesseraError` objects (see `js/errors.js`).
//!
//! Messages are concatenated from static pieces, never `format!`ted: the
//! module carries no formatting code (see the size budget in the README).

use alloc::string::String;

use tessera_core::Error;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/js/errors.js")]
extern "C" {
    #[wasm_bindgen(js_name = makeError)]
    fn make_error(code: &str, status: u32, message: &str, claim: &str) -> JsValue;
    #[wasm_bindgen(js_name = makeResultError)]
    fn make_result_error(code: &str, status: u32, message: &str, claim: &str) -> JsValue;
}

/// The `TesseraError` for a core error.
pub(crate) fn js_error(e: Error) -> JsValue {
    from_core(e, make_error)
}

/// The `TesseraError` for a refused token returned (not thrown) by
/// `verifyResult`: no stack trace, which would cost more than the verify.
pub(crate) fn js_result_error(e: Error) -> JsValue {
    from_core(e, make_result_error)
}

/// A core error's name, code, message and claim, handed to `make`.
fn from_core(e: Error, make: fn(&str, u32, &str, &str) -> JsValue) -> JsValue {
    let claim = e.claim().map(|c| c.name()).unwrap_or_default();
    make(e.name(), e.code(), &cat(&e.message_parts()), claim)
}

/// The `TesseraError` for a bad argument from JavaScript.
pub(crate) fn invalid(message: &str) -> JsValue {
    let e = Error::InvalidArgument;
    make_error(e.name(), e.code(), message, "")
}

/// `invalid` for a message about one named option: `before`, `name`, `after`.
pub(crate) fn invalid_named(before: &str, name: &str, after: &str) -> JsValue {
    invalid(&cat(&[before, name, after]))
}

/// `parts.concat()`, without `[&str]::concat`'s generic join (1.2 KB of
/// WebAssembly for what is a sum and a few copies).
pub(crate) fn cat(parts: &[&str]) -> String {
    let mut out = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for part in parts {
        out.push_str(part);
    }
    out
}
