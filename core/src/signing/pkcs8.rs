//! Private keys in PKCS#8 (RFC 5958 `OneAsymmetricKey`), DER or PEM
//! (`PRIVATE KEY`, RFC 7468 §10) — what `openssl genpkey` writes and what
//! WebCrypto's `exportKey("pkcs8")` gives: Ed25519 (RFC 8410 §7) and P-256
//! (RFC 5915 `ECPrivateKey` inside, RFC 5480 curve identifier).
//!
//! The same strict DER reader as public keys (`spki.rs`). Where the
//! document also carries the public key, it must be the private key's.
//! Every buffer that held the secret is wiped before returning.

use zeroize::Zeroize;

#[cfg(feature = "ecdsa")]
use super::EcdsaSigningKey;
#[cfg(feature = "ed25519")]
use super::Ed25519SigningKey;
use super::PrivateKey;
use crate::error::Error;
#[cfg(feature = "ed25519")]
use crate::spki::ED25519;
#[cfg(feature = "ecdsa")]
use crate::spki::{BIT_STRING, EC_PUBLIC_KEY, P256};
use crate::spki::{Der, INTEGER, MAX_DER, OCTET_STRING, OID, SEQUENCE, pem_decode};

/// `[0] IMPLICIT Attributes` (constructed).
const ATTRIBUTES: u8 = 0xa0;
/// `[1] IMPLICIT BIT STRING` (OneAsymmetricKey v2's public key).
const PUBLIC_KEY_V2: u8 = 0x81;
/// `[0] EXPLICIT ECParameters` inside `ECPrivateKey`.
#[cfg(feature = "ecdsa")]
const EC_PARAMETERS: u8 = 0xa0;
/// `[1] EXPLICIT BIT STRING` inside `ECPrivateKey`.
#[cfg(feature = "ecdsa")]
const EC_PUBLIC: u8 = 0xa1;

impl PrivateKey {
    /// A private key from PKCS#8 DER: Ed25519 (EdDSA) or P-256 (ES256).
    ///
    /// # Errors
    /// [`Error::InvalidKey`] for any other key type or curve, DER that is
    /// not strict (non-minimal lengths, trailing bytes), a version other
    /// than 0 or 1, a public key in the document that is not this
    /// private key's, or a scalar out of range.
    ///
    /// ```
    /// use tessera_core::{Algorithm, PrivateKey, Sign};
    /// # if cfg!(miri) { return Ok(()); } // curve arithmetic: minutes under Miri
    /// // RFC 8410 §10.3's Ed25519 private key.
    /// let der = [0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
    ///     0xd4, 0xee, 0x72, 0xdb, 0xf9, 0x13, 0x58, 0x4a, 0xd5, 0xb6, 0xd8, 0xf1, 0xf7, 0x69, 0xf8, 0xad,
    ///     0x3a, 0xfe, 0x7c, 0x28, 0xcb, 0xf1, 0xd4, 0xfb, 0xe0, 0x97, 0xa8, 0x8f, 0x44, 0x75, 0x58, 0x42];
    /// assert_eq!(PrivateKey::from_pkcs8_der(&der)?.algorithm(), Algorithm::EdDsa);
    /// # Ok::<(), tessera_core::Error>(())
    /// ```
    pub fn from_pkcs8_der(der: &[u8]) -> Result<PrivateKey, Error> {
        let mut outer = Der(der);
        let mut key = Der(outer.take(SEQUENCE)?);
        outer.finish()?;
        let version = key.take(INTEGER)?;
        if version != [0] && version != [1] {
            return Err(Error::InvalidKey);
        }
        let mut id = Der(key.take(SEQUENCE)?);
        let oid = id.take(OID)?;
        let private = key.take(OCTET_STRING)?;
        key.take_optional(ATTRIBUTES)?;
        let public = if version == [1] { key.take_optional(PUBLIC_KEY_V2)? } else { None };
        key.finish()?;
        #[cfg(feature = "ed25519")]
        if oid == ED25519 {
            id.finish()?; // RFC 8410 §3: no parameters.
            return ed25519(private, public);
        }
        #[cfg(feature = "ecdsa")]
        if oid == EC_PUBLIC_KEY && public.is_none() {
            if id.take(OID)? != P256 {
                return Err(Error::InvalidKey);
            }
            id.finish()?;
            return p256(private);
        }
        let _ = (oid, private, public);
        Err(Error::InvalidKey)
    }

