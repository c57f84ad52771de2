//! Public keys as X.509 `SubjectPublicKeyInfo` (RFC 5280 §4.1.2.7), in DER
//! or PEM (RFC 7468 `PUBLIC KEY`; also PKCS#1 `RSA PUBLIC KEY`), the form
//! `openssl pkey -pubout` and most identity providers' consoles give.
//!
//! A small strict DER reader of our own (definite, minimal lengths; no
//! trailing bytes) for the three shapes we accept: RSA (`rsaEncryption`
//! with a NULL parameter), EC (`id-ecPublicKey` on P-256 or P-384) and
//! Ed25519 (RFC 8410). The caller names the algorithm, which must agree
//! with the key: an SPKI cannot say RS256 from PS256.

use crate::algorithm::{Algorithm, Family};
use crate::error::Error;
#[cfg(feature = "ecdsa")]
use crate::key::EcdsaKey;
#[cfg(feature = "ed25519")]
use crate::key::Ed25519Key;
use crate::key::Key;
#[cfg(feature = "rsa")]
use crate::key::RsaKey;

pub(crate) const SEQUENCE: u8 = 0x30;
#[cfg(any(feature = "rsa", feature = "ed25519", feature = "ecdsa"))]
pub(crate) const INTEGER: u8 = 0x02;
pub(crate) const BIT_STRING: u8 = 0x03;
#[cfg(any(feature = "ed25519", feature = "ecdsa"))]
pub(crate) const OCTET_STRING: u8 = 0x04;
const NULL: u8 = 0x05;
pub(crate) const OID: u8 = 0x06;

/// 1.2.840.113549.1.1.1
const RSA_ENCRYPTION: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
/// 1.2.840.10045.2.1
pub(crate) const EC_PUBLIC_KEY: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
/// 1.2.840.10045.3.1.7
pub(crate) const P256: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
/// 1.3.132.0.34
const P384: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x22];
/// 1.3.101.112
pub(crate) const ED25519: &[u8] = &[0x2b, 0x65, 0x70];

/// The largest DER accepted: an RSA-4096 SPKI is 550 bytes.
pub(crate) const MAX_DER: usize = 1024;

/// A strict DER reader over one buffer.
pub(crate) struct Der<'a>(pub(crate) &'a [u8]);

impl<'a> Der<'a> {
    #[cfg(any(feature = "ed25519", feature = "ecdsa"))]
    /// The contents of the next element when its tag is `tag`, else `None`
    /// (for OPTIONAL members).
    pub(crate) fn take_optional(&mut self, tag: u8) -> Result<Option<&'a [u8]>, Error> {
        if self.0.first() == Some(&tag) { self.take(tag).map(Some) } else { Ok(None) }
    }

    /// The contents of the next element, which must have tag `tag`.
    pub(crate) fn take(&mut self, tag: u8) -> Result<&'a [u8], Error> {
        let [t, first, rest @ ..] = self.0 else { return Err(Error::InvalidKey) };
        if *t != tag {
            return Err(Error::InvalidKey);
        }
        let (len, rest) = match *first {
            n @ 0..=0x7f => (usize::from(n), rest),
            0x81 => match rest {
                [n @ 0x80..=0xff, rest @ ..] => (usize::from(*n), rest),
                _ => return Err(Error::InvalidKey), // not minimal
            },
            0x82 => match rest {
                [hi @ 1..=0xff, lo, rest @ ..] => (usize::from(*hi) << 8 | usize::from(*lo), rest),
                _ => return Err(Error::InvalidKey),
            },
            _ => return Err(Error::InvalidKey), // indefinite or too long
        };
        if len > rest.len() {
            return Err(Error::InvalidKey);
        }
        let (contents, rest) = rest.split_at(len);
        self.0 = rest;
        Ok(contents)
    }

    pub(crate) fn finish(&self) -> Result<(), Error> {
        if self.0.is_empty() { Ok(()) } else { Err(Error::InvalidKey) }
    }

    /// A non-negative INTEGER's magnitude without its sign byte.
    #[cfg(feature = "rsa")]
    fn unsigned(&mut self) -> Result<&'a [u8], Error> {
        let bytes = self.take(INTEGER)?;
        match bytes {
            // Minimal: a leading zero only before a byte with its top bit set.
            [0, rest @ ..] if rest.first().is_some_and(|&b| b >= 0x80) => Ok(rest),
            [0, ..] | [] => Err(Error::InvalidKey),
            [first, ..] if *first >= 0x80 => Err(Error::InvalidKey), // negative
            _ => Ok(bytes),
        }
    }
}

