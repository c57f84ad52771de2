//! `tessera_verify`: one call per request, no allocation; the verified
//! claims as string views into the caller's scratch buffer.

use tessera_core::{
    Audience, AudienceParts, Claim, ClaimValue, Claims, Error, Header, KeySource, decode_unverified, verify,
};

use crate::guard::{bytes, bytes_mut, guard, reference, reference_mut, status, text};
use crate::key::{tessera_key, tessera_keyset};
use crate::policy::{tessera_policy, tessera_str, with_policy};
use crate::prepared::tessera_prepared_policy;
use crate::sign::emit;
use crate::status::tessera_status;

/// The header and claims of a verified token. String views point into the
/// scratch buffer given to `tessera_verify` and are valid while it is.
/// Absent strings have `ptr == NULL`; times are valid when their bit
/// (`1u << TESSERA_CLAIM_EXP`, ...) is set in `present`.
#[allow(non_camel_case_types)]
#[repr(C)]
pub struct tessera_claims {
    /// Header `alg`.
    pub alg: tessera_str,
    /// Header `typ`.
    pub typ: tessera_str,
    /// Header `kid`.
    pub kid: tessera_str,
    /// `iss`.
    pub iss: tessera_str,
    /// `sub`.
    pub sub: tessera_str,
    /// `jti`.
    pub jti: tessera_str,
    /// `sid`.
    pub sid: tessera_str,
    /// `scope` (space-separated; see `tessera_claims_has_scope`).
    pub scope: tessera_str,
    /// `azp`.
    pub azp: tessera_str,
    /// `client_id`.
    pub client_id: tessera_str,
    /// `exp` (whole seconds, rounded up).
    pub exp: i64,
    /// `nbf`.
    pub nbf: i64,
    /// `iat`.
    pub iat: i64,
    /// Bit `1u << tessera_claim` set for each registered claim present.
    pub present: u32,
    /// Number of audiences (see `tessera_claims_aud_at`).
    pub aud_count: usize,
    /// The decoded payload JSON.
    pub payload_json: tessera_str,
    /// The decoded header JSON.
    pub header_json: tessera_str,
    /// On failure: the `tessera_claim` the error is about (0 when none).
    pub error_claim: u32,
    /// Private: the `aud` claim's stored form.
    pub private_aud_one: tessera_str,
    /// Private.
    pub private_aud_array: tessera_str,
    /// Private.
    pub private_aud_unescaped: tessera_str,
}

impl tessera_claims {
    fn empty() -> Self {
        tessera_claims {
            alg: tessera_str::NONE,
            typ: tessera_str::NONE,
            kid: tessera_str::NONE,
            iss: tessera_str::NONE,
            sub: tessera_str::NONE,
            jti: tessera_str::NONE,
            sid: tessera_str::NONE,
            scope: tessera_str::NONE,
            azp: tessera_str::NONE,
            client_id: tessera_str::NONE,
            exp: 0,
            nbf: 0,
            iat: 0,
            present: 0,
            aud_count: 0,
            payload_json: tessera_str::NONE,
            header_json: tessera_str::NONE,
            error_claim: 0,
            private_aud_one: tessera_str::NONE,
            private_aud_array: tessera_str::NONE,
            private_aud_unescaped: tessera_str::NONE,
        }
    }

