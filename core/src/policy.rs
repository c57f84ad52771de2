//! What a token must satisfy beyond its signature: the verification policy.

use crate::error::{Claim, Error};

/// A set of registered claims, as a bit mask (`1 << Claim::code()`).
///
/// ```
/// use tessera_core::{Claim, ClaimSet};
/// let set = ClaimSet::EMPTY.with(Claim::Exp).with(Claim::Sub);
/// assert!(set.contains(Claim::Sub));
/// assert!(!set.contains(Claim::Iat));
/// assert_eq!(ClaimSet::from_bits(set.bits()), Some(set));
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct ClaimSet(u32);

impl ClaimSet {
    /// No claims.
    pub const EMPTY: ClaimSet = ClaimSet(0);

    /// The set with `claim` added.
    #[must_use]
    pub const fn with(self, claim: Claim) -> ClaimSet {
        ClaimSet(self.0 | claim.bit())
    }

    /// The set with `claim` removed.
    #[must_use]
    pub const fn without(self, claim: Claim) -> ClaimSet {
        ClaimSet(self.0 & !claim.bit())
    }

    /// Whether `claim` is in the set.
    pub const fn contains(self, claim: Claim) -> bool {
        self.0 & claim.bit() != 0
    }

    /// The raw mask.
    pub const fn bits(self) -> u32 {
        self.0
    }

    /// Every claim a set can hold: codes 1 to 11, bits 1 to 11.
    const ALL_BITS: u32 = 0b1111_1111_1110;

    /// A set from a raw mask, or `None` when a bit names no claim. Such a
    /// mask is a slip, not a smaller set: claim codes ORed without the
    /// shift (`EXP | IAT` as 4 | 5 is bits 0 and 2, i.e. `sub` and no
    /// claim) would otherwise require other claims than meant, silently.
    ///
    /// ```
    /// use tessera_core::{Claim, ClaimSet};
    /// assert_eq!(ClaimSet::from_bits(1 << 4), Some(ClaimSet::EMPTY.with(Claim::Exp)));
    /// assert_eq!(ClaimSet::from_bits(4 | 5), None); // codes, not bits
    /// assert_eq!(ClaimSet::from_bits(1 << 12), None);
    /// ```
    pub const fn from_bits(bits: u32) -> Option<ClaimSet> {
        if bits & !Self::ALL_BITS == 0 { Some(ClaimSet(bits)) } else { None }
    }
}

/// The audiences a policy accepts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Audiences<'a> {
    /// No audience expected: a token carrying `aud` is refused unless
    /// [`Policy::ignore_audience`] is set.
    #[default]
    None,
    /// One expected audience.
    One(&'a str),
    /// Any of these audiences. An empty slice is a configuration error:
    /// [`verify`](crate::verify) refuses every token with
    /// [`Error::InvalidArgument`] (an empty list read from configuration must
    /// not silently mean "no audience expected").
    Any(&'a [&'a str]),
}

impl Audiences<'_> {
    pub(crate) fn is_none(&self) -> bool {
        matches!(self, Audiences::None)
    }

    pub(crate) fn contains(&self, aud: &str) -> bool {
        match self {
            Audiences::None => false,
            Audiences::One(a) => *a == aud,
            Audiences::Any(list) => list.contains(&aud),
        }
    }
}

/// The default maximum token length in bytes.
pub const DEFAULT_MAX_TOKEN_LEN: usize = 8192;

/// The exclusive upper bound of `now` and `issued_before`, in seconds:
/// 10^11, the year 5138. Any time in milliseconds since 1973 is above it, so
/// the common slip of passing milliseconds (`Date.now()`,
/// `as_millis()`) is refused as [`Error::InvalidArgument`] instead of
/// accepting every expired token for the next 50,000 years.
///
/// ```
/// use tessera_core::{Error, Policy, MAX_TIME};
/// assert_eq!(Policy::new(1_700_000_000).check(), Ok(()));
/// assert_eq!(Policy::new(1_700_000_000_000).check(), Err(Error::InvalidArgument));
/// assert_eq!(MAX_TIME, 100_000_000_000);
/// ```
pub const MAX_TIME: u64 = 100_000_000_000;

