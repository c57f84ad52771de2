//! The one error type of the crate, with stable numeric codes.

use core::ffi::CStr;
use core::fmt;

/// A registered claim or header member that an [`Error`] refers to.
///
/// The numeric value ([`Claim::code`]) is stable and is what the C and
/// JavaScript bindings expose next to the error code.
///
/// ```
/// use tessera_core::Claim;
/// assert_eq!(Claim::Nbf.name(), "nbf");
/// assert_eq!(Claim::Nbf.code(), 6);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
#[repr(u8)]
pub enum Claim {
    /// `iss`, the issuer.
    Iss = 1,
    /// `sub`, the subject.
    Sub = 2,
    /// `aud`, the audience.
    Aud = 3,
    /// `exp`, the expiration time.
    Exp = 4,
    /// `iat`, the issued-at time.
    Iat = 5,
    /// `nbf`, the not-before time.
    Nbf = 6,
    /// `jti`, the token identifier.
    Jti = 7,
    /// `sid`, the session identifier.
    Sid = 8,
    /// `scope`, the space-separated scopes.
    Scope = 9,
    /// `azp`, the authorized party.
    Azp = 10,
    /// `client_id`, the OAuth client identifier (RFC 9068).
    ClientId = 11,
}

impl Claim {
    /// All registered claims, in code order.
    pub const ALL: [Claim; 11] = [
        Claim::Iss,
        Claim::Sub,
        Claim::Aud,
        Claim::Exp,
        Claim::Iat,
        Claim::Nbf,
        Claim::Jti,
        Claim::Sid,
        Claim::Scope,
        Claim::Azp,
        Claim::ClientId,
    ];

    /// The claim's JSON member name.
    ///
    /// ```
    /// assert_eq!(tessera_core::Claim::ClientId.name(), "client_id");
    /// ```
    pub const fn name(self) -> &'static str {
        match self {
            Claim::Iss => "iss",
            Claim::Sub => "sub",
            Claim::Aud => "aud",
            Claim::Exp => "exp",
            Claim::Iat => "iat",
            Claim::Nbf => "nbf",
            Claim::Jti => "jti",
            Claim::Sid => "sid",
            Claim::Scope => "scope",
            Claim::Azp => "azp",
            Claim::ClientId => "client_id",
        }
    }

    /// The stable numeric code of the claim (1..=11).
    ///
    /// ```
    /// assert_eq!(tessera_core::Claim::Iss.code(), 1);
    /// ```
    pub const fn code(self) -> u8 {
        self as u8
    }

    /// The bit of this claim in a [`ClaimSet`](crate::ClaimSet) mask: `1 << code`.
    ///
    /// ```
    /// assert_eq!(tessera_core::Claim::Exp.bit(), 1 << 4);
    /// ```
    pub const fn bit(self) -> u32 {
        1u32 << (self as u32)
    }

    /// The claim whose code is `code`, if any.
    ///
    /// ```
    /// use tessera_core::Claim;
    /// assert_eq!(Claim::from_code(4), Some(Claim::Exp));
    /// assert_eq!(Claim::from_code(0), None);
    /// ```
    pub const fn from_code(code: u8) -> Option<Claim> {
        Some(match code {
            1 => Claim::Iss,
            2 => Claim::Sub,
            3 => Claim::Aud,
            4 => Claim::Exp,
            5 => Claim::Iat,
            6 => Claim::Nbf,
            7 => Claim::Jti,
            8 => Claim::Sid,
            9 => Claim::Scope,
            10 => Claim::Azp,
            11 => Claim::ClientId,
            _ => return None,
        })
    }

    /// The registered claim named `name` (already unescaped), if any.
    #[inline]
    pub(crate) fn from_name(name: &[u8]) -> Option<Claim> {
        // Nine of the eleven names have three letters: one integer compared
        // with constants (a few predictable branches) rather than a jump on
        // the length and byte-by-byte compares, for every payload member.
        const fn key(s: &[u8; 3]) -> u32 {
            u32::from_le_bytes([s[0], s[1], s[2], 0])
        }
        const ISS: u32 = key(b"iss");
        const SUB: u32 = key(b"sub");
        const AUD: u32 = key(b"aud");
        const EXP: u32 = key(b"exp");
        const IAT: u32 = key(b"iat");
        const NBF: u32 = key(b"nbf");
        const JTI: u32 = key(b"jti");
        const SID: u32 = key(b"sid");
        const AZP: u32 = key(b"azp");
        match *name {
            [a, b, c] => Some(match u32::from_le_bytes([a, b, c, 0]) {
                ISS => Claim::Iss,
                SUB => Claim::Sub,
                AUD => Claim::Aud,
                EXP => Claim::Exp,
                IAT => Claim::Iat,
                NBF => Claim::Nbf,
                JTI => Claim::Jti,
                SID => Claim::Sid,
                AZP => Claim::Azp,
                _ => return None,
            }),
            [b's', b'c', b'o', b'p', b'e'] => Some(Claim::Scope),
            [b'c', b'l', b'i', b'e', b'n', b't', b'_', b'i', b'd'] => Some(Claim::ClientId),
            _ => None,
        }
    }
}

