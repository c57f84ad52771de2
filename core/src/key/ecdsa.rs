//! ECDSA public keys on P-256 and P-384 (RFC 7518 §3.4).

use p256::ecdsa::signature::Verifier;

use crate::algorithm::Algorithm;
use crate::error::Error;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Curve {
    P256(p256::ecdsa::VerifyingKey),
    P384(p384::ecdsa::VerifyingKey),
}

/// An ECDSA public key: P-256 bound to `ES256` or P-384 bound to `ES384`.
///
/// Points are validated on import (on the curve, not the identity).
/// Signatures are the raw `r‖s` of RFC 7518 §3.4, exactly 64 or 96 bytes,
/// never DER; `r` or `s` zero or not below the group order are refused.
/// High-S signatures are valid ECDSA and are accepted (RFC 7518 has no
/// low-S rule): the same token can carry two valid signatures, so replay
/// defences key on `jti`, never on the token's bytes.
///
/// ```
/// use tessera_core::{Algorithm, EcdsaKey, Error, base64url};
/// // RFC 7515 A.3's P-256 public key (x, y).
/// let (mut xb, mut yb) = ([0u8; 32], [0u8; 32]);
/// let x = base64url::decode(b"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU", &mut xb)?;
/// let y = base64url::decode(b"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0", &mut yb)?;
/// let key = EcdsaKey::from_coordinates(Algorithm::Es256, x, y)?;
/// assert_eq!(key.algorithm(), Algorithm::Es256);
/// assert_eq!(EcdsaKey::from_coordinates(Algorithm::Es384, x, y).err(), Some(Error::InvalidKey));
/// # Ok::<(), Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EcdsaKey {
    curve: Curve,
    /// x ‖ y as imported, each the field length (the rest zero): exported
    /// as they came, without converting the validated point back.
    xy: [u8; 96],
}

/// Copies `src` into the front of `dst`, returning its length.
fn copy_into(src: &[u8], dst: &mut [u8; 97]) -> usize {
    let n = src.len().min(dst.len());
    if let (Some(d), Some(s)) = (dst.get_mut(..n), src.get(..n)) {
        d.copy_from_slice(s);
    }
    n
}

impl EcdsaKey {
    /// The key for `algorithm` (ES256 or ES384) from a SEC1 point encoding
    /// (uncompressed `04‖x‖y` or compressed).
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for an algorithm that is not ECDSA;
    /// [`Error::InvalidKey`] when the bytes are not a point of that curve
    /// (off the curve, the identity, the wrong length).
    pub fn from_sec1(algorithm: Algorithm, point: &[u8]) -> Result<Self, Error> {
        let field = match algorithm {
            Algorithm::Es256 => 32,
            Algorithm::Es384 => 48,
            _ => return Err(Error::InvalidArgument),
        };
        if let [4, xy @ ..] = point
            && xy.len() == 2 * field
        {
            let (x, y) = xy.split_at(field);
            return Self::from_coordinates(algorithm, x, y);
        }
        // Compressed: decompressed by the curve crate, then read as coordinates.
        let mut uncompressed = [0u8; 97];
        let n = match algorithm {
            Algorithm::Es256 => {
                let key = p256::ecdsa::VerifyingKey::from_sec1_bytes(point).map_err(|_| Error::InvalidKey)?;
                copy_into(key.to_sec1_point(false).as_bytes(), &mut uncompressed)
            }
            _ => {
                let key = p384::ecdsa::VerifyingKey::from_sec1_bytes(point).map_err(|_| Error::InvalidKey)?;
                copy_into(key.to_sec1_point(false).as_bytes(), &mut uncompressed)
            }
        };
        let xy = uncompressed.get(1..n).unwrap_or_default();
        let (x, y) = xy.split_at(xy.len() / 2);
        Self::from_coordinates(algorithm, x, y)
    }

