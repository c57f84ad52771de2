//! Signing and issuance into caller buffers, identifiers from the OS RNG,
//! and the refresh-token storage helpers.

use tessera_core::Claim;
use tessera_core::profile::{self, AccessToken, RandomId, RefreshToken};
use tessera_core::sign::{ClaimsOut, HeaderOut, attach_signature, sign, sign_with_json, signing_input};

use crate::guard::{bytes, bytes_mut, guard, reference, reference_mut, status};
use crate::key::tessera_key;
use crate::policy::{TESSERA_MAX_AUDIENCES, audiences, tessera_str};
use crate::status::tessera_status;

/// The length of a random identifier (`jti`, `sid`): 22 characters.
pub const TESSERA_RANDOM_ID_LEN: usize = 22;
/// The length of a refresh token digest: 43 characters.
pub const TESSERA_DIGEST_LEN: usize = 43;

/// The longest access token lifetime `tessera_issue_access` accepts: one
/// day, in seconds (15 minutes written in milliseconds is ten days).
pub const TESSERA_MAX_ACCESS_LIFETIME: u64 = 86_400;
const _: () = assert!(TESSERA_MAX_ACCESS_LIFETIME == profile::MAX_ACCESS_LIFETIME);

/// The longest refresh token lifetime `tessera_issue_refresh` accepts: 365
/// days, in seconds.
pub const TESSERA_MAX_REFRESH_LIFETIME: u64 = 31_536_000;
const _: () = assert!(TESSERA_MAX_REFRESH_LIFETIME == profile::MAX_REFRESH_LIFETIME);

/// Header members to write besides `alg` (which comes from the key).
#[allow(non_camel_case_types)]
#[repr(C)]
pub struct tessera_header_out {
    /// `typ` (ptr NULL: omitted).
    pub typ: tessera_str,
    /// `kid` (ptr NULL: omitted).
    pub kid: tessera_str,
}

/// Registered claims to write. Strings with ptr NULL are omitted; times
/// are written when their bit (`1u << TESSERA_CLAIM_EXP`, ...) is set in
/// `times_present`.
#[allow(non_camel_case_types)]
#[repr(C)]
pub struct tessera_claims_out {
    /// `iss`.
    pub iss: tessera_str,
    /// `sub`.
    pub sub: tessera_str,
    /// Audiences (at most 16).
    pub aud: *const tessera_str,
    /// Number of `aud` entries (0: no `aud`).
    pub aud_len: usize,
    /// Write `aud` as an array even with one entry.
    pub aud_as_array: bool,
    /// `exp`.
    pub exp: u64,
    /// `nbf`.
    pub nbf: u64,
    /// `iat`.
    pub iat: u64,
    /// Which of `exp`, `nbf`, `iat` to write (`1u << TESSERA_CLAIM_EXP`,
    /// ...). Another bit, or a non-zero time without its bit (it would be
    /// left out of the token), is `TESSERA_STATUS_INVALID_ARGUMENT`.
    pub times_present: u32,
    /// `jti`.
    pub jti: tessera_str,
    /// `sid`.
    pub sid: tessera_str,
    /// `scope`.
    pub scope: tessera_str,
    /// `azp`.
    pub azp: tessera_str,
    /// `client_id`.
    pub client_id: tessera_str,
}

/// Writes `token` to `out` with a NUL after it when there is room, and its
/// length to `*written`.
pub(crate) fn emit(token_len: usize, out: &mut [u8], written: &mut usize) {
    if let Some(nul) = out.get_mut(token_len) {
        *nul = 0;
    }
    *written = token_len;
}

