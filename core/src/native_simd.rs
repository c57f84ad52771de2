//! The crate's only `unsafe` code: SIMD for base64url decoding and JSON
//! string scanning on x86-64 (SSE2, SSSE3, AVX2) and aarch64 (NEON).
//!
//! Why here and not in safe code: on these targets a vector load from a
//! slice takes a raw pointer, and a function compiled for a CPU feature
//! the build does not assume (SSSE3, AVX2) may only be called after runtime
//! detection — both are `unsafe` operations. WebAssembly needs neither
//! (`crate::simd128`): a missing feature there fails validation at load.
//!
//! What stays true (SPEC.md, "Resource bounds" and "Constant time"):
//! - `unsafe` appears in eight blocks, listed in SPEC.md: three vector
//!   loads (16 or 32 bytes from a `&[u8; 16]` / `&[u8; 32]` the safe caller
//!   holds) and five calls into functions compiled for a CPU feature (SSE2
//!   and NEON are in every CPU of their targets; SSSE3 and AVX2 are
//!   detected first by `cpufeatures`). Nothing is written through a
//!   pointer. (The x86-64 tests add two calls of their own, after the same
//!   detection.)
//! - No lookup is indexed by token bytes: characters are classified by
//!   range compares and packed by multiplies and fixed shuffles.
//! - The scalar code is the reference: `base64url` and `json` test every
//!   length and bad-byte position against it, and the `simd_differential`
//!   fuzz target compares them on arbitrary bytes.
#![allow(unsafe_code)]

#[cfg(target_arch = "x86_64")]
pub(crate) use x86_64::{decode_blocks, first_stop};

#[cfg(all(target_arch = "aarch64", target_feature = "neon"))]
pub(crate) use aarch64::{decode_blocks, first_stop};

/// Where the 24 bits of each group of four sextets go: the three low bytes
/// of every 32-bit lane, most significant first; the last four lanes unused.
const PACK_ORDER: [u8; 16] = [2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, 0x80, 0x80, 0x80, 0x80];

/// What to add (mod 256) to each character class to reach its sextet.
const OFFSET_UPPER: u8 = 0u8.wrapping_sub(b'A');
const OFFSET_LOWER: u8 = 26u8.wrapping_sub(b'a');
const OFFSET_DIGIT: u8 = 52u8.wrapping_sub(b'0');
const OFFSET_DASH: u8 = 62u8.wrapping_sub(b'-');
const OFFSET_UNDER: u8 = 63u8.wrapping_sub(b'_');

/// The one classification of every vector width and instruction set, given
/// its byte-wise operations: each character's sextet, and a mask of the
/// bytes that are base64url (all ones) or not (zero). Expanded inside each
/// `target_feature` function, where those operations are safe to call.
macro_rules! classify {
    ($c:expr, splat: $splat:expr, sub: $sub:expr, min: $min:expr, eq: $eq:expr, and: $and:expr, or: $or:expr, add: $add:expr) => {{
        let c = $c;
        // lo <= c < lo + n exactly when (c - lo), wrapping and unsigned, is <= n - 1.
        let range = |lo: u8, n: u8| {
            let x = $sub(c, $splat(lo));
            $eq($min(x, $splat(n - 1)), x)
        };
        let upper = range(b'A', 26);
        let lower = range(b'a', 26);
        let digit = range(b'0', 10);
        let dash = $eq(c, $splat(b'-'));
        let under = $eq(c, $splat(b'_'));
        let add = |mask, delta: u8| $and(mask, $splat(delta));
        let offset = $or(
            $or(add(upper, OFFSET_UPPER), add(lower, OFFSET_LOWER)),
            $or(add(digit, OFFSET_DIGIT), $or(add(dash, OFFSET_DASH), add(under, OFFSET_UNDER))),
        );
        let valid = $or($or(upper, lower), $or(digit, $or(dash, under)));
        ($add(c, offset), valid)
    }};
}

