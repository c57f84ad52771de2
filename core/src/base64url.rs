//! Strict, unpadded base64url (RFC 4648 §5), as JWS requires (RFC 7515 §2).
//!
//! Decoding is strict: only `A-Za-z0-9-_`, no padding, no whitespace, no
//! length ≡ 1 (mod 4), and the unused low bits of the last character must
//! be zero, so that every byte string has exactly one accepted encoding.

// Indexing here is on fixed-size chunks and a 256-entry table indexed by
// a byte, and casts keep the low byte on purpose: neither can fail.
#![allow(clippy::indexing_slicing, clippy::cast_possible_truncation)]

use base64ct::{Base64UrlUnpadded, Encoding};

use crate::error::Error;

/// The decoded length of `encoded_len` base64url characters, or `None`
/// when no unpadded encoding has that length (`≡ 1 mod 4`).
///
/// ```
/// use tessera_core::base64url::decoded_len;
/// assert_eq!(decoded_len(43), Some(32));
/// assert_eq!(decoded_len(5), None);
/// ```
pub const fn decoded_len(encoded_len: usize) -> Option<usize> {
    let full = (encoded_len / 4) * 3;
    match encoded_len % 4 {
        0 => Some(full),
        2 => Some(full + 1),
        3 => Some(full + 2),
        _ => None,
    }
}

/// The unpadded base64url length of `len` bytes.
///
/// ```
/// assert_eq!(tessera_core::base64url::encoded_len(32), 43);
/// ```
pub const fn encoded_len(len: usize) -> usize {
    (len / 3) * 4
        + match len % 3 {
            0 => 0,
            1 => 2,
            _ => 3,
        }
}

/// The 6-bit value of each base64url character; 0xFF for every other byte.
const DECODE: [u8; 256] = {
    let mut t = [0xFFu8; 256];
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut i = 0;
    while i < 64 {
        t[alphabet[i] as usize] = i as u8;
        i += 1;
    }
    t
};

#[inline(always)]
fn sextet(c: u8) -> u32 {
    // Invalid characters map to 0xFF, which sets bit 7; callers OR the values
    // together and test that bit once.
    u32::from(DECODE[usize::from(c)])
}

/// Decodes `src` into the front of `dst`, returning the decoded bytes.
///
/// Table-driven and branch-free per group of four characters: token bytes
/// are public, so unlike `base64ct` this need not be constant time, and it
/// is several times faster. Strictness is the same (see the module docs).
///
/// # Errors
/// [`Error::Malformed`] for anything but canonical unpadded base64url;
/// [`Error::BufferTooSmall`] when `dst` cannot hold the result.
///
/// ```
/// let mut buf = [0u8; 8];
/// assert_eq!(tessera_core::base64url::decode(b"aGk", &mut buf), Ok(&b"hi"[..]));
/// assert!(tessera_core::base64url::decode(b"aGl", &mut buf).is_err()); // non-zero trailing bits
/// ```
pub fn decode<'o>(src: &[u8], dst: &'o mut [u8]) -> Result<&'o [u8], Error> {
    decode_using(src, dst, decode_blocks)
}

/// [`decode`] without vectors: the reference the vector paths are tested
/// against (here at every length, and by the `simd_differential` fuzz target).
pub(crate) fn decode_scalar<'o>(src: &[u8], dst: &'o mut [u8]) -> Result<&'o [u8], Error> {
    decode_using(src, dst, |_, _| (0, true))
}

/// Decodes with `blocks` for the whole 16-character blocks at the front
/// and the table decoder for the rest.
#[inline]
pub(crate) fn decode_using<'o>(
    src: &[u8],
    dst: &'o mut [u8],
    blocks: impl FnOnce(&[u8], &mut [u8]) -> (usize, bool),
) -> Result<&'o [u8], Error> {
    let len = decoded_len(src.len()).ok_or(Error::Malformed)?;
    let out = dst.get_mut(..len).ok_or(Error::BufferTooSmall)?;
    let (blocks, blocks_valid) = blocks(src, out);
    // Whole blocks of 16 characters keep the remainder's length mod 4.
    let rest = src.get(blocks * 16..).unwrap_or_default();
    let rest_out = out.get_mut(blocks * 12..).unwrap_or_default();
    if !(decode_exact(rest, rest_out) && blocks_valid) {
        return Err(Error::Malformed);
    }
    Ok(out)
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod simd128;

/// Whole 16-character blocks with WebAssembly SIMD: (blocks done, valid).
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
use simd128::decode_blocks;

/// Whole 16-character blocks with SSSE3 (when the CPU has it) on x86-64
/// and NEON on aarch64: the crate's one `unsafe` module, `native_simd`.
#[cfg(any(target_arch = "x86_64", all(target_arch = "aarch64", target_feature = "neon")))]
use crate::native_simd::decode_blocks;

