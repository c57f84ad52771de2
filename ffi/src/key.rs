//! `tessera_key` (one key: an HMAC secret, a public key, or a private key
//! with its public half) and `tessera_keyset` (keys by `kid`).

use tessera_core::{Algorithm, Family, HmacKey, Key, KeySet, PrivateKey, Sign};

use crate::guard::{bytes, bytes_mut, guard, reference, reference_mut, status, text};
use crate::status::tessera_status;

/// The JWS algorithms (the numbers are the core's `Algorithm` codes).
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
    /// ECDSA on P-256 with SHA-256.
    Es256 = 10,
    /// ECDSA on P-384 with SHA-384.
    Es384 = 11,
    /// EdDSA with Ed25519.
    Eddsa = 20,
    /// RSASSA-PKCS1-v1_5 with SHA-256 (2048 to 4096-bit keys).
    Rs256 = 30,
    /// RSASSA-PKCS1-v1_5 with SHA-384.
    Rs384 = 31,
    /// RSASSA-PKCS1-v1_5 with SHA-512.
    Rs512 = 32,
    /// RSASSA-PSS with SHA-256 (MGF1 SHA-256, 32-byte salt).
    Ps256 = 40,
    /// RSASSA-PSS with SHA-384 (MGF1 SHA-384, 48-byte salt).
    Ps384 = 41,
    /// RSASSA-PSS with SHA-512 (MGF1 SHA-512, 64-byte salt).
    Ps512 = 42,
}

/// Reads an algorithm number from C without trusting it to be in range.
pub(crate) fn algorithm(alg: u32) -> Result<Algorithm, tessera_status> {
    Algorithm::ALL.into_iter().find(|a| u32::from(*a as u8) == alg).ok_or(tessera_status::InvalidArgument)
}

/// An optional algorithm: 0 is "none given".
fn optional_algorithm(alg: u32) -> Result<Option<Algorithm>, tessera_status> {
    if alg == 0 { Ok(None) } else { algorithm(alg).map(Some) }
}

/// One key bound to one algorithm: an HMAC secret with its precomputed
/// state (`tessera_key_new`), a public key (`tessera_key_from_jwk`,
/// `tessera_key_from_pem`, `tessera_key_from_public`), or a private key
/// (`tessera_key_from_private`: EdDSA, ES256), which signs and verifies.
/// Immutable: share it between threads freely. Release with
/// `tessera_key_free` (which zeroizes it).
#[allow(non_camel_case_types)]
pub struct tessera_key {
    /// What verifies: the HMAC secret, or the public key (a private key's
    /// public half).
    pub(crate) key: Key,
    /// The private key, when this key was made from one.
    pub(crate) private: Option<PrivateKey>,
}

impl tessera_key {
    pub(crate) const fn verifying(key: Key) -> Self {
        tessera_key { key, private: None }
    }

    /// What signs: the private key or the HMAC secret; a public key cannot.
    pub(crate) fn signer(&self) -> Result<&dyn Sign, tessera_status> {
        match (&self.private, &self.key) {
            (Some(private), _) => Ok(private),
            (None, Key::Hmac(k)) => Ok(k),
            _ => Err(tessera_status::InvalidArgument),
        }
    }

    /// The HMAC secret (refresh tokens are HMAC only).
    pub(crate) fn hmac(&self) -> Result<&HmacKey, tessera_status> {
        match &self.key {
            Key::Hmac(k) => Ok(k),
            _ => Err(tessera_status::InvalidArgument),
        }
    }
}

/// The number of bytes of `tessera_key_storage` (an RSA-4096 key with its
/// Montgomery constants is the largest; a private key keeps its public
/// half beside it). 1280 before 0.2.
pub const TESSERA_KEY_STORAGE_SIZE: usize = 1536;

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

