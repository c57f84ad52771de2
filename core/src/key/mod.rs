//! Keys: one type per algorithm family behind [`Key`], and key sets
//! selected by `kid`.
//!
//! Each family lives in its own file with its import rules, limits and
//! tests: `hmac.rs` (HS256/384/512), `eddsa.rs` (Ed25519), `ecdsa.rs` (P-256,
//! P-384), `rsa/` (RS256/384/512, PS256/384/512). A key is bound to exactly one [`Algorithm`] when it is made, so
//! a token can never choose how its signature is checked.

#[cfg(feature = "ecdsa")]
mod ecdsa;
#[cfg(feature = "ed25519")]
mod eddsa;
mod hmac;
#[cfg(feature = "rsa")]
mod rsa;

#[cfg(feature = "ecdsa")]
pub use self::ecdsa::EcdsaKey;
#[cfg(feature = "ed25519")]
pub use self::eddsa::Ed25519Key;
pub use self::hmac::HmacKey;
#[cfg(feature = "rsa")]
pub use self::rsa::{MAX_RSA_BITS, MIN_RSA_BITS, RsaKey};

use crate::algorithm::Algorithm;
use crate::error::Error;

/// Any key [`verify`](crate::verify) can check a signature with: a secret
/// or a public key, each bound to one [`Algorithm`].
///
/// ```
/// use tessera_core::{Algorithm, HmacKey, Key};
/// let key: Key = HmacKey::new(Algorithm::Hs256, &[7u8; 32])?.into();
/// assert_eq!(key.algorithm(), Algorithm::Hs256);
/// # Ok::<(), tessera_core::Error>(())
/// ```
// An RSA key (about 1 KB: the modulus and R² mod n for up to 4096 bits)
// is much larger than the others; with no allocator there is nothing to
// box it into, and a key set's storage is the caller's choice anyway.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum Key {
    /// An HMAC secret (HS256, HS384, HS512).
    Hmac(HmacKey),
    /// An Ed25519 public key (EdDSA).
    #[cfg(feature = "ed25519")]
    Ed25519(Ed25519Key),
    /// An ECDSA public key (ES256, ES384).
    #[cfg(feature = "ecdsa")]
    Ecdsa(EcdsaKey),
    /// An RSA public key (RS256/384/512, PS256/384/512).
    #[cfg(feature = "rsa")]
    Rsa(RsaKey),
}

impl Key {
    /// The one algorithm this key checks.
    pub fn algorithm(&self) -> Algorithm {
        self.as_ref().algorithm()
    }

    /// Whether this is a public key (anything but an HMAC secret).
    pub const fn is_public(&self) -> bool {
        !matches!(self, Key::Hmac(_))
    }

    pub(crate) fn as_ref(&self) -> KeyRef<'_> {
        match self {
            Key::Hmac(k) => KeyRef::Hmac(k),
            #[cfg(feature = "ed25519")]
            Key::Ed25519(k) => KeyRef::Ed25519(k),
            #[cfg(feature = "ecdsa")]
            Key::Ecdsa(k) => KeyRef::Ecdsa(k),
            #[cfg(feature = "rsa")]
            Key::Rsa(k) => KeyRef::Rsa(k),
        }
    }
}

impl From<HmacKey> for Key {
    fn from(k: HmacKey) -> Key {
        Key::Hmac(k)
    }
}

#[cfg(feature = "ed25519")]
impl From<Ed25519Key> for Key {
    fn from(k: Ed25519Key) -> Key {
        Key::Ed25519(k)
    }
}

#[cfg(feature = "ecdsa")]
impl From<EcdsaKey> for Key {
    fn from(k: EcdsaKey) -> Key {
        Key::Ecdsa(k)
    }
}

#[cfg(feature = "rsa")]
impl From<RsaKey> for Key {
    fn from(k: RsaKey) -> Key {
        Key::Rsa(k)
    }
}

