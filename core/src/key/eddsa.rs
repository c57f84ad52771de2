//! Ed25519 public keys (RFC 8037, RFC 8032), verified strictly.

use curve25519_dalek::{EdwardsPoint, Scalar};
use ed25519_dalek::VerifyingKey;
use sha2::{Digest, Sha512};

use crate::algorithm::Algorithm;
use crate::error::Error;

/// An Ed25519 public key, bound to `EdDSA`.
///
/// Verification is strict (the verdicts of `ed25519-dalek`'s
/// `verify_strict`): a non-canonical `S` (≥ the group order), a
/// non-canonical or small-order `R` are refused, so no signature is
/// malleable. Keys of small order,
/// the identity among them, are refused on import: under such a key a
/// "signature" that verifies for every message can be made.
///
/// ```
/// use tessera_core::{Ed25519Key, Error};
/// // RFC 8037 A.2's public key.
/// let x = [0xd7, 0x5a, 0x98, 0x01, 0x82, 0xb1, 0x0a, 0xb7, 0xd5, 0x4b, 0xfe, 0xd3, 0xc9, 0x64, 0x07, 0x3a,
///          0x0e, 0xe1, 0x72, 0xf3, 0xda, 0xa6, 0x23, 0x25, 0xaf, 0x02, 0x1a, 0x68, 0xf7, 0x07, 0x51, 0x1a];
/// let key = Ed25519Key::from_bytes(&x)?;
/// let mut identity = [0u8; 32];
/// identity[0] = 1;
/// assert_eq!(Ed25519Key::from_bytes(&identity).err(), Some(Error::WeakKey));
/// # Ok::<(), Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ed25519Key {
    key: VerifyingKey,
}