/// Moves `value` into the caller's `storage` and points `*out` at it.
///
/// # Safety
/// `storage` NULL (refused) or valid and writable for a `S`, not holding a
/// live value.
unsafe fn place<S, T>(storage: *mut S, value: T, out: &mut *const T) -> Result<(), tessera_status> {
    // The storage types are sized and aligned for what goes in them.
    const { assert!(size_of::<T>() <= size_of::<S>() && align_of::<T>() <= align_of::<S>()) };
    if storage.is_null() {
        return Err(tessera_status::NullParameter);
    }
    let slot = storage.cast::<T>();
    // SAFETY: large and aligned enough (checked above), writable by contract.
    unsafe { slot.write(value) };
    *out = slot;
    Ok(())
}

/// The frame of every `tessera_key_from_*` / `tessera_key_new`: `out`
/// checked first, then `make` reads the caller's bytes and builds the key,
/// which goes to the heap and `*out`.
///
/// # Safety
/// `out` writable; `data` readable for `len` bytes.
unsafe fn boxed(
    out: *mut *mut tessera_key,
    data: *const u8,
    len: usize,
    make: impl FnOnce(&[u8]) -> Result<tessera_key, tessera_status>,
) -> tessera_status {
    guard(|| {
        status((|| {
            // SAFETY: forwarded contract.
            let out = unsafe { reference_mut(out) }?;
            // SAFETY: forwarded contract.
            let data = unsafe { bytes(data, len) }?;
            *out = Box::into_raw(Box::new(make(data)?));
            Ok(())
        })())
    })
}

/// The frame of every `tessera_key_init*`: pointers first (`out`, then
/// `storage`), then `make` builds the key from the caller's bytes, and it
/// is placed in `storage`.
///
/// # Safety
/// `storage` valid, writable and not holding a key; `out` writable; `data`
/// readable for `len` bytes.
unsafe fn in_storage(
    storage: *mut tessera_key_storage,
    out: *mut *const tessera_key,
    data: *const u8,
    len: usize,
    make: impl FnOnce(&[u8]) -> Result<tessera_key, tessera_status>,
) -> tessera_status {
    guard(|| {
        status((|| {
            // SAFETY: forwarded contract.
            let out = unsafe { reference_mut(out) }?;
            if storage.is_null() {
                return Err(tessera_status::NullParameter); // pointers first, as everywhere
            }
            // SAFETY: forwarded contract.
            let data = unsafe { bytes(data, len) }?;
            let key = make(data)?;
            // SAFETY: forwarded contract.
            unsafe { place(storage, key, out) }
        })())
    })
}

/// An HMAC key for `alg` from `secret`.
fn hmac_key(alg: u32, secret: &[u8]) -> Result<tessera_key, tessera_status> {
    Ok(tessera_key::verifying(HmacKey::new(algorithm(alg)?, secret)?.into()))
}

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
    // SAFETY: forwarded contract.
    unsafe { boxed(out, secret, secret_len, |secret| hmac_key(alg, secret)) }
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
    // SAFETY: forwarded contract.
    unsafe { in_storage(storage, out, secret, secret_len, |secret| hmac_key(alg, secret)) }
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
        Ok(k) => u32::from(k.key.algorithm() as u8),
        Err(_) => 0,
    }
}

/// The encodings a public key is read from (`tessera_key_init_public`).
#[allow(non_camel_case_types)]
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum tessera_key_format {
    /// A JWK (RFC 7517) JSON object.
    Jwk = 1,
    /// A DER `SubjectPublicKeyInfo`.
    SpkiDer = 2,
    /// A PEM document: `PUBLIC KEY` (SPKI) or `RSA PUBLIC KEY` (PKCS#1)
    /// for public keys, `PRIVATE KEY` (PKCS#8) for private keys.
    Pem = 3,
    /// A DER PKCS#8 `PrivateKeyInfo` (private keys only).
    Pkcs8Der = 4,
}

