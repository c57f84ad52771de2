//! `tessera_key` (one HMAC key) and `tessera_keyset` (keys by `kid`).

use tessera_core::{Algorithm, HmacKey, KeySet};

use crate::guard::{bytes, guard, reference, reference_mut, status, text};
use crate::status::tessera_status;

/// The HMAC algorithms.
#[allow(non_camel_case_types)]
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum tessera_alg {
    /// HMAC-SHA-256 (secret of at least 32 bytes).
    Hs256 = 1,
    /// HMAC-SHA-384 (secret of at least 48 bytes).
    Hs384 = 2,
    /// HMAC-SHA-512 (secret of at least 64 bytes).
    Hs512 = 3,
}

/// Reads an algorithm number from C without trusting it to be in range.
pub(crate) fn algorithm(alg: u32) -> Result<Algorithm, tessera_status> {
    match alg {
        1 => Ok(Algorithm::Hs256),
        2 => Ok(Algorithm::Hs384),
        3 => Ok(Algorithm::Hs512),
        _ => Err(tessera_status::InvalidArgument),
    }
}

/// An HMAC key with its precomputed state. Immutable: share it between
/// threads freely. Create with `tessera_key_new`, release with
/// `tessera_key_free` (which zeroizes it).
#[allow(non_camel_case_types)]
pub struct tessera_key {
    pub(crate) key: HmacKey,
}

/// The number of bytes of `tessera_key_storage`.
pub const TESSERA_KEY_STORAGE_SIZE: usize = 512;

/// Caller-provided storage for a key, for programs without `malloc`:
/// `TESSERA_KEY_STORAGE_SIZE` bytes aligned to 16.
#[allow(non_camel_case_types)]
#[repr(C, align(16))]
pub struct tessera_key_storage {
    /// Opaque.
    pub opaque: [u8; TESSERA_KEY_STORAGE_SIZE],
}

const _: () = assert!(size_of::<tessera_key>() <= TESSERA_KEY_STORAGE_SIZE);
const _: () = assert!(align_of::<tessera_key>() <= 16);

/// Creates a key for `alg` (a `tessera_alg` value) from `secret_len` bytes
/// of `secret`, writing it to `*out`. `TESSERA_STATUS_WEAK_KEY` when the
/// secret is shorter than the hash output (32/48/64 bytes).
///
/// # Safety
/// `secret` must be readable for `secret_len` bytes; `out` must be writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tessera_key_new(
    alg: u32,
    secret: *const u8,
    secret_len: usize,
    out: *mut *mut tessera_key,
) -> tessera_status {
    guard(|| {
        status((|| {
            // SAFETY: forwarded from this function's contract.
            let out = unsafe { reference_mut(out) }?;
            // SAFETY: as above.
            let secret = unsafe { bytes(secret, secret_len) }?;
            let key = HmacKey::new(algorithm(alg)?, secret)?;
            *out = Box::into_raw(Box::new(tessera_key { key }));
            Ok(())
        })())
    })
}

/// Frees (and zeroizes) a key from `tessera_key_new`. NULL is ignored.
///
/// # Safety
/// `key` must come from `tessera_key_new` and not be used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tessera_key_free(key: *mut tessera_key) {
    let _ = guard(|| {
        if !key.is_null() {
            // SAFETY: the pointer came from Box::into_raw in tessera_key_new.
            drop(unsafe { Box::from_raw(key) });
        }
        tessera_status::Ok
    });
}

/// Creates a key inside caller storage instead of the heap, writing a
/// pointer into `storage` to `*out`. Release with `tessera_key_deinit`.
///
/// # Safety
/// `storage` must be valid, writable and not currently hold a key; `out`
/// writable; `secret` readable for `secret_len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tessera_key_init(
    storage: *mut tessera_key_storage,
    alg: u32,
    secret: *const u8,
    secret_len: usize,
    out: *mut *const tessera_key,
) -> tessera_status {
    guard(|| {
        status((|| {
            // SAFETY: forwarded contract.
            let out = unsafe { reference_mut(out) }?;
            if storage.is_null() {
                return Err(tessera_status::NullParameter);
            }
            // SAFETY: forwarded contract.
            let secret = unsafe { bytes(secret, secret_len) }?;
            let key = HmacKey::new(algorithm(alg)?, secret)?;
            let slot = storage.cast::<tessera_key>();
            // SAFETY: storage is large and aligned enough (checked at compile
            // time above) and writable by contract.
            unsafe { slot.write(tessera_key { key }) };
            *out = slot;
            Ok(())
        })())
    })
}

/// Zeroizes and releases a key created by `tessera_key_init`.
///
/// # Safety
/// `storage` must hold a key from `tessera_key_init`, unused afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tessera_key_deinit(storage: *mut tessera_key_storage) {
    let _ = guard(|| {
        if !storage.is_null() {
            // SAFETY: storage holds a key written by tessera_key_init.
            unsafe { std::ptr::drop_in_place(storage.cast::<tessera_key>()) };
        }
        tessera_status::Ok
    });
}

