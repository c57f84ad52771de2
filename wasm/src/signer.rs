//! `Signer`: issuing tokens (typed claims, access and refresh profiles),
//! random identifiers from `crypto.getRandomValues`, digests.

use alloc::borrow::ToOwned;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use js_sys::{Array, Object, Reflect, Uint8Array};
use tessera_core::HmacKey;
use tessera_core::profile::{self, AccessToken, RandomId, RefreshToken};
use tessera_core::sign::{ClaimsOut, HeaderOut, sign, sign_with_json};
use wasm_bindgen::prelude::*;

use crate::convert::{algorithm_field, field, integer_field, now_seconds, secret_bytes, string_field, strings_field};
use crate::error::{invalid, invalid_named, js_error};

/// Room for any token up to 16 KiB.
const OUT_LEN: usize = 16 * 1024;

const REGISTERED: [&str; 11] = ["iss", "sub", "aud", "exp", "nbf", "iat", "jti", "sid", "scope", "azp", "client_id"];

/// 16 bytes from the platform CSPRNG (`crypto.getRandomValues`).
fn random16() -> Result<[u8; 16], JsValue> {
    let crypto = Reflect::get(&js_sys::global(), &JsValue::from_str("crypto"))?;
    let get = Reflect::get(&crypto, &JsValue::from_str("getRandomValues"))?
        .dyn_into::<js_sys::Function>()
        .map_err(|_| invalid("crypto.getRandomValues is not available"))?;
    let buf = Uint8Array::new_with_length(16);
    get.call1(&crypto, &buf)?;
    let mut out = [0u8; 16];
    buf.copy_to(&mut out);
    Ok(out)
}

/// A fresh 22-character url-safe identifier (128 random bits), for `jti` and `sid`.
#[wasm_bindgen(js_name = randomId)]
pub fn random_id() -> Result<String, JsValue> {
    Ok(RandomId::from_random(random16()?).as_str().to_owned())
}

/// The identifier made from 16 given random bytes (tests, own CSPRNG).
#[wasm_bindgen(js_name = randomIdFromBytes)]
pub fn random_id_from_bytes(bytes: &[u8]) -> Result<String, JsValue> {
    let random: [u8; 16] = bytes.try_into().map_err(|_| invalid("exactly 16 bytes are needed"))?;
    Ok(RandomId::from_random(random).as_str().to_owned())
}

/// The SHA-256 digest of a refresh token (43 base64url characters): store this, never the token.
#[wasm_bindgen(js_name = refreshTokenDigest)]
pub fn refresh_token_digest(token: &str) -> String {
    profile::refresh_token_digest(token).as_str().to_owned()
}

/// Whether two strings are equal, in time that depends only on their lengths.
#[wasm_bindgen(js_name = constantTimeEqual)]
pub fn constant_time_equal(a: &str, b: &str) -> bool {
    profile::constant_time_eq(a.as_bytes(), b.as_bytes())
}

/// Issues tokens with one key.
#[wasm_bindgen]
pub struct Signer {
    key: HmacKey,
    kid: Option<String>,
    out: Vec<u8>,
}

struct Strings {
    text: [Option<String>; 7],
    aud: Option<Vec<String>>,
    aud_is_array: bool,
}

#[wasm_bindgen]
impl Signer {
    /// A signer for `secret`; `options`: `{ algorithm?, kid? }`.
    #[wasm_bindgen(constructor)]
    pub fn new(secret: JsValue, options: JsValue) -> Result<Signer, JsValue> {
        let key = HmacKey::new(algorithm_field(&options)?, &secret_bytes(&secret)?).map_err(js_error)?;
        Ok(Signer { key, kid: string_field(&options, "kid")?, out: vec![0; OUT_LEN] })
    }