impl Key {
    /// The public key of a DER `SubjectPublicKeyInfo`, for `algorithm`:
    /// RSA (`rsaEncryption`) for RS256 to PS512, P-256 / P-384 for ES256 /
    /// ES384, Ed25519 for EdDSA.
    ///
    /// # Errors
    /// [`Error::InvalidKey`] for DER that is not such a key (any other
    /// algorithm or curve, missing or extra parameters, non-minimal
    /// lengths, trailing bytes), a key of another type than `algorithm`
    /// says, or a key its family refuses; [`Error::WeakKey`] as the family
    /// says (RSA under 2048 bits, `e` = 1, small-order Ed25519).
    ///
    /// ```
    /// use tessera_core::{Algorithm, Error, Key};
    /// // RFC 8410 §10.1's Ed25519 public key.
    /// let der = [0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
    ///     0x19, 0xbf, 0x44, 0x09, 0x69, 0x84, 0xcd, 0xfe, 0x85, 0x41, 0xba, 0xc1, 0x67, 0xdc, 0x3b, 0x96,
    ///     0xc8, 0x50, 0x86, 0xaa, 0x30, 0xb6, 0xb6, 0xcb, 0x0c, 0x5c, 0x38, 0xad, 0x70, 0x31, 0x66, 0xe1];
    /// assert_eq!(Key::from_spki_der(&der, Algorithm::EdDsa)?.algorithm(), Algorithm::EdDsa);
    /// assert_eq!(Key::from_spki_der(&der, Algorithm::Es256).err(), Some(Error::InvalidKey));
    /// # Ok::<(), Error>(())
    /// ```
    pub fn from_spki_der(der: &[u8], algorithm: Algorithm) -> Result<Key, Error> {
        let mut outer = Der(der);
        let mut spki = Der(outer.take(SEQUENCE)?);
        outer.finish()?;
        let mut id = Der(spki.take(SEQUENCE)?);
        let oid = id.take(OID)?;
        let key = match spki.take(BIT_STRING)? {
            [0, key @ ..] => key,
            _ => return Err(Error::InvalidKey), // unused bits
        };
        spki.finish()?;
        let family = algorithm.family();
        if oid == RSA_ENCRYPTION && family == Family::Rsa {
            id.take(NULL)?.is_empty().then_some(()).ok_or(Error::InvalidKey)?;
            id.finish()?;
            return rsa_public_key(key, algorithm);
        }
        if oid == EC_PUBLIC_KEY && family == Family::Ecdsa {
            let curve = id.take(OID)?;
            id.finish()?;
            let expected = if algorithm == Algorithm::Es256 { P256 } else { P384 };
            if curve != expected {
                return Err(Error::InvalidKey);
            }
            return ec_point(key, algorithm);
        }
        if oid == ED25519 && family == Family::EdDsa {
            id.finish()?; // RFC 8410 §3: the parameters MUST be absent.
            return ed25519(key);
        }
        Err(Error::InvalidKey)
    }

