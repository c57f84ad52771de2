//! The HTTP helpers: bearer token, cookie lookup, refresh cookies.

use tessera_core::http::{RefreshCookie, bearer_token, cookie_value};

use crate::guard::{bytes_mut, guard, reference_mut, status, text};
use crate::policy::tessera_str;
use crate::status::tessera_status;

/// Finds the token of an `Authorization: Bearer <token>` header value
/// (RFC 6750). Returns true and writes a view into `value` to `*out` when
/// found; false for anything else (including NULL arguments).
///
/// A request with two `Authorization` headers carries two credentials:
/// pass their values joined by ", " (as httpd and fetch's `Headers` join
/// them), which this refuses, never just the first.
///
/// # Safety
/// `value` readable for `value_len` bytes; `out` writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tessera_bearer_token(value: *const u8, value_len: usize, out: *mut tessera_str) -> bool {
    let mut found = false;
    let _ = guard(|| {
        status((|| {
            // SAFETY: forwarded contract.
            let out = unsafe { reference_mut(out) }?;
            // SAFETY: forwarded contract.
            let value = unsafe { text(value, value_len) }?;
            if let Some(t) = bearer_token(value) {
                *out = tessera_str::from_str(t);
                found = true;
            }
            Ok(())
        })())
    });
    found
}

/// Finds cookie `name` in a `Cookie` header value (RFC 6265). Returns true
/// and writes a view into `header` to `*out` when found. When the name
/// appears more than once, the first wins: a sibling subdomain can plant
/// one that is sent first unless the name has the `__Host-` prefix (see
/// the core's `http::cookie_value`).
///
/// # Safety
/// `header` readable for `header_len`, `name` for `name_len`; `out` writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tessera_cookie_value(
    header: *const u8,
    header_len: usize,
    name: *const u8,
    name_len: usize,
    out: *mut tessera_str,
) -> bool {
    let mut found = false;
    let _ = guard(|| {
        status((|| {
            // SAFETY: forwarded contract.
            let out = unsafe { reference_mut(out) }?;
            // SAFETY: forwarded contract.
            let header = unsafe { text(header, header_len) }?;
            // SAFETY: forwarded contract.
            let name = unsafe { text(name, name_len) }?;
            if let Some(v) = cookie_value(header, name) {
                *out = tessera_str::from_str(v);
                found = true;
            }
            Ok(())
        })())
    });
    found
}

/// # Safety
/// As `tessera_refresh_cookie`.
unsafe fn write_cookie(
    name: tessera_str,
    value: &str,
    path: tessera_str,
    max_age: u64,
    out: *mut u8,
    out_len: usize,
    written: *mut usize,
) -> Result<(), tessera_status> {
    // SAFETY: forwarded contract, for each conversion below.
    let written = unsafe { reference_mut(written) }?;
    // SAFETY: as above.
    let out = unsafe { bytes_mut(out, out_len) }?;
    // SAFETY: as above.
    let name = unsafe { name.get() }?.ok_or(tessera_status::NullParameter)?;
    let mut cookie = RefreshCookie::new(name, value, max_age);
    // SAFETY: as above.
    if let Some(p) = unsafe { path.get() }? {
        cookie = cookie.path(p);
    }
    let n = cookie.write(out)?.len();
    if let Some(nul) = out.get_mut(n) {
        *nul = 0;
    }
    *written = n;
    Ok(())
}

/// Writes the `Set-Cookie` value that carries a refresh token:
/// `name=value; Path=/auth; Max-Age=…; HttpOnly; Secure; SameSite=Strict`
/// (`path` ptr NULL means `/auth`), its length to `*written`.
///
/// # Safety
/// Strings valid; `out` writable for `out_len`; `written` writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tessera_refresh_cookie(
    name: tessera_str,
    value: tessera_str,
    path: tessera_str,
    max_age: u64,
    out: *mut u8,
    out_len: usize,
    written: *mut usize,
) -> tessera_status {
    guard(|| {
        status((|| {
            // SAFETY: forwarded contract.
            let value = unsafe { value.get() }?.ok_or(tessera_status::NullParameter)?;
            // SAFETY: forwarded contract.
            unsafe { write_cookie(name, value, path, max_age, out, out_len, written) }
        })())
    })
}

/// Writes the `Set-Cookie` value that clears the refresh cookie on logout
/// (`Max-Age=0`, same attributes).
///
/// # Safety
/// As `tessera_refresh_cookie`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tessera_clear_refresh_cookie(
    name: tessera_str,
    path: tessera_str,
    out: *mut u8,
    out_len: usize,
    written: *mut usize,
) -> tessera_status {
    // SAFETY: forwarded contract.
    guard(|| status(unsafe { write_cookie(name, "", path, 0, out, out_len, written) }))
}
