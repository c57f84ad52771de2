//! RSA public keys (RS256/384/512: RSASSA-PKCS1-v1_5; PS256/384/512:
//! RSASSA-PSS; RFC 7518 §3.3, §3.5), verified with our own small
//! Montgomery arithmetic (`modulus.rs`): no maintained RSA crate works
//! without an allocator, and verification needs only public-value
//! arithmetic (see that file). The padding checks are in `padding.rs`.

mod modulus;
mod padding;

use self::modulus::{MAX_BYTES, Modulus};
use self::padding::Hash;
use crate::algorithm::Algorithm;
use crate::error::Error;

/// The smallest modulus accepted, in bits (RFC 7518 §3.3: "A key of size
/// 2048 bits or larger MUST be used").
pub const MIN_RSA_BITS: usize = 2048;
/// The largest modulus accepted, in bits: the signature buffer on the
/// verify path's stack is sized for it.
pub const MAX_RSA_BITS: usize = MAX_BYTES * 8;

/// An RSA public key bound to one of RS256, RS384, RS512, PS256, PS384,
/// PS512; the modulus is 2048 to 4096 bits and its Montgomery constants
/// are computed once, here, so a verify does no key set-up.
///
/// Import rules (SPEC.md, "Keys"): the modulus odd, given without leading
/// zero bytes; the public exponent odd with 3 ≤ e < 2^33, without leading
/// zero bytes. A signature is exactly as long as the modulus in bytes and
/// below it; PKCS#1 v1.5 accepts only the one encoding (`DigestInfo` with
/// the NULL parameter), PSS only MGF1 with the algorithm's hash and a salt
/// as long as that hash.
///
/// ```
/// use tessera_core::{Algorithm, Error, RsaKey};
/// // A 2048-bit modulus (any odd number of that size imports; only a real
/// // key verifies anything).
/// let mut n = [0xC5u8; 256];
/// n[255] = 0x01;
/// let key = RsaKey::from_components(Algorithm::Rs256, &n, &[1, 0, 1])?;
/// assert_eq!((key.algorithm(), key.modulus_bits(), key.signature_len()), (Algorithm::Rs256, 2048, 256));
/// assert_eq!(RsaKey::from_components(Algorithm::Rs256, &n[..128], &[1, 0, 1]).err(), Some(Error::WeakKey));
/// assert_eq!(RsaKey::from_components(Algorithm::Rs256, &n, &[1]).err(), Some(Error::WeakKey));
/// assert_eq!(RsaKey::from_components(Algorithm::Rs256, &n, &[0, 1, 0, 1]).err(), Some(Error::InvalidKey));
/// assert_eq!(RsaKey::from_components(Algorithm::Es256, &n, &[1, 0, 1]).err(), Some(Error::InvalidArgument));
/// # Ok::<(), Error>(())
/// ```
#[derive(Clone)]
pub struct RsaKey {
    algorithm: Algorithm,
    modulus: Modulus,
    e: u64,
    len: usize,
    bits: usize,
}

impl core::fmt::Debug for RsaKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("RsaKey").field("algorithm", &self.algorithm).field("bits", &self.bits).finish_non_exhaustive()
    }
}

impl RsaKey {
    /// The key for `algorithm` from its modulus `n` and public exponent `e`,
    /// both big-endian without leading zero bytes (as a JWK's `n` and `e`).
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for an algorithm that is not RSA;
    /// [`Error::InvalidKey`] for a malformed key: an empty value or a
    /// leading zero byte, an even modulus or one over 4096 bits, an even
    /// exponent or one of 2^33 or more; [`Error::WeakKey`] for a well-formed
    /// but weak key: a modulus under 2048 bits or `e` = 1.
    pub fn from_components(algorithm: Algorithm, n: &[u8], e: &[u8]) -> Result<Self, Error> {
        hash_of(algorithm).ok_or(Error::InvalidArgument)?;
        let first = *n.first().ok_or(Error::InvalidKey)?;
        let bits = n.len() * 8 - first.leading_zeros() as usize;
        if first == 0 || bits > MAX_RSA_BITS {
            return Err(Error::InvalidKey);
        }
        let e = exponent(e)?;
        let modulus = Modulus::new(n).ok_or(Error::InvalidKey)?;
        if bits < MIN_RSA_BITS || e == 1 {
            return Err(Error::WeakKey);
        }
        Ok(RsaKey { algorithm, modulus, e, len: n.len(), bits })
    }

    /// The one algorithm this key checks.
    pub const fn algorithm(&self) -> Algorithm {
        self.algorithm
    }

    /// The modulus size in bits.
    pub const fn modulus_bits(&self) -> usize {
        self.bits
    }

    /// The length of every valid signature: the modulus length in bytes.
    pub const fn signature_len(&self) -> usize {
        self.len
    }

    /// The modulus, big-endian without leading zero bytes, into `out` (at
    /// least [`signature_len`](Self::signature_len) bytes), and the public
    /// exponent, for exporting the key.
    pub(crate) fn components<'o>(&self, out: &'o mut [u8; MAX_BYTES]) -> (&'o [u8], u64) {
        let n = out.get_mut(..self.len).unwrap_or_default();
        self.modulus.to_bytes(n);
        (n, self.e)
    }

    /// Whether `signature` is a valid signature of `message` under this key
    /// and its algorithm.
    pub fn verify_signature(&self, message: &[u8], signature: &[u8]) -> bool {
        // RFC 8017 §8.2.2 step 1 and §5.2.2: exactly k bytes, and s < n.
        if signature.len() != self.len || self.modulus.exceeds(signature) {
            return false;
        }
        let Some(hash) = hash_of(self.algorithm) else { return false };
        let mut m = [0u8; MAX_BYTES];
        let Some(m) = m.get_mut(..self.len) else { return false };
        self.modulus.pow(signature, self.e, m);
        match self.algorithm {
            Algorithm::Ps256 | Algorithm::Ps384 | Algorithm::Ps512 => padding::pss_matches(m, self.bits, hash, message),
            _ => padding::pkcs1_v15_matches(m, hash, message),
        }
    }
}

/// The hash of an RSA algorithm, `None` for the others.
const fn hash_of(algorithm: Algorithm) -> Option<Hash> {
    match algorithm {
        Algorithm::Rs256 | Algorithm::Ps256 => Some(Hash::Sha256),
        Algorithm::Rs384 | Algorithm::Ps384 => Some(Hash::Sha384),
        Algorithm::Rs512 | Algorithm::Ps512 => Some(Hash::Sha512),
        _ => None,
    }
}

/// The public exponent: odd, 3 ≤ e < 2^33 (1 is `WeakKey`, checked by the caller).
fn exponent(e: &[u8]) -> Result<u64, Error> {
    if e.first().is_none_or(|&b| b == 0) || e.len() > 5 {
        return Err(Error::InvalidKey);
    }
    let value = e.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b));
    if value >= 1 << 33 || value & 1 == 0 {
        return Err(Error::InvalidKey);
    }
    Ok(value)
}

#[cfg(test)]
mod tests;