#[cfg(target_arch = "x86_64")]
mod x86_64 {
    // Every function here is compiled for SSE2 (or SSSE3): the intrinsics
    // are safe to call only from such functions, even though SSE2 is part
    // of every x86-64 CPU.
    use core::arch::x86_64::{
        __m128i, __m256i, _mm_add_epi8, _mm_and_si128, _mm_cmpeq_epi8, _mm_cvtsi128_si32, _mm_cvtsi128_si64,
        _mm_loadu_si128, _mm_madd_epi16, _mm_maddubs_epi16, _mm_min_epu8, _mm_movemask_epi8, _mm_or_si128,
        _mm_set1_epi8, _mm_set1_epi32, _mm_shuffle_epi8, _mm_srli_si128, _mm_sub_epi8, _mm256_add_epi8,
        _mm256_and_si256, _mm256_broadcastsi128_si256, _mm256_castsi256_si128, _mm256_cmpeq_epi8,
        _mm256_extracti128_si256, _mm256_loadu_si256, _mm256_madd_epi16, _mm256_maddubs_epi16, _mm256_min_epu8,
        _mm256_movemask_epi8, _mm256_or_si256, _mm256_set1_epi8, _mm256_set1_epi32, _mm256_shuffle_epi8,
        _mm256_sub_epi8,
    };

    use super::{OFFSET_DASH, OFFSET_DIGIT, OFFSET_LOWER, OFFSET_UNDER, OFFSET_UPPER, PACK_ORDER};

    cpufeatures::new!(ssse3, "ssse3");
    cpufeatures::new!(avx2, "avx2");

    /// Sixteen bytes as a vector.
    #[inline]
    #[target_feature(enable = "sse2")]
    fn load(bytes: &[u8; 16]) -> __m128i {
        // SAFETY: `bytes` is a reference to 16 initialised bytes, exactly
        // what `loadu` reads, with no alignment requirement.
        unsafe { _mm_loadu_si128(bytes.as_ptr().cast()) }
    }

    #[inline]
    #[target_feature(enable = "sse2")]
    fn splat(b: u8) -> __m128i {
        _mm_set1_epi8(b as i8)
    }

    /// The index of the first `"`, `\` or control character in `chunk`.
    #[inline(always)]
    pub(crate) fn first_stop(chunk: &[u8; 16]) -> Option<usize> {
        // SAFETY: SSE2, the only requirement, is part of every x86-64 CPU.
        unsafe { first_stop_sse2(chunk) }
    }

    #[inline]
    #[target_feature(enable = "sse2")]
    fn first_stop_sse2(chunk: &[u8; 16]) -> Option<usize> {
        let v = load(chunk);
        // v <= 0x1F (unsigned) exactly when min(v, 0x1F) == v.
        let control = _mm_cmpeq_epi8(_mm_min_epu8(v, splat(0x1F)), v);
        let quote = _mm_cmpeq_epi8(v, splat(b'"'));
        let backslash = _mm_cmpeq_epi8(v, splat(b'\\'));
        let mask = _mm_movemask_epi8(_mm_or_si128(control, _mm_or_si128(quote, backslash))) as u32;
        (mask != 0).then(|| mask.trailing_zeros() as usize)
    }

    /// Decodes the whole 16-character blocks at the front of `src` into
    /// `dst` (12 bytes each): how many blocks, and whether every character
    /// was base64url. AVX2 takes 32 characters a step, SSSE3 16; nothing is
    /// decoded here on a CPU with neither.
    pub(crate) fn decode_blocks(src: &[u8], dst: &mut [u8]) -> (usize, bool) {
        if avx2::get() {
            // SAFETY: the CPU has AVX2 (just detected), the only
            // precondition of this function.
            unsafe { decode_blocks_avx2(src, dst) }
        } else if ssse3::get() {
            // SAFETY: the CPU has SSSE3 (just detected), the only
            // precondition of this function.
            unsafe { decode_blocks_ssse3(src, dst) }
        } else {
            (0, true)
        }
    }

