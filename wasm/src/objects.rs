//! The small objects the module returns, built by `js/objects.js` in one
//! crossing each (instead of one `Reflect.set` per member).

use alloc::string::String;

use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/js/objects.js")]
extern "C" {
    /// `{ ok: true, claims }`.
    #[wasm_bindgen(js_name = okResult)]
    pub(crate) fn ok_result(claims: &JsValue) -> JsValue;
    /// `{ ok: false, error }`.
    #[wasm_bindgen(js_name = errorResult)]
    pub(crate) fn error_result(error: &JsValue) -> JsValue;
    /// A header object; absent members are left out.
    #[wasm_bindgen(js_name = headerObject)]
    pub(crate) fn header_object_js(alg: &str, typ: Option<&str>, kid: Option<&str>) -> JsValue;
    /// `{ header, claims }`.
    #[wasm_bindgen(js_name = tokenObject)]
    pub(crate) fn token_object(header: &JsValue, claims: &JsValue) -> JsValue;
    /// The custom members of `claims` as JSON text (`undefined`: none);
    /// throws an `Error` whose message says what cannot be signed.
    #[wasm_bindgen(js_name = customClaimsJson, catch)]
    pub(crate) fn custom_claims_json(claims: &JsValue, registered: &str) -> Result<Option<String>, JsValue>;
}