impl fmt::Display for Claim {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Everything that can go wrong, as one flat `Copy` enum.
///
/// Each variant has a stable numeric [`code`](Error::code) that the C and
/// JavaScript bindings expose; numbers are never reused. Variants that concern
/// one claim carry it, so users see which check failed.
///
/// ```
/// use tessera_core::{Claim, Error};
/// let e = Error::InvalidClaim(Claim::Nbf);
/// assert_eq!(e.code(), 8);
/// assert_eq!(e.name(), "InvalidClaim");
/// assert_eq!(e.claim(), Some(Claim::Nbf));
/// assert_eq!(format!("{e}"), "claim `nbf` has the wrong JSON type or an invalid value");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Error {
    /// The token is not a well-formed compact JWS: segments, base64url or JSON.
    Malformed,
    /// The token is longer than the policy's maximum length.
    TokenTooLong,
    /// The header's `alg` is missing, not a string, `none`, or not the key's algorithm.
    AlgorithmMismatch,
    /// The header carries `crit`; no JWS extension is implemented.
    UnsupportedCritical,
    /// The header's `typ` is absent or differs from the expected type.
    TypeMismatch,
    /// A key set was used and the header's `kid` is missing or unknown.
    UnknownKey,
    /// The HMAC does not match.
    BadSignature,
    /// A registered claim has the wrong JSON type or an out-of-range value.
    InvalidClaim(Claim),
    /// A required claim is absent.
    MissingClaim(Claim),
    /// The token has expired: `exp` passed (claim `Exp`) or older than the max age (claim `Iat`).
    Expired(Claim),
    /// The token is not valid yet: `nbf` (claim `Nbf`) or `iat` (claim `Iat`) is in the future.
    NotYetValid(Claim),
    /// The expected issuer is set and `iss` is absent or different.
    InvalidIssuer,
    /// The audience check failed.
    InvalidAudience,
    /// The caller's buffer is too small for the decoded or encoded data.
    BufferTooSmall,
    /// The key is well-formed but too weak: a secret shorter than the
    /// algorithm's hash output (RFC 7518 §3.2), an Ed25519 key of small order.
    WeakKey,
    /// The policy's revocation check reported the token revoked.
    Revoked,
    /// A fixed-capacity container (key set) is full, or a `kid` is too long.
    CapacityExceeded,
    /// An argument given by the application (not the token) is invalid.
    InvalidArgument,
    /// A key was refused on import: malformed or unusable (not a point of
    /// its curve, the wrong length, a JWK member that is not what RFC 7518
    /// §6 requires). Well-formed but too weak keys are [`Error::WeakKey`].
    InvalidKey,
}