/// The algorithm of `key` (a `tessera_alg` value), or 0 for NULL.
///
/// # Safety
/// `key` must be NULL or a valid key.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tessera_key_alg(key: *const tessera_key) -> u32 {
    // SAFETY: forwarded contract.
    match unsafe { reference(key) } {
        Ok(k) => match k.key.algorithm() {
            Algorithm::Hs256 => 1,
            Algorithm::Hs384 => 2,
            _ => 3,
        },
        Err(_) => 0,
    }
}

/// The most keys a key set holds.
pub const TESSERA_KEYSET_CAPACITY: usize = 16;

/// Keys selected by the header's `kid`, for rotation (up to
/// `TESSERA_KEYSET_CAPACITY`). Build it, then share it read-only.
#[allow(non_camel_case_types)]
pub struct tessera_keyset {
    pub(crate) set: KeySet<TESSERA_KEYSET_CAPACITY>,
}

/// Creates an empty key set.
///
/// # Safety
/// `out` must be writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tessera_keyset_new(out: *mut *mut tessera_keyset) -> tessera_status {
    guard(|| {
        status((|| {
            // SAFETY: forwarded contract.
            let out = unsafe { reference_mut(out) }?;
            *out = Box::into_raw(Box::new(tessera_keyset { set: KeySet::new() }));
            Ok(())
        })())
    })
}

/// Adds a copy of `key` under `kid` (replacing a key with the same kid).
/// `TESSERA_STATUS_CAPACITY_EXCEEDED` when full or the kid is over 64 bytes.
///
/// # Safety
/// `set` and `key` valid; `kid` readable for `kid_len` bytes; no other thread
/// may use `set` during the call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tessera_keyset_add(
    set: *mut tessera_keyset,
    kid: *const u8,
    kid_len: usize,
    key: *const tessera_key,
) -> tessera_status {
    guard(|| {
        status((|| {
            // SAFETY: forwarded contract.
            let set = unsafe { reference_mut(set) }?;
            // SAFETY: forwarded contract.
            let key = unsafe { reference(key) }?;
            // SAFETY: forwarded contract.
            let kid = unsafe { text(kid, kid_len) }?;
            set.set.insert(kid, key.key.clone())?;
            Ok(())
        })())
    })
}

/// Creates a key set from a JWK Set document (RFC 7517, `{"keys": [...]}`):
/// the public keys an identity provider publishes, each under its `kid`
/// (EdDSA with Ed25519; ES256 and ES384). Use it with
/// `tessera_verify_keyset`: a token's `kid` selects the key and its `alg`
/// must be that key's. `*skipped` (when `skipped` is not NULL) is the
/// number of members passed over: an unknown `kty`/`crv`/`alg` (RSA, for
/// now), `use` other than `sig`, `key_ops` without `verify`, no `kid`.
///
/// The whole document is refused (`*out` untouched) with
/// `TESSERA_STATUS_INVALID_KEY` when it is not a JWK Set, a member is a
/// broken key, **any member carries private parts or is an `oct` secret**,
/// or two usable keys share a `kid`; `TESSERA_STATUS_WEAK_KEY` for an
/// Ed25519 key of small order; `TESSERA_STATUS_CAPACITY_EXCEEDED` for more
/// than `TESSERA_KEYSET_CAPACITY` usable keys or a `kid` over 64 bytes.
///
/// Key rotation: build the new set while verifiers keep using the old one,
/// then swap a pointer (atomically, with your threads' usual publication)
/// and free the old set once no verify uses it.
///
/// # Safety
/// `jwks` readable for `jwks_len` bytes; `out` writable; `skipped` NULL or
/// writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tessera_keyset_from_jwks(
    jwks: *const u8,
    jwks_len: usize,
    out: *mut *mut tessera_keyset,
    skipped: *mut usize,
) -> tessera_status {
    guard(|| {
        status((|| {
            // SAFETY: forwarded contract.
            let out = unsafe { reference_mut(out) }?;
            // SAFETY: forwarded contract.
            let document = unsafe { bytes(jwks, jwks_len) }?;
            let (set, report) = KeySet::<TESSERA_KEYSET_CAPACITY>::from_jwks(document)?;
            // SAFETY: NULL or writable by contract.
            if let Some(n) = unsafe { skipped.as_mut() } {
                *n = report.skipped;
            }
            *out = Box::into_raw(Box::new(tessera_keyset { set }));
            Ok(())
        })())
    })
}

/// Frees a key set and zeroizes its keys. NULL is ignored.
///
/// # Safety
/// `set` must come from `tessera_keyset_new` and not be used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tessera_keyset_free(set: *mut tessera_keyset) {
    let _ = guard(|| {
        if !set.is_null() {
            // SAFETY: the pointer came from Box::into_raw in tessera_keyset_new.
            drop(unsafe { Box::from_raw(set) });
        }
        tessera_status::Ok
    });
}
