//! The two halves of `verifyAsync` (wasm/js/async.js): every rule runs in
//! the core (`tessera_core::verify_with`), and only the public-key
//! signature check of rule 5 is handed to WebCrypto, which is 2 to 10
//! times faster than any WebAssembly for RSA and ECDSA. The payload is not
//! parsed before WebCrypto's verdict comes back: the first half stops at
//! rule 5, the second runs the rules again (cheap: the header only) with
//! WebCrypto's answer as rule 5.

use alloc::vec::Vec;

use js_sys::{Array, Object, Uint8Array};
use tessera_core::{Family, Key, SignatureCheck};
use wasm_bindgen::prelude::*;
use zeroize::Zeroize;

use crate::convert::{claims_object, set};
use crate::error::{invalid, js_result_error};
use crate::fast::{Outcome, take_fast_error};
use crate::objects::{error_result, ok_result};
use crate::verifier::{Keys, Verifier, issued_before, now_or_clock, run_with, scrub_stack, token_text, wipe_scratch};

/// The index of the key a check names: 0 for a single key, the key's
/// position (`publicKeys` order) in a set.
fn key_index(keys: &Keys, c: &SignatureCheck<'_>) -> Option<u32> {
    index_of(keys, c.kid)
}

/// The index of the key `kid` selects (see `key_index`).
fn index_of(keys: &Keys, kid: Option<&[u8]>) -> Option<u32> {
    match keys {
        Keys::One(_) => Some(0),
        Keys::Set(set) => {
            let kid = kid?;
            set.keys().position(|(k, _)| k.as_bytes() == kid).and_then(|i| u32::try_from(i).ok())
        }
    }
}

/// The `kid` of the key at `index`: `Some(None)` for a single key (any
/// kid), `None` for no such key.
fn kid_at(keys: &Keys, index: u32) -> Option<Option<Vec<u8>>> {
    match keys {
        Keys::One(_) => (index == 0).then_some(None),
        Keys::Set(set) => set.keys().nth(usize::try_from(index).ok()?).map(|(kid, _)| Some(kid.as_bytes().to_vec())),
    }
}

#[wasm_bindgen]
impl Verifier {
    /// Internal (`js/fast.js`): `prepareAsync` on the fast path, for the
    /// first `len` bytes of the token buffer. Returns `Pending` (3) with the
    /// result numbers [key index, signature address, signature length,
    /// signing input length], or `fastVerify`'s outcomes when the verdict
    /// is known already (the error waiting in `js/errors.js`).
    #[wasm_bindgen(js_name = fastPrepare, skip_typescript)]
    pub fn fast_prepare(&mut self, len: usize, has_now: bool, now: f64) -> u32 {
        let mut signature = core::mem::take(&mut self.fast.signature);
        let mut pending: Option<(Option<Vec<u8>>, usize)> = None;
        let outcome = self.fast_run(len, has_now, now, true, &mut |c| {
            if c.algorithm.family() == Family::Hmac {
                return c.verify();
            }
            signature.clear();
            signature.extend_from_slice(c.signature);
            pending = Some((c.kid.map(<[u8]>::to_vec), c.signing_input.len()));
            false
        });
        let index = pending.as_ref().and_then(|(kid, _)| index_of(&self.keys, kid.as_deref()));
        let result = match (pending, index) {
            (Some((_, input_len)), Some(index)) if outcome == Outcome::Refused as u32 => {
                take_fast_error(); // BadSignature only because the check was deferred
                // Addresses and lengths are below 2^32: exact as doubles.
                #[allow(clippy::cast_precision_loss)]
                self.fast.set_result([
                    f64::from(index),
                    signature.as_ptr() as usize as f64,
                    signature.len() as f64,
                    input_len as f64,
                    0.0,
                    0.0,
                    0.0,
                    0.0,
                ]);
                Outcome::Pending as u32
            }
            _ => outcome,
        };
        self.fast.signature = signature;
        result
    }

    /// Internal (`js/fast.js`): `finishAsync` on the fast path: every rule
    /// again, with WebCrypto's `verdict` on key `index` as rule 5.
    #[wasm_bindgen(js_name = fastFinish, skip_typescript)]
    pub fn fast_finish(
        &mut self,
        len: usize,
        has_now: bool,
        now: f64,
        for_result: bool,
        index: u32,
        verdict: bool,
    ) -> u32 {
        // The key the verdict is about, by kid (any kid for a single key).
        let expected = kid_at(&self.keys, index);
        self.fast_run(len, has_now, now, for_result, &mut |c| {
            if c.algorithm.family() == Family::Hmac {
                return c.verify();
            }
            verdict
                && match &expected {
                    Some(None) => true,
                    Some(Some(kid)) => c.kid == Some(kid.as_slice()),
                    None => false,
                }
        })
    }