    /// The public key of a PEM document (RFC 7468): `PUBLIC KEY`
    /// (`SubjectPublicKeyInfo`, as [`from_spki_der`](Self::from_spki_der))
    /// or `RSA PUBLIC KEY` (PKCS#1 `RSAPublicKey`), for `algorithm`.
    /// Whitespace around the lines is allowed; anything else around the
    /// one document is not.
    ///
    /// # Errors
    /// As [`from_spki_der`](Self::from_spki_der); [`Error::InvalidKey`] for
    /// another label (a `PRIVATE KEY` or a `CERTIFICATE` is refused), bad
    /// base64, or a document over 1024 bytes of DER.
    ///
    /// ```
    /// use tessera_core::{Algorithm, Key};
    /// let pem = "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END PUBLIC KEY-----\n";
    /// assert_eq!(Key::from_spki_pem(pem, Algorithm::EdDsa)?.algorithm(), Algorithm::EdDsa);
    /// # Ok::<(), tessera_core::Error>(())
    /// ```
    pub fn from_spki_pem(pem: &str, algorithm: Algorithm) -> Result<Key, Error> {
        let mut der = [0u8; MAX_DER];
        let (label, der) = pem_decode(pem, &["PUBLIC KEY", "RSA PUBLIC KEY"], &mut der)?;
        match label {
            "PUBLIC KEY" => Key::from_spki_der(der, algorithm),
            "RSA PUBLIC KEY" if algorithm.family() == Family::Rsa => rsa_public_key(der, algorithm),
            _ => Err(Error::InvalidKey),
        }
    }
}

/// The label (one of `labels`) and the DER of a one-document PEM. The
/// base64 text is wiped before returning: it may be a private key's.
pub(crate) fn pem_decode<'d>(
    pem: &str,
    labels: &[&'static str],
    der: &'d mut [u8; MAX_DER],
) -> Result<(&'static str, &'d [u8]), Error> {
    let mut text = [0u8; MAX_DER * 4 / 3 + 4];
    let result = pem_decode_into(pem, labels, der, &mut text);
    zeroize::Zeroize::zeroize(&mut text);
    result
}

fn pem_decode_into<'d>(
    pem: &str,
    labels: &[&'static str],
    der: &'d mut [u8; MAX_DER],
    text: &mut [u8; MAX_DER * 4 / 3 + 4],
) -> Result<(&'static str, &'d [u8]), Error> {
    let mut lines = pem.lines().map(str::trim).filter(|l| !l.is_empty());
    let begin = lines.next().ok_or(Error::InvalidKey)?;
    let label = labels
        .iter()
        .copied()
        .find(|l| begin.strip_prefix("-----BEGIN ").and_then(|b| b.strip_suffix("-----")) == Some(*l))
        .ok_or(Error::InvalidKey)?;
    let mut len = 0;
    let mut ended = false;
    for line in lines.by_ref() {
        if line.strip_prefix("-----END ").and_then(|e| e.strip_suffix("-----")) == Some(label) {
            ended = true;
            break;
        }
        let dst = text.get_mut(len..len + line.len()).ok_or(Error::InvalidKey)?;
        dst.copy_from_slice(line.as_bytes());
        len += line.len();
    }
    if !ended || lines.next().is_some() {
        return Err(Error::InvalidKey);
    }
    use base64ct::{Base64, Encoding};
    let der = Base64::decode(text.get(..len).unwrap_or_default(), der).map_err(|_| Error::InvalidKey)?;
    Ok((label, der))
}

#[cfg(feature = "rsa")]
fn rsa_public_key(der: &[u8], algorithm: Algorithm) -> Result<Key, Error> {
    let mut outer = Der(der);
    let mut seq = Der(outer.take(SEQUENCE)?);
    outer.finish()?;
    let n = seq.unsigned()?;
    let e = seq.unsigned()?;
    seq.finish()?;
    Ok(RsaKey::from_components(algorithm, n, e)?.into())
}

#[cfg(not(feature = "rsa"))]
fn rsa_public_key(_: &[u8], _: Algorithm) -> Result<Key, Error> {
    Err(Error::InvalidKey)
}

