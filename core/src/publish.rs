//! Publishing public keys: RFC 7638 JWK thumbprints (the default `kid`)
//! and JWK Set documents (RFC 7517 §5) for `/.well-known/jwks.json`,
//! written into caller buffers.

use sha2::{Digest, Sha256};

#[cfg(feature = "ecdsa")]
use crate::algorithm::Algorithm;
use crate::base64url;
use crate::error::Error;
use crate::jwk::Writer;
use crate::key::{Key, KeySet};

/// An RFC 7638 JWK thumbprint: base64url of the SHA-256 of the key's
/// required members in canonical form, 43 characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Thumbprint([u8; 43]);

impl Thumbprint {
    /// The thumbprint's text.
    ///
    /// ```
    /// use tessera_core::Key;
    /// let key = Key::from_jwk(br#"{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#)?;
    /// assert_eq!(key.thumbprint()?.as_str(), "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k");
    /// # Ok::<(), tessera_core::Error>(())
    /// ```
    pub fn as_str(&self) -> &str {
        // Base64url output is ASCII.
        core::str::from_utf8(&self.0).unwrap_or_default()
    }
}

impl Key {
    /// The key's RFC 7638 thumbprint (SHA-256): a `kid` that names the key
    /// by its content, so a key published twice gets the same `kid` and
    /// two keys never share one.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for an HMAC secret: nothing derived from
    /// a secret is ever published.
    ///
    /// ```
    /// use tessera_core::Key;
    /// // RFC 7638 §3.1's example key and thumbprint.
    /// let n = "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";
    /// let jwk = format!(r#"{{"kty":"RSA","n":"{n}","e":"AQAB","alg":"RS256"}}"#);
    /// let key = Key::from_jwk(jwk.as_bytes())?;
    /// assert_eq!(key.thumbprint()?.as_str(), "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
    /// # Ok::<(), tessera_core::Error>(())
    /// ```
    pub fn thumbprint(&self) -> Result<Thumbprint, Error> {
        // RFC 7638 §3.2: the required members only, in lexicographic
        // order, no whitespace. The longest is RSA-4096's (~720 bytes).
        let mut buf = [0u8; 800];
        let mut w = Writer { out: &mut buf, len: 0 };
        match self {
            Key::Hmac(_) => return Err(Error::InvalidArgument),
            #[cfg(feature = "ed25519")]
            Key::Ed25519(k) => {
                w.text(r#"{"crv":"Ed25519","kty":"OKP","x":""#)?;
                w.b64(&k.to_bytes())?;
            }
            #[cfg(feature = "ecdsa")]
            Key::Ecdsa(k) => {
                let (x, y) = k.coordinates();
                w.text(if k.algorithm() == Algorithm::Es256 {
                    r#"{"crv":"P-256","kty":"EC","x":""#
                } else {
                    r#"{"crv":"P-384","kty":"EC","x":""#
                })?;
                w.b64(x)?;
                w.text(r#"","y":""#)?;
                w.b64(y)?;
            }
            #[cfg(feature = "rsa")]
            Key::Rsa(k) => {
                let mut nb = [0u8; 512];
                let (n, e) = k.components(&mut nb);
                w.text(r#"{"e":""#)?;
                w.b64_uint(e)?;
                w.text(r#"","kty":"RSA","n":""#)?;
                w.b64(n)?;
            }
        }
        w.text(r#""}"#)?;
        let canonical = w.finish()?;
        let mut out = [0u8; 43];
        base64url::encode(&Sha256::digest(canonical.as_bytes()), &mut out)?;
        Ok(Thumbprint(out))
    }
}

/// Writes a JWK Set document, `{"keys":[...]}`, with each public key's
/// JWK plus its `kid` and `"use":"sig"`, in the order given — what an
/// auth server serves at `/.well-known/jwks.json`, and what
/// [`KeySet::from_jwks`] reads back.
///
/// # Errors
/// [`Error::InvalidArgument`] for an HMAC secret (never published);
/// [`Error::BufferTooSmall`] when `out` is too short (each key takes at most
/// 900 bytes with a 64-byte `kid`).
///
/// ```
/// use tessera_core::{write_jwks, Ed25519SigningKey, Key, KeySet};
/// # if cfg!(miri) { return Ok(()); } // curve arithmetic: minutes under Miri
/// let key: Key = Ed25519SigningKey::from_seed(&[1u8; 32])?.public_key().into();
/// let kid = key.thumbprint()?;
/// let mut out = [0u8; 1024];
/// let doc = write_jwks([(kid.as_str(), &key)], &mut out)?;
/// let (set, report) = KeySet::<4>::from_jwks(doc.as_bytes())?;
/// assert_eq!(report.imported, 1);
/// assert!(set.get(kid.as_str()).is_some());
/// # Ok::<(), tessera_core::Error>(())
/// ```
pub fn write_jwks<'o, 'k>(
    keys: impl IntoIterator<Item = (&'k str, &'k Key)>,
    out: &'o mut [u8],
) -> Result<&'o str, Error> {
    let mut w = Writer { out, len: 0 };
    w.text(r#"{"keys":["#)?;
    for (i, (kid, key)) in keys.into_iter().enumerate() {
        if i > 0 {
            w.text(",")?;
        }
        key.public_members(&mut w)?;
        w.text(r#","kid":""#)?;
        w.escaped(kid)?;
        w.text(r#"","use":"sig"}"#)?;
    }
    w.text("]}")?;
    w.finish()
}

impl<const N: usize> KeySet<N> {
    /// The set's public keys as a JWK Set document ([`write_jwks`]).
    ///
    /// # Errors
    /// As [`write_jwks`]: a set holding an HMAC secret is not published.
    ///
    /// ```
    /// use tessera_core::{Ed25519SigningKey, KeySet};
    /// # if cfg!(miri) { return Ok(()); } // curve arithmetic: minutes under Miri
    /// let mut keys = KeySet::<2>::new();
    /// keys.insert("2026-12", Ed25519SigningKey::from_seed(&[1u8; 32])?.public_key())?;
    /// let mut out = [0u8; 512];
    /// assert!(keys.to_jwks(&mut out)?.contains(r#""kid":"2026-12","use":"sig""#));
    /// # Ok::<(), tessera_core::Error>(())
    /// ```
    pub fn to_jwks<'o>(&self, out: &'o mut [u8]) -> Result<&'o str, Error> {
        write_jwks(self.keys(), out)
    }
}

#[cfg(test)]
#[cfg(all(feature = "ed25519", feature = "ecdsa"))]
mod tests {
    use super::*;
    use crate::{Algorithm, HmacKey};

    #[test]
    // Curve arithmetic (key derivation, signing): minutes under Miri; the
    // integration tests and the fuzz targets cover it natively.
    #[cfg_attr(miri, ignore)]
    fn secrets_are_never_published_and_kids_are_escaped() {
        let hmac: Key = HmacKey::new(Algorithm::Hs256, &[1u8; 32]).unwrap().into();
        assert_eq!(hmac.thumbprint().err(), Some(Error::InvalidArgument));
        let mut out = [0u8; 2048];
        assert_eq!(write_jwks([("a", &hmac)], &mut out).err(), Some(Error::InvalidArgument));
        let ed: Key = crate::Ed25519SigningKey::from_seed(&[1u8; 32]).unwrap().public_key().into();
        let doc = write_jwks([("a\"b\\c\n", &ed)], &mut out).unwrap();
        assert!(doc.contains(r#""kid":"a\"b\\c\u000a""#), "{doc}");
        let (set, _) = KeySet::<2>::from_jwks(doc.as_bytes()).unwrap();
        assert!(set.get("a\"b\\c\n").is_some());
        assert_eq!(write_jwks([("a", &ed)], &mut [0u8; 100]).err(), Some(Error::BufferTooSmall));
        assert_eq!(write_jwks([], &mut out).unwrap(), r#"{"keys":[]}"#);
    }
}
