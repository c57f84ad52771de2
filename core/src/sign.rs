//! Signing: compact JWS serialization into caller buffers.

use crate::base64url;
use crate::error::Error;
use crate::key::HmacKey;

/// Signs arbitrary header and payload JSON bytes, writing
/// `base64url(header).base64url(payload).base64url(mac)` into `out`.
///
/// The bytes are taken as given: this is the building block for tests,
/// vectors and the typed issuers, and it does not check that the JSON is
/// valid or that `alg` matches the key.
///
/// # Errors
/// [`Error::BufferTooSmall`] when `out` cannot hold the token.
///
/// ```
/// use tessera_core::{sign::sign_raw, Algorithm, HmacKey};
/// let key = HmacKey::new(Algorithm::Hs256, &[7u8; 32])?;
/// let mut out = [0u8; 256];
/// let token = sign_raw(br#"{"alg":"HS256"}"#, br#"{"sub":"42"}"#, &key, &mut out)?;
/// assert!(token.starts_with("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI0MiJ9."));
/// # Ok::<(), tessera_core::Error>(())
/// ```
pub fn sign_raw<'o>(header: &[u8], payload: &[u8], key: &HmacKey, out: &'o mut [u8]) -> Result<&'o str, Error> {
    let h = base64url::encoded_len(header.len());
    let p = base64url::encoded_len(payload.len());
    let s = base64url::encoded_len(key.algorithm().mac_len());
    let total = h + 1 + p + 1 + s;
    let out = out.get_mut(..total).ok_or(Error::BufferTooSmall)?;
    let (head, rest) = out.split_at_mut(h);
    base64url::encode(header, head)?;
    let (dot1, rest) = rest.split_at_mut(1);
    dot1.fill(b'.');
    let (body, rest) = rest.split_at_mut(p);
    base64url::encode(payload, body)?;
    let (dot2, sig) = rest.split_at_mut(1);
    dot2.fill(b'.');
    let tag = key.mac(&[head, b".", body]);
    base64url::encode(tag.as_bytes(), sig)?;
    core::str::from_utf8(out).map_err(|_| Error::BufferTooSmall)
}
