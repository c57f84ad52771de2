//! The fast path of `verify` and `verifyResult`, driven by `js/fast.js`.
//!
//! JavaScript writes the token straight into a buffer this verifier owns
//! and reads the outcome as numbers from another, so that a call crosses
//! the boundary with integers only: no allocation and copy of the string
//! per call, no returned array or reference-table glue. The claims object is
//! still the engine's `JSON.parse` of the verified payload, as on the
//! general path; an error is the same `TesseraError`, built here.

use alloc::boxed::Box;
use alloc::vec;
use alloc::vec::Vec;

use wasm_bindgen::prelude::*;

use crate::error::{js_error, js_result_error};
use crate::verifier::{Verifier, run};

/// The longest token the fast path takes; `js/fast.js` sends longer ones
/// the general way.
const INPUT_LEN: usize = tessera_core::DEFAULT_MAX_TOKEN_LEN;

/// The fast path's buffers, one set per verifier.
pub(crate) struct FastPath {
    input: Vec<u8>,
    /// After a verified token: the payload's address and length in memory,
    /// 1 when its NumericDates need rounding (then exp, nbf, iat follow,
    /// NaN when absent), else 0.
    result: Box<[f64; 6]>,
    /// After a refused token (or a bad `now`): the error to throw or return.
    error: JsValue,
}

impl FastPath {
    pub(crate) fn new() -> Self {
        FastPath { input: vec![0; INPUT_LEN], result: Box::new([0.0; 6]), error: JsValue::UNDEFINED }
    }
}

#[wasm_bindgen]
impl Verifier {
    /// Internal (`js/fast.js`): the address of the token buffer, which
    /// holds `fastInputLength()` bytes.
    #[wasm_bindgen(js_name = fastInput, skip_typescript)]
    pub fn fast_input(&self) -> usize {
        self.fast.input.as_ptr() as usize
    }

    /// Internal (`js/fast.js`): the token buffer's length.
    #[wasm_bindgen(js_name = fastInputLength, skip_typescript)]
    pub fn fast_input_length(&self) -> usize {
        self.fast.input.len()
    }

    /// Internal (`js/fast.js`): the address of the six result numbers.
    #[wasm_bindgen(js_name = fastResult, skip_typescript)]
    pub fn fast_result(&self) -> usize {
        self.fast.result.as_ptr() as usize
    }

    /// Internal (`js/fast.js`): verifies the first `len` bytes of the token
    /// buffer at `now` (when `has_now`, else the clock), then wipes them.
    /// `true`: the result numbers describe the claims; `false`: `fastError`
    /// holds the error, without a stack trace when `for_result`.
    #[wasm_bindgen(js_name = fastVerify, skip_typescript)]
    pub fn fast_verify(&mut self, len: usize, has_now: bool, now: f64, for_result: bool) -> bool {
        let token = self.fast.input.get(..len).unwrap_or_default();
        let outcome = run(&self.keys, &self.options, &mut self.scratch, token, has_now.then_some(now), None);
        let verified = match outcome {
            Ok(Ok(v)) => {
                let c = &v.claims;
                let json = c.json();
                // Addresses and lengths are below 2^32, NumericDates below
                // 2^53: all exact as doubles.
                #[allow(clippy::cast_precision_loss)]
                let number = |n: Option<u64>| n.map_or(f64::NAN, |n| n as f64);
                *self.fast.result = [
                    json.as_ptr() as usize as f64,
                    json.len() as f64,
                    f64::from(u8::from(c.times_need_rounding())),
                    number(c.exp()),
                    number(c.nbf()),
                    number(c.iat()),
                ];
                true
            }
            Ok(Err(e)) => {
                self.fast.error = if for_result { js_result_error(e) } else { js_error(e) };
                false
            }
            Err(bad_argument) => {
                self.fast.error = bad_argument;
                false
            }
        };
        if let Some(used) = self.fast.input.get_mut(..len) {
            used.fill(0);
        }
        verified
    }

    /// Internal (`js/fast.js`): the error of the last refused `fastVerify`.
    #[wasm_bindgen(js_name = fastError, skip_typescript)]
    pub fn fast_error(&mut self) -> JsValue {
        core::mem::replace(&mut self.fast.error, JsValue::UNDEFINED)
    }
}