    /// Writes the claims over `out`, every field once, in the struct's
    /// order (straight into `out`: built as one struct value, the ~280 bytes
    /// went through the stack, ~60 instructions more per verify).
    fn fill(out: &mut Self, header: &Header<'_>, c: &Claims<'_>) {
        // Every field is written below; this pattern stops compiling when a
        // field is added, as the struct expression it replaces did.
        let tessera_claims {
            alg: _,
            typ: _,
            kid: _,
            iss: _,
            sub: _,
            jti: _,
            sid: _,
            scope: _,
            azp: _,
            client_id: _,
            exp: _,
            nbf: _,
            iat: _,
            present: _,
            aud_count: _,
            payload_json: _,
            header_json: _,
            error_claim: _,
            private_aud_one: _,
            private_aud_array: _,
            private_aud_unescaped: _,
        } = *out;
        let s = tessera_str::from_opt;
        out.alg = tessera_str::from_str(header.alg());
        out.typ = s(header.typ());
        out.kid = s(header.kid());
        out.iss = s(c.iss());
        out.sub = s(c.sub());
        out.jti = s(c.jti());
        out.sid = s(c.sid());
        out.scope = s(c.scope());
        out.azp = s(c.azp());
        out.client_id = s(c.client_id());
        // NumericDates are below 2^53, so they fit in an i64.
        let time = |v: Option<u64>| v.map_or(0, |v| i64::try_from(v).unwrap_or(i64::MAX));
        out.exp = time(c.exp());
        out.nbf = time(c.nbf());
        out.iat = time(c.iat());
        let bit = |present: bool, claim: Claim| if present { claim.bit() } else { 0 };
        out.present = bit(c.iss().is_some(), Claim::Iss)
            | bit(c.sub().is_some(), Claim::Sub)
            | bit(c.aud().is_some(), Claim::Aud)
            | bit(c.exp().is_some(), Claim::Exp)
            | bit(c.iat().is_some(), Claim::Iat)
            | bit(c.nbf().is_some(), Claim::Nbf)
            | bit(c.jti().is_some(), Claim::Jti)
            | bit(c.sid().is_some(), Claim::Sid)
            | bit(c.scope().is_some(), Claim::Scope)
            | bit(c.azp().is_some(), Claim::Azp)
            | bit(c.client_id().is_some(), Claim::ClientId);
        // One audience needs no walk over the (absent) array.
        out.aud_count = match c.aud() {
            Some(aud) if aud.is_array() => aud.iter().count(),
            Some(_) => 1,
            None => 0,
        };
        out.payload_json = tessera_str::from_str(c.json());
        out.header_json = tessera_str::from_str(header.json());
        out.error_claim = 0;
        let view = |b: &[u8]| tessera_str { ptr: b.as_ptr().cast(), len: b.len() };
        let parts = c.aud().map(|aud| aud.to_parts());
        out.private_aud_one = s(parts.and_then(|p| p.one));
        out.private_aud_array = parts.map_or(tessera_str::NONE, |p| view(p.array));
        out.private_aud_unescaped = parts.map_or(tessera_str::NONE, |p| view(p.unescaped));
    }
}

fn finish(result: Result<(&Header<'_>, &Claims<'_>), Error>, out: &mut tessera_claims) -> Result<(), tessera_status> {
    match result {
        Ok((header, claims)) => {
            tessera_claims::fill(out, header, claims);
            Ok(())
        }
        Err(e) => {
            *out = tessera_claims::empty();
            out.error_claim = e.claim().map_or(0, |c| u32::from(c.code()));
            Err(e.into())
        }
    }
}

/// A region of memory given by C, as addresses (compared, never dereferenced).
#[derive(Clone, Copy)]
struct Region(usize, usize);

impl Region {
    fn of<T>(ptr: *const T, len: usize) -> Self {
        let start = ptr as usize;
        Region(start, start.saturating_add(len.saturating_mul(size_of::<T>())))
    }

    fn of_str(s: &tessera_str) -> Self {
        Region::of(s.ptr, s.len)
    }

    fn overlaps(self, other: Region) -> bool {
        self.0 < self.1 && other.0 < other.1 && self.0 < other.1 && other.0 < self.1
    }
}

/// `INVALID_ARGUMENT` when the scratch or the output overlaps anything the
/// call reads: Rust may not read through memory it also writes, and a token
/// inside its own scratch would be overwritten while it is decoded.
///
/// # Safety
/// `policy` valid, its audiences array readable as documented.
unsafe fn check_disjoint(
    token: Region,
    policy: &tessera_policy,
    scratch: Region,
    out: Region,
) -> Result<(), tessera_status> {
    let read = [token, Region::of(policy, 1), Region::of_str(&policy.issuer), Region::of_str(&policy.typ)];
    let written = [scratch, out];
    let clash = |r: Region| written.iter().any(|w| w.overlaps(r));
    if scratch.overlaps(out) || read.iter().any(|r| clash(*r)) {
        return Err(tessera_status::InvalidArgument);
    }
    if !policy.audiences.is_null() && policy.audiences_len <= crate::policy::TESSERA_MAX_AUDIENCES {
        if clash(Region::of(policy.audiences, policy.audiences_len)) {
            return Err(tessera_status::InvalidArgument);
        }
        // SAFETY: non-NULL with `audiences_len` entries by contract.
        let list = unsafe { std::slice::from_raw_parts(policy.audiences, policy.audiences_len) };
        if list.iter().any(|a| clash(Region::of_str(a))) {
            return Err(tessera_status::InvalidArgument);
        }
    }
    Ok(())
}

