#![doc = include_str!("../README.md")]
//!
//! ## Dependencies
//! `hmac` and `sha2` (with `zeroize`, so key states are wiped on drop),
//! `base64ct` (encoding and strict decoding), `serde` and `serde-json-core`
//! (deserializing custom claims into the caller's types), `heapless`
//! (fixed-capacity key sets), `subtle` (constant-time comparisons),
//! `zeroize`; per feature `ed25519-dalek` with `curve25519-dalek` (EdDSA),
//! `p256`, `p384`, `ring`.
#![cfg_attr(not(test), no_std)]
// `deny`, not `forbid`: `native_simd` alone allows `unsafe` (SPEC.md lists its blocks).
#![deny(unsafe_code)]
#![warn(clippy::std_instead_of_core, clippy::alloc_instead_of_core)]

/// The verification contract (`SPEC.md`): every rule, in order, with its
/// error; JWK and signing-key rules; constant-time notes; resource bounds.
#[doc = include_str!("../SPEC.md")]
pub mod spec {}

mod algorithm;
mod arena;
pub mod base64url;
mod claim_value;
mod claims;
mod error;
#[cfg(test)]
mod exhaustive;
mod header;
pub mod http;
mod json;
#[cfg(any(feature = "ed25519", feature = "ecdsa", feature = "rsa"))]
pub mod jwk;
mod key;
#[cfg(any(target_arch = "x86_64", all(target_arch = "aarch64", target_feature = "neon")))]
mod native_simd;
pub mod numeric_date;
mod policy;
pub mod profile;
#[cfg(any(feature = "ed25519", feature = "ecdsa", feature = "rsa"))]
mod publish;
pub mod sign;
mod signing;
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod simd128;
mod spki;
#[cfg(feature = "std")]
mod std_support;
mod verify;

pub use algorithm::{Algorithm, Family, MAX_SIGNATURE_LEN};
pub use claim_value::{ClaimStr, ClaimValue, claim_value};
pub use claims::{Audience, AudienceIter, AudienceParts, Claims, raw_member, scope_contains};
pub use error::{Claim, Error};
pub use header::{Header, MAX_HEADER_MEMBERS};
#[cfg(feature = "ecdsa")]
pub use key::EcdsaKey;
#[cfg(feature = "ed25519")]
pub use key::Ed25519Key;
pub use key::{HmacKey, Key, KeyRef, KeySet, KeySource, MAX_KID_LEN};
#[cfg(feature = "rsa")]
pub use key::{MAX_RSA_BITS, MIN_RSA_BITS, RsaKey};
pub use policy::{
    Audiences, ClaimSet, DEFAULT_MAX_TOKEN_LEN, MAX_LEEWAY, MAX_TIME, Policy, RevocationCheck, RevocationQuery,
};
#[cfg(any(feature = "ed25519", feature = "ecdsa", feature = "rsa"))]
pub use publish::{Thumbprint, write_jwks};
#[cfg(feature = "ecdsa")]
pub use signing::EcdsaSigningKey;
#[cfg(feature = "ed25519")]
pub use signing::Ed25519SigningKey;
#[cfg(any(feature = "ed25519", feature = "ecdsa"))]
pub use signing::PrivateKey;
pub use signing::Sign;
#[cfg(feature = "std")]
pub use std_support::{ClaimsError, sign_to_string, unix_now};
pub use verify::{
    SCRATCH_LEN, SignatureCheck, Unverified, Verified, decode_unverified, scratch_len, verify, verify_with,
};

/// The maximum JSON nesting depth accepted (the top-level object is level 1).
pub const MAX_DEPTH: usize = json::MAX_DEPTH;

/// Each vector routine beside its scalar reference, for the
/// `simd_differential` fuzz target; not part of the API.
#[doc(hidden)]
pub mod simd_check {
    use crate::Error;

    /// One decoding's outcome.
    pub type Decoded<'a> = Result<&'a [u8], Error>;

    /// `base64url::decode` (vector blocks, then the table decoder) into
    /// `fast`, and the table decoder alone into `reference`.
    pub fn base64url<'a>(src: &[u8], fast: &'a mut [u8], reference: &'a mut [u8]) -> (Decoded<'a>, Decoded<'a>) {
        (crate::base64url::decode(src, fast), crate::base64url::decode_scalar(src, reference))
    }

    /// Where a JSON string's plain run ends: the vector search, and the
    /// byte-at-a-time search.
    pub fn string_stop(bytes: &[u8]) -> (Option<usize>, Option<usize>) {
        crate::json::string_stop_pair(bytes)
    }
}

/// A token over `payload` signed with a fixed HS256 key, for doc examples.
#[doc(hidden)]
pub fn doc_token(payload: &str) -> (heapless::String<1024>, HmacKey) {
    let key = HmacKey::new(Algorithm::Hs256, &[7u8; 32]).unwrap_or_else(|_| unreachable!());
    let mut out = [0u8; 1024];
    let token = sign::sign_raw(br#"{"alg":"HS256"}"#, payload.as_bytes(), &key, &mut out).unwrap_or_default();
    (heapless::String::try_from(token).unwrap_or_default(), key)
}
