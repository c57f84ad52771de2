//! WebAssembly SIMD (`simd128`): the end of a string's plain run, sixteen
//! bytes per step (see `base64url::simd128` for why this is safe code).

use core::arch::wasm32::{u8x16_bitmask, u8x16_eq, u8x16_lt, u8x16_splat, v128_or};

use crate::simd128::load;

/// The index of the first byte of `bytes` that ends a string's plain run
/// (`"`, `\` or a control character), or `None` if there is none.
#[inline(always)]
pub(super) fn string_stop(bytes: &[u8]) -> Option<usize> {
    let mut chunks = bytes.chunks_exact(16);
    for (i, chunk) in chunks.by_ref().enumerate() {
        let Ok(c) = <&[u8; 16]>::try_from(chunk) else { break };
        let v = load(c);
        let stop = v128_or(
            u8x16_lt(v, u8x16_splat(0x20)),
            v128_or(u8x16_eq(v, u8x16_splat(b'"')), u8x16_eq(v, u8x16_splat(b'\\'))),
        );
        let mask = u8x16_bitmask(stop);
        if mask != 0 {
            return Some(i * 16 + mask.trailing_zeros() as usize);
        }
    }
    let done = bytes.len() - chunks.remainder().len();
    super::string_stop_scalar(chunks.remainder()).map(|i| done + i)
}
