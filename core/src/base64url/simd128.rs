//! WebAssembly SIMD (`simd128`): sixteen characters per step.
//!
//! WebAssembly has no SHA extensions, so outside the MAC the per-byte work
//! of a verify is mostly base64url; the table decoder costs ~0.5 ns per
//! character there. This classifies sixteen characters with range compares
//! and packs their sextets with one dot product and one shuffle. Safe code:
//! on WebAssembly a missing feature is a load-time validation error, never
//! undefined behaviour, so the intrinsics need no `unsafe`.

use crate::simd128::load;
use core::arch::wasm32::{
    i8x16, i8x16_swizzle, i16x8, i16x8_shl, i32x4_dot_i16x8, i32x4_extract_lane, i64x2_extract_lane, u8x16_add,
    u8x16_eq, u8x16_lt, u8x16_splat, u8x16_sub, u16x8_shr, u16x8_splat, v128, v128_and, v128_any_true, v128_not,
    v128_or,
};

/// Decodes the whole 16-character blocks at the front of `src` into `dst`
/// (12 bytes each, as many as both hold), returning how many blocks were
/// decoded and whether every character was base64url.
pub(super) fn decode_blocks(src: &[u8], dst: &mut [u8]) -> (usize, bool) {
    let mut bad = u8x16_splat(0);
    let mut blocks = 0;
    for (chunk, out) in src.chunks_exact(16).zip(dst.chunks_exact_mut(12)) {
        let Ok(chunk) = <&[u8; 16]>::try_from(chunk) else { break };
        let (sextets, invalid) = classify(load(chunk));
        bad = v128_or(bad, invalid);
        let bytes = pack(sextets);
        out[..8].copy_from_slice(&i64x2_extract_lane::<0>(bytes).to_le_bytes());
        out[8..].copy_from_slice(&i32x4_extract_lane::<2>(bytes).to_le_bytes());
        blocks += 1;
    }
    (blocks, !v128_any_true(bad))
}

/// Each character's 6-bit value, and a mask of the bytes that are not
/// base64url characters.
#[inline(always)]
fn classify(c: v128) -> (v128, v128) {
    // `c - lo < n` (unsigned, wrapping) is `lo <= c < lo + n` in two steps.
    let range = |lo: u8, n: u8| u8x16_lt(u8x16_sub(c, u8x16_splat(lo)), u8x16_splat(n));
    let upper = range(b'A', 26);
    let lower = range(b'a', 26);
    let digit = range(b'0', 10);
    let dash = u8x16_eq(c, u8x16_splat(b'-'));
    let under = u8x16_eq(c, u8x16_splat(b'_'));
    // What to add (mod 256) to each class to reach its value: A→0, a→26, 0→52, -→62, _→63.
    let add = |mask: v128, delta: u8| v128_and(mask, u8x16_splat(delta));
    let offset = v128_or(
        v128_or(add(upper, 0u8.wrapping_sub(b'A')), add(lower, 26u8.wrapping_sub(b'a'))),
        v128_or(
            add(digit, 52u8.wrapping_sub(b'0')),
            v128_or(add(dash, 62 - b'-'), add(under, 63u8.wrapping_sub(b'_'))),
        ),
    );
    let valid = v128_or(v128_or(upper, lower), v128_or(digit, v128_or(dash, under)));
    (u8x16_add(c, offset), v128_not(valid))
}

/// Sixteen sextets to twelve bytes (in the low twelve lanes), big-endian
/// per group of four as base64 orders them.
#[inline(always)]
fn pack(s: v128) -> v128 {
    // Each 16-bit lane holds sextets (a, b) as a | b << 8: make it a << 6 | b.
    let pairs = v128_or(i16x8_shl(v128_and(s, u16x8_splat(0x00FF)), 6), u16x8_shr(s, 8));
    // Each 32-bit lane holds 12-bit halves (p, q): make it p << 12 | q, 24 bits.
    let groups = i32x4_dot_i16x8(pairs, i16x8(1 << 12, 1, 1 << 12, 1, 1 << 12, 1, 1 << 12, 1));
    // The three low bytes of each lane, most significant first.
    i8x16_swizzle(groups, i8x16(2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, -1, -1, -1, -1))
}