    /// The verifier's public keys for WebCrypto: `[{ kid, alg, jwk }]`, in
    /// the order `prepareAsync` indexes them (HMAC keys are left out).
    #[wasm_bindgen(js_name = publicKeys, skip_typescript)]
    pub fn public_keys(&self) -> Result<JsValue, JsValue> {
        let list = Array::new();
        let push = |kid: Option<&str>, key: &Key| -> Result<(), JsValue> {
            let entry: JsValue = Object::new().into();
            let mut buf = [0u8; 1024];
            let jwk = match key.to_public_jwk(&mut buf) {
                Ok(text) => JsValue::from_str(text),
                Err(_) => JsValue::UNDEFINED, // an HMAC secret: never exported
            };
            set(&entry, "kid", &kid.map_or(JsValue::UNDEFINED, JsValue::from_str));
            set(&entry, "alg", &JsValue::from_str(key.algorithm().name()));
            set(&entry, "jwk", &jwk);
            list.push(&entry);
            Ok(())
        };
        match &self.keys {
            Keys::One(k) => push(None, k)?,
            Keys::Set(s) => {
                for (kid, key) in s.keys() {
                    push(Some(kid), key)?;
                }
            }
        }
        Ok(list.into())
    }

    /// The first half of `verifyAsync`: rules 0 to 4. Returns `{ result }`
    /// when the verdict is known (a refusal before rule 5, or an HMAC key,
    /// checked here), else `{ index, alg, signature, inputLength }` for
    /// WebCrypto.
    #[wasm_bindgen(js_name = prepareAsync, skip_typescript)]
    pub fn prepare_async(&mut self, token: JsValue, now: JsValue, extra: JsValue) -> Result<JsValue, JsValue> {
        let now = now_or_clock(&now)?;
        let issued_before = issued_before(&extra)?;
        let mut token = token_text(&token)?.into_bytes();
        let keys = &self.keys;
        let mut pending: Option<(u32, &'static str, Vec<u8>, usize)> = None;
        let verified = run_with(keys, &self.options, &mut self.scratch, &token, now, issued_before, &mut |c| {
            if c.algorithm.family() == Family::Hmac {
                return c.verify(); // no WebCrypto for secrets: the core's check
            }
            if let Some(index) = key_index(keys, c) {
                pending = Some((index, c.algorithm.name(), c.signature.to_vec(), c.signing_input.len()));
            }
            false
        });
        scrub_stack();
        let out: JsValue = Object::new().into();
        match (pending, verified) {
            (Some((index, alg, signature, input_len)), Err(tessera_core::Error::BadSignature)) => {
                set(&out, "index", &JsValue::from(index));
                set(&out, "alg", &JsValue::from_str(alg));
                set(&out, "signature", &Uint8Array::from(signature.as_slice()).into());
                set(
                    &out,
                    "inputLength",
                    &JsValue::from(u32::try_from(input_len).map_err(|_| invalid("token too long"))?),
                );
            }
            (_, verified) => {
                let result = match verified {
                    Ok(v) => ok_result(&claims_object(&v.claims)?),
                    Err(e) => error_result(&js_result_error(e)),
                };
                set(&out, "result", &result);
            }
        }
        wipe_scratch(&mut self.scratch, token.len());
        token.zeroize();
        Ok(out)
    }

    /// The second half of `verifyAsync`: every rule again, with WebCrypto's
    /// `verdict` on the key at `index` as rule 5. Returns `{ ok, claims }`
    /// or `{ ok: false, error }`.
    #[wasm_bindgen(js_name = finishAsync, skip_typescript)]
    pub fn finish_async(
        &mut self,
        token: JsValue,
        now: JsValue,
        extra: JsValue,
        index: u32,
        verdict: bool,
    ) -> Result<JsValue, JsValue> {
        let now = now_or_clock(&now)?;
        let issued_before = issued_before(&extra)?;
        let mut token = token_text(&token)?.into_bytes();
        let keys = &self.keys;
        // The verdict counts only for the key it was given for.
        let verified = run_with(keys, &self.options, &mut self.scratch, &token, now, issued_before, &mut |c| {
            if c.algorithm.family() == Family::Hmac {
                return c.verify();
            }
            verdict && key_index(keys, c) == Some(index)
        });
        scrub_stack();
        let out = match verified {
            Ok(v) => ok_result(&claims_object(&v.claims)?),
            Err(e) => error_result(&js_result_error(e)),
        };
        wipe_scratch(&mut self.scratch, token.len());
        token.zeroize();
        Ok(out)
    }
}
