//! `tessera_policy`: a plain C struct, filled with secure defaults by
//! `tessera_policy_init`, converted to the core's `Policy` per call.

use std::ffi::{c_char, c_void};

use tessera_core::{ClaimSet, DEFAULT_MAX_TOKEN_LEN, Policy, RevocationCheck, RevocationQuery};

use crate::guard::{guard, reference_mut, text};
use crate::status::tessera_status;

/// A string view: `len` bytes at `ptr`, not NUL-terminated. `ptr` is NULL
/// when the value is absent.
#[allow(non_camel_case_types)]
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct tessera_str {
    /// The first byte, or NULL when absent.
    pub ptr: *const c_char,
    /// The length in bytes.
    pub len: usize,
}

impl tessera_str {
    /// The absent string.
    pub const NONE: tessera_str = tessera_str { ptr: std::ptr::null(), len: 0 };

    pub(crate) fn from_str(s: &str) -> Self {
        tessera_str { ptr: s.as_ptr().cast(), len: s.len() }
    }

    pub(crate) fn from_opt(s: Option<&str>) -> Self {
        s.map_or(Self::NONE, Self::from_str)
    }

    /// The string, `None` when absent (`{NULL, 0}`). A NULL `ptr` with a
    /// non-zero `len` is `NULL_PARAMETER`: a C caller's `{getenv(..), n}`
    /// with the variable unset must not silently turn a check off.
    ///
    /// # Safety
    /// A non-NULL `ptr` must be readable for `len` bytes for `'a`.
    pub(crate) unsafe fn get<'a>(&self) -> Result<Option<&'a str>, tessera_status> {
        if self.ptr.is_null() {
            return if self.len == 0 { Ok(None) } else { Err(tessera_status::NullParameter) };
        }
        // SAFETY: forwarded contract.
        unsafe { text(self.ptr.cast(), self.len) }.map(Some)
    }
}

/// The registered claims, numbered as in the core; as a required-claims
/// bit: `1u << TESSERA_CLAIM_EXP`.
#[allow(non_camel_case_types)]
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum tessera_claim {
    /// No claim.
    None = 0,
    /// `iss`.
    Iss = 1,
    /// `sub`.
    Sub = 2,
    /// `aud`.
    Aud = 3,
    /// `exp`.
    Exp = 4,
    /// `iat`.
    Iat = 5,
    /// `nbf`.
    Nbf = 6,
    /// `jti`.
    Jti = 7,
    /// `sid`.
    Sid = 8,
    /// `scope`.
    Scope = 9,
    /// `azp`.
    Azp = 10,
    /// `client_id`.
    ClientId = 11,
}

/// What a revocation callback is told about a token that passed every
/// other rule.
#[allow(non_camel_case_types)]
#[repr(C)]
pub struct tessera_revocation_query {
    /// `jti` (ptr NULL when absent).
    pub jti: tessera_str,
    /// `sid` (ptr NULL when absent).
    pub sid: tessera_str,
    /// `sub` (ptr NULL when absent).
    pub sub: tessera_str,
    /// `iat`, valid when `has_iat`.
    pub iat: i64,
    /// Whether `iat` is present.
    pub has_iat: bool,
}

/// A revocation callback: return true when the token is revoked.
#[allow(non_camel_case_types)]
pub type tessera_revocation_fn =
    Option<unsafe extern "C" fn(user: *mut c_void, query: *const tessera_revocation_query) -> bool>;

/// The verification policy. Always start from `tessera_policy_init`, which
/// fills the secure defaults (exp required, no leeway, no audience, tokens
/// of at most 8192 bytes), then set what you need.
#[allow(non_camel_case_types)]
#[repr(C)]
pub struct tessera_policy {
    /// Current time in seconds since the epoch; 0 reads the system clock.
    /// Values of 10^11 and above (milliseconds passed as seconds) are
    /// `TESSERA_STATUS_INVALID_ARGUMENT`.
    pub now: u64,
    /// Seconds of clock skew tolerated (at most `TESSERA_MAX_LEEWAY`, 300).
    pub leeway: u64,
    /// Expected `iss` (ptr NULL: not checked).
    pub issuer: tessera_str,
    /// Expected audiences (at most 16); any one must be in `aud`. NULL with
    /// `audiences_len` 0: none expected. A non-NULL pointer with length 0 is
    /// an explicitly empty list, a configuration error: every verify returns
    /// `TESSERA_STATUS_INVALID_ARGUMENT`.
    pub audiences: *const tessera_str,
    /// Number of `audiences`.
    pub audiences_len: usize,
    /// Expected header `typ` (ptr NULL: not checked).
    pub typ: tessera_str,
    /// Required claims as a bit mask of `1u << tessera_claim` (default: exp).
    /// A bit that names no claim (`TESSERA_CLAIM_EXP | TESSERA_CLAIM_IAT`
    /// without the shifts sets bit 0) is `TESSERA_STATUS_INVALID_ARGUMENT`.
    pub required: u32,
    /// Maximum age in seconds since `iat`, when `has_max_age`. Non-zero
    /// without `has_max_age` is `TESSERA_STATUS_INVALID_ARGUMENT` (it would
    /// be ignored).
    pub max_age: u64,
    /// Whether `max_age` applies (it makes `iat` required).
    pub has_max_age: bool,
    /// Longest token accepted, in bytes (default 8192).
    pub max_token_len: usize,
    /// Accept tokens with `aud` when no audience is expected.
    pub ignore_audience: bool,
    /// Refuse tokens whose `iat` is at or before this time (logout-all: set
    /// it to the first whole second not before the logout-all call); 0: off.
    pub issued_before: u64,
    /// Optional revocation callback, run after every other rule passes.
    pub revoked: tessera_revocation_fn,
    /// Passed to `revoked` as `user`.
    pub revoked_user: *mut c_void,
}

