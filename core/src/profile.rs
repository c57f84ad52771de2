//! The login flow's two tokens: access tokens (RFC 9068) and refresh
//! tokens, their defaults, the policies that accept each, and the helpers a
//! refresh endpoint needs (random identifiers, digests for storage).

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::base64url;
use crate::error::{Claim, Error};
use crate::key::HmacKey;
use crate::policy::Policy;
use crate::sign::{AudienceOut, ClaimsOut, HeaderOut, sign};
use crate::signing::Sign;

/// The `typ` of access tokens (RFC 9068 §2.1).
pub const ACCESS_TYP: &str = "at+jwt";
/// The `typ` of refresh tokens: distinct, so neither passes for the other.
pub const REFRESH_TYP: &str = "refresh+jwt";
/// Default access token lifetime: 15 minutes.
pub const ACCESS_LIFETIME: u64 = 15 * 60;
/// Default refresh token lifetime: 7 days.
pub const REFRESH_LIFETIME: u64 = 7 * 24 * 60 * 60;
/// The longest access token lifetime the profile issues: one day (what
/// Auth0 and Cognito allow at most). A longer one is a caller's slip: 15
/// minutes written in milliseconds (900,000) would be a token valid for ten
/// days, which the verifier could not tell from an intended one.
///
/// ```
/// use tessera_core::profile::{AccessToken, MAX_ACCESS_LIFETIME};
/// let t = AccessToken::new("iss", "sub", "aud", "sid", "jti", 1_700_000_000);
/// assert!(t.lifetime(MAX_ACCESS_LIFETIME).check().is_ok());
/// assert!(t.lifetime(900_000).check().is_err()); // 15 min in milliseconds
/// ```
pub const MAX_ACCESS_LIFETIME: u64 = 24 * 60 * 60;
/// The longest refresh token lifetime the profile issues: 365 days. Any
/// lifetime of a day or more written in milliseconds is above it.
///
/// ```
/// use tessera_core::profile::{RefreshToken, MAX_REFRESH_LIFETIME};
/// let t = RefreshToken::new("iss", "sub", "sid", "jti", 1_700_000_000);
/// assert!(t.lifetime(MAX_REFRESH_LIFETIME).check().is_ok());
/// assert!(t.lifetime(604_800_000).check().is_err()); // 7 days in milliseconds
/// ```
pub const MAX_REFRESH_LIFETIME: u64 = 365 * 24 * 60 * 60;

/// A 22-character url-safe identifier (`jti`, `sid`) made from 16 bytes
/// of caller-supplied randomness (128 bits, from a CSPRNG).
///
/// ```
/// use tessera_core::profile::RandomId;
/// let id = RandomId::from_random([0xfb; 16]);
/// assert_eq!(id.as_str(), "-_v7-_v7-_v7-_v7-_v7-w");
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct RandomId([u8; 22]);

impl RandomId {
    /// Encodes `random` as unpadded base64url.
    pub fn from_random(random: [u8; 16]) -> Self {
        let mut text = [0u8; 22];
        // 16 bytes always encode to exactly 22 characters.
        let _ = base64url::encode(&random, &mut text);
        RandomId(text)
    }

    /// The identifier.
    pub fn as_str(&self) -> &str {
        core::str::from_utf8(&self.0).unwrap_or_default()
    }
}

impl core::fmt::Debug for RandomId {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_tuple("RandomId").field(&self.as_str()).finish()
    }
}

