//! `Signer`: issuing tokens (typed claims, access and refresh profiles),
//! random identifiers from `crypto.getRandomValues`, digests.

use alloc::borrow::ToOwned;
#[cfg(feature = "issuer")]
use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use js_sys::{Array, Reflect, Uint8Array};
use tessera_core::profile::{self, AccessToken, RandomId, RefreshToken};
use tessera_core::sign::{ClaimsOut, HeaderOut, sign, sign_with_json, signing_input};
use tessera_core::{HmacKey, Sign};
use wasm_bindgen::prelude::*;
use zeroize::{Zeroize, Zeroizing};

use crate::convert::{
    Secret, algorithm_field, check_options, field, integer_field, now_seconds, seconds, string_field, strings_field,
};
use crate::error::{invalid, invalid_named, js_error};
use crate::objects::custom_claims_json;
use crate::verifier::scrub_stack;

/// Room for any token up to 16 KiB.
const OUT_LEN: usize = 16 * 1024;

/// The claims `sign` types itself; every other member is a custom claim.
const REGISTERED: &str = "iss sub aud exp nbf iat jti sid scope azp client_id";

/// The option and parameter names each method takes (others are refused).
const SIGNER_OPTIONS: [&str; 2] = ["algorithm", "kid"];
const SIGN_OPTIONS: [&str; 3] = ["typ", "kid", "customJson"];
#[cfg(feature = "issuer")]
const PRIVATE_SIGNER_OPTIONS: [&str; 1] = ["kid"];
const ACCESS_PARAMS: [&str; 9] =
    ["issuer", "subject", "audience", "sessionId", "tokenId", "scope", "clientId", "now", "lifetime"];
const REFRESH_PARAMS: [&str; 6] = ["issuer", "subject", "sessionId", "tokenId", "now", "lifetime"];

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
pub fn refresh_token_digest(mut token: String) -> String {
    let digest = profile::refresh_token_digest(&token).as_str().to_owned();
    token.zeroize();
    digest
}

/// Whether two strings are equal, in time that depends only on their lengths.
#[wasm_bindgen(js_name = constantTimeEqual)]
pub fn constant_time_equal(a: &str, b: &str) -> bool {
    profile::constant_time_eq(a.as_bytes(), b.as_bytes())
}

/// What a signer signs with: an HMAC secret, or (issuer module) a private
/// key (EdDSA, ES256), or the public half of a key whose private half signs
/// elsewhere (RS256/PS256 in WebCrypto: this module writes the signing input).
enum SigningKey {
    Hmac(HmacKey),
    #[cfg(feature = "issuer")]
    Private(tessera_core::PrivateKey),
    #[cfg(feature = "issuer")]
    External(Box<tessera_core::Key>),
}

impl SigningKey {
    fn hmac(&self) -> Option<&HmacKey> {
        match self {
            SigningKey::Hmac(k) => Some(k),
            #[cfg(feature = "issuer")]
            SigningKey::Private(_) | SigningKey::External(_) => None,
        }
    }

    fn signer(&self) -> Result<&dyn Sign, JsValue> {
        match self {
            SigningKey::Hmac(k) => Ok(k),
            #[cfg(feature = "issuer")]
            SigningKey::Private(k) => Ok(k),
            #[cfg(feature = "issuer")]
            SigningKey::External(_) => Err(invalid(
                "this key's private half signs elsewhere: use signingInput / accessSigningInput (AsyncSigner does)",
            )),
        }
    }

    /// The algorithm of a key that signs elsewhere; an error for the others.
    fn external(&self) -> Result<tessera_core::Algorithm, JsValue> {
        match self {
            #[cfg(feature = "issuer")]
            SigningKey::External(k) => Ok(k.algorithm()),
            _ => Err(invalid("only a signer made with Signer.external writes signing inputs")),
        }
    }

    fn algorithm(&self) -> tessera_core::Algorithm {
        match self {
            SigningKey::Hmac(k) => k.algorithm(),
            #[cfg(feature = "issuer")]
            SigningKey::Private(k) => Sign::algorithm(k),
            #[cfg(feature = "issuer")]
            SigningKey::External(k) => k.algorithm(),
        }
    }
}