/// The largest clock leeway a policy accepts: five minutes, in seconds.
/// RFC 7519 §4.1.4 allows "some small leeway, usually no more than a few
/// minutes"; a larger value is a caller's slip, refused by rule 0 like a
/// `now` in milliseconds. The bound is this low so that it catches the
/// common slip: any leeway of a second or more written in milliseconds
/// (fast-jwt's `clockTolerance` is in milliseconds) is above it, where a
/// bound of a day let 30 s written as 30,000 accept tokens expired 8 hours ago.
///
/// ```
/// use tessera_core::{Error, Policy, MAX_LEEWAY};
/// assert_eq!(Policy::new(1_700_000_000).leeway(MAX_LEEWAY).check(), Ok(()));
/// assert_eq!(Policy::new(1_700_000_000).leeway(30_000).check(), Err(Error::InvalidArgument)); // 30 s in ms
/// ```
pub const MAX_LEEWAY: u64 = 300;

/// A revocation check, run after every other rule passes.
///
/// Implemented for any `Fn(&RevocationQuery) -> bool` closure returning
/// `true` when the token is revoked.
///
/// ```
/// use tessera_core::{Policy, RevocationQuery};
/// let revoked_sessions = ["s-1", "s-2"];
/// let check = |q: &RevocationQuery<'_>| q.sid.is_some_and(|s| revoked_sessions.contains(&s));
/// let policy = Policy::new(1_700_000_000).revocation(&check);
/// # let _ = policy;
/// ```
pub trait RevocationCheck {
    /// Whether the token described by `query` is revoked.
    fn is_revoked(&self, query: &RevocationQuery<'_>) -> bool;
}

impl<F: Fn(&RevocationQuery<'_>) -> bool> RevocationCheck for F {
    fn is_revoked(&self, query: &RevocationQuery<'_>) -> bool {
        self(query)
    }
}

/// What a [`RevocationCheck`] is told about a verified token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RevocationQuery<'a> {
    /// The `jti` claim, if present.
    pub jti: Option<&'a str>,
    /// The `sid` claim, if present.
    pub sid: Option<&'a str>,
    /// The `sub` claim, if present.
    pub sub: Option<&'a str>,
    /// The `iat` claim, if present.
    pub iat: Option<u64>,
}

/// The verification policy: everything checked besides the signature.
///
/// Defaults are the secure choice: `exp` required, no leeway, no audience
/// accepted, tokens of at most 8192 bytes. `now` comes from the caller since
/// a `no_std` crate has no clock.
///
/// ```
/// use tessera_core::{Claim, Policy};
/// let policy = Policy::new(1_700_000_000)
///     .issuer("https://auth.example.com")
///     .audience("api")
///     .typ("at+jwt")
///     .leeway(30)
///     .require(Claim::Sub);
/// assert_eq!(policy.now, 1_700_000_000);
/// ```
#[derive(Clone, Copy)]
#[non_exhaustive]
pub struct Policy<'a> {
    /// The current time, in seconds since the epoch.
    pub now: u64,
    /// Seconds of clock skew tolerated on `exp`, `nbf`, `iat` and max age.
    pub leeway: u64,
    /// The expected `iss`.
    pub issuer: Option<&'a str>,
    /// The accepted audiences.
    pub audiences: Audiences<'a>,
    /// The expected header `typ`.
    pub typ: Option<&'a str>,
    /// Claims that must be present (default: `exp`).
    pub required: ClaimSet,
    /// The maximum age in seconds, measured from `iat`.
    pub max_age: Option<u64>,
    /// The longest token accepted, in bytes.
    pub max_token_len: usize,
    /// Accept tokens with an `aud` when no audience is expected.
    pub ignore_audience: bool,
    /// Refuse tokens issued (by `iat`) at or before this time: a per-user
    /// logout-all cut-off (see [`Policy::issued_before`]).
    pub issued_before: Option<u64>,
    /// A revocation check run after all other rules pass.
    pub revocation: Option<&'a dyn RevocationCheck>,
}