/// The policy of one verify: the C struct, converted for this call, or a
/// prepared one with the call's time.
#[derive(Clone, Copy)]
enum PolicyArg<'a> {
    C(&'a tessera_policy),
    Prepared(&'a tessera_prepared_policy, u64),
}

/// # Safety
/// All pointers as documented on `tessera_verify` (`tessera_verify_prepared`).
unsafe fn verify_with<K: KeySource + ?Sized>(
    token: *const u8,
    token_len: usize,
    keys: &K,
    policy: PolicyArg<'_>,
    scratch: *mut u8,
    scratch_len: usize,
    out: *mut tessera_claims,
) -> Result<(), tessera_status> {
    let (token_r, scratch_r, out_r) =
        (Region::of(token, token_len), Region::of(scratch.cast_const(), scratch_len), Region::of(out.cast_const(), 1));
    // Before any slice exists: overlapping ones would be undefined behaviour.
    match policy {
        // SAFETY: forwarded contract.
        PolicyArg::C(p) => unsafe { check_disjoint(token_r, p, scratch_r, out_r) }?,
        // A prepared policy owns its strings: only the call's own regions can clash.
        PolicyArg::Prepared(p, _) => {
            let read = [token_r, Region::of(p, 1)];
            if scratch_r.overlaps(out_r) || read.iter().any(|r| r.overlaps(scratch_r) || r.overlaps(out_r)) {
                return Err(tessera_status::InvalidArgument);
            }
        }
    }
    if out.is_null() {
        return Err(tessera_status::NullParameter);
    }
    // SAFETY: forwarded contract, for each conversion below.
    let out = unsafe { reference_mut(out) }?;
    // SAFETY: as above.
    let token = unsafe { bytes(token, token_len) }?;
    // SAFETY: as above.
    let scratch = unsafe { bytes_mut(scratch, scratch_len) }?;
    let run = |p: &tessera_core::Policy<'_>| {
        let v = verify(token, keys, p, &mut *scratch);
        finish(v.as_ref().map(|v| (&v.header, &v.claims)).map_err(|e| *e), out)
    };
    let result = match policy {
        // SAFETY: as above.
        PolicyArg::C(p) => unsafe { with_policy(p, run) },
        PolicyArg::Prepared(p, now) => p.with(now, run),
    };
    if result.is_err() {
        // A refused token's bytes go: views kept from an earlier success
        // on this scratch read zeros, never what was just refused.
        let used = tessera_core::scratch_len(token.len()).min(scratch.len());
        if let Some(s) = scratch.get_mut(..used) {
            s.fill(0);
        }
    }
    result
}

/// The frame of the four verify entry points: the panic guard, the key (or
/// set) and the policy as the caller gave them (NULL is refused in that
/// order), then `verify_with`.
///
/// # Safety
/// All pointers as documented on `tessera_verify`.
unsafe fn entry<K: KeySource + ?Sized>(
    token: *const u8,
    token_len: usize,
    keys: Result<&K, tessera_status>,
    policy: Result<PolicyArg<'_>, tessera_status>,
    scratch: *mut u8,
    scratch_len: usize,
    out: *mut tessera_claims,
) -> tessera_status {
    guard(|| {
        status((|| {
            let (keys, policy) = (keys?, policy?);
            // SAFETY: forwarded contract.
            unsafe { verify_with(token, token_len, keys, policy, scratch, scratch_len, out) }
        })())
    })
}

/// Verifies `token` with `key` under `policy`, decoding into `scratch`
/// (`tessera_scratch_len(token_len)` bytes always suffice). On success,
/// `*out` holds the claims; on failure `*out` is reset and its
/// `error_claim` names the claim involved, if any. Never allocates.
///
/// # Safety
/// `token` readable for `token_len` bytes; `key`, `policy` valid; `scratch`
/// writable for `scratch_len` bytes; `out` writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tessera_verify(
    token: *const u8,
    token_len: usize,
    key: *const tessera_key,
    policy: *const tessera_policy,
    scratch: *mut u8,
    scratch_len: usize,
    out: *mut tessera_claims,
) -> tessera_status {
    // SAFETY: forwarded contract (the references are checked for NULL there).
    unsafe {
        entry(
            token,
            token_len,
            reference(key).map(|k| &k.key),
            reference(policy).map(PolicyArg::C),
            scratch,
            scratch_len,
            out,
        )
    }
}