/// An access token to issue: `iss`, `sub`, `aud`, `exp`, `iat`, `jti`,
/// `sid`, `scope`, `client_id`, with `typ: at+jwt`.
///
/// ```
/// use tessera_core::profile::{AccessToken, RandomId};
/// use tessera_core::{verify, Algorithm, HmacKey, Policy};
/// let key = HmacKey::new(Algorithm::Hs256, &[1u8; 32])?;
/// let jti = RandomId::from_random([2; 16]);
/// let token = AccessToken::new("https://auth.example.com", "42", "api", "session-1", jti.as_str(), 1_700_000_000)
///     .scope("profile:read likes:write")
///     .client_id("web");
/// let mut out = [0u8; 512];
/// let jwt = token.sign(&key, &mut out)?;
/// let mut scratch = [0u8; 512];
/// let policy = Policy::access_token(1_700_000_100, "https://auth.example.com", "api");
/// assert!(verify(jwt, &key, &policy, &mut scratch)?.claims.has_scope("likes:write"));
/// # Ok::<(), tessera_core::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct AccessToken<'a> {
    /// `iss`.
    pub issuer: &'a str,
    /// `sub`.
    pub subject: &'a str,
    /// `aud`.
    pub audience: AudienceOut<'a>,
    /// `sid`: the login session, shared by all tokens of one login.
    pub session_id: &'a str,
    /// `jti`: unique per token.
    pub token_id: &'a str,
    /// `iat`, the issue time.
    pub issued_at: u64,
    /// Seconds until `exp` (default 15 minutes).
    pub lifetime: u64,
    /// `scope`.
    pub scope: Option<&'a str>,
    /// `client_id`.
    pub client_id: Option<&'a str>,
    /// `typ` (default `at+jwt`).
    pub typ: &'a str,
    /// `kid`, for key rotation.
    pub kid: Option<&'a str>,
}

impl<'a> AccessToken<'a> {
    /// An access token with the defaults.
    pub const fn new(
        issuer: &'a str,
        subject: &'a str,
        audience: &'a str,
        session_id: &'a str,
        token_id: &'a str,
        now: u64,
    ) -> Self {
        AccessToken {
            issuer,
            subject,
            audience: AudienceOut::One(audience),
            session_id,
            token_id,
            issued_at: now,
            lifetime: ACCESS_LIFETIME,
            scope: None,
            client_id: None,
            typ: ACCESS_TYP,
            kid: None,
        }
    }