/// A public key from `data` in `format`, for `alg` (0: a JWK's own `alg`
/// or curve decides; required for SPKI and PEM, which cannot tell RS256
/// from PS256).
fn public_key(format: u32, data: &[u8], alg: u32) -> Result<Key, tessera_status> {
    let alg = optional_algorithm(alg)?;
    if alg.is_some_and(|a| a.family() == Family::Hmac) {
        return Err(tessera_status::InvalidArgument);
    }
    let key = match (format, alg) {
        (1, None) => Key::from_jwk(data)?,
        (1, Some(a)) => Key::from_jwk_as(data, a)?,
        (2, Some(a)) => Key::from_spki_der(data, a)?,
        (3, Some(a)) => {
            let pem = std::str::from_utf8(data).map_err(|_| tessera_status::InvalidKey)?;
            Key::from_spki_pem(pem, a)?
        }
        _ => return Err(tessera_status::InvalidArgument),
    };
    Ok(key)
}

/// Creates a public key from `data` in `format` (a `tessera_key_format`)
/// for `alg` (a `tessera_alg`, or 0 for a JWK whose own `alg` or curve
/// says; SPKI and PEM need one), writing it to `*out`.
///
/// `TESSERA_STATUS_INVALID_KEY` for a malformed or unusable key (a private
/// JWK, an `oct` JWK, an algorithm the key contradicts, bad DER or PEM, a
/// point off its curve, an RSA modulus over 4096 bits...);
/// `TESSERA_STATUS_WEAK_KEY` for RSA under 2048 bits or e = 1, and
/// small-order Ed25519 keys; `TESSERA_STATUS_INVALID_ARGUMENT` for an
/// unknown format or algorithm, an HMAC algorithm, or a missing one.
///
/// # Safety
/// `data` readable for `data_len` bytes; `out` writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tessera_key_from_public(
    format: u32,
    data: *const u8,
    data_len: usize,
    alg: u32,
    out: *mut *mut tessera_key,
) -> tessera_status {
    // SAFETY: forwarded contract.
    unsafe { boxed(out, data, data_len, |data| Ok(tessera_key::verifying(public_key(format, data, alg)?))) }
}

/// `tessera_key_from_public` for a JWK: `alg` 0 lets the JWK decide (an
/// RSA JWK without `alg` then needs one).
///
/// # Safety
/// As `tessera_key_from_public`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tessera_key_from_jwk(
    jwk: *const u8,
    jwk_len: usize,
    alg: u32,
    out: *mut *mut tessera_key,
) -> tessera_status {
    // SAFETY: forwarded contract.
    unsafe { tessera_key_from_public(tessera_key_format::Jwk as u32, jwk, jwk_len, alg, out) }
}

/// `tessera_key_from_public` for a PEM `PUBLIC KEY` or `RSA PUBLIC KEY`.
///
/// # Safety
/// As `tessera_key_from_public`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tessera_key_from_pem(
    pem: *const u8,
    pem_len: usize,
    alg: u32,
    out: *mut *mut tessera_key,
) -> tessera_status {
    // SAFETY: forwarded contract.
    unsafe { tessera_key_from_public(tessera_key_format::Pem as u32, pem, pem_len, alg, out) }
}

/// `tessera_key_from_public` inside caller storage (see `tessera_key_init`);
/// release with `tessera_key_deinit`.
///
/// # Safety
/// `storage` valid, writable and not holding a key; `data` readable for
/// `data_len` bytes; `out` writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tessera_key_init_public(
    storage: *mut tessera_key_storage,
    format: u32,
    data: *const u8,
    data_len: usize,
    alg: u32,
    out: *mut *const tessera_key,
) -> tessera_status {
    // SAFETY: forwarded contract.
    unsafe {
        in_storage(storage, out, data, data_len, |data| Ok(tessera_key::verifying(public_key(format, data, alg)?)))
    }
}