/// Like `tessera_verify`, selecting the key by the header's `kid`.
///
/// # Safety
/// As `tessera_verify`, with a valid `keys`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tessera_verify_keyset(
    token: *const u8,
    token_len: usize,
    keys: *const tessera_keyset,
    policy: *const tessera_policy,
    scratch: *mut u8,
    scratch_len: usize,
    out: *mut tessera_claims,
) -> tessera_status {
    // SAFETY: forwarded contract (the references are checked for NULL there).
    unsafe {
        entry(
            token,
            token_len,
            reference(keys).map(|k| &k.set),
            reference(policy).map(PolicyArg::C),
            scratch,
            scratch_len,
            out,
        )
    }
}

/// `tessera_verify` under a policy from `tessera_policy_prepare`, at `now`
/// (seconds since the epoch; 0 reads the system clock; 10^11 and above is
/// `INVALID_ARGUMENT`, as for `tessera_policy.now`). The same verdicts as
/// `tessera_verify` under the policy it was prepared from; the per-call
/// conversion of the policy is gone.
///
/// # Safety
/// As `tessera_verify`, with a valid `policy` from `tessera_policy_prepare`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tessera_verify_prepared(
    token: *const u8,
    token_len: usize,
    key: *const tessera_key,
    policy: *const tessera_prepared_policy,
    now: u64,
    scratch: *mut u8,
    scratch_len: usize,
    out: *mut tessera_claims,
) -> tessera_status {
    // SAFETY: forwarded contract (the references are checked for NULL there).
    unsafe {
        entry(
            token,
            token_len,
            reference(key).map(|k| &k.key),
            reference(policy).map(|p| PolicyArg::Prepared(p, now)),
            scratch,
            scratch_len,
            out,
        )
    }
}

/// `tessera_verify_keyset` under a prepared policy, at `now` (as
/// `tessera_verify_prepared`).
///
/// # Safety
/// As `tessera_verify_keyset`, with a valid `policy` from `tessera_policy_prepare`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tessera_verify_keyset_prepared(
    token: *const u8,
    token_len: usize,
    keys: *const tessera_keyset,
    policy: *const tessera_prepared_policy,
    now: u64,
    scratch: *mut u8,
    scratch_len: usize,
    out: *mut tessera_claims,
) -> tessera_status {
    // SAFETY: forwarded contract (the references are checked for NULL there).
    unsafe {
        entry(
            token,
            token_len,
            reference(keys).map(|k| &k.set),
            reference(policy).map(|p| PolicyArg::Prepared(p, now)),
            scratch,
            scratch_len,
            out,
        )
    }
}

/// Reads a token WITHOUT verifying its signature or any claim: only for
/// clients that schedule a refresh from `exp`. Never trust the result.
///
/// # Safety
/// As `tessera_verify`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tessera_decode_unverified(
    token: *const u8,
    token_len: usize,
    scratch: *mut u8,
    scratch_len: usize,
    out: *mut tessera_claims,
) -> tessera_status {
    guard(|| {
        status((|| {
            let (t, s, o) = (
                Region::of(token, token_len),
                Region::of(scratch.cast_const(), scratch_len),
                Region::of(out.cast_const(), 1),
            );
            if s.overlaps(t) || o.overlaps(t) || o.overlaps(s) {
                return Err(tessera_status::InvalidArgument);
            }
            // SAFETY: forwarded contract, for each conversion below.
            let out = unsafe { reference_mut(out) }?;
            // SAFETY: as above.
            let token = unsafe { bytes(token, token_len) }?;
            // SAFETY: as above.
            let scratch = unsafe { bytes_mut(scratch, scratch_len) }?;
            let u = decode_unverified(token, scratch);
            finish(u.as_ref().map(|u| (&u.header, &u.claims)).map_err(|e| *e), out)
        })())
    })
}

/// A scratch size that suffices for any token of the default maximum length
/// (8192 bytes): `tessera_scratch_len(8192)`.
pub const TESSERA_SCRATCH_LEN: usize = 12292;