    /// Sets `scope`.
    #[must_use]
    pub const fn scope(mut self, scope: &'a str) -> Self {
        self.scope = Some(scope);
        self
    }
    /// Sets `client_id`.
    #[must_use]
    pub const fn client_id(mut self, client_id: &'a str) -> Self {
        self.client_id = Some(client_id);
        self
    }
    /// Sets the lifetime in seconds.
    #[must_use]
    pub const fn lifetime(mut self, seconds: u64) -> Self {
        self.lifetime = seconds;
        self
    }
    /// Sets several audiences.
    #[must_use]
    pub const fn audiences(mut self, audiences: &'a [&'a str]) -> Self {
        self.audience = AudienceOut::Many(audiences);
        self
    }
    /// Sets `kid`.
    #[must_use]
    pub const fn kid(mut self, kid: &'a str) -> Self {
        self.kid = Some(kid);
        self
    }
    /// Sets `typ`.
    #[must_use]
    pub const fn typ(mut self, typ: &'a str) -> Self {
        self.typ = typ;
        self
    }

    /// The registered claims this token carries.
    pub fn claims(&self) -> ClaimsOut<'a> {
        let mut c = ClaimsOut::new()
            .iss(self.issuer)
            .sub(self.subject)
            .exp(self.issued_at.saturating_add(self.lifetime))
            .iat(self.issued_at)
            .jti(self.token_id)
            .sid(self.session_id);
        c.aud = self.audience;
        c.scope = self.scope;
        c.client_id = self.client_id;
        c
    }

    /// The header this token carries.
    pub fn header(&self) -> HeaderOut<'a> {
        HeaderOut { typ: Some(self.typ), kid: self.kid }
    }

    /// Whether the token may be issued: `now` above 0 and below
    /// [`MAX_TIME`](crate::MAX_TIME), the lifetime from 1 second to
    /// [`MAX_ACCESS_LIFETIME`] (anything else is a slip, such as
    /// milliseconds), and the issuer, subject, audiences, session and token
    /// ids not empty (an empty `sub` names nobody: `String(user?.id ?? "")`).
    /// [`sign`](Self::sign) runs it first; bindings call it to say which
    /// parameter is wrong.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for the cases above.
    ///
    /// ```
    /// use tessera_core::{Error, profile::AccessToken};
    /// let t = AccessToken::new("https://auth.example.com", "user-42", "api", "sid-1", "jti-1", 1_700_000_000);
    /// assert_eq!(t.check(), Ok(()));
    /// let mut nobody = t;
    /// nobody.subject = ""; // e.g. `String(user?.id ?? "")`
    /// assert_eq!(nobody.check(), Err(Error::InvalidArgument));
    /// ```
    #[inline(never)]
    pub fn check(&self) -> Result<(), Error> {
        let audiences_named = match self.audience {
            AudienceOut::None => false,
            AudienceOut::One(a) => !a.is_empty(),
            AudienceOut::Many(list) => !list.is_empty() && list.iter().all(|a| !a.is_empty()),
        };
        let named = [self.issuer, self.subject, self.session_id, self.token_id].iter().all(|s| !s.is_empty());
        if !(named && audiences_named) {
            return Err(Error::InvalidArgument);
        }
        issuable(self.issued_at, self.lifetime, MAX_ACCESS_LIFETIME)
    }

    /// Signs the token into `out`.
    ///
    /// # Errors
    /// As [`sign`]; [`Error::InvalidArgument`] when [`check`](Self::check) refuses.
    pub fn sign<'o>(&self, key: &dyn Sign, out: &'o mut [u8]) -> Result<&'o str, Error> {
        self.check()?;
        sign(key, &self.header(), &self.claims(), out)
    }

    /// The signing input of this token for a key of `algorithm` held
    /// elsewhere (see [`signing_input`](crate::sign::signing_input)):
    /// sign it, append `.` and the signature's base64url.
    ///
    /// # Errors
    /// As [`AccessToken::sign`].
    ///
    /// ```
    /// use tessera_core::profile::AccessToken;
    /// use tessera_core::Algorithm;
    /// let t = AccessToken::new("https://auth.example.com", "42", "api", "s1", "j1", 1_700_000_000);
    /// let mut out = [0u8; 1024];
    /// let input = t.signing_input(Algorithm::Rs256, &mut out)?;
    /// assert!(input.starts_with("eyJhbGciOiJSUzI1NiIsInR5cCI6ImF0K2p3dCJ9.") && input.matches('.').count() == 1);
    /// # Ok::<(), tessera_core::Error>(())
    /// ```
    pub fn signing_input<'o>(&self, algorithm: crate::Algorithm, out: &'o mut [u8]) -> Result<&'o str, Error> {
        self.check()?;
        crate::sign::signing_input(algorithm, &self.header(), &self.claims(), None, out)
    }
}

/// A refresh token to issue: `iss`, `sub`, `exp`, `iat`, `jti`, `sid`, with
/// `typ: refresh+jwt`. Sign it with a key distinct from the access key.
///
/// ```
/// use tessera_core::profile::RefreshToken;
/// use tessera_core::{verify, Algorithm, HmacKey, Policy};
/// let refresh_key = HmacKey::new(Algorithm::Hs256, &[5u8; 32])?;
/// let mut out = [0u8; 512];
/// let jwt = RefreshToken::new("https://auth.example.com", "42", "session-1", "t-1", 1_700_000_000).sign(&refresh_key, &mut out)?;
/// let mut scratch = [0u8; 512];
/// let v = verify(jwt, &refresh_key, &Policy::refresh_token(1_700_000_100, "https://auth.example.com"), &mut scratch)?;
/// assert_eq!(v.claims.sid(), Some("session-1"));
/// # Ok::<(), tessera_core::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RefreshToken<'a> {
    /// `iss`.
    pub issuer: &'a str,
    /// `sub`.
    pub subject: &'a str,
    /// `sid`.
    pub session_id: &'a str,
    /// `jti`.
    pub token_id: &'a str,
    /// `iat`.
    pub issued_at: u64,
    /// Seconds until `exp` (default 7 days).
    pub lifetime: u64,
    /// `typ` (default `refresh+jwt`).
    pub typ: &'a str,
    /// `kid`.
    pub kid: Option<&'a str>,
}