/// The key a [`KeySource`] selected for one token: the signature check is
/// one call on it (rule 5), whatever the family.
#[doc(hidden)]
#[derive(Clone, Copy, Debug)]
pub enum KeyRef<'a> {
    /// An HMAC secret.
    Hmac(&'a HmacKey),
    /// An Ed25519 key.
    #[cfg(feature = "ed25519")]
    Ed25519(&'a Ed25519Key),
    /// An ECDSA key.
    #[cfg(feature = "ecdsa")]
    Ecdsa(&'a EcdsaKey),
    /// An RSA key.
    #[cfg(feature = "rsa")]
    Rsa(&'a RsaKey),
}

impl KeyRef<'_> {
    fn algorithm(self) -> Algorithm {
        match self {
            KeyRef::Hmac(k) => k.algorithm(),
            #[cfg(feature = "ed25519")]
            KeyRef::Ed25519(k) => k.algorithm(),
            #[cfg(feature = "ecdsa")]
            KeyRef::Ecdsa(k) => k.algorithm(),
            #[cfg(feature = "rsa")]
            KeyRef::Rsa(k) => k.algorithm(),
        }
    }

    /// Whether `signature` is this key's over `signing_input` (HMAC: compared
    /// in constant time; public keys: the family's verification).
    pub(crate) fn verify_signature(self, signing_input: &[u8], signature: &[u8]) -> bool {
        match self {
            KeyRef::Hmac(k) => k.verify_mac(signing_input, signature),
            #[cfg(feature = "ed25519")]
            KeyRef::Ed25519(k) => k.verify_signature(signing_input, signature),
            #[cfg(feature = "ecdsa")]
            KeyRef::Ecdsa(k) => k.verify_signature(signing_input, signature),
            #[cfg(feature = "rsa")]
            KeyRef::Rsa(k) => k.verify_signature(signing_input, signature),
        }
    }
}

/// The longest `kid` a [`KeySet`] stores.
pub const MAX_KID_LEN: usize = 64;

/// Keys selected by the header's `kid`, for rotation and for JWK Sets:
/// fixed capacity `N`, no allocation. Keys of several algorithms and
/// families may share a set; a token's `kid` selects one, and its `alg`
/// must then be that key's.
///
/// ```
/// use tessera_core::{Algorithm, HmacKey, KeySet};
/// let mut keys = KeySet::<4>::new();
/// keys.insert("2026-11", HmacKey::new(Algorithm::Hs256, &[7u8; 32])?)?;
/// keys.insert("2026-12", HmacKey::new(Algorithm::Hs256, &[8u8; 32])?)?;
/// assert!(keys.get("2026-12").is_some());
/// assert!(keys.get("2027-01").is_none());
/// # Ok::<(), tessera_core::Error>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct KeySet<const N: usize> {
    entries: heapless::Vec<(heapless::Vec<u8, MAX_KID_LEN>, Key), N>,
}

impl<const N: usize> KeySet<N> {
    /// An empty set.
    pub const fn new() -> Self {
        KeySet { entries: heapless::Vec::new() }
    }

    /// Adds `key` under `kid`, replacing a key with the same `kid`.
    ///
    /// # Errors
    /// [`Error::CapacityExceeded`] when the set is full or `kid` is longer than
    /// [`MAX_KID_LEN`] bytes.
    pub fn insert(&mut self, kid: &str, key: impl Into<Key>) -> Result<(), Error> {
        let key = key.into();
        let name = heapless::Vec::from_slice(kid.as_bytes()).map_err(|_| Error::CapacityExceeded)?;
        if let Some(entry) = self.entries.iter_mut().find(|(k, _)| k.as_slice() == kid.as_bytes()) {
            entry.1 = key;
            return Ok(());
        }
        self.entries.push((name, key)).map_err(|_| Error::CapacityExceeded)
    }

    /// Removes the key under `kid`, returning whether there was one.
    pub fn remove(&mut self, kid: &str) -> bool {
        match self.entries.iter().position(|(k, _)| k.as_slice() == kid.as_bytes()) {
            Some(i) => {
                self.entries.swap_remove(i);
                true
            }
            None => false,
        }
    }

    /// The key under `kid`.
    pub fn get(&self, kid: &str) -> Option<&Key> {
        self.get_bytes(kid.as_bytes())
    }

    pub(crate) fn get_bytes(&self, kid: &[u8]) -> Option<&Key> {
        self.entries.iter().find(|(k, _)| k.as_slice() == kid).map(|(_, key)| key)
    }

    /// The number of keys.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the set holds no key.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = (&[u8], &Key)> {
        self.entries.iter().map(|(k, key)| (k.as_slice(), key))
    }
}