impl Ed25519Key {
    /// The key from its 32-byte encoding (RFC 8032 §5.1.2; a JWK's `x`).
    ///
    /// # Errors
    /// [`Error::InvalidKey`] when the bytes are not the encoding of a curve
    /// point (or not 32 bytes); [`Error::WeakKey`] for a point of small
    /// order, the identity included.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
        let bytes: &[u8; 32] = bytes.try_into().map_err(|_| Error::InvalidKey)?;
        let key = VerifyingKey::from_bytes(bytes).map_err(|_| Error::InvalidKey)?;
        if key.is_weak() {
            return Err(Error::WeakKey);
        }
        Ok(Ed25519Key { key })
    }

    /// The key's algorithm: always [`Algorithm::EdDsa`].
    pub const fn algorithm(&self) -> Algorithm {
        Algorithm::EdDsa
    }

    /// Its 32-byte encoding.
    pub fn to_bytes(&self) -> [u8; 32] {
        self.key.to_bytes()
    }

    /// Whether `signature` is valid over `message` under this key: the
    /// primitive check alone, which [`verify`](crate::verify) runs on a
    /// token's signing input (rule 5) after its other rules. Exposed for
    /// test suites (Wycheproof) and detached signatures.
    pub fn verify_signature(&self, message: &[u8], signature: &[u8]) -> bool {
        // ed25519-dalek's `verify_strict`, with the same verdicts and one
        // field exponentiation fewer. It decompresses R only to refuse a
        // small-order R, then compares the encoding of the computed point
        // with R's bytes. Here the computed point itself is checked for
        // small order: when the encodings are equal, R's bytes are the
        // canonical encoding of that very point, so the two checks agree;
        // when they differ, both refuse. The key's own small-order check,
        // which `verify_strict` repeats per call, was done on import.
        let Ok(bytes) = <&[u8; 64]>::try_from(signature) else { return false };
        let (r, s) = bytes.split_at(32);
        let Ok(s) = <[u8; 32]>::try_from(s) else { return false };
        // S below the group order (RFC 8032 §5.1.7), as `verify_strict`.
        let Some(s) = Option::<Scalar>::from(Scalar::from_canonical_bytes(s)) else { return false };
        let k = Sha512::new().chain_update(r).chain_update(self.key.as_bytes()).chain_update(message).finalize();
        let k = Scalar::from_bytes_mod_order_wide(&k.into());
        // [S]B − [k]A, which a valid signature's R equals.
        let expected = EdwardsPoint::vartime_double_scalar_mul_basepoint(&k, &-self.key.to_edwards(), &s);
        !expected.is_small_order() && expected.compress().as_bytes() == r
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ClaimSet, HmacKey, KeySet, Policy, verify};

    // RFC 8037 A.2 (public key) and A.4 (the signed "Example of Ed25519 signing").
    const X: [u8; 32] = [
        0xd7, 0x5a, 0x98, 0x01, 0x82, 0xb1, 0x0a, 0xb7, 0xd5, 0x4b, 0xfe, 0xd3, 0xc9, 0x64, 0x07, 0x3a, 0x0e, 0xe1,
        0x72, 0xf3, 0xda, 0xa6, 0x23, 0x25, 0xaf, 0x02, 0x1a, 0x68, 0xf7, 0x07, 0x51, 0x1a,
    ];
    const A4: &str = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc.hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg";

    fn check(token: &str, key: &impl crate::KeySource) -> Result<(), Error> {
        let mut scratch = [0u8; 1024];
        verify(token, key, &Policy::new(1).required(ClaimSet::EMPTY), &mut scratch).map(|_| ())
    }

    #[test]
    fn rfc8037_a4_signature_verifies_before_the_payload_is_read() {
        let key = Ed25519Key::from_bytes(&X).unwrap();
        // The signature is valid; the payload is text, not JSON: rule 6.
        assert_eq!(check(A4, &key), Err(Error::Malformed));
        let (input, sig) = A4.rsplit_once('.').unwrap();
        let flipped = flip_first(sig);
        assert_eq!(check(&[input, ".", flipped.as_str()].concat(), &key), Err(Error::BadSignature));
    }

    fn flip_first(sig: &str) -> String {
        let mut s: String = sig.into();
        let first = if s.starts_with('h') { "i" } else { "h" };
        s.replace_range(..1, first);
        s
    }

    #[test]
    fn small_order_and_malformed_keys_are_refused() {
        let mut identity = [0u8; 32];
        identity[0] = 1;
        assert_eq!(Ed25519Key::from_bytes(&identity).err(), Some(Error::WeakKey));
        // The point of order 2 (y = -1) and the all-zero encoding (order 4).
        let mut order2 = [0xffu8; 32];
        order2[0] = 0xec;
        order2[31] = 0x7f;
        assert_eq!(Ed25519Key::from_bytes(&order2).err(), Some(Error::WeakKey));
        assert_eq!(Ed25519Key::from_bytes(&[0u8; 32]).err(), Some(Error::WeakKey));
        assert_eq!(Ed25519Key::from_bytes(&X[..31]).err(), Some(Error::InvalidKey));
        // y = 2 is not on the curve.
        let mut off = [0u8; 32];
        off[0] = 2;
        assert_eq!(Ed25519Key::from_bytes(&off).err(), Some(Error::InvalidKey));
    }

    #[test]
    // Several full verifications: minutes under Miri, which runs the one-verify tests of this file.
    #[cfg_attr(miri, ignore)]
    fn non_canonical_s_is_refused() {
        let key = Ed25519Key::from_bytes(&X).unwrap();
        let (input, sig) = A4.rsplit_once('.').unwrap();
        let mut raw = [0u8; 64];
        crate::base64url::decode(sig.as_bytes(), &mut raw).unwrap();
        assert!(key.verify_signature(input.as_bytes(), &raw));
        // S + L (the group order) is the same scalar, non-canonically.
        const L: [u8; 32] = [
            0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14, 0, 0, 0, 0,
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
        ];
        let mut carry = 0u16;
        for i in 0..32 {
            let v = u16::from(raw[32 + i]) + u16::from(L[i]) + carry;
            raw[32 + i] = u8::try_from(v & 0xff).unwrap();
            carry = v >> 8;
        }
        assert!(!key.verify_signature(input.as_bytes(), &raw));
        assert!(!key.verify_signature(input.as_bytes(), &raw[..63]));
    }

    /// `verify_signature` computes the equation itself; its verdict must be
    /// `verify_strict`'s for every signature: the genuine one, each byte of
    /// it with one bit flipped, R replaced by each small-order point's
    /// encodings and by non-canonical encodings, with the genuine S or
    /// zero (S ≥ ℓ: `non_canonical_s_is_refused`). Also under a
    /// mixed-order key (a valid key plus a point of order 8, which import
    /// accepts as `verify_strict` does), with signatures made to verify
    /// under it, where the cofactorless equation holds only for some.
    #[test]
    #[cfg_attr(miri, ignore)]
    fn agrees_with_verify_strict_on_every_tampering() {
        use curve25519_dalek::constants::{ED25519_BASEPOINT_POINT, EIGHT_TORSION};
        use curve25519_dalek::edwards::CompressedEdwardsY;
        use ed25519_dalek::Signature;
        fn same(key: &Ed25519Key, msg: &[u8], sig: &[u8; 64]) -> bool {
            let strict = key.key.verify_strict(msg, &Signature::from_bytes(sig)).is_ok();
            assert_eq!(key.verify_signature(msg, sig), strict, "{sig:02x?}");
            strict
        }
        let key = Ed25519Key::from_bytes(&X).unwrap();
        let (input, sig) = A4.rsplit_once('.').unwrap();
        let msg = input.as_bytes();
        let mut genuine = [0u8; 64];
        crate::base64url::decode(sig.as_bytes(), &mut genuine).unwrap();
        assert!(same(&key, msg, &genuine));
        for at in 0..64 {
            let mut sig = genuine;
            sig[at] ^= 1 << (at % 8);
            assert!(!same(&key, msg, &sig));
        }
        // R: every small-order point, canonically and with the sign bit
        // set; encodings of y ≥ p (non-canonical: y + p for y < 19).
        let mut rs: [[u8; 32]; 40] = [[0; 32]; 40];
        for (i, t) in EIGHT_TORSION.iter().enumerate() {
            rs[2 * i] = t.compress().to_bytes();
            rs[2 * i + 1] = rs[2 * i];
            rs[2 * i + 1][31] ^= 0x80;
        }
        for y in 0..19u8 {
            let mut r = [0xffu8; 32];
            r[0] = 0xed + y; // p + y, little-endian
            r[31] = 0x7f;
            rs[16 + y as usize] = r;
        }
        rs[35] = *CompressedEdwardsY::from_slice(&genuine[..32]).unwrap().as_bytes();
        rs[35][31] ^= 0x80;
        for r in rs {
            for s in [&genuine[32..], &[0u8; 32][..]] {
                let mut sig = [0u8; 64];
                sig[..32].copy_from_slice(&r);
                sig[32..].copy_from_slice(s);
                assert!(!same(&key, msg, &sig));
            }
        }
        // A mixed-order key: A' = [a]B + T, T of order 8. A signature made
        // with a, R = [r]B, S = r + k·a, satisfies [S]B − [k]A' = R − [k]T:
        // it verifies exactly when k·T is the identity (k ≡ 0 mod 8).
        let a = Scalar::from_bytes_mod_order([7u8; 32]);
        let mixed = ED25519_BASEPOINT_POINT * a + EIGHT_TORSION[1];
        let mixed_key = Ed25519Key::from_bytes(mixed.compress().as_bytes()).unwrap();
        // k = SHA-512(R ‖ A' ‖ M) mod ℓ, and the signature R ‖ S.
        let challenge = |big_r: &CompressedEdwardsY, msg: &[u8]| {
            let k = Sha512::new()
                .chain_update(big_r.as_bytes())
                .chain_update(mixed.compress().as_bytes())
                .chain_update(msg);
            Scalar::from_bytes_mod_order_wide(&k.finalize().into())
        };
        let signature = |big_r: &CompressedEdwardsY, s: Scalar| {
            let mut sig = [0u8; 64];
            sig[..32].copy_from_slice(big_r.as_bytes());
            sig[32..].copy_from_slice(s.as_bytes());
            sig
        };
        let (mut accepted, mut refused) = (0, 0);
        for i in 0..64u8 {
            let r = Scalar::from_bytes_mod_order([i.wrapping_add(1); 32]);
            let big_r = (ED25519_BASEPOINT_POINT * r).compress();
            let k = challenge(&big_r, msg);
            if same(&mixed_key, msg, &signature(&big_r, r + k * a)) { accepted += 1 } else { refused += 1 }
        }
        assert!(accepted > 0 && refused > 0, "{accepted} accepted, {refused} refused");
        // Under that key the equation can hold with a small-order R: R the
        // identity, S = k·a, so [S]B − [k]A' = −[k]T, the identity when
        // k ≡ 0 mod 8. Strict verification refuses it for its R.
        let big_r = EdwardsPoint::compress(&curve25519_dalek::traits::Identity::identity());
        let mut found = 0;
        for i in 0..64u8 {
            let msg = [i; 3];
            let k = challenge(&big_r, &msg);
            if k.as_bytes()[0].is_multiple_of(8) {
                found += 1;
                assert!(!same(&mixed_key, &msg, &signature(&big_r, k * a)));
            }
        }
        assert!(found > 0);
    }

    #[test]
    fn a_public_key_never_checks_an_hmac() {
        // The token re-signed as HS256 with the public key's bytes as the secret.
        let key = Ed25519Key::from_bytes(&X).unwrap();
        let mut out = [0u8; 256];
        let forger = HmacKey::new(Algorithm::Hs256, &X).unwrap();
        let forged = crate::sign::sign_raw(br#"{"alg":"HS256"}"#, br#"{"sub":"admin"}"#, &forger, &mut out).unwrap();
        assert_eq!(check(forged, &key), Err(Error::AlgorithmMismatch));
        let none = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9.";
        assert_eq!(check(none, &key), Err(Error::Malformed));
        let none = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9.AA";
        assert_eq!(check(none, &key), Err(Error::AlgorithmMismatch));
        // A mixed set: the kid names the Ed25519 key, the header claims HS256.
        let mut set = KeySet::<2>::new();
        set.insert("ed", key).unwrap();
        set.insert("mac", HmacKey::new(Algorithm::Hs256, &[9u8; 32]).unwrap()).unwrap();
        let forged =
            crate::sign::sign_raw(br#"{"alg":"HS256","kid":"ed"}"#, br#"{"sub":"admin"}"#, &forger, &mut out).unwrap();
        assert_eq!(check(forged, &set), Err(Error::AlgorithmMismatch));
    }
}