/// The typed header, claims and custom claims (None: no custom claims)
/// of the C structs.
///
/// # Safety
/// `header` valid; the string views of `header` and `c` valid;
/// `custom_json` readable for `custom_json_len` bytes (or NULL with 0).
unsafe fn typed<'a>(
    header: *const tessera_header_out,
    c: &'a tessera_claims_out,
    custom_json: *const u8,
    custom_json_len: usize,
    slots: &'a mut [&'a str; TESSERA_MAX_AUDIENCES],
) -> Result<(HeaderOut<'a>, ClaimsOut<'a>, Option<&'a [u8]>), tessera_status> {
    // SAFETY: forwarded contract, for this conversion and the next.
    let header = unsafe { reference(header) }?;
    // SAFETY: as above.
    let h = unsafe { HeaderOut { typ: header.typ.get()?, kid: header.kid.get()? } };
    // SAFETY: forwarded contract.
    let list = unsafe { audiences(c.aud, c.aud_len, slots) }?;
    // A bit other than exp/nbf/iat (claim codes ORed without `1u <<`), or
    // a time given without its bit, is a slip that would drop the claim
    // from the token silently: refused.
    let times = Claim::Exp.bit() | Claim::Nbf.bit() | Claim::Iat.bit();
    if c.times_present & !times != 0 {
        return Err(tessera_status::InvalidArgument);
    }
    let time = |bit: Claim, v: u64| match (c.times_present & bit.bit() != 0, v) {
        (true, v) => Ok(Some(v)),
        (false, 0) => Ok(None),
        (false, _) => Err(tessera_status::InvalidArgument),
    };
    // SAFETY: string views valid by contract.
    let mut claims = unsafe {
        let mut k = ClaimsOut::new();
        k.iss = c.iss.get()?;
        k.sub = c.sub.get()?;
        k.jti = c.jti.get()?;
        k.sid = c.sid.get()?;
        k.scope = c.scope.get()?;
        k.azp = c.azp.get()?;
        k.client_id = c.client_id.get()?;
        k
    };
    claims.exp = time(Claim::Exp, c.exp)?;
    claims.nbf = time(Claim::Nbf, c.nbf)?;
    claims.iat = time(Claim::Iat, c.iat)?;
    claims = match list {
        [] => claims,
        [one] if !c.aud_as_array => claims.aud(one),
        many => claims.auds(many),
    };
    // NULL with a non-zero length is NULL_PARAMETER (in `bytes`), not "no custom claims".
    let custom = if custom_json.is_null() && custom_json_len == 0 {
        None
    } else {
        // SAFETY: forwarded contract.
        Some(unsafe { bytes(custom_json, custom_json_len) }?)
    };
    Ok((h, claims, custom))
}

fn required(s: Option<&str>) -> Result<&str, tessera_status> {
    s.ok_or(tessera_status::NullParameter)
}

/// `now` as the C caller gives it: 0 is "no time given", the system clock.
pub(crate) fn now_or_clock(now: u64) -> Result<u64, tessera_status> {
    // The clock only when asked: reading it costs ~25 ns, 8% of a verify.
    if now != 0 {
        return Ok(now);
    }
    match tessera_core::unix_now() {
        0 => Err(tessera_status::SystemError), // a clock before 1970
        clock => Ok(clock),
    }
}

fn os_random_id() -> Result<RandomId, tessera_status> {
    RandomId::generate().map_err(|_| tessera_status::SystemError)
}

/// Signs a token with typed registered claims and optional custom claims
/// (the text of a JSON object; NULL for none) into `out`, writing the
/// length to `*written` (and a NUL after the token when there is room).
///
/// # Safety
/// `key`, `header`, `claims` valid; `custom_json` readable for
/// `custom_json_len` bytes; `out` writable for `out_len`; `written` writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tessera_sign(
    key: *const tessera_key,
    header: *const tessera_header_out,
    claims: *const tessera_claims_out,
    custom_json: *const u8,
    custom_json_len: usize,
    out: *mut u8,
    out_len: usize,
    written: *mut usize,
) -> tessera_status {
    let build = |key: &tessera_key, c: &tessera_claims_out, out: &mut [u8]| -> Result<usize, tessera_status> {
        let key = key.signer()?;
        let mut slots = [""; TESSERA_MAX_AUDIENCES];
        // SAFETY: forwarded contract.
        let (h, claims, custom) = unsafe { typed(header, c, custom_json, custom_json_len, &mut slots) }?;
        Ok(match custom {
            None => sign(key, &h, &claims, out)?.len(),
            Some(custom) => sign_with_json(key, &h, &claims, custom, out)?.len(),
        })
    };
    // SAFETY: forwarded contract (the pointers `issue` checks).
    unsafe { issue(key, claims, out, out_len, written, build) }
}