impl<'a> RefreshToken<'a> {
    /// A refresh token with the defaults.
    pub const fn new(issuer: &'a str, subject: &'a str, session_id: &'a str, token_id: &'a str, now: u64) -> Self {
        RefreshToken {
            issuer,
            subject,
            session_id,
            token_id,
            issued_at: now,
            lifetime: REFRESH_LIFETIME,
            typ: REFRESH_TYP,
            kid: None,
        }
    }

    /// Sets the lifetime in seconds.
    #[must_use]
    pub const fn lifetime(mut self, seconds: u64) -> Self {
        self.lifetime = seconds;
        self
    }
    /// Sets `kid`.
    #[must_use]
    pub const fn kid(mut self, kid: &'a str) -> Self {
        self.kid = Some(kid);
        self
    }
    /// Sets `typ`.
    #[must_use]
    pub const fn typ(mut self, typ: &'a str) -> Self {
        self.typ = typ;
        self
    }

    /// The registered claims this token carries.
    pub fn claims(&self) -> ClaimsOut<'a> {
        ClaimsOut::new()
            .iss(self.issuer)
            .sub(self.subject)
            .exp(self.issued_at.saturating_add(self.lifetime))
            .iat(self.issued_at)
            .jti(self.token_id)
            .sid(self.session_id)
    }

    /// The header this token carries.
    pub fn header(&self) -> HeaderOut<'a> {
        HeaderOut { typ: Some(self.typ), kid: self.kid }
    }

    /// Whether the token may be issued: as [`AccessToken::check`], with
    /// the lifetime up to [`MAX_REFRESH_LIFETIME`].
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for the cases above.
    ///
    /// ```
    /// use tessera_core::{Error, profile::RefreshToken};
    /// let t = RefreshToken::new("https://auth.example.com", "user-42", "sid-1", "jti-1", 1_700_000_000);
    /// assert_eq!(t.check(), Ok(()));
    /// assert_eq!(t.lifetime(0).check(), Err(Error::InvalidArgument)); // expired when issued
    /// ```
    #[inline(never)]
    pub fn check(&self) -> Result<(), Error> {
        if [self.issuer, self.subject, self.session_id, self.token_id].iter().any(|s| s.is_empty()) {
            return Err(Error::InvalidArgument);
        }
        issuable(self.issued_at, self.lifetime, MAX_REFRESH_LIFETIME)
    }

    /// Signs the token into `out`.
    ///
    /// # Errors
    /// As [`sign`]; [`Error::InvalidArgument`] when [`check`](Self::check) refuses.
    pub fn sign<'o>(&self, key: &HmacKey, out: &'o mut [u8]) -> Result<&'o str, Error> {
        self.check()?;
        sign(key, &self.header(), &self.claims(), out)
    }
}

/// The profiles' times must be seconds: a token "issued" in milliseconds
/// would carry an `exp` valid for 50,000 years, and a lifetime in
/// milliseconds one valid for days or years; `now` 0 is "no time given",
/// lifetime 0 a token expired when issued.
const fn issuable(now: u64, lifetime: u64, max_lifetime: u64) -> Result<(), Error> {
    if now > 0 && now < crate::MAX_TIME && lifetime > 0 && lifetime <= max_lifetime {
        Ok(())
    } else {
        Err(Error::InvalidArgument)
    }
}

impl<'a> Policy<'a> {
    /// The policy for access tokens: `typ` `at+jwt`, the issuer and
    /// audience given, and `exp`, `iat`, `sub` required.
    ///
    /// # Background
    /// RFC 9068 §4: resource servers "MUST verify that the typ header value is
    /// at+jwt", validate `iss` and `aud`, and check `exp`.
    pub const fn access_token(now: u64, issuer: &'a str, audience: &'a str) -> Self {
        Policy::new(now).typ(ACCESS_TYP).issuer(issuer).audience(audience).require(Claim::Iat).require(Claim::Sub)
    }

    /// The policy for refresh tokens: `typ` `refresh+jwt`, the issuer given,
    /// no audience, and `exp`, `iat`, `sub`, `jti`, `sid` required.
    pub const fn refresh_token(now: u64, issuer: &'a str) -> Self {
        Policy::new(now)
            .typ(REFRESH_TYP)
            .issuer(issuer)
            .require(Claim::Iat)
            .require(Claim::Sub)
            .require(Claim::Jti)
            .require(Claim::Sid)
    }
}

