//! The JWS algorithms Tessera verifies (RFC 7518 §3, RFC 8037 §3.1).

/// A JWS algorithm. Every key is bound to exactly one when it is made; the
/// header's `alg` must name it (rule 4b).
///
/// ```
/// use tessera_core::{Algorithm, Family};
/// assert_eq!(Algorithm::Hs256.name(), "HS256");
/// assert_eq!(Algorithm::from_name("EdDSA"), Some(Algorithm::EdDsa));
/// assert_eq!(Algorithm::from_name("none"), None);
/// assert_eq!(Algorithm::Hs384.min_secret_len(), Some(48));
/// assert_eq!(Algorithm::Es256.min_secret_len(), None);
/// assert_eq!(Algorithm::Es384.family(), Family::Ecdsa);
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
    /// ECDSA on P-256 with SHA-256; signatures are `r‖s`, 64 bytes.
    Es256 = 10,
    /// ECDSA on P-384 with SHA-384; signatures are `r‖s`, 96 bytes.
    Es384 = 11,
    /// EdDSA with Ed25519 (RFC 8037); signatures are 64 bytes.
    EdDsa = 20,
    /// RSASSA-PKCS1-v1_5 with SHA-256; signatures are as long as the modulus.
    Rs256 = 30,
    /// RSASSA-PKCS1-v1_5 with SHA-384.
    Rs384 = 31,
    /// RSASSA-PKCS1-v1_5 with SHA-512.
    Rs512 = 32,
    /// RSASSA-PSS with SHA-256, MGF1 with SHA-256, a 32-byte salt.
    Ps256 = 40,
    /// RSASSA-PSS with SHA-384, MGF1 with SHA-384, a 48-byte salt.
    Ps384 = 41,
    /// RSASSA-PSS with SHA-512, MGF1 with SHA-512, a 64-byte salt.
    Ps512 = 42,
}

/// The family of an [`Algorithm`]: which kind of key checks it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Family {
    /// A shared secret (`HmacKey`).
    Hmac,
    /// An elliptic-curve public key (`EcdsaKey`).
    Ecdsa,
    /// An Edwards-curve public key (`Ed25519Key`).
    EdDsa,
    /// An RSA public key (`RsaKey`), PKCS#1 v1.5 or PSS.
    Rsa,
}

/// The longest signature any algorithm produces, in bytes: the stack
/// buffer a verify decodes the signature into (RSA-4096's 512 bytes).
pub const MAX_SIGNATURE_LEN: usize = 512;

impl Algorithm {
    /// Every algorithm, in code order.
    pub const ALL: [Algorithm; 12] = [
        Algorithm::Hs256,
        Algorithm::Hs384,
        Algorithm::Hs512,
        Algorithm::Es256,
        Algorithm::Es384,
        Algorithm::EdDsa,
        Algorithm::Rs256,
        Algorithm::Rs384,
        Algorithm::Rs512,
        Algorithm::Ps256,
        Algorithm::Ps384,
        Algorithm::Ps512,
    ];

    /// The `alg` header value.
    pub const fn name(self) -> &'static str {
        match self {
            Algorithm::Hs256 => "HS256",
            Algorithm::Hs384 => "HS384",
            Algorithm::Hs512 => "HS512",
            Algorithm::Es256 => "ES256",
            Algorithm::Es384 => "ES384",
            Algorithm::EdDsa => "EdDSA",
            Algorithm::Rs256 => "RS256",
            Algorithm::Rs384 => "RS384",
            Algorithm::Rs512 => "RS512",
            Algorithm::Ps256 => "PS256",
            Algorithm::Ps384 => "PS384",
            Algorithm::Ps512 => "PS512",
        }
    }

    /// The algorithm whose `alg` value is exactly `name` (case-sensitive).
    pub fn from_name(name: &str) -> Option<Algorithm> {
        Self::from_bytes(name.as_bytes())
    }

    pub(crate) fn from_bytes(name: &[u8]) -> Option<Algorithm> {
        Algorithm::ALL.into_iter().find(|a| a.name().as_bytes() == name)
    }

    /// The family of keys that check this algorithm.
    pub const fn family(self) -> Family {
        match self {
            Algorithm::Hs256 | Algorithm::Hs384 | Algorithm::Hs512 => Family::Hmac,
            Algorithm::Es256 | Algorithm::Es384 => Family::Ecdsa,
            Algorithm::EdDsa => Family::EdDsa,
            Algorithm::Rs256
            | Algorithm::Rs384
            | Algorithm::Rs512
            | Algorithm::Ps256
            | Algorithm::Ps384
            | Algorithm::Ps512 => Family::Rsa,
        }
    }

    /// The length of every valid signature, in bytes; for RSA, whose
    /// signatures are as long as the key's modulus, the longest accepted
    /// (512, RSA-4096; the key's own `signature_len` is exact).
    ///
    /// # Background
    /// RFC 7518 §3.2 (the MAC is the whole hash output), §3.4 (ECDSA: `R`
    /// and `S` as fixed-length octet strings, 64 bytes for ES256, 96 for
    /// ES384), RFC 8032 §5.1.6 (64 bytes), RFC 8017 §8.2.2 (RSA: k bytes).
    pub const fn signature_len(self) -> usize {
        match self {
            Algorithm::Hs256 => 32,
            Algorithm::Hs384 => 48,
            Algorithm::Hs512 | Algorithm::Es256 | Algorithm::EdDsa => 64,
            Algorithm::Es384 => 96,
            Algorithm::Rs256
            | Algorithm::Rs384
            | Algorithm::Rs512
            | Algorithm::Ps256
            | Algorithm::Ps384
            | Algorithm::Ps512 => MAX_SIGNATURE_LEN,
        }
    }

    /// The shortest secret accepted for an HMAC algorithm (the hash output
    /// size); `None` for the others, which take no secret.
    ///
    /// # Background
    /// RFC 7518 §3.2: "A key of the same size as the hash output (for
    /// instance, 256 bits for "HS256") or larger MUST be used with this
    /// algorithm."
    pub const fn min_secret_len(self) -> Option<usize> {
        match self.family() {
            Family::Hmac => Some(self.signature_len()),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_lengths() {
        for a in Algorithm::ALL {
            assert_eq!(Algorithm::from_name(a.name()), Some(a));
        }
        let lens: [usize; 12] = Algorithm::ALL.map(Algorithm::signature_len);
        assert_eq!(lens, [32, 48, 64, 64, 96, 64, 512, 512, 512, 512, 512, 512]);
        assert!(lens.iter().all(|&n| n <= MAX_SIGNATURE_LEN));
        for bad in ["none", "NONE", "hs256", "EDDSA", "Ed25519", "ES512", "rs256", "PS256 ", "RS1", ""] {
            assert_eq!(Algorithm::from_name(bad), None, "{bad}");
        }
    }
}
