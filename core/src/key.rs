//! HMAC keys with precomputed state, and key sets selected by `kid`.

use hmac::digest::KeyInit;
use hmac::{Hmac, Mac};
use sha2::{Sha256, Sha384, Sha512};

use crate::error::Error;

/// The HMAC JWS algorithms of RFC 7518 §3.2.
///
/// ```
/// use tessera_core::Algorithm;
/// assert_eq!(Algorithm::Hs256.name(), "HS256");
/// assert_eq!(Algorithm::from_name("HS512"), Some(Algorithm::Hs512));
/// assert_eq!(Algorithm::Hs384.min_secret_len(), 48);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
#[repr(u8)]
pub enum Algorithm {
    /// HMAC with SHA-256.
    Hs256 = 1,
    /// HMAC with SHA-384.
    Hs384 = 2,
    /// HMAC with SHA-512.
    Hs512 = 3,
}

impl Algorithm {
    /// The `alg` header value.
    pub const fn name(self) -> &'static str {
        match self {
            Algorithm::Hs256 => "HS256",
            Algorithm::Hs384 => "HS384",
            Algorithm::Hs512 => "HS512",
        }
    }

    /// The algorithm whose `alg` value is exactly `name` (case-sensitive).
    pub fn from_name(name: &str) -> Option<Algorithm> {
        Self::from_bytes(name.as_bytes())
    }

    pub(crate) fn from_bytes(name: &[u8]) -> Option<Algorithm> {
        match name {
            b"HS256" => Some(Algorithm::Hs256),
            b"HS384" => Some(Algorithm::Hs384),
            b"HS512" => Some(Algorithm::Hs512),
            _ => None,
        }
    }

    /// The MAC length in bytes (32, 48 or 64).
    pub const fn mac_len(self) -> usize {
        match self {
            Algorithm::Hs256 => 32,
            Algorithm::Hs384 => 48,
            Algorithm::Hs512 => 64,
        }
    }

    /// The shortest secret accepted: the hash output size.
    ///
    /// # Background
    /// RFC 7518 §3.2: "A key of the same size as the hash output (for
    /// instance, 256 bits for "HS256") or larger MUST be used with this
    /// algorithm."
    pub const fn min_secret_len(self) -> usize {
        self.mac_len()
    }
}

#[derive(Clone)]
enum State {
    Hs256(Hmac<Sha256>),
    Hs384(Hmac<Sha384>),
    Hs512(Hmac<Sha512>),
}

/// A MAC output, long enough for HS512.
pub(crate) struct Tag {
    bytes: [u8; 64],
    len: usize,
}

impl Tag {
    pub(crate) fn as_bytes(&self) -> &[u8] {
        self.bytes.get(..self.len).unwrap_or_default()
    }
}

/// An HMAC key for one algorithm, with the inner and outer hash states
/// precomputed so that signing and verifying do no key setup.
///
/// The secret itself is not kept; the precomputed states (which are as
/// sensitive) are zeroized on drop by `sha2`'s `zeroize` support. The key
/// is immutable, `Send + Sync`, and cloning it copies a few hundred bytes.
///
/// ```
/// use tessera_core::{Algorithm, Error, HmacKey};
/// let key = HmacKey::new(Algorithm::Hs256, b"an example secret of 32 bytes!!!")?;
/// assert_eq!(key.algorithm(), Algorithm::Hs256);
/// assert_eq!(HmacKey::new(Algorithm::Hs256, b"short").err(), Some(Error::WeakKey));
/// # Ok::<(), Error>(())
/// ```
#[derive(Clone)]
pub struct HmacKey {
    state: State,
}

impl core::fmt::Debug for HmacKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("HmacKey").field("algorithm", &self.algorithm()).finish_non_exhaustive()
    }
}

impl HmacKey {
    /// Builds a key, refusing secrets shorter than the hash output.
    ///
    /// # Errors
    /// [`Error::WeakKey`] when `secret` is shorter than
    /// [`Algorithm::min_secret_len`].
    ///
    /// # Background
    /// RFC 7518 §3.2 requires a key at least as long as the hash output;
    /// RFC 8725 §3.5 asks libraries to refuse weak HMAC keys.
    pub fn new(algorithm: Algorithm, secret: &[u8]) -> Result<Self, Error> {
        if secret.len() < algorithm.min_secret_len() {
            return Err(Error::WeakKey);
        }
        let state = match algorithm {
            Algorithm::Hs256 => State::Hs256(KeyInit::new_from_slice(secret).map_err(|_| Error::WeakKey)?),
            Algorithm::Hs384 => State::Hs384(KeyInit::new_from_slice(secret).map_err(|_| Error::WeakKey)?),
            Algorithm::Hs512 => State::Hs512(KeyInit::new_from_slice(secret).map_err(|_| Error::WeakKey)?),
        };
        Ok(HmacKey { state })
    }

    /// The key's algorithm.
    pub fn algorithm(&self) -> Algorithm {
        match self.state {
            State::Hs256(_) => Algorithm::Hs256,
            State::Hs384(_) => Algorithm::Hs384,
            State::Hs512(_) => Algorithm::Hs512,
        }
    }

