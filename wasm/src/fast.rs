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

use crate::convert::{now_seconds, seconds_from_f64};
use crate::error::{js_error, js_result_error};
use crate::verifier::{Verifier, given_or_clock, run_with, scrub_stack, wipe_scratch};
use tessera_core::scratch_len;

/// The longest token the fast path takes; `js/fast.js` sends longer ones
/// the general way.
const INPUT_LEN: usize = tessera_core::DEFAULT_MAX_TOKEN_LEN;

/// The fast path's buffers, one set per verifier.
pub(crate) struct FastPath {
    input: Vec<u8>,
    /// After a verified token: the payload's address and length in memory,
    /// 1 when its NumericDates need rounding (then exp, nbf, iat follow,
    /// NaN when absent), else 0; then the address and length of the scratch
    /// the verify used, which `js/fast.js` wipes once it has read the payload.
    result: Box<[f64; 8]>,
    /// `fastPrepare`'s copy of the signature WebCrypto is to check.
    #[cfg(feature = "full")]
    pub(crate) signature: Vec<u8>,
}

#[wasm_bindgen(module = "/js/errors.js")]
extern "C" {
    /// Hands `js/fast.js` the error of a call that did not verify.
    #[wasm_bindgen(js_name = setFastError)]
    fn set_fast_error(error: &JsValue);
    /// Takes (and drops) the waiting error.
    #[cfg(feature = "full")]
    #[wasm_bindgen(js_name = takeFastError)]
    pub(crate) fn take_fast_error() -> JsValue;
}

/// What `fastVerify` tells `js/fast.js`.
#[repr(u32)]
pub(crate) enum Outcome {
    /// The result numbers describe the claims.
    Verified = 0,
    /// A refused token: the error is waiting (`verifyResult` returns it).
    Refused = 1,
    /// A bad argument (`now`): the error is waiting, and is thrown by both methods.
    BadArgument = 2,
    /// `fastPrepare`: WebCrypto is to check the signature (the result
    /// numbers say which key, where the signature is, how long the input).
    #[cfg(feature = "full")]
    Pending = 3,
}

impl FastPath {
    /// The result numbers, for `fastPrepare`.
    #[cfg(feature = "full")]
    pub(crate) fn set_result(&mut self, numbers: [f64; 8]) {
        *self.result = numbers;
    }

    pub(crate) fn new() -> Self {
        FastPath {
            input: vec![0; INPUT_LEN],
            result: Box::new([0.0; 8]),
            #[cfg(feature = "full")]
            signature: Vec::new(),
        }
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

    /// Internal (`js/fast.js`): the address of the eight result numbers.
    #[wasm_bindgen(js_name = fastResult, skip_typescript)]
    pub fn fast_result(&self) -> usize {
        self.fast.result.as_ptr() as usize
    }

    /// Internal (`js/fast.js`): verifies the first `len` bytes of the token
    /// buffer at `now` (when `has_now`, else the clock), then wipes them.
    /// Returns an `Outcome`; unless verified, the error (without a stack
    /// trace for a refused token when `for_result`) waits in `js/errors.js`.
    #[wasm_bindgen(js_name = fastVerify, skip_typescript)]
    pub fn fast_verify(&mut self, len: usize, has_now: bool, now: f64, for_result: bool) -> u32 {
        self.fast_run(len, has_now, now, for_result, &mut |c| c.verify())
    }

    /// The fast path around one `run_with`: the outcome as numbers and a
    /// waiting error, the token buffer wiped.
    pub(crate) fn fast_run(
        &mut self,
        len: usize,
        has_now: bool,
        now: f64,
        for_result: bool,
        check: &mut dyn FnMut(&tessera_core::SignatureCheck<'_>) -> bool,
    ) -> u32 {
        let token = self.fast.input.get(..len).unwrap_or_default();
        let now = if has_now { seconds_from_f64(now, "now").map(given_or_clock) } else { Ok(now_seconds()) };
        let outcome = now.map(|now| run_with(&self.keys, &self.options, &mut self.scratch, token, now, None, check));
        scrub_stack();
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
                    self.scratch.as_ptr() as usize as f64,
                    scratch_len(len).min(self.scratch.len()) as f64,
                ];
                Outcome::Verified
            }
            Ok(Err(e)) => {
                set_fast_error(&if for_result { js_result_error(e) } else { js_error(e) });
                wipe_scratch(&mut self.scratch, len);
                Outcome::Refused
            }
            Err(bad_argument) => {
                set_fast_error(&bad_argument);
                Outcome::BadArgument
            }
        };
        if let Some(used) = self.fast.input.get_mut(..len) {
            used.fill(0);
        }
        verified as u32
    }
}
