//! Private keys from JWKs (RFC 7517; RFC 8037 §2 for Ed25519, RFC 7518
//! §6.2.2 for EC): `d` with the public members it belongs to.

use zeroize::Zeroize;

#[cfg(feature = "ecdsa")]
use super::EcdsaSigningKey;
#[cfg(feature = "ed25519")]
use super::Ed25519SigningKey;
use super::PrivateKey;
use crate::algorithm::{Algorithm, Family};
use crate::error::Error;
use crate::jwk::{Members, algorithm, allows, members, octets};

impl PrivateKey {
    /// A private key from a JWK: `kty` `OKP` with `crv` `Ed25519` (EdDSA) or
    /// `kty` `EC` with `crv` `P-256` (ES256), and `d`. The public members
    /// (`x`, and `y` for EC), when present, must be this `d`'s public key:
    /// a JWK whose halves disagree is broken, and signing with it would
    /// issue tokens its own JWK Set cannot verify. `alg`, `use` and
    /// `key_ops`, when present, must allow signing with this key. Buffers
    /// that held the secret are wiped before returning.
    ///
    /// # Errors
    /// [`Error::InvalidKey`] for anything else: another key type or curve
    /// (RSA and P-384 private keys are not signed with here), members
    /// that are not exact base64url of the right length, an `alg` of
    /// another family, `use` other than `sig`, `key_ops` without `sign`,
    /// RSA private members, or halves that disagree.
    ///
    /// ```
    /// use tessera_core::{Error, PrivateKey};
    /// # if cfg!(miri) { return Ok(()); } // curve arithmetic: minutes under Miri
    /// let good = br#"{"kty":"OKP","crv":"Ed25519","d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#;
    /// assert!(PrivateKey::from_jwk(good).is_ok());
    /// let public_only = br#"{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#;
    /// assert_eq!(PrivateKey::from_jwk(public_only).err(), Some(Error::InvalidKey));
    /// # Ok::<(), Error>(())
    /// ```
    pub fn from_jwk(jwk: &[u8]) -> Result<PrivateKey, Error> {
        let m = members(jwk)?;
        let alg = algorithm(&m, None)?.ok_or(Error::InvalidKey)?;
        if !allows(&m, b"sign")? || m.n.is_some() || m.e.is_some() {
            return Err(Error::InvalidKey);
        }
        let mut d = [0u8; 64];
        let key = from_members(&m, alg, &mut d);
        d.zeroize();
        key
    }
}

