//! # tessera-core
//!
//! Allocation-free, `no_std` verification and issuance of HMAC JSON Web
//! Tokens (HS256, HS384, HS512), built for the hot path of an API server:
//! one HMAC and a single pass over the JSON per request.
//!
//! ```
//! use tessera_core::{verify, Algorithm, Error, HmacKey, Policy};
//!
//! let key = HmacKey::new(Algorithm::Hs256, b"a secret of at least thirty-two bytes")?;
//! # let mut buf = [0u8; 512];
//! # let token = tessera_core::sign::sign_raw(br#"{"alg":"HS256","typ":"at+jwt"}"#,
//! #     br#"{"iss":"https:\/\/auth.example.com","sub":"42","aud":"api","exp":1700000900,"scope":"read write"}"#, &key, &mut buf)?;
//! let policy = Policy::new(1_700_000_000)
//!     .issuer("https://auth.example.com")
//!     .audience("api")
//!     .typ("at+jwt");
//! let mut scratch = [0u8; tessera_core::SCRATCH_LEN];
//! let verified = verify(token, &key, &policy, &mut scratch)?;
//! assert_eq!(verified.claims.sub(), Some("42"));
//! assert!(verified.claims.has_scope("write"));
//! # Ok::<(), Error>(())
//! ```
//!
//! The full verification contract — the rules, their order and the error
//! each one returns — is in `core/SPEC.md`, included below.
//!
//! ## Dependencies
//! `hmac` and `sha2` (with `zeroize`, so key states are wiped on drop),
//! `base64ct` (encoding and strict decoding), `serde` and `serde-json-core`
//! (deserializing custom claims into the caller's types), `heapless`
//! (fixed-capacity key sets), `subtle` (the constant-time comparison of
//! stored refresh-token digests). Nothing else.
//!
#![doc = include_str!("../SPEC.md")]
#![cfg_attr(not(test), no_std)]
#![forbid(unsafe_code)]
#![warn(clippy::std_instead_of_core, clippy::alloc_instead_of_core)]

mod algorithm;
mod arena;
pub mod base64url;
mod claims;
mod error;
mod header;
pub mod http;
mod json;
#[cfg(any(feature = "ed25519", feature = "ecdsa", feature = "rsa"))]
pub mod jwk;
mod key;
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
mod verify;

pub use algorithm::{Algorithm, Family, MAX_SIGNATURE_LEN};
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
pub use policy::{Audiences, ClaimSet, DEFAULT_MAX_TOKEN_LEN, MAX_TIME, Policy, RevocationCheck, RevocationQuery};
#[cfg(any(feature = "ed25519", feature = "ecdsa", feature = "rsa"))]
pub use publish::{Thumbprint, write_jwks};
#[cfg(feature = "ecdsa")]
pub use signing::EcdsaSigningKey;
#[cfg(feature = "ed25519")]
pub use signing::Ed25519SigningKey;
#[cfg(any(feature = "ed25519", feature = "ecdsa"))]
pub use signing::PrivateKey;
pub use signing::Sign;
pub use verify::{
    SCRATCH_LEN, SignatureCheck, Unverified, Verified, decode_unverified, scratch_len, verify, verify_with,
};

/// The maximum JSON nesting depth accepted (the top-level object is level 1).
pub const MAX_DEPTH: usize = json::MAX_DEPTH;

/// A token over `payload` signed with a fixed HS256 key, for doc examples.
#[doc(hidden)]
pub fn doc_token(payload: &str) -> (heapless::String<1024>, HmacKey) {
    let key = HmacKey::new(Algorithm::Hs256, &[7u8; 32]).unwrap_or_else(|_| unreachable!());
    let mut out = [0u8; 1024];
    let token = sign::sign_raw(br#"{"alg":"HS256"}"#, payload.as_bytes(), &key, &mut out).unwrap_or_default();
    (heapless::String::try_from(token).unwrap_or_default(), key)
}