/// Issues tokens with one key.
#[wasm_bindgen]
pub struct Signer {
    key: SigningKey,
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
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] secret: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "SignerOptions")] options: JsValue,
    ) -> Result<Signer, JsValue> {
        check_options(&options, "the signer options", &SIGNER_OPTIONS)?;
        // The copy of the secret is zeroized as soon as the key is built.
        let key = HmacKey::new(algorithm_field(&options)?, &Secret::from_js(&secret)?.0).map_err(js_error)?;
        Ok(Signer { key: SigningKey::Hmac(key), kid: string_field(&options, "kid")?, out: vec![0; OUT_LEN] })
    }

    /// A signer for a private key given as a JWK with `d` (JSON text or
    /// object): Ed25519 signs EdDSA, P-256 signs ES256, deterministically.
    /// `options`: `{ kid? }`; the `kid` defaults to the key's RFC 7638
    /// thumbprint. The module's copy of the JWK text is wiped once the key
    /// is built (the caller's JavaScript string cannot be).
    #[cfg(feature = "issuer")]
    #[wasm_bindgen(js_name = fromJwk)]
    pub fn from_jwk(
        #[wasm_bindgen(unchecked_param_type = "string | Jwk")] jwk: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "{ kid?: string }")] options: JsValue,
    ) -> Result<Signer, JsValue> {
        check_options(&options, "the signer options", &PRIVATE_SIGNER_OPTIONS)?;
        let text = Zeroizing::new(crate::convert::json_text(&jwk, "the JWK")?);
        let key = tessera_core::PrivateKey::from_jwk(text.as_bytes()).map_err(js_error)?;
        Signer::private(key, &options)
    }

    /// A signer for a PKCS#8 private key: PEM text (`PRIVATE KEY`) or DER
    /// bytes, as `openssl genpkey` writes and WebCrypto's
    /// `exportKey("pkcs8")` gives. `options`: `{ kid? }` (default: the
    /// thumbprint).
    #[cfg(feature = "issuer")]
    #[wasm_bindgen(js_name = fromPkcs8)]
    pub fn from_pkcs8(
        #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] key: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "{ kid?: string }")] options: JsValue,
    ) -> Result<Signer, JsValue> {
        check_options(&options, "the signer options", &PRIVATE_SIGNER_OPTIONS)?;
        let key = if let Some(pem) = key.as_string() {
            let pem = Zeroizing::new(pem);
            tessera_core::PrivateKey::from_pkcs8_pem(&pem)
        } else if key.is_instance_of::<Uint8Array>() {
            let der = Zeroizing::new(Uint8Array::from(key).to_vec());
            tessera_core::PrivateKey::from_pkcs8_der(&der)
        } else {
            return Err(invalid("a PKCS#8 key must be PEM text or DER bytes (a Uint8Array)"));
        };
        Signer::private(key.map_err(js_error)?, &options)
    }

    /// A signer for a key whose private half signs elsewhere — an RSA key
    /// in WebCrypto, an HSM, a KMS — given by its public JWK (text or
    /// object). `options`: `{ algorithm?, kid? }`: `algorithm` binds an RSA
    /// JWK without `alg` (and must agree with one); `kid` defaults to the
    /// RFC 7638 thumbprint. It writes signing inputs (`signingInput`,
    /// `accessSigningInput`), never tokens; `AsyncSigner` signs them.
    #[cfg(feature = "issuer")]
    pub fn external(
        #[wasm_bindgen(unchecked_param_type = "string | Jwk")] jwk: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "{ algorithm?: PublicAlgorithm, kid?: string }")]
        options: JsValue,
    ) -> Result<Signer, JsValue> {
        check_options(&options, "the signer options", &SIGNER_OPTIONS)?;
        let text = crate::convert::json_text(&jwk, "the JWK")?;
        let key = match crate::convert::public_algorithm_field(&options)? {
            None => tessera_core::Key::from_jwk(text.as_bytes()),
            Some(alg) => tessera_core::Key::from_jwk_as(text.as_bytes(), alg),
        }
        .map_err(js_error)?;
        let kid = match string_field(&options, "kid")? {
            Some(kid) => kid,
            None => key.thumbprint().map_err(js_error)?.as_str().to_owned(),
        };
        Ok(Signer { key: SigningKey::External(Box::new(key)), kid: Some(kid), out: vec![0; OUT_LEN] })
    }

    /// The signing input (`base64url(header).base64url(payload)`) of the
    /// token `sign(claims, options)` would make: sign its UTF-8 bytes with
    /// the private key, then append `.` and the signature's base64url.
    /// Only for `Signer.external` signers.
    #[cfg(feature = "issuer")]
    #[wasm_bindgen(js_name = signingInput, unchecked_return_type = "string")]
    pub fn signing_input(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Claims")] claims: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "SignOptions")] options: JsValue,
    ) -> Result<JsValue, JsValue> {
        self.sign_claims(claims, options, true)
    }

    /// The signing input of the access token `issueAccess(params)` would
    /// make (see `signingInput`). Only for `Signer.external` signers.
    #[cfg(feature = "issuer")]
    #[wasm_bindgen(js_name = accessSigningInput, unchecked_return_type = "string")]
    pub fn access_signing_input(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "AccessParams")] params: JsValue,
    ) -> Result<JsValue, JsValue> {
        self.access(params, true)
    }

    /// Completes a token: `input` is a signing input this signer wrote,
    /// `signature` the bytes the private key made over it (RSA: modulus
    /// length; ECDSA: raw `r‖s`). The signature is verified with the public
    /// key first, so a wrong key or a faulty signer throws `BadSignature`
    /// and no token is made. Only for `Signer.external` signers.
    #[cfg(feature = "issuer")]
    #[wasm_bindgen(js_name = attachSignature, unchecked_return_type = "string")]
    pub fn attach_signature(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] input: JsValue,
        signature: &[u8],
    ) -> Result<JsValue, JsValue> {
        let SigningKey::External(key) = &self.key else {
            return Err(invalid("only a signer made with Signer.external attaches signatures"));
        };
        let input = input.as_string().ok_or_else(|| invalid("the signing input must be a string"))?;
        let len = input.len();
        let n = match self.out.get_mut(..len) {
            Some(head) => {
                head.copy_from_slice(input.as_bytes());
                tessera_core::sign::attach_signature(key, &mut self.out, len, signature).map(str::len)
            }
            None => Err(tessera_core::Error::BufferTooSmall),
        };
        self.take(n)
    }

    #[cfg(feature = "issuer")]
    fn private(key: tessera_core::PrivateKey, options: &JsValue) -> Result<Signer, JsValue> {
        let kid = match string_field(options, "kid")? {
            Some(kid) => kid,
            None => key.public_key().thumbprint().map_err(js_error)?.as_str().to_owned(),
        };
        Ok(Signer { key: SigningKey::Private(key), kid: Some(kid), out: vec![0; OUT_LEN] })
    }

    /// The algorithm this signer writes in `alg`.
    #[wasm_bindgen(getter)]
    pub fn algorithm(&self) -> String {
        self.key.algorithm().name().to_owned()
    }

    /// The `kid` this signer writes (a private key's defaults to its thumbprint).
    #[wasm_bindgen(getter)]
    pub fn kid(&self) -> Option<String> {
        self.kid.clone()
    }

    /// The public key as the member of a JWK Set: `kty`, the key's
    /// members, `alg`, `kid` and `use: "sig"` — publish
    /// `{ keys: [signer.publicJwk(), ...] }` at `/.well-known/jwks.json`.
    /// An HMAC signer has no public key: it throws.
    #[cfg(feature = "issuer")]
    #[wasm_bindgen(js_name = publicJwk, unchecked_return_type = "Jwk")]
    pub fn public_jwk(&self) -> Result<JsValue, JsValue> {
        let derived;
        let public = match &self.key {
            SigningKey::Private(key) => {
                derived = key.public_key();
                &derived
            }
            SigningKey::External(key) => key,
            SigningKey::Hmac(_) => return Err(invalid("an HMAC secret has no public key and is never published")),
        };
        let kid = self.kid.as_deref().unwrap_or_default();
        let mut out = [0u8; 1024];
        let doc = tessera_core::write_jwks([(kid, public)], &mut out).map_err(js_error)?;
        let parsed = js_sys::JSON::parse(doc)?;
        Reflect::get(&parsed, &JsValue::from_str("keys")).map(|keys| Array::from(&keys).get(0))
    }

    /// The signed token as a JavaScript string, made straight from the
    /// output buffer (no Rust `String` that would be freed unwiped); then
    /// the whole buffer is wiped, since signing also stages the payload
    /// JSON at its end.
    fn take(&mut self, token: Result<usize, tessera_core::Error>) -> Result<JsValue, JsValue> {
        let text = token.map_err(js_error).and_then(|n| {
            let used = self.out.get(..n).unwrap_or_default();
            core::str::from_utf8(used).map(JsValue::from_str).map_err(|_| invalid("not UTF-8"))
        });
        self.out.fill(0);
        text
    }

    /// Signs `claims` (registered claims typed, every other member a custom
    /// claim, in its order). `options`: `{ typ?, kid?, customJson? }`, where
    /// `customJson` is the text of a JSON object spliced as is.
    #[wasm_bindgen(unchecked_return_type = "string")]
    pub fn sign(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Claims")] claims: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "SignOptions")] options: JsValue,
    ) -> Result<JsValue, JsValue> {
        self.sign_claims(claims, options, false)
    }

    /// `sign`, or with `deferred` the signing input for a key held elsewhere.
    fn sign_claims(&mut self, claims: JsValue, options: JsValue, deferred: bool) -> Result<JsValue, JsValue> {
        check_options(&options, "sign's options", &SIGN_OPTIONS)?;
        if !(claims.is_undefined() || claims.is_null() || (claims.is_object() && !claims.is_function())) {
            return Err(invalid("the claims must be an object"));
        }
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
        let members = custom_claims(&claims)?;
        let custom = match (string_field(&options, "customJson")?, members) {
            (Some(_), Some(_)) => {
                return Err(invalid(
                    "custom claims are given twice (members of the claims object and `customJson`): use one",
                ));
            }
            (text, members) => text.or(members),
        };
        // Custom claims are payload text: their copy is wiped once signed.
        let custom = custom.map(Zeroizing::new);
        let custom_bytes = custom.as_ref().map(|j| j.as_bytes());
        let token = if deferred {
            signing_input(self.key.external()?, &header, &c, custom_bytes, &mut self.out)
        } else {
            match custom_bytes {
                Some(json) => sign_with_json(self.key.signer()?, &header, &c, json, &mut self.out),
                None => sign(self.key.signer()?, &header, &c, &mut self.out),
            }
        };
        let n = token.map(str::len);
        drop(custom);
        scrub_stack();
        self.take(n)
    }

    /// Issues an access token (`typ` `at+jwt`). `params`: `{ issuer,
    /// subject, audience, sessionId, tokenId?, scope?, clientId?, now?,
    /// lifetime? }`; `tokenId` defaults to a fresh random id.
    #[wasm_bindgen(js_name = issueAccess, unchecked_return_type = "string")]
    pub fn issue_access(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "AccessParams")] params: JsValue,
    ) -> Result<JsValue, JsValue> {
        self.access(params, false)
    }

    /// `issueAccess`, or with `deferred` its signing input.
    fn access(&mut self, params: JsValue, deferred: bool) -> Result<JsValue, JsValue> {
        check_options(&params, "issueAccess's parameters", &ACCESS_PARAMS)?;
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
        // The core refuses it too; here the message names the parameter.
        t.check().map_err(|_| invalid("`lifetime` must be 1 to 86400 seconds (milliseconds?) and no name empty"))?;
        let n = if deferred {
            t.signing_input(self.key.external()?, &mut self.out)
        } else {
            t.sign(self.key.signer()?, &mut self.out)
        }
        .map(str::len);
        scrub_stack();
        self.take(n)
    }

    /// Issues a refresh token (`typ` `refresh+jwt`; use its own key).
    /// `params`: `{ issuer, subject, sessionId, tokenId?, now?, lifetime? }`.
    #[wasm_bindgen(js_name = issueRefresh, unchecked_return_type = "string")]
    pub fn issue_refresh(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "RefreshParams")] params: JsValue,
    ) -> Result<JsValue, JsValue> {
        check_options(&params, "issueRefresh's parameters", &REFRESH_PARAMS)?;
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
        t.check().map_err(|_| invalid("`lifetime` must be 1 to 31536000 seconds (milliseconds?) and no name empty"))?;
        // Refresh tokens are HMAC only: the auth server alone reads them.
        let key = self
            .key
            .hmac()
            .ok_or_else(|| invalid("refresh tokens are signed with an HMAC secret, not a private key"))?;
        let n = t.sign(key, &mut self.out).map(str::len);
        scrub_stack();
        self.take(n)
    }
}

/// The `now` parameter: seconds (or a `Date`), never milliseconds; the clock when absent.
fn now_param(params: &JsValue) -> Result<u64, JsValue> {
    field(params, "now").map_or_else(|| Ok(now_seconds()), |v| seconds(&v, "now"))
}

/// The non-registered members of `claims` as JSON text, if any; what
/// cannot be signed faithfully is refused (see `customClaimsJson`).
fn custom_claims(claims: &JsValue) -> Result<Option<String>, JsValue> {
    if claims.is_undefined() || claims.is_null() {
        return Ok(None);
    }
    custom_claims_json(claims, REGISTERED).map_err(|e| {
        let message = Reflect::get(&e, &JsValue::from_str("message")).ok().and_then(|m| m.as_string());
        invalid(&message.unwrap_or_else(|| "custom claims are not JSON-serializable".to_owned()))
    })
}