/// A private key from `data` in `format`: a JWK with `d` (`Jwk`), PKCS#8
/// DER (`Pkcs8Der`) or a PEM `PRIVATE KEY` (`Pem`).
fn private_key(format: u32, data: &[u8]) -> Result<tessera_key, tessera_status> {
    let private = match format {
        1 => PrivateKey::from_jwk(data)?,
        3 => PrivateKey::from_pkcs8_pem(std::str::from_utf8(data).map_err(|_| tessera_status::InvalidKey)?)?,
        4 => PrivateKey::from_pkcs8_der(data)?,
        _ => return Err(tessera_status::InvalidArgument),
    };
    Ok(tessera_key { key: private.public_key(), private: Some(private) })
}

/// Creates a signing key from a private key in `format`: a JWK with `d`
/// (`TESSERA_KEY_FORMAT_JWK`), PKCS#8 DER (`TESSERA_KEY_FORMAT_PKCS8_DER`)
/// or a PEM `PRIVATE KEY` (`TESSERA_KEY_FORMAT_PEM`), writing it to `*out`.
/// Ed25519 keys sign EdDSA, P-256 keys ES256 (deterministic signatures,
/// RFC 8032 / RFC 6979); the key also verifies with its public half, and
/// `tessera_key_public_jwk` / `tessera_keyset_to_jwks` publish that half.
///
/// `TESSERA_STATUS_INVALID_KEY` for anything else (RSA, P-384, a public
/// key, halves that disagree, `use`/`key_ops` that forbid signing, bad DER
/// or PEM); `TESSERA_STATUS_INVALID_ARGUMENT` for an unknown format.
/// The buffers that held the secret are wiped; `tessera_key_free` wipes
/// the key.
///
/// # Safety
/// `data` readable for `data_len` bytes; `out` writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tessera_key_from_private(
    format: u32,
    data: *const u8,
    data_len: usize,
    out: *mut *mut tessera_key,
) -> tessera_status {
    // SAFETY: forwarded contract.
    unsafe { boxed(out, data, data_len, |data| private_key(format, data)) }
}

/// `tessera_key_from_private` inside caller storage (see
/// `tessera_key_init`); release with `tessera_key_deinit`, which wipes it.
///
/// # Safety
/// `storage` valid, writable and not holding a key; `data` readable for
/// `data_len` bytes; `out` writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tessera_key_init_private(
    storage: *mut tessera_key_storage,
    format: u32,
    data: *const u8,
    data_len: usize,
    out: *mut *const tessera_key,
) -> tessera_status {
    // SAFETY: forwarded contract.
    unsafe { in_storage(storage, out, data, data_len, |data| private_key(format, data)) }
}

/// Copies `text` to `out` with a NUL after it when there is room, and its
/// length to `*written`.
///
/// # Safety
/// `out` writable for `out_len` bytes; `written` writable.
unsafe fn write_text(
    produce: impl FnOnce(&mut [u8]) -> Result<usize, tessera_status>,
    out: *mut u8,
    out_len: usize,
    written: *mut usize,
) -> Result<(), tessera_status> {
    // SAFETY: forwarded contract.
    let written = unsafe { reference_mut(written) }?;
    // SAFETY: forwarded contract.
    let out = unsafe { bytes_mut(out, out_len) }?;
    let n = produce(out)?;
    crate::sign::emit(n, out, written);
    Ok(())
}

/// Writes the public JWK of `key` (a public key, or a private key's public
/// half) to `out`: `kty`, the key's members and `alg` (at most 800 bytes).
/// `TESSERA_STATUS_INVALID_ARGUMENT` for an HMAC secret (never exported),
/// `TESSERA_STATUS_BUFFER_TOO_SMALL` when `out` is too short.
///
/// # Safety
/// `key` valid; `out` writable for `out_len` bytes; `written` writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tessera_key_public_jwk(
    key: *const tessera_key,
    out: *mut u8,
    out_len: usize,
    written: *mut usize,
) -> tessera_status {
    guard(|| {
        status((|| {
            // SAFETY: forwarded contract.
            let key = unsafe { reference(key) }?;
            // SAFETY: forwarded contract.
            unsafe { write_text(|o| Ok(key.key.to_public_jwk(o)?.len()), out, out_len, written) }
        })())
    })
}