impl core::fmt::Debug for Policy<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Policy")
            .field("now", &self.now)
            .field("leeway", &self.leeway)
            .field("issuer", &self.issuer)
            .field("audiences", &self.audiences)
            .field("typ", &self.typ)
            .field("required", &self.required)
            .field("max_age", &self.max_age)
            .field("max_token_len", &self.max_token_len)
            .field("ignore_audience", &self.ignore_audience)
            .field("issued_before", &self.issued_before)
            .field("revocation", &self.revocation.is_some())
            .finish()
    }
}

impl<'a> Policy<'a> {
    /// The secure default policy at time `now` (seconds since the epoch;
    /// 0 is refused by every verify, never read as 1970).
    pub const fn new(now: u64) -> Self {
        Policy {
            now,
            leeway: 0,
            issuer: None,
            audiences: Audiences::None,
            typ: None,
            required: ClaimSet::EMPTY.with(Claim::Exp),
            max_age: None,
            max_token_len: DEFAULT_MAX_TOKEN_LEN,
            ignore_audience: false,
            issued_before: None,
            revocation: None,
        }
    }

    /// Sets the current time.
    #[must_use]
    pub const fn at(mut self, now: u64) -> Self {
        self.now = now;
        self
    }

    /// Tolerates `seconds` of clock skew.
    ///
    /// # Background
    /// RFC 7519 §4.1.4/§4.1.5: "Implementers MAY provide for some small
    /// leeway, usually no more than a few minutes, to account for clock skew."
    #[must_use]
    pub const fn leeway(mut self, seconds: u64) -> Self {
        self.leeway = seconds;
        self
    }

    /// Requires `iss` to equal `issuer`.
    ///
    /// # Background
    /// RFC 8725 §3.8: "the relying party MUST validate that the cryptographic
    /// keys used ... belong to the issuer", which needs the issuer checked.
    #[must_use]
    pub const fn issuer(mut self, issuer: &'a str) -> Self {
        self.issuer = Some(issuer);
        self
    }

    /// Accepts tokens whose `aud` contains `audience`.
    ///
    /// # Background
    /// RFC 7519 §4.1.3: "If the principal processing the claim does not
    /// identify itself with a value in the "aud" claim when this claim is
    /// present, then the JWT MUST be rejected."
    #[must_use]
    pub const fn audience(mut self, audience: &'a str) -> Self {
        self.audiences = Audiences::One(audience);
        self
    }