/// The frame shared by the issuers: checks the pointers, runs `build` (which
/// signs into the output buffer and returns the token length), then writes
/// the length and a NUL after the token.
///
/// # Safety
/// `key`, `params` valid; `out` writable for `out_len`; `written` writable.
unsafe fn issue<P>(
    key: *const tessera_key,
    params: *const P,
    out: *mut u8,
    out_len: usize,
    written: *mut usize,
    build: impl FnOnce(&tessera_key, &P, &mut [u8]) -> Result<usize, tessera_status>,
) -> tessera_status {
    guard(|| {
        status((|| {
            // SAFETY: forwarded contract, for each conversion below.
            let key = unsafe { reference(key) }?;
            // SAFETY: as above.
            let p = unsafe { reference(params) }?;
            // SAFETY: as above.
            let written = unsafe { reference_mut(written) }?;
            // SAFETY: as above.
            let out = unsafe { bytes_mut(out, out_len) }?;
            let n = build(key, p, out)?;
            emit(n, out, written);
            Ok(())
        })())
    })
}

/// Inputs of an access token (RFC 9068 profile: `typ` `at+jwt`).
#[allow(non_camel_case_types)]
#[repr(C)]
pub struct tessera_access_params {
    /// `iss` (required, not empty).
    pub issuer: tessera_str,
    /// `sub` (required, not empty).
    pub subject: tessera_str,
    /// `aud` (required, not empty).
    pub audience: tessera_str,
    /// `sid` (required: the login session's id, see `tessera_random_id`).
    pub session_id: tessera_str,
    /// `jti` (ptr NULL: a fresh random id from the OS RNG; empty: refused).
    pub token_id: tessera_str,
    /// `scope` (ptr NULL: omitted).
    pub scope: tessera_str,
    /// `client_id` (ptr NULL: omitted).
    pub client_id: tessera_str,
    /// `kid` (ptr NULL: omitted).
    pub kid: tessera_str,
    /// `iat`; 0 reads the system clock.
    pub now: u64,
    /// Seconds until `exp`; 0 means the default, 900; above
    /// `TESSERA_MAX_ACCESS_LIFETIME` (a day) `INVALID_ARGUMENT`.
    pub lifetime: u64,
}

/// Inputs of a refresh token (`typ` `refresh+jwt`; sign it with its own key).
#[allow(non_camel_case_types)]
#[repr(C)]
pub struct tessera_refresh_params {
    /// `iss` (required, not empty).
    pub issuer: tessera_str,
    /// `sub` (required, not empty).
    pub subject: tessera_str,
    /// `sid` (required, not empty).
    pub session_id: tessera_str,
    /// `jti` (ptr NULL: a fresh random id from the OS RNG; empty: refused).
    pub token_id: tessera_str,
    /// `kid` (ptr NULL: omitted).
    pub kid: tessera_str,
    /// `iat`; 0 reads the system clock.
    pub now: u64,
    /// Seconds until `exp`; 0 means the default, 7 days; above
    /// `TESSERA_MAX_REFRESH_LIFETIME` (365 days) `INVALID_ARGUMENT`.
    pub lifetime: u64,
}

/// Issues an access token into `out` (length to `*written`).
///
/// # Safety
/// `key`, `params` valid with valid strings; `out` writable for `out_len`;
/// `written` writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tessera_issue_access(
    key: *const tessera_key,
    params: *const tessera_access_params,
    out: *mut u8,
    out_len: usize,
    written: *mut usize,
) -> tessera_status {
    let build = |key: &tessera_key, p: &tessera_access_params, out: &mut [u8]| {
        let key = key.signer()?;
        let random = os_random_id()?;
        // SAFETY: forwarded contract.
        Ok(unsafe { access_token(p, &random) }?.sign(key, out)?.len())
    };
    // SAFETY: forwarded contract.
    unsafe { issue(key, params, out, out_len, written, build) }
}

