//! Strict, unpadded base64url (RFC 4648 §5), as JWS requires (RFC 7515 §2).
//!
//! Decoding is strict: only `A-Za-z0-9-_`, no padding, no whitespace, no
//! length ≡ 1 (mod 4), and the unused low bits of the last character must
//! be zero, so that every byte string has exactly one accepted encoding.

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

/// Decodes `src` into the front of `dst`, returning the decoded bytes.
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
    let len = decoded_len(src.len()).ok_or(Error::Malformed)?;
    if dst.len() < len {
        return Err(Error::BufferTooSmall);
    }
    let out = dst.get_mut(..len).ok_or(Error::BufferTooSmall)?;
    Base64UrlUnpadded::decode(src, out).map_err(|_| Error::Malformed)
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

    #[test]
    fn buffer_too_small() {
        assert_eq!(decode(b"aGk", &mut [0u8; 1]), Err(Error::BufferTooSmall));
        assert_eq!(encode(b"hi", &mut [0u8; 2]), Err(Error::BufferTooSmall));
    }
}