/// Elsewhere the table decoder does everything.
#[cfg(not(any(
    all(target_arch = "wasm32", target_feature = "simd128"),
    target_arch = "x86_64",
    all(target_arch = "aarch64", target_feature = "neon")
)))]
#[inline(always)]
fn decode_blocks(_: &[u8], _: &mut [u8]) -> (usize, bool) {
    (0, true)
}

/// Decodes `src` into `out`, which is exactly [`decoded_len`] long;
/// whether `src` was canonical base64url. (`inline`, not `always`: in
/// unoptimized builds its frame must not sit under the vector decoder's,
/// for the 16 KiB stack bound.)
#[inline]
fn decode_exact(src: &[u8], out: &mut [u8]) -> bool {
    let full = src.len() / 4;
    // Eight characters per step into one u64, stored as eight bytes while
    // advancing by six: the two extra bytes land where the next step (or the
    // groups below) write, so the wide steps leave at least two groups over.
    let wide = full.saturating_sub(2) / 2;
    let (wide_in, src) = src.split_at(wide * 8);
    let mut bad64 = 0u64;
    for (i, g) in wide_in.chunks_exact(8).enumerate() {
        let v = |k: usize| u64::from(DECODE[usize::from(g[k])]);
        let (a, b, c, d, e, f, h, j) = (v(0), v(1), v(2), v(3), v(4), v(5), v(6), v(7));
        bad64 |= a | b | c | d | e | f | h | j;
        let n = (a << 42) | (b << 36) | (c << 30) | (d << 24) | (e << 18) | (f << 12) | (h << 6) | j;
        let at = i * 6;
        if let Some(dst) = out.get_mut(at..at + 8) {
            dst.copy_from_slice(&(n << 16).to_be_bytes());
        }
    }
    let (_, narrow) = out.split_at_mut(wide * 6);
    let full = full - wide * 2;
    let (groups, tail) = src.split_at(full * 4);
    let (out_groups, out_tail) = narrow.split_at_mut(full * 3);
    let mut bad = bad64 as u32;
    for (g, o) in groups.chunks_exact(4).zip(out_groups.chunks_exact_mut(3)) {
        let (a, b, c, d) = (sextet(g[0]), sextet(g[1]), sextet(g[2]), sextet(g[3]));
        bad |= a | b | c | d;
        let n = (a << 18) | (b << 12) | (c << 6) | d;
        o.copy_from_slice(&n.to_be_bytes()[1..]);
    }
    match *tail {
        [] => {}
        [x, y] => {
            let (a, b) = (sextet(x), sextet(y));
            // 2 characters carry 12 bits for 1 byte: the low 4 bits must be zero.
            bad |= a | b | (u32::from(b & 0x0F != 0) << 7);
            let n = (a << 6) | b;
            out_tail.copy_from_slice(&[(n >> 4) as u8]);
        }
        [x, y, z] => {
            let (a, b, c) = (sextet(x), sextet(y), sextet(z));
            // 3 characters carry 18 bits for 2 bytes: the low 2 bits must be zero.
            bad |= a | b | c | (u32::from(c & 0x03 != 0) << 7);
            let n = (a << 12) | (b << 6) | c;
            out_tail.copy_from_slice(&[(n >> 10) as u8, (n >> 2) as u8]);
        }
        _ => return false,
    }
    bad & 0x80 == 0
}

/// Checks that `src` is canonical unpadded base64url without keeping the bytes.
pub(crate) fn validate(src: &[u8]) -> Result<(), Error> {
    let mut buf = [0u8; 48];
    // Whole blocks of 64 characters decode to 48 bytes; the tail is checked last.
    let mut rest = src;
    while rest.len() > 64 {
        let (head, tail) = rest.split_at(64);
        decode(head, &mut buf)?;
        rest = tail;
    }
    decode(rest, &mut buf).map(|_| ())
}

