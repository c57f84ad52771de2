//! P-256 private keys for ES256 (RFC 7518 §3.4) with RFC 6979
//! deterministic nonces.

use p256::ecdsa::signature::Signer;

use super::{Sign, put, sealed};
use crate::algorithm::{Algorithm, MAX_SIGNATURE_LEN};
use crate::error::Error;
use crate::key::EcdsaKey;

/// A P-256 private key, bound to `ES256`. Nonces are derived from the key
/// and the message (RFC 6979), so signing needs no randomness and one key
/// and one input always give one token, on every surface. Signatures are
/// the raw `r‖s` of 64 bytes. The scalar is wiped on drop (`ecdsa`'s
/// `ZeroizeOnDrop`); `Debug` shows the public key only. ES384 signing is not
/// offered (access tokens use ES256; ES384 is verified).
///
/// ```
/// use tessera_core::{Algorithm, EcdsaSigningKey, Sign};
/// # if cfg!(miri) { return Ok(()); } // curve arithmetic: minutes under Miri
/// let key = EcdsaSigningKey::from_scalar(&[9u8; 32])?;
/// assert_eq!(key.algorithm(), Algorithm::Es256);
/// # Ok::<(), tessera_core::Error>(())
/// ```
#[derive(Clone)]
pub struct EcdsaSigningKey {
    key: p256::ecdsa::SigningKey,
}

impl core::fmt::Debug for EcdsaSigningKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("EcdsaSigningKey").field("public", &self.public_key()).finish_non_exhaustive()
    }
}

impl EcdsaSigningKey {
    /// The key from its 32-byte big-endian scalar (SEC 1 §2.3.7; a JWK's `d`).
    ///
    /// # Errors
    /// [`Error::InvalidKey`] when `scalar` is not 32 bytes, is zero, or is
    /// not below the group order.
    pub fn from_scalar(scalar: &[u8]) -> Result<Self, Error> {
        if scalar.len() != 32 {
            return Err(Error::InvalidKey);
        }
        let key = p256::ecdsa::SigningKey::from_slice(scalar).map_err(|_| Error::InvalidKey)?;
        Ok(EcdsaSigningKey { key })
    }

    /// The public key, for verification and JWK Sets.
    ///
    /// # Panics
    /// Never: the public point of a valid scalar is a valid point.
    pub fn public_key(&self) -> EcdsaKey {
        let point = self.key.verifying_key().to_sec1_point(false);
        // Uncompressed: 04 ‖ x ‖ y. Read as coordinates, so that the
        // compressed-point code (a square root, ~10 KB of WebAssembly) is
        // not pulled in.
        let xy = point.as_bytes().get(1..).unwrap_or_default();
        let (x, y) = xy.split_at(xy.len() / 2);
        EcdsaKey::from_coordinates(Algorithm::Es256, x, y).unwrap_or_else(|_| unreachable!())
    }
}

impl sealed::Sealed for EcdsaSigningKey {}

impl Sign for EcdsaSigningKey {
    fn algorithm(&self) -> Algorithm {
        Algorithm::Es256
    }

    fn sign_input(&self, input: &[u8], signature: &mut [u8; MAX_SIGNATURE_LEN]) -> Result<usize, Error> {
        let sig: p256::ecdsa::Signature = self.key.try_sign(input).map_err(|_| Error::InvalidKey)?;
        put(&sig.to_bytes(), signature)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
    }

    /// RFC 6979 A.2.5: P-256, SHA-256, message "sample": the deterministic
    /// nonce gives exactly this (r, s).
    #[test]
    // Curve arithmetic (key derivation, signing): minutes under Miri; the
    // integration tests and the fuzz targets cover it natively.
    #[cfg_attr(miri, ignore)]
    fn rfc6979_a25_sample() {
        let key =
            EcdsaSigningKey::from_scalar(&hex("C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721"))
                .unwrap();
        let public = key.public_key();
        let (x, y) = public.coordinates();
        assert_eq!(x, hex("60FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB6"));
        assert_eq!(y, hex("7903FE1008B8BC99A41AE9E95628BC64F2F1B20C2D7E9F5177A3C294D4462299"));
        let mut sig = [0u8; MAX_SIGNATURE_LEN];
        assert_eq!(key.sign_input(b"sample", &mut sig).unwrap(), 64);
        let expected = hex(concat!(
            "EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716",
            "F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8"
        ));
        assert_eq!(&sig[..64], expected.as_slice());
        assert!(key.public_key().verify_signature(b"sample", &sig[..64]));
    }

    #[test]
    // Curve arithmetic (key derivation, signing): minutes under Miri; the
    // integration tests and the fuzz targets cover it natively.
    #[cfg_attr(miri, ignore)]
    fn scalars_out_of_range_are_refused() {
        assert_eq!(EcdsaSigningKey::from_scalar(&[0u8; 32]).err(), Some(Error::InvalidKey));
        assert_eq!(EcdsaSigningKey::from_scalar(&[0xff; 32]).err(), Some(Error::InvalidKey));
        assert_eq!(EcdsaSigningKey::from_scalar(&[1u8; 31]).err(), Some(Error::InvalidKey));
        let key = EcdsaSigningKey::from_scalar(&[1u8; 32]).unwrap();
        assert!(!format!("{key:?}").contains("0101"));
    }
}