/// An uncompressed SEC1 point (`04 ‖ x ‖ y`). Compressed points are
/// refused: RFC 5480 §2.2 makes the uncompressed form the one every
/// implementation supports, and decompression would add 8 KB to the
/// WebAssembly module for keys nobody publishes.
#[cfg(feature = "ecdsa")]
fn ec_point(point: &[u8], algorithm: Algorithm) -> Result<Key, Error> {
    let field = if algorithm == Algorithm::Es256 { 32 } else { 48 };
    match point {
        [4, xy @ ..] if xy.len() == 2 * field => {
            let (x, y) = xy.split_at(field);
            Ok(EcdsaKey::from_coordinates(algorithm, x, y)?.into())
        }
        _ => Err(Error::InvalidKey),
    }
}

#[cfg(not(feature = "ecdsa"))]
fn ec_point(_: &[u8], _: Algorithm) -> Result<Key, Error> {
    Err(Error::InvalidKey)
}

#[cfg(feature = "ed25519")]
fn ed25519(key: &[u8]) -> Result<Key, Error> {
    Ok(Ed25519Key::from_bytes(key)?.into())
}

#[cfg(not(feature = "ed25519"))]
fn ed25519(_: &[u8]) -> Result<Key, Error> {
    Err(Error::InvalidKey)
}

#[cfg(test)]
#[cfg(feature = "ed25519")]
mod tests {
    use super::*;

    // RFC 8410 §10.1.
    const DER: [u8; 44] = [
        0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00, 0x19, 0xbf, 0x44, 0x09, 0x69, 0x84,
        0xcd, 0xfe, 0x85, 0x41, 0xba, 0xc1, 0x67, 0xdc, 0x3b, 0x96, 0xc8, 0x50, 0x86, 0xaa, 0x30, 0xb6, 0xb6, 0xcb,
        0x0c, 0x5c, 0x38, 0xad, 0x70, 0x31, 0x66, 0xe1,
    ];
    const B64: &str = "MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=";

    fn der(f: impl FnOnce(&mut Vec<u8>)) -> Result<Key, Error> {
        let mut d = DER.to_vec();
        f(&mut d);
        Key::from_spki_der(&d, Algorithm::EdDsa)
    }

    #[test]
    fn strict_der() {
        assert!(der(|_| ()).is_ok());
        // Trailing byte, after the outer SEQUENCE and inside it.
        assert_eq!(der(|d| d.push(0)).err(), Some(Error::InvalidKey));
        assert_eq!(
            der(|d| {
                d[1] += 2;
                d.extend_from_slice(&[5, 0]);
            })
            .err(),
            Some(Error::InvalidKey)
        );
        // Non-minimal length (0x81 0x2a), indefinite length (0x80).
        assert_eq!(
            der(|d| {
                d.splice(1..2, [0x81, 0x2a]);
            })
            .err(),
            Some(Error::InvalidKey)
        );
        assert_eq!(der(|d| d[1] = 0x80).err(), Some(Error::InvalidKey));
        // A BIT STRING with unused bits; a truncated one.
        assert_eq!(der(|d| d[11] = 1).err(), Some(Error::InvalidKey));
        assert_eq!(der(|d| d.truncate(43)).err(), Some(Error::InvalidKey));
        // Parameters where RFC 8410 says they MUST be absent (a NULL).
        assert_eq!(
            der(|d| {
                d[1] += 2;
                d[3] += 2;
                d.splice(9..9, [5, 0]);
            })
            .err(),
            Some(Error::InvalidKey)
        );
        // Another OID (X25519, 1.3.101.110); another algorithm for this key.
        assert_eq!(der(|d| d[8] = 0x6e).err(), Some(Error::InvalidKey));
        for alg in [Algorithm::Es256, Algorithm::Rs256, Algorithm::Hs256] {
            assert_eq!(Key::from_spki_der(&DER, alg).err(), Some(Error::InvalidKey), "{alg:?}");
        }
        // A key too short for Ed25519.
        assert_eq!(
            der(|d| {
                d.pop();
                d[1] -= 1;
                d[10] -= 1;
            })
            .err(),
            Some(Error::InvalidKey)
        );
        assert_eq!(Key::from_spki_der(&[], Algorithm::EdDsa).err(), Some(Error::InvalidKey));
    }