    /// The key from its affine coordinates, each exactly the field length
    /// (32 bytes for P-256, 48 for P-384), as a JWK's `x` and `y` carry them.
    ///
    /// # Errors
    /// As [`from_sec1`](Self::from_sec1); coordinates of another length are
    /// [`Error::InvalidKey`].
    ///
    /// # Background
    /// RFC 7518 §6.2.1.2: "The length of this octet string MUST be the full
    /// size of a coordinate for the curve specified in the "crv" parameter."
    pub fn from_coordinates(algorithm: Algorithm, x: &[u8], y: &[u8]) -> Result<Self, Error> {
        let field = match algorithm {
            Algorithm::Es256 => 32,
            Algorithm::Es384 => 48,
            _ => return Err(Error::InvalidArgument),
        };
        if x.len() != field || y.len() != field {
            return Err(Error::InvalidKey);
        }
        // From the coordinates directly (on-curve check, field range), not
        // through SEC1 parsing: that would link point decompression, which
        // JWKs and uncompressed SPKI never need (8 KB of WebAssembly).
        use p256::elliptic_curve::point::AffineCoordinates;
        let curve = match algorithm {
            Algorithm::Es256 => {
                let (x, y) = (p256::FieldBytes::try_from(x), p256::FieldBytes::try_from(y));
                let (Ok(x), Ok(y)) = (x, y) else { return Err(Error::InvalidKey) };
                let point: Option<p256::AffinePoint> = p256::AffinePoint::from_coordinates(&x, &y).into();
                let point = point.ok_or(Error::InvalidKey)?;
                Curve::P256(p256::ecdsa::VerifyingKey::from_affine(point).map_err(|_| Error::InvalidKey)?)
            }
            _ => {
                let (x, y) = (p384::FieldBytes::try_from(x), p384::FieldBytes::try_from(y));
                let (Ok(x), Ok(y)) = (x, y) else { return Err(Error::InvalidKey) };
                let point: Option<p384::AffinePoint> = p384::AffinePoint::from_coordinates(&x, &y).into();
                let point = point.ok_or(Error::InvalidKey)?;
                Curve::P384(p384::ecdsa::VerifyingKey::from_affine(point).map_err(|_| Error::InvalidKey)?)
            }
        };
        let mut xy = [0u8; 96];
        for (dst, src) in xy.iter_mut().zip(x.iter().chain(y)) {
            *dst = *src;
        }
        Ok(EcdsaKey { curve, xy })
    }

    /// The affine coordinates, big-endian, each the field length (32 or
    /// 48 bytes), for exporting the key.
    pub(crate) fn coordinates(&self) -> (&[u8], &[u8]) {
        let field = if self.algorithm() == Algorithm::Es256 { 32 } else { 48 };
        let (x, rest) = self.xy.split_at(field);
        (x, rest.get(..field).unwrap_or_default())
    }

    /// The key's algorithm.
    pub const fn algorithm(&self) -> Algorithm {
        match self.curve {
            Curve::P256(_) => Algorithm::Es256,
            Curve::P384(_) => Algorithm::Es384,
        }
    }

    /// Whether `signature` is valid over `message` under this key: the
    /// primitive check alone, which [`verify`](crate::verify) runs on a
    /// token's signing input (rule 5) after its other rules. Exposed for
    /// test suites (Wycheproof) and detached signatures.
    pub fn verify_signature(&self, message: &[u8], signature: &[u8]) -> bool {
        #[cfg(feature = "ring")]
        if let Curve::P256(_) = self.curve {
            return self.verify_with_ring(message, signature);
        }
        self.verify_signature_rustcrypto(message, signature)
    }

