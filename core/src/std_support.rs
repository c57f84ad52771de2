//! What a `std` target adds (feature `std`, off by default): the system
//! clock for policies and profiles, identifiers from the OS random number
//! generator, and tokens signed into an owned `String`. The verify path is
//! unchanged: still no allocation.

extern crate std;

use std::string::{String, ToString};
use std::time::{SystemTime, UNIX_EPOCH};
use std::vec;

use crate::claims::Claims;
use crate::error::Error;
use crate::policy::Policy;
use crate::profile::{AccessToken, RandomId, RefreshToken};
use crate::sign::{ClaimsOut, HeaderOut};
use crate::{HmacKey, Sign};

/// The system clock in whole seconds since the epoch.
///
/// # Panics
/// Never in practice: only when the system clock is set before 1970.
///
/// ```
/// assert!(tessera_core::unix_now() > 1_700_000_000);
/// ```
pub fn unix_now() -> u64 {
    // A clock before 1970 gives 0, which every verify refuses (rule 0).
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

impl Policy<'_> {
    /// The secure default policy at the system clock's time
    /// ([`Policy::new`]`(`[`unix_now`]`())`).
    ///
    /// ```
    /// use tessera_core::Policy;
    /// let policy = Policy::now().issuer("https://auth.example.com").audience("api");
    /// assert!(policy.now > 1_700_000_000);
    /// ```
    pub fn now() -> Self {
        Policy::new(unix_now())
    }
}

impl RandomId {
    /// A fresh identifier: 128 bits from the operating system's random
    /// number generator, for `jti` and `sid`.
    ///
    /// # Errors
    /// When the OS generator fails (no `getrandom(2)`, no `/dev/urandom`).
    ///
    /// ```
    /// use tessera_core::profile::RandomId;
    /// let (a, b) = (RandomId::generate()?, RandomId::generate()?);
    /// assert_ne!(a, b);
    /// assert_eq!(a.as_str().len(), 22);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn generate() -> Result<Self, std::io::Error> {
        let mut random = [0u8; 16];
        getrandom::fill(&mut random).map_err(std::io::Error::other)?;
        Ok(RandomId::from_random(random))
    }
}

/// Runs a signer into a growing buffer until the token fits (tokens are
/// usually under 1 KiB; the signers refuse nothing for size but the buffer).
fn owned(mut sign: impl FnMut(&mut [u8]) -> Result<usize, Error>) -> Result<String, Error> {
    let mut len = 1024;
    loop {
        let mut out = vec![0u8; len];
        match sign(&mut out) {
            Ok(n) => {
                out.truncate(n);
                // Tokens are base64url and dots: always UTF-8.
                return String::from_utf8(out).map_err(|_| Error::InvalidArgument);
            }
            Err(Error::BufferTooSmall) if len < 1 << 24 => len *= 4,
            Err(e) => return Err(e),
        }
    }
}

/// [`sign::sign_with_json`](crate::sign::sign_with_json) (or
/// [`sign::sign`](crate::sign::sign) without custom claims) into a `String`.
///
/// # Errors
/// As those functions, never [`Error::BufferTooSmall`].
///
/// ```
/// use tessera_core::sign::{ClaimsOut, HeaderOut};
/// use tessera_core::{sign_to_string, Algorithm, HmacKey};
/// let key = HmacKey::new(Algorithm::Hs256, &[7u8; 32])?;
/// let big = format!(r#"{{"blob":"{}"}}"#, "x".repeat(5000));
/// let token = sign_to_string(&key, &HeaderOut::typ("JWT"), &ClaimsOut::new().exp(9), Some(big.as_bytes()))?;
/// assert!(token.len() > 6000);
/// # Ok::<(), tessera_core::Error>(())
/// ```
pub fn sign_to_string(
    key: &dyn Sign,
    header: &HeaderOut<'_>,
    claims: &ClaimsOut<'_>,
    custom_json: Option<&[u8]>,
) -> Result<String, Error> {
    owned(|out| match custom_json {
        Some(json) => crate::sign::sign_with_json(key, header, claims, json, out).map(str::len),
        None => crate::sign::sign(key, header, claims, out).map(str::len),
    })
}

impl AccessToken<'_> {
    /// [`AccessToken::sign`] into a `String`.
    ///
    /// # Errors
    /// As [`AccessToken::sign`], never [`Error::BufferTooSmall`].
    ///
    /// ```
    /// use tessera_core::profile::{AccessToken, RandomId};
    /// use tessera_core::{unix_now, Algorithm, HmacKey};
    /// let key = HmacKey::new(Algorithm::Hs256, &[7u8; 32])?;
    /// let (sid, jti) = (RandomId::generate().unwrap(), RandomId::generate().unwrap());
    /// let token = AccessToken::new("https://auth.example.com", "42", "api", sid.as_str(), jti.as_str(), unix_now())
    ///     .sign_to_string(&key)?;
    /// assert!(token.starts_with("eyJ"));
    /// # Ok::<(), tessera_core::Error>(())
    /// ```
    pub fn sign_to_string(&self, key: &dyn Sign) -> Result<String, Error> {
        owned(|out| self.sign(key, out).map(str::len))
    }
}

impl RefreshToken<'_> {
    /// [`RefreshToken::sign`] into a `String`.
    ///
    /// # Errors
    /// As [`RefreshToken::sign`], never [`Error::BufferTooSmall`].
    pub fn sign_to_string(&self, key: &HmacKey) -> Result<String, Error> {
        owned(|out| self.sign(key, out).map(str::len))
    }
}

/// Why [`Claims::deserialize_owned`] failed, in serde's words: the field
/// and what was wrong with it ("missing field `role`", "invalid type:
/// string \"x\", expected u8").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClaimsError {
    message: String,
}

impl ClaimsError {
    /// The message (it may quote claim values from the token: a verified
    /// token's, but still the issuer's data, not yours).
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The error kind on every surface: [`Error::InvalidArgument`].
    pub const fn kind(&self) -> Error {
        Error::InvalidArgument
    }
}

impl core::fmt::Display for ClaimsError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "the claims do not match the expected type: {}", self.message)
    }
}

impl core::error::Error for ClaimsError {}

impl Claims<'_> {
    /// Deserializes the whole payload into an owned type, with errors that
    /// name the failing field and what was wrong (serde_json's messages).
    /// [`Claims::deserialize`] is the no_std, allocation-free form.
    ///
    /// # Errors
    /// A [`ClaimsError`] naming the field.
    ///
    /// ```
    /// # use tessera_core::*;
    /// #[derive(serde::Deserialize, Debug)]
    /// struct Mine { role: String, level: u8 }
    /// # let (token, key) = tessera_core::doc_token(r#"{"exp":2000000000,"level":300}"#);
    /// # let mut scratch = [0u8; 512];
    /// let v = verify(&token, &key, &Policy::new(1), &mut scratch)?;
    /// let err = v.claims.deserialize_owned::<Mine>().unwrap_err();
    /// assert!(err.message().contains("300") && err.message().contains("u8"), "{err}");
    /// # Ok::<(), Error>(())
    /// ```
    pub fn deserialize_owned<T: serde::de::DeserializeOwned>(&self) -> Result<T, ClaimsError> {
        serde_json::from_str(self.json()).map_err(|e| {
            // serde_json adds "at line 1 column 40": the payload is one line.
            let text = e.to_string();
            let message = text.rsplit_once(" at line ").map_or(text.as_str(), |(m, _)| m).to_string();
            ClaimsError { message }
        })
    }
}