impl Error {
    /// The stable numeric code of the error kind (never reused, never 0).
    ///
    /// ```
    /// assert_eq!(tessera_core::Error::BadSignature.code(), 7);
    /// ```
    pub const fn code(self) -> u32 {
        match self {
            Error::Malformed => 1,
            Error::TokenTooLong => 2,
            Error::AlgorithmMismatch => 3,
            Error::UnsupportedCritical => 4,
            Error::TypeMismatch => 5,
            Error::UnknownKey => 6,
            Error::BadSignature => 7,
            Error::InvalidClaim(_) => 8,
            Error::MissingClaim(_) => 9,
            Error::Expired(_) => 10,
            Error::NotYetValid(_) => 11,
            Error::InvalidIssuer => 12,
            Error::InvalidAudience => 13,
            Error::BufferTooSmall => 14,
            Error::WeakKey => 15,
            Error::Revoked => 16,
            Error::CapacityExceeded => 17,
            Error::InvalidArgument => 18,
            Error::InvalidKey => 19,
        }
    }

    /// The stable name of the error kind, as the bindings spell it.
    ///
    /// ```
    /// assert_eq!(tessera_core::Error::TokenTooLong.name(), "TokenTooLong");
    /// ```
    pub const fn name(self) -> &'static str {
        as_str(self.name_c())
    }

    /// [`name`](Error::name) as a NUL-terminated C string (for the C API).
    ///
    /// ```
    /// assert_eq!(tessera_core::Error::WeakKey.name_c(), c"WeakKey");
    /// ```
    pub const fn name_c(self) -> &'static CStr {
        match self {
            Error::Malformed => c"Malformed",
            Error::TokenTooLong => c"TokenTooLong",
            Error::AlgorithmMismatch => c"AlgorithmMismatch",
            Error::UnsupportedCritical => c"UnsupportedCritical",
            Error::TypeMismatch => c"TypeMismatch",
            Error::UnknownKey => c"UnknownKey",
            Error::BadSignature => c"BadSignature",
            Error::InvalidClaim(_) => c"InvalidClaim",
            Error::MissingClaim(_) => c"MissingClaim",
            Error::Expired(_) => c"Expired",
            Error::NotYetValid(_) => c"NotYetValid",
            Error::InvalidIssuer => c"InvalidIssuer",
            Error::InvalidAudience => c"InvalidAudience",
            Error::BufferTooSmall => c"BufferTooSmall",
            Error::WeakKey => c"WeakKey",
            Error::Revoked => c"Revoked",
            Error::CapacityExceeded => c"CapacityExceeded",
            Error::InvalidArgument => c"InvalidArgument",
            Error::InvalidKey => c"InvalidKey",
        }
    }

    /// The claim this error is about, if it concerns one.
    ///
    /// ```
    /// use tessera_core::{Claim, Error};
    /// assert_eq!(Error::Expired(Claim::Exp).claim(), Some(Claim::Exp));
    /// assert_eq!(Error::Malformed.claim(), None);
    /// ```
    pub const fn claim(self) -> Option<Claim> {
        match self {
            Error::InvalidClaim(c) | Error::MissingClaim(c) | Error::Expired(c) | Error::NotYetValid(c) => Some(c),
            Error::InvalidIssuer => Some(Claim::Iss),
            Error::InvalidAudience => Some(Claim::Aud),
            _ => None,
        }
    }

    /// A static human description of the error kind, without the claim name.
    ///
    /// ```
    /// assert_eq!(tessera_core::Error::WeakKey.description(), "the key is too weak for the algorithm");
    /// ```
    pub const fn description(self) -> &'static str {
        as_str(self.description_c())
    }

    /// [`description`](Error::description) as a NUL-terminated C string.
    ///
    /// ```
    /// assert_eq!(tessera_core::Error::Revoked.description_c(), c"the token has been revoked");
    /// ```
    pub const fn description_c(self) -> &'static CStr {
        match self {
            Error::Malformed => c"the token is not a well-formed JWS (segments, base64url or JSON)",
            Error::TokenTooLong => c"the token is longer than the policy allows",
            Error::AlgorithmMismatch => c"the header's alg is missing or is not the key's algorithm",
            Error::UnsupportedCritical => c"the header has a crit member; no extension is supported",
            Error::TypeMismatch => c"the header's typ is not the expected type",
            Error::UnknownKey => c"the header's kid is missing or names no key in the key set",
            Error::BadSignature => c"the signature does not match",
            Error::InvalidClaim(_) => c"a claim has the wrong JSON type or an invalid value",
            Error::MissingClaim(_) => c"a required claim is missing",
            Error::Expired(_) => c"the token has expired",
            Error::NotYetValid(_) => c"the token is not valid yet",
            Error::InvalidIssuer => c"the issuer is not the expected one",
            Error::InvalidAudience => c"the audience is not an expected one",
            Error::BufferTooSmall => c"the buffer is too small",
            Error::WeakKey => c"the key is too weak for the algorithm",
            Error::Revoked => c"the token has been revoked",
            Error::CapacityExceeded => c"a fixed capacity was exceeded",
            Error::InvalidArgument => c"an argument is invalid",
            Error::InvalidKey => c"the key is malformed or unusable",
        }
    }

    /// The message shown by `Display`, in three static pieces: the text before
    /// the claim name, the claim name (or `""`), and the text after it. For
    /// bindings that build the message without `core::fmt`.
    ///
    /// ```
    /// use tessera_core::{Claim, Error};
    /// let e = Error::Expired(Claim::Exp);
    /// assert_eq!(e.message_parts().concat(), e.to_string());
    /// assert_eq!(e.message_parts(), ["the token has expired (`", "exp", "`)"]);
    /// ```
    pub const fn message_parts(self) -> [&'static str; 3] {
        match self {
            Error::InvalidClaim(c) => ["claim `", c.name(), "` has the wrong JSON type or an invalid value"],
            Error::MissingClaim(c) => ["required claim `", c.name(), "` is missing"],
            Error::Expired(Claim::Iat) => ["the token is older than the maximum age (`iat`)", "", ""],
            Error::Expired(c) => ["the token has expired (`", c.name(), "`)"],
            Error::NotYetValid(c) => ["the token is not valid yet (`", c.name(), "` is in the future)"],
            e => [e.description(), "", ""],
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [before, claim, after] = self.message_parts();
        f.write_str(before)?;
        f.write_str(claim)?;
        f.write_str(after)
    }
}