/// The length of an RFC 7638 JWK thumbprint: 43 characters.
pub const TESSERA_THUMBPRINT_LEN: usize = 43;

/// Writes the RFC 7638 thumbprint (SHA-256, base64url) of `key`'s public
/// key to `out` (`TESSERA_THUMBPRINT_LEN` characters and a NUL: at least
/// 44 bytes): the conventional `kid` for a key you publish.
/// `TESSERA_STATUS_INVALID_ARGUMENT` for an HMAC secret.
///
/// # Safety
/// `key` valid; `out` writable for `out_len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tessera_key_thumbprint(
    key: *const tessera_key,
    out: *mut u8,
    out_len: usize,
) -> tessera_status {
    guard(|| {
        status((|| {
            // SAFETY: forwarded contract.
            let key = unsafe { reference(key) }?;
            // SAFETY: forwarded contract.
            let out = unsafe { bytes_mut(out, out_len) }?;
            let thumbprint = key.key.thumbprint()?;
            let dst = out.get_mut(..=TESSERA_THUMBPRINT_LEN).ok_or(tessera_status::BufferTooSmall)?;
            let (text, nul) = dst.split_at_mut(TESSERA_THUMBPRINT_LEN);
            text.copy_from_slice(thumbprint.as_str().as_bytes());
            nul.fill(0);
            Ok(())
        })())
    })
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
/// (EdDSA with Ed25519; ES256 and ES384; RS256 to PS512). Use it with
/// `tessera_verify_keyset`: a token's `kid` selects the key and its `alg`
/// must be that key's. `rsa_default` (a `tessera_alg` RS256 to PS512, or
/// 0 for none) binds RSA keys that carry no `alg` (Microsoft Entra ID
/// publishes them so); without it they are passed over. `*skipped` (when
/// `skipped` is not NULL) is the number of members passed over: an
/// unknown `kty`/`crv`/`alg`, `use` other than `sig`, `key_ops` without
/// `verify`, no `kid`, an RSA key without `alg` and no default.
///
/// The whole document is refused (`*out` untouched) with
/// `TESSERA_STATUS_INVALID_KEY` when it is not a JWK Set, a member is a
/// broken key, **any member carries private parts or is an `oct` secret**,
/// an RSA key's `alg` contradicts `rsa_default`, or two usable keys share
/// a `kid`; `TESSERA_STATUS_WEAK_KEY` for an Ed25519 key of small order or
/// an RSA key under 2048 bits; `TESSERA_STATUS_CAPACITY_EXCEEDED` for more
/// than `TESSERA_KEYSET_CAPACITY` usable keys or a `kid` over 64 bytes;
/// `TESSERA_STATUS_INVALID_ARGUMENT` for a `rsa_default` that is not an
/// RSA algorithm.
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
    rsa_default: u32,
    out: *mut *mut tessera_keyset,
    skipped: *mut usize,
) -> tessera_status {
    guard(|| {
        status((|| {
            // SAFETY: forwarded contract.
            let out = unsafe { reference_mut(out) }?;
            // SAFETY: forwarded contract.
            let document = unsafe { bytes(jwks, jwks_len) }?;
            let set = import_jwks(document, rsa_default, skipped)?;
            *out = Box::into_raw(Box::new(set));
            Ok(())
        })())
    })
}