/// The access token of `p` (`jti` from `random` when the caller gave none).
///
/// # Safety
/// The string views of `p` valid.
unsafe fn access_token<'a>(
    p: &'a tessera_access_params,
    random: &'a RandomId,
) -> Result<AccessToken<'a>, tessera_status> {
    // SAFETY: string views valid by contract, here and below.
    let (iss, sub, aud, sid) = unsafe {
        (
            required(p.issuer.get()?)?,
            required(p.subject.get()?)?,
            required(p.audience.get()?)?,
            required(p.session_id.get()?)?,
        )
    };
    // SAFETY: as above.
    let jti = unsafe { p.token_id.get() }?.unwrap_or(random.as_str());
    let mut t = AccessToken::new(iss, sub, aud, sid, jti, now_or_clock(p.now)?);
    // SAFETY: as above.
    unsafe {
        if let Some(s) = p.scope.get()? {
            t = t.scope(s);
        }
        if let Some(c) = p.client_id.get()? {
            t = t.client_id(c);
        }
        if let Some(k) = p.kid.get()? {
            t = t.kid(k);
        }
    }
    if p.lifetime != 0 {
        t = t.lifetime(p.lifetime);
    }
    Ok(t)
}

/// For a private key held elsewhere — RSA (which this library does not
/// sign with: use OpenSSL's `EVP_DigestSign`), an HSM, a cloud KMS: writes
/// the **signing input** `base64url(header).base64url(payload)` that
/// `tessera_sign` would sign, for `key`'s algorithm (`key`: the public
/// half, as from `tessera_key_from_jwk` or `tessera_key_from_pem`). Sign
/// the `*written` bytes, then call `tessera_attach_signature` on the same
/// buffer. `out` needs room for the whole token.
///
/// # Safety
/// As `tessera_sign`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tessera_signing_input(
    key: *const tessera_key,
    header: *const tessera_header_out,
    claims: *const tessera_claims_out,
    custom_json: *const u8,
    custom_json_len: usize,
    out: *mut u8,
    out_len: usize,
    written: *mut usize,
) -> tessera_status {
    let build = |key: &tessera_key, c: &tessera_claims_out, out: &mut [u8]| -> Result<usize, tessera_status> {
        let alg = key.key.algorithm(); // an HMAC secret: the core refuses it
        let mut slots = [""; TESSERA_MAX_AUDIENCES];
        // SAFETY: forwarded contract.
        let (h, claims, custom) = unsafe { typed(header, c, custom_json, custom_json_len, &mut slots) }?;
        Ok(signing_input(alg, &h, &claims, custom, out)?.len())
    };
    // SAFETY: forwarded contract (the pointers `issue` checks).
    unsafe { issue(key, claims, out, out_len, written, build) }
}

/// As `tessera_signing_input`, for an access token (the inputs of
/// `tessera_issue_access`).
///
/// # Safety
/// As `tessera_issue_access`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tessera_access_signing_input(
    key: *const tessera_key,
    params: *const tessera_access_params,
    out: *mut u8,
    out_len: usize,
    written: *mut usize,
) -> tessera_status {
    let build = |key: &tessera_key, p: &tessera_access_params, out: &mut [u8]| {
        let alg = key.key.algorithm(); // an HMAC secret: the core refuses it
        let random = os_random_id()?;
        // SAFETY: forwarded contract.
        Ok(unsafe { access_token(p, &random) }?.signing_input(alg, out)?.len())
    };
    // SAFETY: forwarded contract.
    unsafe { issue(key, params, out, out_len, written, build) }
}

/// Completes the token in `out`: its first `input_len` bytes are the
/// signing input from `tessera_signing_input`, `signature` the signature
/// the key held elsewhere made over them (RSA: as many bytes as the
/// modulus; ECDSA: raw `r||s`, not DER). The signature is verified with
/// `key` (the public half) first: a wrong private key or a faulty
/// signature gives `TESSERA_STATUS_BAD_SIGNATURE` and writes nothing.
/// Writes the token length to `*written` (and a NUL after it when there
/// is room).
///
/// # Safety
/// `key` valid; `out` readable and writable for `out_len`; `signature`
/// readable for `signature_len`; `written` writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tessera_attach_signature(
    key: *const tessera_key,
    out: *mut u8,
    out_len: usize,
    input_len: usize,
    signature: *const u8,
    signature_len: usize,
    written: *mut usize,
) -> tessera_status {
    guard(|| {
        status((|| {
            // SAFETY: forwarded contract, for each conversion below.
            let public = &unsafe { reference(key) }?.key; // the core refuses a secret
            // SAFETY: as above.
            let signature = unsafe { bytes(signature, signature_len) }?;
            // SAFETY: as above.
            let written = unsafe { reference_mut(written) }?;
            // SAFETY: as above.
            let out = unsafe { bytes_mut(out, out_len) }?;
            let n = attach_signature(public, out, input_len, signature)?.len();
            emit(n, out, written);
            Ok(())
        })())
    })
}