/// Where [`verify`](crate::verify) finds its key: one key ([`HmacKey`],
/// [`Ed25519Key`], [`EcdsaKey`], [`RsaKey`], [`Key`]) or a [`KeySet`].
///
/// Sealed: implemented by the crate's key types only.
pub trait KeySource: sealed::Sealed {
    /// Whether `alg` (rule 4b) is acceptable for this source.
    #[doc(hidden)]
    fn accepts(&self, alg: Algorithm) -> bool;
    /// Selects the key for the header's `kid` (rule 4e), unescaped.
    #[doc(hidden)]
    fn select(&self, kid: Option<&[u8]>, alg: Algorithm) -> Result<KeyRef<'_>, Error>;
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::HmacKey {}
    #[cfg(feature = "ed25519")]
    impl Sealed for super::Ed25519Key {}
    #[cfg(feature = "ecdsa")]
    impl Sealed for super::EcdsaKey {}
    #[cfg(feature = "rsa")]
    impl Sealed for super::RsaKey {}
    impl Sealed for super::Key {}
    impl<const N: usize> Sealed for super::KeySet<N> {}
}

/// A single key: its algorithm is the only one accepted, and `kid` is not looked at.
macro_rules! single_key_source {
    ($($t:ty => $variant:ident),*) => {$(
        impl KeySource for $t {
            fn accepts(&self, alg: Algorithm) -> bool {
                self.algorithm() == alg
            }

            fn select(&self, _kid: Option<&[u8]>, _alg: Algorithm) -> Result<KeyRef<'_>, Error> {
                Ok(KeyRef::$variant(self))
            }
        }
    )*};
}
single_key_source!(HmacKey => Hmac);
#[cfg(feature = "ed25519")]
single_key_source!(Ed25519Key => Ed25519);
#[cfg(feature = "ecdsa")]
single_key_source!(EcdsaKey => Ecdsa);
#[cfg(feature = "rsa")]
single_key_source!(RsaKey => Rsa);

impl KeySource for Key {
    fn accepts(&self, alg: Algorithm) -> bool {
        self.algorithm() == alg
    }

    fn select(&self, _kid: Option<&[u8]>, _alg: Algorithm) -> Result<KeyRef<'_>, Error> {
        Ok(self.as_ref())
    }
}

impl<const N: usize> KeySource for KeySet<N> {
    fn accepts(&self, alg: Algorithm) -> bool {
        self.iter().any(|(_, k)| k.algorithm() == alg)
    }

    fn select(&self, kid: Option<&[u8]>, alg: Algorithm) -> Result<KeyRef<'_>, Error> {
        let key = kid.and_then(|kid| self.get_bytes(kid)).ok_or(Error::UnknownKey)?;
        // A kid naming a key of another algorithm is an algorithm mismatch,
        // reported as rule 4b would have with a single key.
        if key.algorithm() != alg {
            return Err(Error::AlgorithmMismatch);
        }
        Ok(key.as_ref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keyset_capacity_and_replace() {
        let k = || HmacKey::new(Algorithm::Hs256, &[3u8; 32]).unwrap();
        let mut set = KeySet::<2>::new();
        set.insert("a", k()).unwrap();
        set.insert("a", k()).unwrap();
        set.insert("b", k()).unwrap();
        assert_eq!(set.insert("c", k()), Err(Error::CapacityExceeded));
        assert_eq!(set.insert(&"x".repeat(65), k()), Err(Error::CapacityExceeded));
        assert!(set.remove("a"));
        assert_eq!(set.len(), 1);
    }

    #[test]
    fn key_is_send_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<HmacKey>();
        assert_send_sync::<Key>();
        #[cfg(feature = "ed25519")]
        assert_send_sync::<Ed25519Key>();
        #[cfg(feature = "ecdsa")]
        assert_send_sync::<EcdsaKey>();
        #[cfg(feature = "rsa")]
        assert_send_sync::<RsaKey>();
        assert_send_sync::<KeySet<4>>();
    }
}