/// Encodes `src` into the front of `dst`, returning the text.
///
/// # Errors
/// [`Error::BufferTooSmall`] when `dst` is shorter than [`encoded_len`].
///
/// ```
/// let mut buf = [0u8; 8];
/// assert_eq!(tessera_core::base64url::encode(b"hi?", &mut buf), Ok("aGk_"));
/// ```
pub fn encode<'o>(src: &[u8], dst: &'o mut [u8]) -> Result<&'o str, Error> {
    Base64UrlUnpadded::encode(src, dst).map_err(|_| Error::BufferTooSmall)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Result<Vec<u8>, Error> {
        let mut buf = [0u8; 128];
        decode(s.as_bytes(), &mut buf).map(|b| b.to_vec())
    }

    macro_rules! cases {
        ($($src:expr => $ok:expr;)*) => { $( assert_eq!(dec($src).is_ok(), $ok, "{:?}", $src); )* };
    }

    #[test]
    fn strictness() {
        cases! {
            "" => true;
            "eyJhIjoxfQ" => true;
            "eyJhIjoxfQ==" => false;
            "eyJhIjoxfQ=" => false;
            "eyJh+joxfQ" => false;
            "eyJh/joxfQ" => false;
            "eyJh joxfQ" => false;
            "eyJhIjoxf" => false;
            "eyJhIjoxfR" => false;
            "eyJhIjoxfQ\n" => false;
            "-_-_" => true;
            "AA" => true;
            "AB" => false;
            "AAA" => true;
            "AAB" => false;
        }
        assert_eq!(dec("eyJhIjoxfQ").unwrap(), b"{\"a\":1}");
    }

    #[test]
    fn validate_long_input() {
        let mut text = [0u8; 200];
        let n = encode(&[0xfb; 150], &mut text).unwrap().len();
        assert!(validate(&text[..n]).is_ok());
        text[150] = b'+';
        assert_eq!(validate(&text[..n]), Err(Error::Malformed));
    }

    /// The wide (eight-character) and narrow paths against `base64ct`'s
    /// strict decoder: every length to 300, every bad byte position.
    #[test]
    fn agrees_with_base64ct_at_every_length_and_position() {
        // Under Miri (checking for UB, ~1000x slower) the same paths with
        // shorter inputs: lengths to 24 still use both decoding loops.
        let max = if cfg!(miri) { 24 } else { 300 };
        let data: Vec<u8> = (0..max).map(|i: u32| (i.wrapping_mul(167) ^ (i >> 3)) as u8).collect();
        let mut text = [0u8; 400];
        let mut out = [0u8; 300];
        for len in 0..=data.len() {
            let n = encode(&data[..len], &mut text).unwrap().len();
            assert_eq!(decode(&text[..n], &mut out), Ok(&data[..len]), "len {len}");
            for pos in 0..n {
                for bad in [b'+', b'/', b'=', b'.', 0x80, b' '] {
                    let mut t = text;
                    t[pos] = bad;
                    assert_eq!(decode(&t[..n], &mut out), Err(Error::Malformed), "len {len} pos {pos}");
                }
                let mut t = text;
                t[pos] = b'A' + (t[pos] % 26);
                let ours = decode(&t[..n], &mut out).map(<[u8]>::to_vec);
                let mut other = [0u8; 300];
                let theirs = Base64UrlUnpadded::decode(&t[..n], &mut other).map(<[u8]>::to_vec);
                assert_eq!(ours.ok(), theirs.ok(), "len {len} pos {pos}");
            }
        }
    }

    /// The vector path (SSSE3, NEON or simd128, whichever this target
    /// runs) against the table decoder alone: every length to 200, every
    /// bad byte at every position, and every byte value at the first
    /// position of a block.
    #[test]
    fn vectors_agree_with_the_scalar_decoder() {
        // Under Miri (~1000x slower) two blocks and a tail, sparser bad bytes.
        let max = if cfg!(miri) { 34 } else { 200 };
        let data: Vec<u8> = (0..max).map(|i: u32| (i.wrapping_mul(73) ^ (i >> 2)) as u8).collect();
        let mut text = [0u8; 300];
        let (mut a, mut b) = ([0u8; 200], [0u8; 200]);
        let check = |t: &[u8], a: &mut [u8], b: &mut [u8]| {
            assert_eq!(decode(t, a).map(<[u8]>::to_vec), decode_scalar(t, b).map(<[u8]>::to_vec), "{t:?}");
        };
        for len in 0..=data.len() {
            let n = encode(&data[..len], &mut text).unwrap().len();
            check(&text[..n], &mut a, &mut b);
            let step = if cfg!(miri) { 11 } else { 1 };
            for pos in (0..n).step_by(step) {
                for bad in [b'+', b'/', b'=', b'.', 0x80, 0xFF, 0, b'@', b'[', b'`', b'{', b'/' + 1 - 1, b':'] {
                    let mut t = text;
                    t[pos] = bad;
                    check(&t[..n], &mut a, &mut b);
                }
            }
        }
        let n = encode(&data[..24], &mut text).unwrap().len();
        for byte in (0..=255u8).step_by(if cfg!(miri) { 5 } else { 1 }) {
            for pos in [0, 15, 16, 31] {
                let mut t = text;
                t[pos] = byte;
                check(&t[..n], &mut a, &mut b);
            }
        }
    }

    #[test]
    fn buffer_too_small() {
        assert_eq!(decode(b"aGk", &mut [0u8; 1]), Err(Error::BufferTooSmall));
        assert_eq!(encode(b"hi", &mut [0u8; 2]), Err(Error::BufferTooSmall));
    }
}