/// Issues a refresh token into `out` (length to `*written`).
///
/// # Safety
/// As `tessera_issue_access`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tessera_issue_refresh(
    key: *const tessera_key,
    params: *const tessera_refresh_params,
    out: *mut u8,
    out_len: usize,
    written: *mut usize,
) -> tessera_status {
    let build = |key: &tessera_key, p: &tessera_refresh_params, out: &mut [u8]| {
        // Refresh tokens are HMAC only: read by the auth server alone.
        let key = key.hmac()?;
        // SAFETY: string views valid by contract.
        let (iss, sub, sid) =
            unsafe { (required(p.issuer.get()?)?, required(p.subject.get()?)?, required(p.session_id.get()?)?) };
        let random = os_random_id()?;
        // SAFETY: as above.
        let jti = unsafe { p.token_id.get() }?.unwrap_or(random.as_str());
        let mut t = RefreshToken::new(iss, sub, sid, jti, now_or_clock(p.now)?);
        // SAFETY: as above.
        if let Some(k) = unsafe { p.kid.get() }? {
            t = t.kid(k);
        }
        if p.lifetime != 0 {
            t = t.lifetime(p.lifetime);
        }
        Ok(t.sign(key, out)?.len())
    };
    // SAFETY: forwarded contract.
    unsafe { issue(key, params, out, out_len, written, build) }
}

/// Writes a fresh 22-character url-safe identifier (128 bits from the OS
/// RNG) to `out` (not NUL-terminated), for `jti` and `sid`.
///
/// # Safety
/// `out` writable for `TESSERA_RANDOM_ID_LEN` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tessera_random_id(out: *mut u8) -> tessera_status {
    guard(|| {
        status((|| {
            // SAFETY: forwarded contract.
            let out = unsafe { bytes_mut(out, TESSERA_RANDOM_ID_LEN) }?;
            out.copy_from_slice(os_random_id()?.as_str().as_bytes());
            Ok(())
        })())
    })
}

/// Writes the identifier made from 16 caller-supplied random bytes (for
/// tests and callers with their own CSPRNG) to `out`.
///
/// # Safety
/// `random` readable for 16 bytes; `out` writable for `TESSERA_RANDOM_ID_LEN`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tessera_random_id_from_bytes(random: *const u8, out: *mut u8) -> tessera_status {
    guard(|| {
        status((|| {
            // SAFETY: forwarded contract.
            let random = unsafe { bytes(random, 16) }?;
            // SAFETY: forwarded contract.
            let out = unsafe { bytes_mut(out, TESSERA_RANDOM_ID_LEN) }?;
            let mut r = [0u8; 16];
            r.copy_from_slice(random);
            out.copy_from_slice(RandomId::from_random(r).as_str().as_bytes());
            Ok(())
        })())
    })
}

/// Writes the SHA-256 digest of a refresh token, 43 base64url characters,
/// to `out`: store this, never the token.
///
/// # Safety
/// `token` readable for `token_len`; `out` writable for `TESSERA_DIGEST_LEN`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tessera_refresh_token_digest(
    token: *const u8,
    token_len: usize,
    out: *mut u8,
) -> tessera_status {
    guard(|| {
        status((|| {
            // SAFETY: forwarded contract.
            let token = unsafe { bytes(token, token_len) }?;
            // SAFETY: forwarded contract.
            let out = unsafe { bytes_mut(out, TESSERA_DIGEST_LEN) }?;
            out.copy_from_slice(profile::refresh_token_digest(token).as_str().as_bytes());
            Ok(())
        })())
    })
}

/// Whether two byte strings are equal, in time that depends only on their
/// lengths (false for NULL arguments with non-zero lengths).
///
/// # Safety
/// `a` readable for `a_len`, `b` for `b_len`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tessera_constant_time_eq(a: *const u8, a_len: usize, b: *const u8, b_len: usize) -> bool {
    let mut equal = false;
    let _ = guard(|| {
        // SAFETY: forwarded contract.
        if let (Ok(a), Ok(b)) = unsafe { (bytes(a, a_len), bytes(b, b_len)) } {
            equal = profile::constant_time_eq(a, b);
        }
        tessera_status::Ok
    });
    equal
}
