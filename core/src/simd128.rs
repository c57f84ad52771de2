//! What the WebAssembly SIMD (`simd128`) paths share: loading sixteen
//! bytes as one vector without `unsafe` (a raw-pointer load would need it).

use core::arch::wasm32::{u8x16, v128};

/// Sixteen bytes as a vector; compiles to one `v128.load`.
#[inline(always)]
pub(crate) fn load(c: &[u8; 16]) -> v128 {
    u8x16(c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10], c[11], c[12], c[13], c[14], c[15])
}
