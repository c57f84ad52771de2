//! The boundary: panics become a status, NULL pointers become a status,
//! and (pointer, length) pairs become slices.

use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::status::tessera_status;

/// Runs `f`, turning a panic into `TESSERA_STATUS_PANIC` so that no unwind
/// ever crosses into C.
pub(crate) fn guard(f: impl FnOnce() -> tessera_status) -> tessera_status {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or(tessera_status::Panic)
}

/// A borrowed byte slice from C: NULL with length 0 is empty.
///
/// # Safety
/// `ptr` must be NULL or valid for `len` bytes for `'a`.
pub(crate) unsafe fn bytes<'a>(ptr: *const u8, len: usize) -> Result<&'a [u8], tessera_status> {
    if len == 0 {
        return Ok(&[]);
    }
    if ptr.is_null() {
        return Err(tessera_status::NullParameter);
    }
    // SAFETY: non-null, and the caller promises `len` readable bytes.
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// A borrowed UTF-8 string from C.
///
/// # Safety
/// As [`bytes`].
pub(crate) unsafe fn text<'a>(ptr: *const u8, len: usize) -> Result<&'a str, tessera_status> {
    // SAFETY: forwarded contract.
    let b = unsafe { bytes(ptr, len) }?;
    std::str::from_utf8(b).map_err(|_| tessera_status::InvalidArgument)
}

/// A mutable byte slice from C.
///
/// # Safety
/// `ptr` must be NULL or valid for writes of `len` bytes for `'a`, and not aliased.
pub(crate) unsafe fn bytes_mut<'a>(ptr: *mut u8, len: usize) -> Result<&'a mut [u8], tessera_status> {
    if len == 0 {
        return Ok(&mut []);
    }
    if ptr.is_null() {
        return Err(tessera_status::NullParameter);
    }
    // SAFETY: non-null, and the caller promises `len` writable, unaliased bytes.
    Ok(unsafe { std::slice::from_raw_parts_mut(ptr, len) })
}

/// A shared reference from a C pointer, or `NULL_PARAMETER`.
///
/// # Safety
/// `ptr` must be NULL or point to a valid `T` for `'a`.
pub(crate) unsafe fn reference<'a, T>(ptr: *const T) -> Result<&'a T, tessera_status> {
    // SAFETY: the caller promises validity when non-null.
    unsafe { ptr.as_ref() }.ok_or(tessera_status::NullParameter)
}

/// A mutable reference from a C pointer, or `NULL_PARAMETER`.
///
/// # Safety
/// `ptr` must be NULL or point to a valid, unaliased `T` for `'a`.
pub(crate) unsafe fn reference_mut<'a, T>(ptr: *mut T) -> Result<&'a mut T, tessera_status> {
    // SAFETY: the caller promises validity when non-null.
    unsafe { ptr.as_mut() }.ok_or(tessera_status::NullParameter)
}

/// Turns a `Result` body into a status.
pub(crate) fn status(r: Result<(), tessera_status>) -> tessera_status {
    match r {
        Ok(()) => tessera_status::Ok,
        Err(s) => s,
    }
}