    /// A private key from a PEM `PRIVATE KEY` document (PKCS#8, RFC 7468
    /// §10), as [`from_pkcs8_der`](Self::from_pkcs8_der). Encrypted
    /// (`ENCRYPTED PRIVATE KEY`) and SEC1 (`EC PRIVATE KEY`) documents are
    /// refused: convert them with `openssl pkcs8 -topk8 -nocrypt`.
    ///
    /// # Errors
    /// As [`from_pkcs8_der`](Self::from_pkcs8_der); [`Error::InvalidKey`]
    /// for another label, bad base64, or text around the document.
    ///
    /// ```
    /// use tessera_core::{Algorithm, PrivateKey, Sign};
    /// # if cfg!(miri) { return Ok(()); } // curve arithmetic: minutes under Miri
    /// let pem = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC\n-----END PRIVATE KEY-----\n";
    /// assert_eq!(PrivateKey::from_pkcs8_pem(pem)?.algorithm(), Algorithm::EdDsa);
    /// # Ok::<(), tessera_core::Error>(())
    /// ```
    pub fn from_pkcs8_pem(pem: &str) -> Result<PrivateKey, Error> {
        let mut der = [0u8; MAX_DER];
        let key = pem_decode(pem, &["PRIVATE KEY"], &mut der).and_then(|(_, der)| PrivateKey::from_pkcs8_der(der));
        der.zeroize();
        key
    }
}

/// RFC 8410 §7: `CurvePrivateKey ::= OCTET STRING` (the 32-byte seed)
/// inside the `privateKey` octets; the v2 public key, when present, must
/// be the seed's.
#[cfg(feature = "ed25519")]
fn ed25519(private: &[u8], public: Option<&[u8]>) -> Result<PrivateKey, Error> {
    let mut inner = Der(private);
    let seed = inner.take(OCTET_STRING)?;
    inner.finish()?;
    let key = Ed25519SigningKey::from_seed(seed)?;
    if let Some(public) = public {
        // An IMPLICIT BIT STRING: the unused-bits byte, then the key.
        match public {
            [0, rest @ ..] if *rest == key.public_key().to_bytes() => {}
            _ => return Err(Error::InvalidKey),
        }
    }
    Ok(key.into())
}

/// RFC 5915 `ECPrivateKey ::= SEQUENCE { version 1, privateKey OCTET
/// STRING (32 bytes for P-256), [0] parameters OPTIONAL, [1] publicKey
/// OPTIONAL }`; parameters, when present, name P-256; the public key, when
/// present, is the scalar's, uncompressed.
#[cfg(feature = "ecdsa")]
fn p256(private: &[u8]) -> Result<PrivateKey, Error> {
    let mut outer = Der(private);
    let mut ec = Der(outer.take(SEQUENCE)?);
    outer.finish()?;
    if ec.take(INTEGER)? != [1] {
        return Err(Error::InvalidKey);
    }
    let key = EcdsaSigningKey::from_scalar(ec.take(OCTET_STRING)?)?;
    if let Some(parameters) = ec.take_optional(EC_PARAMETERS)? {
        let mut p = Der(parameters);
        if p.take(OID)? != P256 {
            return Err(Error::InvalidKey);
        }
        p.finish()?;
    }
    if let Some(public) = ec.take_optional(EC_PUBLIC)? {
        let mut p = Der(public);
        let bits = p.take(BIT_STRING)?;
        p.finish()?;
        let point = key.public_key();
        let (x, y) = point.coordinates();
        match bits {
            [0, 4, xy @ ..] if xy.len() == 64 && xy.get(..32) == Some(x) && xy.get(32..) == Some(y) => {}
            _ => return Err(Error::InvalidKey),
        }
    }
    ec.finish()?;
    Ok(key.into())
}
