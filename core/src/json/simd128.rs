//! WebAssembly SIMD (`simd128`): where a string's plain run ends within
//! sixteen bytes (see `base64url::simd128` for why this is safe code).

use core::arch::wasm32::{u8x16_bitmask, u8x16_eq, u8x16_lt, u8x16_splat, v128_or};

use crate::simd128::load;

/// The index of the first `"`, `\` or control character in `chunk`.
#[inline(always)]
pub(super) fn first_stop(chunk: &[u8; 16]) -> Option<usize> {
    let v = load(chunk);
    let stop = v128_or(
        u8x16_lt(v, u8x16_splat(0x20)),
        v128_or(u8x16_eq(v, u8x16_splat(b'"')), u8x16_eq(v, u8x16_splat(b'\\'))),
    );
    let mask = u8x16_bitmask(stop);
    (mask != 0).then(|| mask.trailing_zeros() as usize)
}