fn import_jwks(document: &[u8], rsa_default: u32, skipped: *mut usize) -> Result<tessera_keyset, tessera_status> {
    let (set, report) = match optional_algorithm(rsa_default)? {
        None => KeySet::<TESSERA_KEYSET_CAPACITY>::from_jwks(document)?,
        Some(alg) => KeySet::<TESSERA_KEYSET_CAPACITY>::from_jwks_rsa_default(document, alg)?,
    };
    // SAFETY: NULL or writable by the callers' contracts.
    if let Some(n) = unsafe { skipped.as_mut() } {
        *n = report.skipped;
    }
    Ok(tessera_keyset { set })
}

/// The number of bytes of `tessera_keyset_storage`.
pub const TESSERA_KEYSET_STORAGE_SIZE: usize = 22528;

/// Writes the key set's public keys as a JWK Set document
/// (`{"keys":[...]}`, each with its `kid` and `"use":"sig"`) to `out`: what
/// an auth server serves at `/.well-known/jwks.json`. Add a private key
/// (`tessera_keyset_add`) and its public half is what goes in.
/// `TESSERA_STATUS_INVALID_ARGUMENT` when the set holds an HMAC secret
/// (never published); `TESSERA_STATUS_BUFFER_TOO_SMALL` when `out` is too
/// short (900 bytes per key is always enough).
///
/// # Safety
/// `set` valid; `out` writable for `out_len` bytes; `written` writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tessera_keyset_to_jwks(
    set: *const tessera_keyset,
    out: *mut u8,
    out_len: usize,
    written: *mut usize,
) -> tessera_status {
    guard(|| {
        status((|| {
            // SAFETY: forwarded contract.
            let set = unsafe { reference(set) }?;
            // SAFETY: forwarded contract.
            unsafe { write_text(|o| Ok(set.set.to_jwks(o)?.len()), out, out_len, written) }
        })())
    })
}

/// Caller-provided storage for a key set, for programs without `malloc`:
/// `TESSERA_KEYSET_STORAGE_SIZE` bytes aligned to 16.
#[allow(non_camel_case_types)]
#[repr(C, align(16))]
pub struct tessera_keyset_storage {
    /// Opaque.
    pub opaque: [u8; TESSERA_KEYSET_STORAGE_SIZE],
}

const _: () = assert!(size_of::<tessera_keyset>() <= TESSERA_KEYSET_STORAGE_SIZE);
const _: () = assert!(align_of::<tessera_keyset>() <= 16);

/// `tessera_keyset_from_jwks` into caller storage instead of the heap,
/// writing a pointer into `storage` to `*out`. Release with
/// `tessera_keyset_deinit`.
///
/// # Safety
/// `storage` valid, writable and not holding a set; `jwks` readable for
/// `jwks_len` bytes; `out` writable; `skipped` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tessera_keyset_init_jwks(
    storage: *mut tessera_keyset_storage,
    jwks: *const u8,
    jwks_len: usize,
    rsa_default: u32,
    out: *mut *const tessera_keyset,
    skipped: *mut usize,
) -> tessera_status {
    guard(|| {
        status((|| {
            // SAFETY: forwarded contract.
            let out = unsafe { reference_mut(out) }?;
            if storage.is_null() {
                return Err(tessera_status::NullParameter); // pointers first, as everywhere
            }
            // SAFETY: forwarded contract.
            let document = unsafe { bytes(jwks, jwks_len) }?;
            let set = import_jwks(document, rsa_default, skipped)?;
            // SAFETY: forwarded contract.
            unsafe { place(storage, set, out) }
        })())
    })
}

/// Zeroizes and releases a key set created by `tessera_keyset_init_jwks`.
///
/// # Safety
/// `storage` must hold a set from `tessera_keyset_init_jwks`, unused afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tessera_keyset_deinit(storage: *mut tessera_keyset_storage) {
    let _ = guard(|| {
        if !storage.is_null() {
            // SAFETY: storage holds a set written by tessera_keyset_init_jwks.
            unsafe { std::ptr::drop_in_place(storage.cast::<tessera_keyset>()) };
        }
        tessera_status::Ok
    });
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