    /// The MAC of the concatenation of `parts`.
    pub(crate) fn mac(&self, parts: &[&[u8]]) -> Tag {
        fn run<M: Mac + Clone>(m: &M, parts: &[&[u8]], out: &mut [u8; 64]) -> usize {
            let mut m = m.clone();
            for p in parts {
                m.update(p);
            }
            let tag = m.finalize().into_bytes();
            let n = tag.len().min(out.len());
            if let (Some(dst), Some(src)) = (out.get_mut(..n), tag.get(..n)) {
                dst.copy_from_slice(src);
            }
            n
        }
        let mut bytes = [0u8; 64];
        let len = match &self.state {
            State::Hs256(m) => run(m, parts, &mut bytes),
            State::Hs384(m) => run(m, parts, &mut bytes),
            State::Hs512(m) => run(m, parts, &mut bytes),
        };
        Tag { bytes, len }
    }

    /// Whether `tag` is the MAC of `signing_input`, compared in constant time.
    pub(crate) fn verify_mac(&self, signing_input: &[u8], tag: &[u8]) -> bool {
        fn run<M: Mac + Clone>(m: &M, input: &[u8], tag: &[u8]) -> bool {
            let mut m = m.clone();
            m.update(input);
            // `verify_slice` compares in constant time and rejects a wrong length.
            m.verify_slice(tag).is_ok()
        }
        match &self.state {
            State::Hs256(m) => run(m, signing_input, tag),
            State::Hs384(m) => run(m, signing_input, tag),
            State::Hs512(m) => run(m, signing_input, tag),
        }
    }
}

/// The longest `kid` a [`KeySet`] stores.
pub const MAX_KID_LEN: usize = 64;

/// Keys selected by the header's `kid`, for rotation: fixed capacity `N`,
/// no allocation.
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
    entries: heapless::Vec<(heapless::Vec<u8, MAX_KID_LEN>, HmacKey), N>,
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
    pub fn insert(&mut self, kid: &str, key: HmacKey) -> Result<(), Error> {
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
    pub fn get(&self, kid: &str) -> Option<&HmacKey> {
        self.get_bytes(kid.as_bytes())
    }

    pub(crate) fn get_bytes(&self, kid: &[u8]) -> Option<&HmacKey> {
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

    pub(crate) fn iter(&self) -> impl Iterator<Item = (&[u8], &HmacKey)> {
        self.entries.iter().map(|(k, key)| (k.as_slice(), key))
    }
}

/// Where [`verify`](crate::verify) finds its key: one [`HmacKey`] or a [`KeySet`].
///
/// Sealed: implemented by the crate's key types only.
pub trait KeySource: sealed::Sealed {
    /// Whether `alg` (rule 4b) is acceptable for this source.
    #[doc(hidden)]
    fn accepts(&self, alg: Algorithm) -> bool;
    /// Selects the key for the header's `kid` (rule 4e), unescaped.
    #[doc(hidden)]
    fn select(&self, kid: Option<&[u8]>, alg: Algorithm) -> Result<&HmacKey, Error>;
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::HmacKey {}
    impl<const N: usize> Sealed for super::KeySet<N> {}
}

impl KeySource for HmacKey {
    fn accepts(&self, alg: Algorithm) -> bool {
        self.algorithm() == alg
    }

    fn select(&self, _kid: Option<&[u8]>, _alg: Algorithm) -> Result<&HmacKey, Error> {
        Ok(self)
    }
}

impl<const N: usize> KeySource for KeySet<N> {
    fn accepts(&self, alg: Algorithm) -> bool {
        self.iter().any(|(_, k)| k.algorithm() == alg)
    }

    fn select(&self, kid: Option<&[u8]>, alg: Algorithm) -> Result<&HmacKey, Error> {
        let key = kid.and_then(|kid| self.get_bytes(kid)).ok_or(Error::UnknownKey)?;
        // A kid naming a key of another algorithm is an algorithm mismatch,
        // reported as rule 4b would have with a single key.
        if key.algorithm() != alg {
            return Err(Error::AlgorithmMismatch);
        }
        Ok(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weak_keys_refused_at_each_boundary() {
        for alg in [Algorithm::Hs256, Algorithm::Hs384, Algorithm::Hs512] {
            let n = alg.min_secret_len();
            assert_eq!(HmacKey::new(alg, &[1u8; 64][..n - 1]).err(), Some(Error::WeakKey));
            assert!(HmacKey::new(alg, &[1u8; 64][..n]).is_ok());
        }
    }

    #[test]
    fn rfc4231_case_2_style_mac() {
        // HMAC-SHA256 of "" under 32 zero bytes, computed independently with Python's hmac.
        let key = HmacKey::new(Algorithm::Hs256, &[0u8; 32]).unwrap();
        let tag = key.mac(&[b""]);
        assert_eq!(tag.as_bytes()[..4], [0xb6, 0x13, 0x67, 0x9a]);
        assert!(key.verify_mac(b"", tag.as_bytes()));
        assert!(!key.verify_mac(b"x", tag.as_bytes()));
        assert!(!key.verify_mac(b"", &tag.as_bytes()[..31]));
    }

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
        assert_send_sync::<KeySet<4>>();
    }
}