    /// Signs `claims` (registered claims typed, every other member a custom
    /// claim, in its order). `options`: `{ typ?, kid?, customJson? }`, where
    /// `customJson` is the text of a JSON object spliced as is.
    pub fn sign(&mut self, claims: JsValue, options: JsValue) -> Result<String, JsValue> {
        let typ = string_field(&options, "typ")?;
        let kid = string_field(&options, "kid")?.or_else(|| self.kid.clone());
        let names = ["iss", "sub", "jti", "sid", "scope", "azp", "client_id"];
        let mut s = Strings { text: Default::default(), aud: None, aud_is_array: false };
        for (slot, n) in s.text.iter_mut().zip(names) {
            *slot = string_field(&claims, n)?;
        }
        if let Some(a) = field(&claims, "aud") {
            s.aud_is_array = Array::is_array(&a);
            s.aud = strings_field(&claims, "aud")?;
        }
        let auds: Vec<&str> = s.aud.iter().flatten().map(String::as_str).collect();
        let [iss, sub, jti, sid, scope, azp, client_id] = &s.text;
        let mut c = ClaimsOut::new();
        c.iss = iss.as_deref();
        c.sub = sub.as_deref();
        c.jti = jti.as_deref();
        c.sid = sid.as_deref();
        c.scope = scope.as_deref();
        c.azp = azp.as_deref();
        c.client_id = client_id.as_deref();
        c.exp = integer_field(&claims, "exp")?;
        c.nbf = integer_field(&claims, "nbf")?;
        c.iat = integer_field(&claims, "iat")?;
        c = match (auds.as_slice(), s.aud_is_array) {
            ([], false) => c,
            ([one], false) => c.aud(one),
            (many, _) => c.auds(many),
        };
        let header = HeaderOut { typ: typ.as_deref(), kid: kid.as_deref() };
        let custom = match string_field(&options, "customJson")? {
            Some(text) => Some(text),
            None => custom_claims(&claims)?,
        };
        let token = match custom {
            Some(json) => sign_with_json(&self.key, &header, &c, json.as_bytes(), &mut self.out),
            None => sign(&self.key, &header, &c, &mut self.out),
        };
        token.map(str::to_owned).map_err(js_error)
    }

    /// Issues an access token (`typ` `at+jwt`). `params`: `{ issuer,
    /// subject, audience, sessionId, tokenId?, scope?, clientId?, now?,
    /// lifetime? }`; `tokenId` defaults to a fresh random id.
    #[wasm_bindgen(js_name = issueAccess)]
    pub fn issue_access(&mut self, params: JsValue) -> Result<String, JsValue> {
        let need = |n: &str| string_field(&params, n)?.ok_or_else(|| invalid_named("`", n, "` is required"));
        let (iss, sub, aud, sid) = (need("issuer")?, need("subject")?, need("audience")?, need("sessionId")?);
        let jti = match string_field(&params, "tokenId")? {
            Some(j) => j,
            None => random_id()?,
        };
        let now = now_param(&params)?;
        let (scope, client) = (string_field(&params, "scope")?, string_field(&params, "clientId")?);
        let mut t = AccessToken::new(&iss, &sub, &aud, &sid, &jti, now);
        if let Some(s) = &scope {
            t = t.scope(s);
        }
        if let Some(c) = &client {
            t = t.client_id(c);
        }
        if let Some(l) = integer_field(&params, "lifetime")? {
            t = t.lifetime(l);
        }
        if let Some(k) = &self.kid {
            t = t.kid(k);
        }
        t.sign(&self.key, &mut self.out).map(str::to_owned).map_err(js_error)
    }

    /// Issues a refresh token (`typ` `refresh+jwt`; use its own key).
    /// `params`: `{ issuer, subject, sessionId, tokenId?, now?, lifetime? }`.
    #[wasm_bindgen(js_name = issueRefresh)]
    pub fn issue_refresh(&mut self, params: JsValue) -> Result<String, JsValue> {
        let need = |n: &str| string_field(&params, n)?.ok_or_else(|| invalid_named("`", n, "` is required"));
        let (iss, sub, sid) = (need("issuer")?, need("subject")?, need("sessionId")?);
        let jti = match string_field(&params, "tokenId")? {
            Some(j) => j,
            None => random_id()?,
        };
        let mut t = RefreshToken::new(&iss, &sub, &sid, &jti, now_param(&params)?);
        if let Some(l) = integer_field(&params, "lifetime")? {
            t = t.lifetime(l);
        }
        if let Some(k) = &self.kid {
            t = t.kid(k);
        }
        t.sign(&self.key, &mut self.out).map(str::to_owned).map_err(js_error)
    }
}

fn now_param(params: &JsValue) -> Result<u64, JsValue> {
    Ok(integer_field(params, "now")?.unwrap_or_else(now_seconds))
}

/// The non-registered members of `claims` as JSON text, if any.
fn custom_claims(claims: &JsValue) -> Result<Option<String>, JsValue> {
    if claims.is_undefined() || claims.is_null() {
        return Ok(None);
    }
    let obj = Object::new();
    let mut any = false;
    for key in Object::keys(&Object::from(claims.clone())).iter() {
        let name = key.as_string().unwrap_or_default();
        if !REGISTERED.contains(&name.as_str()) {
            Reflect::set(&obj, &key, &Reflect::get(claims, &key)?)?;
            any = true;
        }
    }
    if !any {
        return Ok(None);
    }
    let text = js_sys::JSON::stringify(&obj).map_err(|_| invalid("custom claims are not JSON-serializable"))?;
    Ok(text.as_string())
}