impl core::error::Error for Error {}

/// The text of one of this module's C string literals (all ASCII).
const fn as_str(c: &'static CStr) -> &'static str {
    match core::str::from_utf8(c.to_bytes()) {
        Ok(s) => s,
        Err(_) => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every registered name maps to its claim; every name one byte away
    /// from one (changed, cut or extended) maps to nothing, or to the claim
    /// that name really is.
    #[test]
    fn claim_names_and_near_misses() {
        for c in Claim::ALL {
            let name = c.name().as_bytes();
            assert_eq!(Claim::from_name(name), Some(c));
            // Under Miri (~1000x slower) every seventh byte value.
            let step = if cfg!(miri) { 7 } else { 1 };
            for i in 0..name.len() {
                for b in (0..=255u8).step_by(step) {
                    let mut other = name.to_vec();
                    other[i] = b;
                    let real = Claim::ALL.into_iter().find(|k| k.name().as_bytes() == other.as_slice());
                    assert_eq!(Claim::from_name(&other), real, "{other:?}");
                }
            }
            assert_eq!(Claim::from_name(&name[1..]), None);
            assert_eq!(Claim::from_name(&name[..name.len() - 1]), None);
            assert_eq!(Claim::from_name(&[name, b"x"].concat()), None);
        }
        assert_eq!(Claim::from_name(b""), None);
    }
}