/// The SHA-256 digest of a refresh token, as 43 base64url characters: what
/// a server stores instead of the token.
///
/// ```
/// use tessera_core::profile::refresh_token_digest;
/// let d = refresh_token_digest("abc");
/// assert_eq!(d.as_str(), "ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0");
/// ```
pub fn refresh_token_digest<T: AsRef<[u8]> + ?Sized>(token: &T) -> TokenDigest {
    let hash = Sha256::digest(token.as_ref());
    let mut text = [0u8; 43];
    // 32 bytes always encode to exactly 43 characters.
    let _ = base64url::encode(&hash, &mut text);
    TokenDigest(text)
}

/// A refresh token digest (43 base64url characters).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct TokenDigest([u8; 43]);

impl TokenDigest {
    /// The digest text.
    pub fn as_str(&self) -> &str {
        core::str::from_utf8(&self.0).unwrap_or_default()
    }

    /// Compares with a stored digest in constant time.
    pub fn matches(&self, stored: &str) -> bool {
        constant_time_eq(&self.0, stored.as_bytes())
    }
}

impl core::fmt::Debug for TokenDigest {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_tuple("TokenDigest").field(&self.as_str()).finish()
    }
}

/// Whether `a == b`, in time that depends only on the lengths.
///
/// ```
/// assert!(tessera_core::profile::constant_time_eq(b"abc", b"abc"));
/// assert!(!tessera_core::profile::constant_time_eq(b"abc", b"abd"));
/// assert!(!tessera_core::profile::constant_time_eq(b"abc", b"ab"));
/// ```
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.ct_eq(b).into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::algorithm::Algorithm;
    use crate::verify;

    const ISS: &str = "https://auth.example.com";

    #[test]
    fn refresh_and_access_never_pass_for_each_other() {
        let access_key = HmacKey::new(Algorithm::Hs256, &[1u8; 32]).unwrap();
        let refresh_key = HmacKey::new(Algorithm::Hs256, &[2u8; 32]).unwrap();
        let now = 1_700_000_000;
        let mut a = [0u8; 512];
        let mut r = [0u8; 512];
        let access = AccessToken::new(ISS, "42", "api", "s", "j1", now).sign(&access_key, &mut a).unwrap();
        let refresh = RefreshToken::new(ISS, "42", "s", "j2", now).sign(&refresh_key, &mut r).unwrap();
        let mut big = [0u8; 1024];
        let ms = now * 1000;
        assert_eq!(
            AccessToken::new(ISS, "42", "api", "s", "j", ms).sign(&access_key, &mut big),
            Err(Error::InvalidArgument)
        );
        assert_eq!(
            RefreshToken::new(ISS, "42", "s", "j", ms).sign(&refresh_key, &mut big),
            Err(Error::InvalidArgument)
        );
        let ap = Policy::access_token(now + 1, ISS, "api");
        let rp = Policy::refresh_token(now + 1, ISS);
        let mut s = [0u8; 1024];
        assert!(verify(access, &access_key, &ap, &mut s).is_ok());
        assert!(verify(refresh, &refresh_key, &rp, &mut s).is_ok());
        // Even under the same key, `typ` tells them apart.
        assert_eq!(verify(refresh, &refresh_key, &ap, &mut s).err(), Some(Error::TypeMismatch));
        assert_eq!(verify(access, &access_key, &rp, &mut s).err(), Some(Error::TypeMismatch));
        // And with distinct keys, the signature does too.
        assert_eq!(verify(refresh, &access_key, &ap.typ(REFRESH_TYP), &mut s).err(), Some(Error::BadSignature));
        // Lifetimes are the defaults.
        let v = verify(refresh, &refresh_key, &rp, &mut s).unwrap();
        assert_eq!(v.claims.exp(), Some(now + REFRESH_LIFETIME));
        assert_eq!(
            verify(access, &access_key, &ap.at(now + ACCESS_LIFETIME), &mut s).err(),
            Some(Error::Expired(Claim::Exp))
        );
    }

    #[test]
    fn lifetimes_beyond_the_profile_bounds_are_refused_not_issued() {
        let key = HmacKey::new(Algorithm::Hs256, &[1u8; 32]).unwrap();
        let mut out = [0u8; 1024];
        let now = 1_700_000_000;
        let access = AccessToken::new("i", "s", "a", "sid", "jti", now);
        let refresh = RefreshToken::new("i", "s", "sid", "jti", now);
        for (lifetime, ok) in [(1, true), (MAX_ACCESS_LIFETIME, true), (0, false), (MAX_ACCESS_LIFETIME + 1, false)] {
            let t = access.lifetime(lifetime);
            assert_eq!(t.sign(&key, &mut out).is_ok(), ok, "access {lifetime}");
            assert_eq!(t.signing_input(Algorithm::Es256, &mut out).is_ok(), ok, "access input {lifetime}");
        }
        // 15 minutes in milliseconds: a ten-day token.
        assert_eq!(access.lifetime(900_000).sign(&key, &mut out).err(), Some(Error::InvalidArgument));
        for (lifetime, ok) in [(1, true), (MAX_REFRESH_LIFETIME, true), (0, false), (MAX_REFRESH_LIFETIME + 1, false)] {
            assert_eq!(refresh.lifetime(lifetime).sign(&key, &mut out).is_ok(), ok, "refresh {lifetime}");
        }
        // 7 days in milliseconds: a token for 19 years.
        assert_eq!(refresh.lifetime(604_800_000).sign(&key, &mut out).err(), Some(Error::InvalidArgument));
    }

    #[test]
    fn empty_names_are_refused_not_issued() {
        let key = HmacKey::new(Algorithm::Hs256, &[1u8; 32]).unwrap();
        let mut out = [0u8; 1024];
        let now = 1_700_000_000;
        let access = |i, s, a, sid, jti| AccessToken::new(i, s, a, sid, jti, now).sign(&key, &mut [0u8; 1024]).err();
        assert_eq!(access("i", "s", "a", "sid", "jti"), None);
        for bad in [["", "s", "a", "sid", "jti"], ["i", "", "a", "sid", "jti"], ["i", "s", "", "sid", "jti"]] {
            assert_eq!(access(bad[0], bad[1], bad[2], bad[3], bad[4]), Some(Error::InvalidArgument), "{bad:?}");
        }
        assert_eq!(access("i", "s", "a", "", "jti"), Some(Error::InvalidArgument));
        assert_eq!(access("i", "s", "a", "sid", ""), Some(Error::InvalidArgument));
        let t = AccessToken::new("i", "s", "a", "sid", "jti", now);
        assert!(t.audiences(&["web", "api"]).sign(&key, &mut out).is_ok());
        assert_eq!(t.audiences(&["web", ""]).sign(&key, &mut out).err(), Some(Error::InvalidArgument));
        assert_eq!(t.audiences(&[]).sign(&key, &mut out).err(), Some(Error::InvalidArgument));
        assert_eq!(t.audiences(&[]).signing_input(Algorithm::Es256, &mut out).err(), Some(Error::InvalidArgument));
        let refresh = |i, s, sid, jti| RefreshToken::new(i, s, sid, jti, now).sign(&key, &mut [0u8; 1024]).err();
        assert_eq!(refresh("i", "s", "sid", "jti"), None);
        assert_eq!(refresh("", "s", "sid", "jti"), Some(Error::InvalidArgument));
        assert_eq!(refresh("i", "", "sid", "jti"), Some(Error::InvalidArgument));
        assert_eq!(refresh("i", "s", "", "jti"), Some(Error::InvalidArgument));
        assert_eq!(refresh("i", "s", "sid", ""), Some(Error::InvalidArgument));
    }

    #[test]
    fn digest_and_comparison() {
        let d = refresh_token_digest("token");
        assert_eq!(d.as_str().len(), 43);
        assert!(d.matches(refresh_token_digest("token").as_str()));
        assert!(!d.matches(refresh_token_digest("token2").as_str()));
        assert!(!d.matches(""));
    }
}
