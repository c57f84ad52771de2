//! Ed25519 private keys (RFC 8032, RFC 8037): deterministic signatures.

use ed25519_dalek::Signer;

use super::{Sign, put, sealed};
use crate::algorithm::{Algorithm, MAX_SIGNATURE_LEN};
use crate::error::Error;
use crate::key::Ed25519Key;

/// An Ed25519 private key, bound to `EdDSA`. Signatures are deterministic
/// (RFC 8032 §5.1.6), so one key and one input always give one token, on
/// every surface. The seed and the expanded secret are wiped on drop
/// (`ed25519-dalek`'s `zeroize`); `Debug` shows the public key only.
///
/// ```
/// use tessera_core::{Algorithm, Ed25519SigningKey, Sign};
/// # if cfg!(miri) { return Ok(()); } // curve arithmetic: minutes under Miri
/// let key = Ed25519SigningKey::from_seed(&[9u8; 32])?;
/// assert_eq!(key.algorithm(), Algorithm::EdDsa);
/// # Ok::<(), tessera_core::Error>(())
/// ```
#[derive(Clone)]
pub struct Ed25519SigningKey {
    key: ed25519_dalek::SigningKey,
}

impl core::fmt::Debug for Ed25519SigningKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Ed25519SigningKey").field("public", &self.key.verifying_key()).finish_non_exhaustive()
    }
}

impl Ed25519SigningKey {
    /// The key from its 32-byte seed (RFC 8032 §5.1.5; a JWK's `d`). Every
    /// seed is a valid key.
    ///
    /// # Errors
    /// [`Error::InvalidKey`] when `seed` is not 32 bytes.
    pub fn from_seed(seed: &[u8]) -> Result<Self, Error> {
        let seed: &[u8; 32] = seed.try_into().map_err(|_| Error::InvalidKey)?;
        Ok(Ed25519SigningKey { key: ed25519_dalek::SigningKey::from_bytes(seed) })
    }

    /// The public key (RFC 8032 §5.1.5), for verification and JWK Sets.
    ///
    /// # Panics
    /// Never: the public key of a seed is never of small order.
    pub fn public_key(&self) -> Ed25519Key {
        let public = self.key.verifying_key().to_bytes();
        // A public key derived from a seed is the base point times a
        // clamped scalar (a multiple of 8 below the group order), so it is
        // never of small order: `from_bytes` cannot refuse it.
        Ed25519Key::from_bytes(&public).unwrap_or_else(|_| unreachable!())
    }
}

impl sealed::Sealed for Ed25519SigningKey {}

impl Sign for Ed25519SigningKey {
    fn algorithm(&self) -> Algorithm {
        Algorithm::EdDsa
    }

    fn sign_input(&self, input: &[u8], signature: &mut [u8; MAX_SIGNATURE_LEN]) -> Result<usize, Error> {
        put(&self.key.sign(input).to_bytes(), signature)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ClaimSet, Policy, verify};

    #[test]
    // Curve arithmetic (key derivation, signing): minutes under Miri; the
    // integration tests and the fuzz targets cover it natively.
    #[cfg_attr(miri, ignore)]
    fn signs_what_its_public_key_verifies() {
        let key = Ed25519SigningKey::from_seed(&[3u8; 32]).unwrap();
        let mut out = [0u8; 256];
        let token = crate::sign::sign_raw(br#"{"alg":"EdDSA"}"#, br#"{"sub":"a"}"#, &key, &mut out).unwrap();
        let mut scratch = [0u8; 512];
        let policy = Policy::new(1).required(ClaimSet::EMPTY);
        assert!(verify(token, &key.public_key(), &policy, &mut scratch).is_ok());
        let other = Ed25519SigningKey::from_seed(&[4u8; 32]).unwrap().public_key();
        assert_eq!(verify(token, &other, &policy, &mut scratch).err(), Some(Error::BadSignature));
        assert_eq!(Ed25519SigningKey::from_seed(&[3u8; 31]).err(), Some(Error::InvalidKey));
        assert!(!format!("{key:?}").contains("secret"));
    }
}
