//! Keys that sign: the [`Sign`] trait every signing key implements (HMAC
//! secrets and private keys alike), and [`PrivateKey`], the private half
//! of an EdDSA (Ed25519) or ES256 (P-256) key pair, imported from a JWK or
//! PKCS#8 and wiped on drop.
//!
//! One file per family: `ed25519.rs`, `ecdsa.rs`; `pkcs8.rs` reads the
//! DER and PEM forms, `jwk.rs` the JWK form. RS256/PS256 signing is not
//! here: it needs constant-time big-integer arithmetic with CRT and
//! blinding, which this allocation-free core does not carry (its RSA code
//! is variable-time, for public values only).

#[cfg(feature = "ecdsa")]
mod ecdsa;
#[cfg(feature = "ed25519")]
mod ed25519;
#[cfg(any(feature = "ed25519", feature = "ecdsa"))]
mod jwk;
#[cfg(any(feature = "ed25519", feature = "ecdsa"))]
mod pkcs8;
#[cfg(any(feature = "ed25519", feature = "ecdsa"))]
mod private;

#[cfg(feature = "ecdsa")]
pub use self::ecdsa::EcdsaSigningKey;
#[cfg(feature = "ed25519")]
pub use self::ed25519::Ed25519SigningKey;
#[cfg(any(feature = "ed25519", feature = "ecdsa"))]
pub use self::private::PrivateKey;

use crate::algorithm::{Algorithm, MAX_SIGNATURE_LEN};
use crate::error::Error;
use crate::key::HmacKey;

pub(crate) mod sealed {
    pub trait Sealed {}
}

/// A key that signs tokens for one [`Algorithm`]: an [`HmacKey`] or a
/// [`PrivateKey`] (or one of its families' types). Sealed: the signing
/// functions of [`sign`](crate::sign) and [`profile`](crate::profile)
/// accept these and nothing else.
///
/// ```
/// use tessera_core::{Algorithm, HmacKey, Sign};
/// let key = HmacKey::new(Algorithm::Hs256, &[7u8; 32])?;
/// assert_eq!(key.algorithm(), Algorithm::Hs256);
/// # Ok::<(), tessera_core::Error>(())
/// ```
pub trait Sign: sealed::Sealed {
    /// The algorithm written in the header's `alg`.
    fn algorithm(&self) -> Algorithm;

    /// Signs `input` into `signature`, returning the signature's length
    /// (always [`Algorithm::signature_len`]).
    #[doc(hidden)]
    fn sign_input(&self, input: &[u8], signature: &mut [u8; MAX_SIGNATURE_LEN]) -> Result<usize, Error>;
}

impl sealed::Sealed for HmacKey {}

impl Sign for HmacKey {
    fn algorithm(&self) -> Algorithm {
        HmacKey::algorithm(self)
    }

    fn sign_input(&self, input: &[u8], signature: &mut [u8; MAX_SIGNATURE_LEN]) -> Result<usize, Error> {
        let tag = self.mac(&[input]);
        let bytes = tag.as_bytes();
        signature.get_mut(..bytes.len()).ok_or(Error::InvalidArgument)?.copy_from_slice(bytes);
        Ok(bytes.len())
    }
}

/// The key of [`signing_input`](crate::sign::signing_input): held
/// elsewhere (WebCrypto, an HSM, a KMS), so the signature is a placeholder
/// of zeros that never leaves the crate — those functions return the
/// signing input only, which is not a token.
pub(crate) struct Deferred(pub(crate) Algorithm);

impl sealed::Sealed for Deferred {}

impl Sign for Deferred {
    fn algorithm(&self) -> Algorithm {
        self.0
    }

    fn sign_input(&self, _input: &[u8], signature: &mut [u8; MAX_SIGNATURE_LEN]) -> Result<usize, Error> {
        let n = self.0.signature_len();
        signature.get_mut(..n).ok_or(Error::InvalidArgument)?.fill(0);
        Ok(n)
    }
}

/// Copies a fixed-length signature into the front of `out`.
#[cfg(any(feature = "ed25519", feature = "ecdsa"))]
fn put(bytes: &[u8], out: &mut [u8; MAX_SIGNATURE_LEN]) -> Result<usize, Error> {
    out.get_mut(..bytes.len()).ok_or(Error::InvalidArgument)?.copy_from_slice(bytes);
    Ok(bytes.len())
}