    /// Accepts tokens whose `aud` contains any of `audiences`.
    #[must_use]
    pub const fn audiences(mut self, audiences: &'a [&'a str]) -> Self {
        self.audiences = Audiences::Any(audiences);
        self
    }

    /// Accepts tokens with an `aud` claim when no audience is expected.
    #[must_use]
    pub const fn ignore_audience(mut self, ignore: bool) -> Self {
        self.ignore_audience = ignore;
        self
    }

    /// Requires the header `typ` to be `typ` (ASCII case-insensitive, an
    /// `application/` prefix ignored on either side).
    ///
    /// # Background
    /// RFC 8725 §3.11 (explicit typing) and RFC 9068 §2.1 (`at+jwt`); RFC
    /// 7515 §4.1.9 recommends omitting `application/` and comparing media
    /// types case-insensitively.
    #[must_use]
    pub const fn typ(mut self, typ: &'a str) -> Self {
        self.typ = Some(typ);
        self
    }

    /// Adds `claim` to the required claims.
    #[must_use]
    pub const fn require(mut self, claim: Claim) -> Self {
        self.required = self.required.with(claim);
        self
    }

    /// Replaces the required claims (`ClaimSet::EMPTY` makes even `exp` optional).
    #[must_use]
    pub const fn required(mut self, claims: ClaimSet) -> Self {
        self.required = claims;
        self
    }

    /// Refuses tokens older than `seconds` (by `iat`, which becomes required).
    #[must_use]
    pub const fn max_age(mut self, seconds: u64) -> Self {
        self.max_age = Some(seconds);
        self
    }

    /// Sets the longest token accepted, in bytes.
    #[must_use]
    pub const fn max_token_len(mut self, bytes: usize) -> Self {
        self.max_token_len = bytes;
        self
    }

    /// Refuses tokens issued at or before `cutoff` (logout-all): `iat <=
    /// cutoff` is [`Error::Revoked`]. `iat` counts as the ceiling of its
    /// value, so a fractional `iat` just below the cut-off is revoked too.
    ///
    /// # Background
    /// A logout-all at time `T` sets `cutoff = ceil(T)`, the first whole
    /// second not before the call: every token issued before the call
    /// returns has `iat <= cutoff` and is refused. NumericDates have
    /// one-second resolution, so a token issued later in that same second
    /// is refused as well: the edge fails closed.
    ///
    /// ```
    /// use tessera_core::Policy;
    /// let logout_all_at = 1_700_000_000;
    /// let policy = Policy::new(1_700_000_100).issued_before(logout_all_at);
    /// # let _ = policy;
    /// ```
    #[must_use]
    pub const fn issued_before(mut self, cutoff: u64) -> Self {
        self.issued_before = Some(cutoff);
        self
    }

    /// Runs `check` after every other rule passes.
    #[must_use]
    pub const fn revocation(mut self, check: &'a dyn RevocationCheck) -> Self {
        self.revocation = Some(check);
        self
    }

    /// Whether the policy itself is usable: `now` above 0 (0 is "no time
    /// given", see SPEC rule 0), a leeway of at most [`MAX_LEEWAY`], `now`
    /// and `issued_before` below
    /// [`MAX_TIME`] (seconds, not milliseconds) and, when audiences are
    /// listed, at least one. [`verify`](crate::verify) runs this first, so a
    /// misconfigured policy refuses every token with
    /// [`Error::InvalidArgument`] instead of checking less than its author
    /// believes; bindings call it when they build a policy, to fail early.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for the cases above.
    ///
    /// ```
    /// use tessera_core::{Error, Policy};
    /// let none: [&str; 0] = [];
    /// assert_eq!(Policy::new(1_700_000_000).audiences(&none).check(), Err(Error::InvalidArgument));
    /// assert_eq!(Policy::new(1_700_000_000).audiences(&["api"]).check(), Ok(()));
    /// assert_eq!(Policy::new(0).check(), Err(Error::InvalidArgument)); // no time given
    /// ```
    pub const fn check(&self) -> Result<(), Error> {
        let cutoff_ok = match self.issued_before {
            Some(t) => t < MAX_TIME,
            None => true,
        };
        let audiences_ok = !matches!(self.audiences, Audiences::Any(list) if list.is_empty());
        // `now` 0 is "no time given", never 1970 (which would accept every
        // expired token): the core has no clock to read, so it refuses it.
        let now_ok = self.now > 0 && self.now < MAX_TIME;
        let leeway_ok = self.leeway <= MAX_LEEWAY;
        if now_ok && leeway_ok && cutoff_ok && audiences_ok { Ok(()) } else { Err(Error::InvalidArgument) }
    }

    /// The claims that must be present: `required`, plus `iat` under a max age
    /// or an `issued_before` cut-off.
    pub const fn effective_required(&self) -> ClaimSet {
        if self.max_age.is_some() || self.issued_before.is_some() {
            self.required.with(Claim::Iat)
        } else {
            self.required
        }
    }
}
