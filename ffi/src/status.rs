//! The status codes: the core's stable error codes, plus the boundary's own.

use tessera_core::Error;

/// The result of every Tessera C function. 0 is success; 1–99 are the
/// core's stable error codes (the same numbers in Rust and JavaScript);
/// 100 and up belong to the C boundary. Numbers are never reused.
#[allow(non_camel_case_types)]
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum tessera_status {
    /// Success.
    Ok = 0,
    /// The token is not a well-formed JWS (segments, base64url or JSON).
    Malformed = 1,
    /// The token is longer than the policy allows.
    TokenTooLong = 2,
    /// The header's alg is missing or is not the key's algorithm.
    AlgorithmMismatch = 3,
    /// The header has a crit member.
    UnsupportedCritical = 4,
    /// The header's typ is not the expected type.
    TypeMismatch = 5,
    /// The header's kid is missing or names no key in the key set.
    UnknownKey = 6,
    /// The signature does not match.
    BadSignature = 7,
    /// A registered claim has the wrong JSON type or an invalid value (see `error_claim`).
    InvalidClaim = 8,
    /// A required claim is missing (see `error_claim`).
    MissingClaim = 9,
    /// The token has expired (`exp`, or max age by `iat`).
    Expired = 10,
    /// The token is not valid yet (`nbf` or `iat`).
    NotYetValid = 11,
    /// The issuer is not the expected one.
    InvalidIssuer = 12,
    /// The audience is not an expected one.
    InvalidAudience = 13,
    /// A caller buffer is too small.
    BufferTooSmall = 14,
    /// The secret is too short for the algorithm.
    WeakKey = 15,
    /// The token has been revoked.
    Revoked = 16,
    /// A fixed capacity was exceeded (key set full, kid too long).
    CapacityExceeded = 17,
    /// An argument is invalid (unknown algorithm, bad UTF-8, ...).
    InvalidArgument = 18,
    /// A key was refused on import: malformed or unusable.
    InvalidKey = 19,
    /// A required pointer argument was NULL.
    NullParameter = 100,
    /// An internal panic was caught at the boundary (a bug: please report it).
    Panic = 101,
    /// The operating system's clock or random generator failed.
    SystemError = 102,
}

impl From<Error> for tessera_status {
    fn from(e: Error) -> Self {
        match e {
            Error::Malformed => tessera_status::Malformed,
            Error::TokenTooLong => tessera_status::TokenTooLong,
            Error::AlgorithmMismatch => tessera_status::AlgorithmMismatch,
            Error::UnsupportedCritical => tessera_status::UnsupportedCritical,
            Error::TypeMismatch => tessera_status::TypeMismatch,
            Error::UnknownKey => tessera_status::UnknownKey,
            Error::BadSignature => tessera_status::BadSignature,
            Error::InvalidClaim(_) => tessera_status::InvalidClaim,
            Error::MissingClaim(_) => tessera_status::MissingClaim,
            Error::Expired(_) => tessera_status::Expired,
            Error::NotYetValid(_) => tessera_status::NotYetValid,
            Error::InvalidIssuer => tessera_status::InvalidIssuer,
            Error::InvalidAudience => tessera_status::InvalidAudience,
            Error::BufferTooSmall => tessera_status::BufferTooSmall,
            Error::WeakKey => tessera_status::WeakKey,
            Error::Revoked => tessera_status::Revoked,
            Error::CapacityExceeded => tessera_status::CapacityExceeded,
            Error::InvalidKey => tessera_status::InvalidKey,
            _ => tessera_status::InvalidArgument,
        }
    }
}

/// Every core error kind, one representative each (the claim of the
/// claim-carrying kinds does not matter for names and descriptions).
const KINDS: [Error; 19] = {
    use tessera_core::Claim;
    [
        Error::Malformed,
        Error::TokenTooLong,
        Error::AlgorithmMismatch,
        Error::UnsupportedCritical,
        Error::TypeMismatch,
        Error::UnknownKey,
        Error::BadSignature,
        Error::InvalidClaim(Claim::Exp),
        Error::MissingClaim(Claim::Exp),
        Error::Expired(Claim::Exp),
        Error::NotYetValid(Claim::Nbf),
        Error::InvalidIssuer,
        Error::InvalidAudience,
        Error::BufferTooSmall,
        Error::WeakKey,
        Error::Revoked,
        Error::CapacityExceeded,
        Error::InvalidArgument,
        Error::InvalidKey,
    ]
};

/// The core error kind with stable code `status`, if it is one.
fn kind(status: u32) -> Option<Error> {
    KINDS.into_iter().find(|e| e.code() == status)
}

/// A static, human description of `status` (a NUL-terminated string that
/// must not be freed). Unknown values give "unknown status".
#[unsafe(no_mangle)]
pub extern "C" fn tessera_status_str(status: u32) -> *const std::ffi::c_char {
    let s: &'static std::ffi::CStr = match status {
        0 => c"success",
        100 => c"a required pointer argument was NULL",
        101 => c"internal error: a panic was caught at the C boundary",
        102 => c"the system clock or random generator failed",
        code => kind(code).map_or(c"unknown status", Error::description_c),
    };
    s.as_ptr()
}

/// The stable name of `status`, e.g. "Expired" (a static NUL-terminated
/// string), as the JavaScript binding spells error codes.
#[unsafe(no_mangle)]
pub extern "C" fn tessera_status_name(status: u32) -> *const std::ffi::c_char {
    let s: &'static std::ffi::CStr = match status {
        0 => c"Ok",
        100 => c"NullParameter",
        101 => c"Panic",
        102 => c"SystemError",
        code => kind(code).map_or(c"Unknown", Error::name_c),
    };
    s.as_ptr()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_messages_match_the_core() {
        // Every code from 1 to 19 once, in order: no kind missing or doubled.
        let codes: Vec<u32> = KINDS.iter().map(|e| e.code()).collect();
        assert_eq!(codes, (1..=19).collect::<Vec<u32>>());
        let text = |p: *const std::ffi::c_char| {
            // SAFETY: the functions return static C strings.
            unsafe { std::ffi::CStr::from_ptr(p) }.to_str().unwrap()
        };
        assert_eq!(text(tessera_status_str(20)), "unknown status");
        assert_eq!(text(tessera_status_name(99)), "Unknown");
        assert_eq!(text(tessera_status_name(101)), "Panic");
        for e in KINDS {
            let s = tessera_status::from(e);
            assert_eq!(s as u32, e.code());
            // SAFETY: static C strings.
            let msg = unsafe { std::ffi::CStr::from_ptr(tessera_status_str(e.code())) };
            assert_eq!(msg.to_str().unwrap(), e.description());
            // SAFETY: static C strings.
            let name = unsafe { std::ffi::CStr::from_ptr(tessera_status_name(e.code())) };
            assert_eq!(name.to_str().unwrap(), e.name());
        }
    }
}