    #[target_feature(enable = "ssse3")]
    pub(super) fn decode_blocks_ssse3(src: &[u8], dst: &mut [u8]) -> (usize, bool) {
        let mut valid = splat(0xFF);
        let mut blocks = 0;
        for (chunk, out) in src.chunks_exact(16).zip(dst.chunks_exact_mut(12)) {
            let (Ok(chunk), Ok(out)) = (<&[u8; 16]>::try_from(chunk), <&mut [u8; 12]>::try_from(out)) else { break };
            let (sextets, ok) = classify(load(chunk));
            valid = _mm_and_si128(valid, ok);
            store12(pack(sextets), out);
            blocks += 1;
        }
        (blocks, _mm_movemask_epi8(valid) == 0xFFFF)
    }

    /// Pairs of blocks (32 characters to 24 bytes) with AVX2, then the one
    /// block that may remain with SSSE3.
    #[target_feature(enable = "avx2")]
    pub(super) fn decode_blocks_avx2(src: &[u8], dst: &mut [u8]) -> (usize, bool) {
        let mut valid = _mm256_set1_epi8(-1);
        let order = _mm256_broadcastsi128_si256(load(&PACK_ORDER));
        let mut pairs = 0;
        for (chunk, out) in src.chunks_exact(32).zip(dst.chunks_exact_mut(24)) {
            let (Ok(chunk), Ok(out)) = (<&[u8; 32]>::try_from(chunk), <&mut [u8; 24]>::try_from(out)) else { break };
            let (sextets, ok) = classify256(load32(chunk));
            valid = _mm256_and_si256(valid, ok);
            // The same packing as `pack`, in each 128-bit half.
            let pairs_of = _mm256_maddubs_epi16(sextets, _mm256_set1_epi32(0x0140_0140));
            let groups = _mm256_madd_epi16(pairs_of, _mm256_set1_epi32(0x0001_1000));
            let bytes = _mm256_shuffle_epi8(groups, order);
            let (low, high) = out.split_at_mut(12);
            if let (Ok(low), Ok(high)) = (<&mut [u8; 12]>::try_from(low), <&mut [u8; 12]>::try_from(high)) {
                store12(_mm256_castsi256_si128(bytes), low);
                store12(_mm256_extracti128_si256::<1>(bytes), high);
            }
            pairs += 1;
        }
        let rest = src.get(pairs * 32..).unwrap_or_default();
        let (one, one_valid) = decode_blocks_ssse3(rest, dst.get_mut(pairs * 24..).unwrap_or_default());
        (pairs * 2 + one, _mm256_movemask_epi8(valid) == -1 && one_valid)
    }

    /// Thirty-two bytes as a vector.
    #[inline]
    #[target_feature(enable = "avx2")]
    fn load32(bytes: &[u8; 32]) -> __m256i {
        // SAFETY: `bytes` is a reference to 32 initialised bytes, exactly
        // what `loadu` reads, with no alignment requirement.
        unsafe { _mm256_loadu_si256(bytes.as_ptr().cast()) }
    }

    /// The low twelve bytes of `v` into `out`.
    #[inline]
    #[target_feature(enable = "sse2")]
    fn store12(v: __m128i, out: &mut [u8; 12]) {
        let (low, high) = out.split_at_mut(8);
        low.copy_from_slice(&_mm_cvtsi128_si64(v).to_le_bytes());
        high.copy_from_slice(&_mm_cvtsi128_si32(_mm_srli_si128::<8>(v)).to_le_bytes());
    }

    /// `classify` on 32 characters.
    #[inline]
    #[target_feature(enable = "avx2")]
    fn classify256(c: __m256i) -> (__m256i, __m256i) {
        classify!(c, splat: |b: u8| _mm256_set1_epi8(b as i8), sub: _mm256_sub_epi8, min: _mm256_min_epu8,
            eq: _mm256_cmpeq_epi8, and: _mm256_and_si256, or: _mm256_or_si256, add: _mm256_add_epi8)
    }

    /// Each character's sextet, and a mask of the bytes that are base64url.
    #[inline]
    #[target_feature(enable = "sse2")]
    fn classify(c: __m128i) -> (__m128i, __m128i) {
        classify!(c, splat: splat, sub: _mm_sub_epi8, min: _mm_min_epu8, eq: _mm_cmpeq_epi8,
            and: _mm_and_si128, or: _mm_or_si128, add: _mm_add_epi8)
    }