/// Fills `policy` with the secure defaults.
///
/// # Safety
/// `policy` must be writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tessera_policy_init(policy: *mut tessera_policy) -> tessera_status {
    guard(|| {
        // SAFETY: forwarded contract.
        match unsafe { reference_mut(policy) } {
            Ok(p) => {
                let d = Policy::new(0);
                *p = tessera_policy {
                    now: 0,
                    leeway: d.leeway,
                    issuer: tessera_str::NONE,
                    audiences: std::ptr::null(),
                    audiences_len: 0,
                    typ: tessera_str::NONE,
                    required: d.required.bits(),
                    max_age: 0,
                    has_max_age: false,
                    max_token_len: DEFAULT_MAX_TOKEN_LEN,
                    ignore_audience: false,
                    issued_before: 0,
                    revoked: None,
                    revoked_user: std::ptr::null_mut(),
                };
                tessera_status::Ok
            }
            Err(s) => s,
        }
    })
}

/// The most audiences a policy may list.
pub const TESSERA_MAX_AUDIENCES: usize = 16;

/// The largest `leeway` a policy accepts: five minutes, in seconds (RFC 7519
/// speaks of "a few minutes"; a larger one is a slip, such as milliseconds,
/// and every verify answers `TESSERA_STATUS_INVALID_ARGUMENT`).
pub const TESSERA_MAX_LEEWAY: u64 = 300;
const _: () = assert!(TESSERA_MAX_LEEWAY == tessera_core::MAX_LEEWAY);

/// The C revocation callback as the core's `RevocationCheck`.
pub(crate) struct CRevocation {
    pub(crate) f: unsafe extern "C" fn(*mut c_void, *const tessera_revocation_query) -> bool,
    pub(crate) user: *mut c_void,
}

impl RevocationCheck for CRevocation {
    fn is_revoked(&self, q: &RevocationQuery<'_>) -> bool {
        let query = tessera_revocation_query {
            jti: tessera_str::from_opt(q.jti),
            sid: tessera_str::from_opt(q.sid),
            sub: tessera_str::from_opt(q.sub),
            iat: q.iat.and_then(|v| i64::try_from(v).ok()).unwrap_or(0),
            has_iat: q.iat.is_some(),
        };
        // SAFETY: the application promised a valid callback and user pointer.
        unsafe { (self.f)(self.user, &query) }
    }
}

/// Runs `f` with the core policy that `p` describes.
///
/// # Safety
/// Every string and array in `p` must be valid as documented.
pub(crate) unsafe fn with_policy<R>(
    p: &tessera_policy,
    f: impl FnOnce(&Policy<'_>) -> Result<R, tessera_status>,
) -> Result<R, tessera_status> {
    let now = crate::sign::now_or_clock(p.now)?;
    // A mask bit that names no claim (claim codes ORed without `1u <<`)
    // would require other claims than meant: refused, not dropped.
    let required = ClaimSet::from_bits(p.required).ok_or(tessera_status::InvalidArgument)?;
    // A max age set without its flag would be ignored: refused, so that a
    // forgotten `has_max_age = true` is seen instead of checking less.
    if p.max_age != 0 && !p.has_max_age {
        return Err(tessera_status::InvalidArgument);
    }
    let mut policy = Policy::new(now)
        .leeway(p.leeway)
        .required(required)
        .max_token_len(p.max_token_len)
        .ignore_audience(p.ignore_audience);
    // SAFETY: forwarded contract (for this and the reads below).
    if let Some(iss) = unsafe { p.issuer.get() }? {
        policy = policy.issuer(iss);
    }
    // SAFETY: as above.
    if let Some(typ) = unsafe { p.typ.get() }? {
        policy = policy.typ(typ);
    }
    if p.has_max_age {
        policy = policy.max_age(p.max_age);
    }
    if p.issued_before != 0 {
        policy = policy.issued_before(p.issued_before);
    }
    let revocation = p.revoked.map(|f| CRevocation { f, user: p.revoked_user });
    if let Some(r) = &revocation {
        policy = policy.revocation(r);
    }
    if p.audiences.is_null() && p.audiences_len == 0 {
        return f(&policy);
    }
    let mut slots = [""; TESSERA_MAX_AUDIENCES];
    // SAFETY: forwarded contract.
    let expected = unsafe { audiences(p.audiences, p.audiences_len, &mut slots) }?;
    // An explicitly empty list goes to the core as such: its rule 0 refuses it.
    f(&policy.audiences(expected))
}

/// A C array of `len` audience strings as `&str`s in `slots` (at most
/// `TESSERA_MAX_AUDIENCES`; NULL with length 0 is none), for policies and
/// for signing.
///
/// # Safety
/// `ptr` NULL or valid for `len` entries, each a valid `tessera_str`.
pub(crate) unsafe fn audiences<'a, 's>(
    ptr: *const tessera_str,
    len: usize,
    slots: &'s mut [&'a str; TESSERA_MAX_AUDIENCES],
) -> Result<&'s [&'a str], tessera_status> {
    if len > TESSERA_MAX_AUDIENCES {
        return Err(tessera_status::InvalidArgument);
    }
    if len > 0 {
        if ptr.is_null() {
            return Err(tessera_status::NullParameter);
        }
        // SAFETY: non-null with `len` entries by contract.
        let list = unsafe { std::slice::from_raw_parts(ptr, len) };
        for (slot, a) in slots.iter_mut().zip(list) {
            // SAFETY: as above.
            *slot = unsafe { a.get() }?.ok_or(tessera_status::NullParameter)?;
        }
    }
    slots.get(..len).ok_or(tessera_status::InvalidArgument)
}