    #[test]
    fn pem_documents() {
        let ok = |pem: &str| Key::from_spki_pem(pem, Algorithm::EdDsa).map(|k| k.algorithm());
        let doc =
            |begin: &str, body: &str, end: &str| std::format!("-----BEGIN {begin}-----\n{body}\n-----END {end}-----\n");
        assert_eq!(ok(&doc("PUBLIC KEY", B64, "PUBLIC KEY")), Ok(Algorithm::EdDsa));
        // CRLF, indentation and wrapped lines are fine.
        let wrapped = std::format!(
            "  -----BEGIN PUBLIC KEY-----\r\n  {}\r\n  {}\r\n-----END PUBLIC KEY-----\r\n\r\n",
            &B64[..30],
            &B64[30..]
        );
        assert_eq!(ok(&wrapped), Ok(Algorithm::EdDsa));
        for bad in [
            doc("PRIVATE KEY", B64, "PRIVATE KEY"),
            doc("PUBLIC KEY", B64, "PRIVATE KEY"),
            doc("CERTIFICATE", B64, "CERTIFICATE"),
            doc("RSA PUBLIC KEY", B64, "RSA PUBLIC KEY"),
            doc("PUBLIC KEY", &B64[..B64.len() - 1], "PUBLIC KEY"),
            doc("PUBLIC KEY", &B64.replace('w', "-"), "PUBLIC KEY"),
            std::format!("-----BEGIN PUBLIC KEY-----\n{B64}\n"),
            std::format!("{}{}", doc("PUBLIC KEY", B64, "PUBLIC KEY"), doc("PUBLIC KEY", B64, "PUBLIC KEY")),
            std::format!("junk\n{}", doc("PUBLIC KEY", B64, "PUBLIC KEY")),
            doc("PUBLIC KEY", &"QUFB".repeat(400), "PUBLIC KEY"),
            String::new(),
        ] {
            assert_eq!(ok(&bad), Err(Error::InvalidKey), "{bad}");
        }
    }
}

#[cfg(test)]
#[cfg(feature = "ecdsa")]
mod ec_tests {
    use super::*;
    use crate::base64url;

    /// A P-256 SPKI around `point` (RFC 5480).
    fn spki(point: &[u8]) -> Vec<u8> {
        let mut alg = std::vec![0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
        alg.extend_from_slice(&[0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07]);
        let mut bits = std::vec![0x03, u8::try_from(point.len() + 1).unwrap(), 0x00];
        bits.extend_from_slice(point);
        let mut out = std::vec![0x30, u8::try_from(alg.len() + bits.len()).unwrap()];
        out.extend_from_slice(&alg);
        out.extend_from_slice(&bits);
        out
    }

    #[test]
    fn ec_points_uncompressed_only() {
        // RFC 7515 A.3's P-256 key.
        let (mut x, mut y) = ([0u8; 32], [0u8; 32]);
        base64url::decode(b"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU", &mut x).unwrap();
        base64url::decode(b"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0", &mut y).unwrap();
        let mut uncompressed = std::vec![4u8];
        uncompressed.extend_from_slice(&x);
        uncompressed.extend_from_slice(&y);
        let key = Key::from_spki_der(&spki(&uncompressed), Algorithm::Es256).unwrap();
        assert_eq!(key.algorithm(), Algorithm::Es256);
        let mut compressed = std::vec![2 + (y[31] & 1)];
        compressed.extend_from_slice(&x);
        assert_eq!(Key::from_spki_der(&spki(&compressed), Algorithm::Es256).err(), Some(Error::InvalidKey));
        // Off the curve, the wrong curve's algorithm, a truncated point.
        let mut off = uncompressed.clone();
        off[64] ^= 1;
        assert_eq!(Key::from_spki_der(&spki(&off), Algorithm::Es256).err(), Some(Error::InvalidKey));
        assert_eq!(Key::from_spki_der(&spki(&uncompressed), Algorithm::Es384).err(), Some(Error::InvalidKey));
        assert_eq!(Key::from_spki_der(&spki(&uncompressed[..64]), Algorithm::Es256).err(), Some(Error::InvalidKey));
    }
}