    /// Sixteen sextets to twelve bytes (the low twelve lanes).
    #[inline]
    #[target_feature(enable = "ssse3")]
    fn pack(s: __m128i) -> __m128i {
        // Byte pairs (a, b) → a << 6 | b in each 16-bit lane ...
        let pairs = _mm_maddubs_epi16(s, _mm_set1_epi32(0x0140_0140));
        // ... 12-bit pairs (p, q) → p << 12 | q in each 32-bit lane ...
        let groups = _mm_madd_epi16(pairs, _mm_set1_epi32(0x0001_1000));
        // ... and the three low bytes of each lane, big-endian.
        _mm_shuffle_epi8(groups, load(&PACK_ORDER))
    }

    /// Each x86-64 decoder the CPU has (AVX2 and SSSE3 alike: the
    /// dispatcher picks only one) against the table decoder, at every
    /// length to 130 with every kind of bad byte at every position.
    #[cfg(test)]
    mod tests {
        use crate::base64url::{decode_scalar, decode_using, encode};

        #[test]
        fn every_decoder_agrees_with_the_scalar_one() {
            // Under Miri (~1000x slower) lengths to 40 (one pair of blocks,
            // one block and a tail), sparser positions and bad bytes.
            let max = if cfg!(miri) { 40 } else { 130 };
            let data: Vec<u8> = (0..max).map(|i: u32| (i.wrapping_mul(151) ^ (i >> 1)).to_le_bytes()[0]).collect();
            let mut text = [0u8; 200];
            let (mut a, mut b) = ([0u8; 150], [0u8; 150]);
            let mut ran = 0;
            for len in 0..=data.len() {
                let n = encode(&data[..len], &mut text).unwrap().len();
                let step = if cfg!(miri) { 17 } else { 1 };
                let bads: &[u8] = if cfg!(miri) { b"+{" } else { b"+\x80@`{/:[" };
                for pos in (0..=n).step_by(step) {
                    for &bad in bads {
                        let mut t = text;
                        if pos < n {
                            t[pos] = bad;
                        }
                        let want = decode_scalar(&t[..n], &mut b).map(<[u8]>::to_vec);
                        if super::ssse3::get() {
                            // SAFETY: SSSE3 detected just above.
                            let got = decode_using(&t[..n], &mut a, |s, d| unsafe { super::decode_blocks_ssse3(s, d) });
                            assert_eq!(got.map(<[u8]>::to_vec), want, "ssse3 {:?}", &t[..n]);
                            ran += 1;
                        }
                        if super::avx2::get() {
                            // SAFETY: AVX2 detected just above.
                            let got = decode_using(&t[..n], &mut a, |s, d| unsafe { super::decode_blocks_avx2(s, d) });
                            assert_eq!(got.map(<[u8]>::to_vec), want, "avx2 {:?}", &t[..n]);
                            ran += 1;
                        }
                    }
                }
            }
            // Under Miri neither is detected unless the build assumes it.
            assert!(ran > 0 || cfg!(miri));
        }
    }
}

#[cfg(all(target_arch = "aarch64", target_feature = "neon"))]
mod aarch64 {
    // As on x86-64, the intrinsics are safe only inside functions compiled
    // for NEON, though every target this module is built for has it.
    use core::arch::aarch64::{
        uint8x16_t, vaddq_u8, vandq_u8, vandq_u16, vandq_u32, vceqq_u8, vcltq_u8, vdupq_n_u8, vdupq_n_u16, vdupq_n_u32,
        vget_lane_u64, vgetq_lane_u32, vgetq_lane_u64, vld1q_u8, vminq_u8, vminvq_u8, vorrq_u8, vorrq_u16, vorrq_u32,
        vqtbl1q_u8, vreinterpret_u64_u8, vreinterpretq_u8_u32, vreinterpretq_u16_u8, vreinterpretq_u32_u8,
        vreinterpretq_u32_u16, vreinterpretq_u64_u8, vshlq_n_u16, vshlq_n_u32, vshrn_n_u16, vshrq_n_u16, vshrq_n_u32,
        vsubq_u8,
    };