const _: () = assert!(TESSERA_SCRATCH_LEN == tessera_core::SCRATCH_LEN);

/// The scratch size that always suffices for a token of `token_len` bytes.
#[unsafe(no_mangle)]
pub extern "C" fn tessera_scratch_len(token_len: usize) -> usize {
    tessera_core::scratch_len(token_len)
}

/// # Safety
/// `claims` must come from a successful verify whose scratch is still alive.
unsafe fn audience<'a>(claims: &tessera_claims) -> Result<Option<Audience<'a>>, tessera_status> {
    if claims.present & Claim::Aud.bit() == 0 {
        return Ok(None);
    }
    // SAFETY: views into the live scratch buffer, by contract.
    let one = unsafe { claims.private_aud_one.get() }?;
    // SAFETY: as above.
    let array = unsafe { bytes(claims.private_aud_array.ptr.cast(), claims.private_aud_array.len) }?;
    // SAFETY: as above.
    let unescaped = unsafe { bytes(claims.private_aud_unescaped.ptr.cast(), claims.private_aud_unescaped.len) }?;
    Ok(Some(Audience::from_parts(AudienceParts { one, array, unescaped })))
}

/// Writes audience number `index` (0-based, below `aud_count`) to `*out`.
/// `TESSERA_STATUS_INVALID_ARGUMENT` when out of range.
///
/// # Safety
/// `claims` from a successful verify whose scratch is alive; `out` writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tessera_claims_aud_at(
    claims: *const tessera_claims,
    index: usize,
    out: *mut tessera_str,
) -> tessera_status {
    guard(|| {
        status((|| {
            // SAFETY: forwarded contract.
            let claims = unsafe { reference(claims) }?;
            // SAFETY: forwarded contract.
            let out = unsafe { reference_mut(out) }?;
            // SAFETY: forwarded contract.
            let aud = unsafe { audience(claims) }?.ok_or(tessera_status::InvalidArgument)?;
            let a = aud.iter().nth(index).ok_or(tessera_status::InvalidArgument)?;
            *out = tessera_str::from_str(a);
            Ok(())
        })())
    })
}

/// Whether the token's `scope` contains `scope` exactly (false for NULL
/// arguments or an empty `scope`).
///
/// # Safety
/// `claims` valid; `scope` readable for `scope_len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tessera_claims_has_scope(
    claims: *const tessera_claims,
    scope: *const u8,
    scope_len: usize,
) -> bool {
    let mut found = false;
    let _ = guard(|| {
        status((|| {
            // SAFETY: forwarded contract.
            let claims = unsafe { reference(claims) }?;
            // SAFETY: forwarded contract.
            let wanted = unsafe { text(scope, scope_len) }?;
            // SAFETY: forwarded contract.
            let have = unsafe { claims.scope.get() }?.unwrap_or_default();
            found = tessera_core::scope_contains(have, wanted);
            Ok(())
        })())
    });
    found
}

/// Writes the raw JSON text of top-level claim `name` (any claim, compared
/// unescaped) to `*out`. `TESSERA_STATUS_MISSING_CLAIM` when absent.
///
/// # Safety
/// `claims` from a successful verify whose scratch is alive; `name`
/// readable for `name_len` bytes; `out` writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tessera_claims_get(
    claims: *const tessera_claims,
    name: *const u8,
    name_len: usize,
    out: *mut tessera_str,
) -> tessera_status {
    guard(|| {
        status((|| {
            // SAFETY: forwarded contract.
            let claims = unsafe { reference(claims) }?;
            // SAFETY: forwarded contract.
            let out = unsafe { reference_mut(out) }?;
            // SAFETY: forwarded contract.
            let name = unsafe { text(name, name_len) }?;
            // SAFETY: forwarded contract.
            let json = unsafe { claims.payload_json.get() }?.ok_or(tessera_status::InvalidArgument)?;
            let raw = tessera_core::raw_member(json, name).ok_or(tessera_status::MissingClaim)?;
            *out = tessera_str::from_str(raw);
            Ok(())
        })())
    })
}

