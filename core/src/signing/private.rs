//! [`PrivateKey`]: the private keys Tessera signs with, one variant per family.

#[cfg(feature = "ecdsa")]
use super::EcdsaSigningKey;
#[cfg(feature = "ed25519")]
use super::Ed25519SigningKey;
use super::{Sign, sealed};
use crate::algorithm::{Algorithm, MAX_SIGNATURE_LEN};
use crate::error::Error;
use crate::key::Key;

/// A private key, bound to one algorithm: Ed25519 for `EdDSA` (RFC 8037,
/// RFC 8032 signatures, deterministic) or P-256 for `ES256` (RFC 7518
/// §3.4, with RFC 6979 deterministic nonces). Import checks that the
/// private and public halves agree where both are given. The secret is
/// wiped from memory when the key is dropped, and `Debug` never shows it.
///
/// ```
/// use tessera_core::{Algorithm, PrivateKey, Sign};
/// # if cfg!(miri) { return Ok(()); } // curve arithmetic: minutes under Miri
/// // RFC 8037 A.1's Ed25519 private key.
/// let jwk = br#"{"kty":"OKP","crv":"Ed25519","d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#;
/// let key = PrivateKey::from_jwk(jwk)?;
/// assert_eq!(key.algorithm(), Algorithm::EdDsa);
/// let mut out = [0u8; 256];
/// let token = tessera_core::sign::sign_raw(br#"{"alg":"EdDSA"}"#, b"Example of Ed25519 signing", &key, &mut out)?;
/// // RFC 8037 A.4's token, byte for byte.
/// assert!(token.ends_with(".hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg"));
/// # Ok::<(), tessera_core::Error>(())
/// ```
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum PrivateKey {
    /// An Ed25519 private key (EdDSA).
    #[cfg(feature = "ed25519")]
    Ed25519(Ed25519SigningKey),
    /// A P-256 private key (ES256).
    #[cfg(feature = "ecdsa")]
    Ecdsa(EcdsaSigningKey),
}

impl PrivateKey {
    /// The public half, for verifying and for publishing in a JWK Set.
    ///
    /// ```
    /// use tessera_core::{Algorithm, PrivateKey};
    /// # if cfg!(miri) { return Ok(()); } // curve arithmetic: minutes under Miri
    /// let key = PrivateKey::from_jwk(br#"{"kty":"OKP","crv":"Ed25519","d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"}"#)?;
    /// let mut out = [0u8; 256];
    /// assert_eq!(key.public_key().to_public_jwk(&mut out)?,
    ///     r#"{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","alg":"EdDSA"}"#);
    /// # Ok::<(), tessera_core::Error>(())
    /// ```
    pub fn public_key(&self) -> Key {
        match *self {
            #[cfg(feature = "ed25519")]
            PrivateKey::Ed25519(ref k) => k.public_key().into(),
            #[cfg(feature = "ecdsa")]
            PrivateKey::Ecdsa(ref k) => k.public_key().into(),
        }
    }
}

impl sealed::Sealed for PrivateKey {}

impl Sign for PrivateKey {
    fn algorithm(&self) -> Algorithm {
        match *self {
            #[cfg(feature = "ed25519")]
            PrivateKey::Ed25519(ref k) => k.algorithm(),
            #[cfg(feature = "ecdsa")]
            PrivateKey::Ecdsa(ref k) => k.algorithm(),
        }
    }

    fn sign_input(&self, input: &[u8], signature: &mut [u8; MAX_SIGNATURE_LEN]) -> Result<usize, Error> {
        match *self {
            #[cfg(feature = "ed25519")]
            PrivateKey::Ed25519(ref k) => k.sign_input(input, signature),
            #[cfg(feature = "ecdsa")]
            PrivateKey::Ecdsa(ref k) => k.sign_input(input, signature),
        }
    }
}

#[cfg(feature = "ed25519")]
impl From<Ed25519SigningKey> for PrivateKey {
    fn from(k: Ed25519SigningKey) -> PrivateKey {
        PrivateKey::Ed25519(k)
    }
}

#[cfg(feature = "ecdsa")]
impl From<EcdsaSigningKey> for PrivateKey {
    fn from(k: EcdsaSigningKey) -> PrivateKey {
        PrivateKey::Ecdsa(k)
    }
}
