//! HMAC keys (RFC 7518 §3.2) with precomputed state.

use hmac::digest::KeyInit;
use hmac::{Hmac, Mac};
use sha2::{Sha256, Sha384, Sha512};

use crate::algorithm::Algorithm;
use crate::error::Error;

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
    /// [`Algorithm::min_secret_len`]; [`Error::InvalidArgument`] for an
    /// algorithm that is not HMAC (a secret can never check a public-key
    /// algorithm).
    ///
    /// # Background
    /// RFC 7518 §3.2 requires a key at least as long as the hash output;
    /// RFC 8725 §3.5 asks libraries to refuse weak HMAC keys.
    pub fn new(algorithm: Algorithm, secret: &[u8]) -> Result<Self, Error> {
        let min = algorithm.min_secret_len().ok_or(Error::InvalidArgument)?;
        if secret.len() < min {
            return Err(Error::WeakKey);
        }
        let state = match algorithm {
            Algorithm::Hs256 => State::Hs256(KeyInit::new_from_slice(secret).map_err(|_| Error::WeakKey)?),
            Algorithm::Hs384 => State::Hs384(KeyInit::new_from_slice(secret).map_err(|_| Error::WeakKey)?),
            Algorithm::Hs512 => State::Hs512(KeyInit::new_from_slice(secret).map_err(|_| Error::WeakKey)?),
            _ => return Err(Error::InvalidArgument),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weak_keys_refused_at_each_boundary() {
        for alg in [Algorithm::Hs256, Algorithm::Hs384, Algorithm::Hs512] {
            let n = alg.min_secret_len().unwrap();
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
    fn public_key_algorithms_take_no_secret() {
        for alg in [Algorithm::Es256, Algorithm::Es384, Algorithm::EdDsa] {
            assert_eq!(HmacKey::new(alg, &[1u8; 64]).err(), Some(Error::InvalidArgument));
        }
    }
}