/// The custom claim `name` of a verified token, by kind
/// (`TESSERA_STATUS_MISSING_CLAIM` when absent).
///
/// # Safety
/// As `tessera_claims_get`.
unsafe fn custom_claim<'a>(
    claims: *const tessera_claims,
    name: *const u8,
    name_len: usize,
) -> Result<ClaimValue<'a>, tessera_status> {
    // SAFETY: forwarded contract.
    let claims = unsafe { reference(claims) }?;
    // SAFETY: forwarded contract.
    let name = unsafe { text(name, name_len) }?;
    // SAFETY: forwarded contract; the views live as long as the scratch.
    let json: &'a str = unsafe { claims.payload_json.get() }?.ok_or(tessera_status::InvalidArgument)?;
    tessera_core::claim_value(json, name).ok_or(tessera_status::MissingClaim)
}

/// Writes the custom string claim `name`, unescaped, to `out` (a NUL
/// after it when there is room) and its length in bytes to `*written`.
/// `TESSERA_STATUS_MISSING_CLAIM` when absent, `TESSERA_STATUS_INVALID_CLAIM`
/// when not a string, `TESSERA_STATUS_BUFFER_TOO_SMALL` (with the length
/// needed in `*written`) when `out` is too short. The text may hold a NUL
/// (`\u0000`): use `*written`, not `strlen`.
///
/// # Safety
/// As `tessera_claims_get`; `out` writable for `out_len` bytes; `written`
/// writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tessera_claims_get_string(
    claims: *const tessera_claims,
    name: *const u8,
    name_len: usize,
    out: *mut u8,
    out_len: usize,
    written: *mut usize,
) -> tessera_status {
    guard(|| {
        status((|| {
            // SAFETY: forwarded contract.
            let written = unsafe { reference_mut(written) }?;
            // SAFETY: forwarded contract.
            let out = unsafe { bytes_mut(out, out_len) }?;
            // SAFETY: forwarded contract.
            let ClaimValue::String(s) = (unsafe { custom_claim(claims, name, name_len) })? else {
                return Err(tessera_status::InvalidClaim);
            };
            // The length needed is reported even when it does not fit.
            *written = s.unescaped_len();
            let n = s.unescape(out)?.len();
            emit(n, out, written);
            Ok(())
        })())
    })
}

/// Writes the custom integer claim `name` to `*out`: a JSON number written
/// as an integer that fits `int64_t` (`3`, `-7`; not `3.0`, `1e3` or
/// 2^63). `TESSERA_STATUS_MISSING_CLAIM` when absent,
/// `TESSERA_STATUS_INVALID_CLAIM` otherwise.
///
/// # Safety
/// As `tessera_claims_get`; `out` writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tessera_claims_get_int(
    claims: *const tessera_claims,
    name: *const u8,
    name_len: usize,
    out: *mut i64,
) -> tessera_status {
    // SAFETY: forwarded contract.
    unsafe {
        scalar_claim(claims, name, name_len, out, |v| match v {
            ClaimValue::Integer(i) => Some(i),
            _ => None,
        })
    }
}

/// Writes the custom boolean claim `name` to `*out`.
/// `TESSERA_STATUS_MISSING_CLAIM` when absent, `TESSERA_STATUS_INVALID_CLAIM`
/// when not `true` or `false`.
///
/// # Safety
/// As `tessera_claims_get`; `out` writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tessera_claims_get_bool(
    claims: *const tessera_claims,
    name: *const u8,
    name_len: usize,
    out: *mut bool,
) -> tessera_status {
    // SAFETY: forwarded contract.
    unsafe {
        scalar_claim(claims, name, name_len, out, |v| match v {
            ClaimValue::Bool(b) => Some(b),
            _ => None,
        })
    }
}

/// The frame of the scalar getters: the claim `name`, taken by `pick`
/// (None: another type, `TESSERA_STATUS_INVALID_CLAIM`), written to `*out`.
///
/// # Safety
/// As `tessera_claims_get`; `out` writable.
unsafe fn scalar_claim<T>(
    claims: *const tessera_claims,
    name: *const u8,
    name_len: usize,
    out: *mut T,
    pick: impl Fn(ClaimValue<'_>) -> Option<T>,
) -> tessera_status {
    guard(|| {
        status((|| {
            // SAFETY: forwarded contract.
            let out = unsafe { reference_mut(out) }?;
            // SAFETY: forwarded contract.
            *out = pick(unsafe { custom_claim(claims, name, name_len) }?).ok_or(tessera_status::InvalidClaim)?;
            Ok(())
        })())
    })
}