    use super::{OFFSET_DASH, OFFSET_DIGIT, OFFSET_LOWER, OFFSET_UNDER, OFFSET_UPPER, PACK_ORDER};

    /// Sixteen bytes as a vector.
    #[inline]
    #[target_feature(enable = "neon")]
    fn load(bytes: &[u8; 16]) -> uint8x16_t {
        // SAFETY: `bytes` is a reference to 16 initialised bytes, exactly
        // what `vld1q_u8` reads, with no alignment requirement.
        unsafe { vld1q_u8(bytes.as_ptr()) }
    }

    /// The index of the first `"`, `\` or control character in `chunk`.
    #[inline(always)]
    pub(crate) fn first_stop(chunk: &[u8; 16]) -> Option<usize> {
        // SAFETY: the module is built only for targets with NEON.
        unsafe { first_stop_neon(chunk) }
    }

    #[inline]
    #[target_feature(enable = "neon")]
    fn first_stop_neon(chunk: &[u8; 16]) -> Option<usize> {
        let v = load(chunk);
        let stop = vorrq_u8(
            vcltq_u8(v, vdupq_n_u8(0x20)),
            vorrq_u8(vceqq_u8(v, vdupq_n_u8(b'"')), vceqq_u8(v, vdupq_n_u8(b'\\'))),
        );
        // NEON has no byte movemask: narrowing each 16-bit lane by 4 bits
        // leaves one nibble per byte, all ones where the byte matched.
        let nibbles = vget_lane_u64::<0>(vreinterpret_u64_u8(vshrn_n_u16::<4>(vreinterpretq_u16_u8(stop))));
        (nibbles != 0).then(|| nibbles.trailing_zeros() as usize / 4)
    }

    /// Decodes the whole 16-character blocks at the front of `src` into
    /// `dst` (12 bytes each): how many blocks, and whether every character
    /// was base64url.
    #[inline(always)]
    pub(crate) fn decode_blocks(src: &[u8], dst: &mut [u8]) -> (usize, bool) {
        // SAFETY: the module is built only for targets with NEON.
        unsafe { decode_blocks_neon(src, dst) }
    }

    #[target_feature(enable = "neon")]
    fn decode_blocks_neon(src: &[u8], dst: &mut [u8]) -> (usize, bool) {
        let mut valid = vdupq_n_u8(0xFF);
        let order = load(&PACK_ORDER);
        let mut blocks = 0;
        for (chunk, out) in src.chunks_exact(16).zip(dst.chunks_exact_mut(12)) {
            let (Ok(chunk), Ok(out)) = (<&[u8; 16]>::try_from(chunk), <&mut [u8; 12]>::try_from(out)) else { break };
            let (sextets, ok) = classify!(load(chunk), splat: vdupq_n_u8, sub: vsubq_u8, min: vminq_u8,
                eq: vceqq_u8, and: vandq_u8, or: vorrq_u8, add: vaddq_u8);
            valid = vandq_u8(valid, ok);
            let s = vreinterpretq_u16_u8(sextets);
            // Byte pairs (a, b) → a << 6 | b; then 12-bit pairs (p, q) → p << 12 | q.
            let pairs = vorrq_u16(vshlq_n_u16::<6>(vandq_u16(s, vdupq_n_u16(0x00FF))), vshrq_n_u16::<8>(s));
            let p = vreinterpretq_u32_u16(pairs);
            let groups = vorrq_u32(vshlq_n_u32::<12>(vandq_u32(p, vdupq_n_u32(0xFFFF))), vshrq_n_u32::<16>(p));
            let bytes = vqtbl1q_u8(vreinterpretq_u8_u32(groups), order);
            let (low, high) = out.split_at_mut(8);
            low.copy_from_slice(&vgetq_lane_u64::<0>(vreinterpretq_u64_u8(bytes)).to_le_bytes());
            high.copy_from_slice(&vgetq_lane_u32::<2>(vreinterpretq_u32_u8(bytes)).to_le_bytes());
            blocks += 1;
        }
        (blocks, vminvq_u8(valid) == 0xFF)
    }
}