fn from_members(m: &Members<'_>, alg: Algorithm, d: &mut [u8; 64]) -> Result<PrivateKey, Error> {
    match alg.family() {
        #[cfg(feature = "ed25519")]
        Family::EdDsa if m.y.is_none() => {
            let key = Ed25519SigningKey::from_seed(octets(m.d, d, 32)?)?;
            if m.x.is_some() && octets(m.x, &mut [0u8; 64], 32)? != key.public_key().to_bytes() {
                return Err(Error::InvalidKey);
            }
            Ok(key.into())
        }
        #[cfg(feature = "ecdsa")]
        Family::Ecdsa if alg == Algorithm::Es256 => {
            let key = EcdsaSigningKey::from_scalar(octets(m.d, d, 32)?)?;
            let public = key.public_key();
            let (x, y) = public.coordinates();
            // Both coordinates or neither.
            match (m.x.is_some(), m.y.is_some()) {
                (false, false) => {}
                (true, true) => {
                    let (mut xb, mut yb) = ([0u8; 64], [0u8; 64]);
                    if octets(m.x, &mut xb, 32)? != x || octets(m.y, &mut yb, 32)? != y {
                        return Err(Error::InvalidKey);
                    }
                }
                _ => return Err(Error::InvalidKey),
            }
            Ok(key.into())
        }
        _ => Err(Error::InvalidKey),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Sign;

    const D: &str = "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A";
    const X: &str = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo";
    // RFC 7515 A.3's P-256 key.
    const EC_D: &str = "jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI";
    const EC_X: &str = "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU";
    const EC_Y: &str = "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0";

    fn jwk(s: &str) -> Result<Algorithm, Error> {
        PrivateKey::from_jwk(s.as_bytes()).map(|k| k.algorithm())
    }

    #[test]
    // Curve arithmetic (key derivation, signing): minutes under Miri; the
    // integration tests and the fuzz targets cover it natively.
    #[cfg_attr(miri, ignore)]
    fn private_jwks_import_when_their_halves_agree() {
        assert_eq!(jwk(&format!(r#"{{"kty":"OKP","crv":"Ed25519","d":"{D}","x":"{X}"}}"#)), Ok(Algorithm::EdDsa));
        assert_eq!(jwk(&format!(r#"{{"kty":"OKP","crv":"Ed25519","d":"{D}"}}"#)), Ok(Algorithm::EdDsa));
        let ec = format!(r#"{{"kty":"EC","crv":"P-256","d":"{EC_D}","x":"{EC_X}","y":"{EC_Y}"}}"#);
        assert_eq!(jwk(&ec), Ok(Algorithm::Es256));
        let ok = |extra: &str| jwk(&format!(r#"{{"kty":"OKP","crv":"Ed25519","d":"{D}"{extra}}}"#));
        assert_eq!(ok(r#","alg":"EdDSA","use":"sig","key_ops":["sign"]"#), Ok(Algorithm::EdDsa));
        assert_eq!(ok(r#","kid":"k1","ext":true"#), Ok(Algorithm::EdDsa));
    }

    #[test]
    // Curve arithmetic (key derivation, signing): minutes under Miri; the
    // integration tests and the fuzz targets cover it natively.
    #[cfg_attr(miri, ignore)]
    fn private_jwks_that_cannot_sign_or_disagree_are_refused() {
        let bad = [
            // Halves that disagree.
            format!(r#"{{"kty":"OKP","crv":"Ed25519","d":"{D}","x":"{EC_X}"}}"#),
            format!(r#"{{"kty":"EC","crv":"P-256","d":"{EC_D}","x":"{EC_X}","y":"{EC_X}"}}"#),
            format!(r#"{{"kty":"EC","crv":"P-256","d":"{EC_D}","x":"{EC_X}"}}"#),
            // No `d`, a short or padded `d`, a `d` of zero.
            format!(r#"{{"kty":"OKP","crv":"Ed25519","x":"{X}"}}"#),
            r#"{"kty":"OKP","crv":"Ed25519","d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2"}"#.into(),
            format!(r#"{{"kty":"OKP","crv":"Ed25519","d":"{D}="}}"#),
            r#"{"kty":"EC","crv":"P-256","d":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}"#.into(),
            // Not for signing, or another algorithm.
            format!(r#"{{"kty":"OKP","crv":"Ed25519","d":"{D}","use":"enc"}}"#),
            format!(r#"{{"kty":"OKP","crv":"Ed25519","d":"{D}","key_ops":["verify"]}}"#),
            format!(r#"{{"kty":"OKP","crv":"Ed25519","d":"{D}","key_ops":"sign"}}"#),
            format!(r#"{{"kty":"OKP","crv":"Ed25519","d":"{D}","alg":"ES256"}}"#),
            format!(r#"{{"kty":"OKP","crv":"Ed25519","d":"{D}","alg":"HS256"}}"#),
            format!(r#"{{"kty":"OKP","crv":"Ed448","d":"{D}"}}"#),
            format!(r#"{{"kty":"EC","crv":"P-384","d":"{EC_D}"}}"#),
            format!(r#"{{"kty":"oct","k":"{D}"}}"#),
            format!(r#"{{"kty":"RSA","alg":"RS256","n":"{D}","e":"AQAB","d":"{D}"}}"#),
            format!(r#"{{"kty":"OKP","crv":"Ed25519","d":"{D}","d":"{D}"}}"#),
            "[]".into(),
        ];
        for b in bad {
            assert_eq!(jwk(&b), Err(Error::InvalidKey), "{b}");
        }
    }
}