    /// The P-256 check by `ring` (the `ring` feature, for std targets): its
    /// assembly is ~3–6× faster than RustCrypto's; same verdicts
    /// (fixed-length `r‖s`, r and s in [1, n−1], high-S accepted: the
    /// `signatures` fuzz target compares the two), and no allocation.
    /// Not for P-384: ring's portable P-384 code was 15–20% slower than
    /// RustCrypto's on an Intel Xeon and ~8% faster on an AMD EPYC
    /// (`benches/RESULTS.md`, session 18), and on the Xeon it made ES384
    /// slower than a JWT library running RustCrypto's.
    #[cfg(feature = "ring")]
    fn verify_with_ring(&self, message: &[u8], signature: &[u8]) -> bool {
        use ring::signature::{ECDSA_P256_SHA256_FIXED, UnparsedPublicKey};
        let (x, y) = self.coordinates();
        // The uncompressed SEC1 point, as ring reads it.
        let mut point = [4u8; 65];
        for (dst, src) in point.iter_mut().skip(1).zip(x.iter().chain(y)) {
            *dst = *src;
        }
        UnparsedPublicKey::new(&ECDSA_P256_SHA256_FIXED, &point).verify(message, signature).is_ok()
    }

    /// The check by RustCrypto's `p256` / `p384` (pure Rust, every
    /// target): what `verify_signature` is without the `ring` feature.
    /// Public for test suites that hold both backends to the same verdicts.
    #[doc(hidden)]
    pub fn verify_signature_rustcrypto(&self, message: &[u8], signature: &[u8]) -> bool {
        let signing_input = message;
        match &self.curve {
            Curve::P256(key) => {
                let Ok(sig) = p256::ecdsa::Signature::from_slice(signature) else { return false };
                signature.len() == 64 && key.verify(signing_input, &sig).is_ok()
            }
            Curve::P384(key) => {
                let Ok(sig) = p384::ecdsa::Signature::from_slice(signature) else { return false };
                signature.len() == 96 && key.verify(signing_input, &sig).is_ok()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ClaimSet, KeySet, Policy, base64url, verify};

    // RFC 7515 A.3: an ES256 token and its P-256 key.
    const A3: &str = "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q";
    const X: &[u8] = b"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU";
    const Y: &[u8] = b"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0";
    // The order of P-256, big-endian.
    const N: [u8; 32] = [
        0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xbc, 0xe6,
        0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51,
    ];

    fn key() -> EcdsaKey {
        let (mut x, mut y) = ([0u8; 32], [0u8; 32]);
        let x = base64url::decode(X, &mut x).unwrap();
        let y = base64url::decode(Y, &mut y).unwrap();
        EcdsaKey::from_coordinates(Algorithm::Es256, x, y).unwrap()
    }

    fn parts() -> (&'static str, [u8; 64]) {
        let (input, sig) = A3.rsplit_once('.').unwrap();
        let mut raw = [0u8; 64];
        base64url::decode(sig.as_bytes(), &mut raw).unwrap();
        (input, raw)
    }

    #[test]
    fn rfc7515_a3_verifies_with_its_claims() {
        let mut scratch = [0u8; 1024];
        let v = verify(A3, &key(), &Policy::new(1_300_819_379).issuer("joe"), &mut scratch).unwrap();
        assert_eq!((v.header.alg(), v.claims.exp()), ("ES256", Some(1_300_819_380)));
        assert_eq!(
            verify(A3, &key(), &Policy::new(1_300_819_380), &mut scratch).err(),
            Some(Error::Expired(crate::Claim::Exp))
        );
        let mut set = KeySet::<1>::new();
        set.insert("p256", key()).unwrap();
        // A key set needs the kid: this token has none.
        assert_eq!(verify(A3, &set, &Policy::new(1_300_819_379), &mut scratch).err(), Some(Error::UnknownKey));
    }

    #[test]
    // Several full verifications: minutes under Miri, which runs the one-verify tests of this file.
    #[cfg_attr(miri, ignore)]
    fn high_s_is_accepted_and_out_of_range_scalars_are_not() {
        let (input, raw) = parts();
        let k = key();
        assert!(k.verify_signature(input.as_bytes(), &raw));
        // s -> n - s: the other valid signature of the same message (RFC 7518 has no low-S rule).
        let mut high = raw;
        let mut borrow = 0i16;
        for i in (0..32).rev() {
            let v = i16::from(N[i]) - i16::from(raw[32 + i]) - borrow;
            high[32 + i] = u8::try_from(v.rem_euclid(256)).unwrap();
            borrow = i16::from(v < 0);
        }
        assert_ne!(high, raw);
        assert!(k.verify_signature(input.as_bytes(), &high));
        // r = s = 0; s = n; r = n.
        assert!(!k.verify_signature(input.as_bytes(), &[0u8; 64]));
        let mut s_is_n = raw;
        s_is_n[32..].copy_from_slice(&N);
        assert!(!k.verify_signature(input.as_bytes(), &s_is_n));
        let mut r_is_n = raw;
        r_is_n[..32].copy_from_slice(&N);
        assert!(!k.verify_signature(input.as_bytes(), &r_is_n));
    }

    #[test]
    fn only_the_exact_raw_form_is_a_signature() {
        let (input, raw) = parts();
        let k = key();
        assert!(!k.verify_signature(input.as_bytes(), &raw[..63]));
        let mut longer = [0u8; 65];
        longer[1..].copy_from_slice(&raw);
        assert!(!k.verify_signature(input.as_bytes(), &longer));
        // The same r and s in DER (SEQUENCE of two INTEGERs).
        let mut der = [0u8; 72];
        let mut n = 0;
        for b in [0x30, 0x44, 0x02, 0x20] {
            der[n] = b;
            n += 1;
        }
        der[n..n + 32].copy_from_slice(&raw[..32]);
        n += 32;
        der[n] = 0x02;
        der[n + 1] = 0x20;
        n += 2;
        der[n..n + 32].copy_from_slice(&raw[32..]);
        n += 32;
        assert!(!k.verify_signature(input.as_bytes(), &der[..n]));
    }

    #[test]
    fn points_are_validated_on_import() {
        let (mut x, mut y) = ([0u8; 32], [0u8; 32]);
        base64url::decode(X, &mut x).unwrap();
        base64url::decode(Y, &mut y).unwrap();
        let mut off = y;
        off[31] ^= 1;
        assert_eq!(EcdsaKey::from_coordinates(Algorithm::Es256, &x, &off).err(), Some(Error::InvalidKey));
        assert_eq!(EcdsaKey::from_coordinates(Algorithm::Es256, &x[1..], &y).err(), Some(Error::InvalidKey));
        assert_eq!(EcdsaKey::from_coordinates(Algorithm::Es256, &[0u8; 32], &[0u8; 32]).err(), Some(Error::InvalidKey));
        assert_eq!(EcdsaKey::from_sec1(Algorithm::Es256, &[0]).err(), Some(Error::InvalidKey));
        assert_eq!(EcdsaKey::from_sec1(Algorithm::EdDsa, &[4]).err(), Some(Error::InvalidArgument));
        assert_eq!(EcdsaKey::from_sec1(Algorithm::Hs256, &[4]).err(), Some(Error::InvalidArgument));
    }

    #[test]
    fn the_key_binds_the_algorithm() {
        // An ES384 header against the P-256 key, and an HS256 forgery using the point as secret.
        let mut scratch = [0u8; 1024];
        let p = Policy::new(1).required(ClaimSet::EMPTY);
        let es384 = A3.replacen("eyJhbGciOiJFUzI1NiJ9", "eyJhbGciOiJFUzM4NCJ9", 1);
        assert_eq!(verify(&es384, &key(), &p, &mut scratch).err(), Some(Error::AlgorithmMismatch));
        let mut point = [0u8; 65];
        point[0] = 4;
        base64url::decode(X, &mut point[1..33]).unwrap();
        base64url::decode(Y, &mut point[33..]).unwrap();
        let forger = crate::HmacKey::new(Algorithm::Hs256, &point).unwrap();
        let mut out = [0u8; 256];
        let forged = crate::sign::sign_raw(br#"{"alg":"HS256"}"#, br#"{"sub":"admin"}"#, &forger, &mut out).unwrap();
        assert_eq!(verify(forged, &key(), &p, &mut scratch).err(), Some(Error::AlgorithmMismatch));
    }
}
