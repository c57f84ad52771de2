//! JSON Web Keys (RFC 7517) and JWK Sets: public keys as identity
//! providers publish them at `/.well-known/jwks.json`, imported into a
//! [`Key`] or a fixed-capacity [`KeySet`] with no allocation, on the JSON
//! scanner the verifier trusts.

use crate::algorithm::{Algorithm, Family};
use crate::base64url;
use crate::error::Error;
use crate::json::{self, RawStr, Value};
#[cfg(feature = "ecdsa")]
use crate::key::EcdsaKey;
#[cfg(feature = "ed25519")]
use crate::key::Ed25519Key;
#[cfg(feature = "rsa")]
use crate::key::RsaKey;
use crate::key::{Key, KeySet, MAX_KID_LEN};

/// What a JWK Set import kept and passed over.
///
/// ```
/// use tessera_core::KeySet;
/// let jwks = br#"{"keys":[
///   {"kty":"OKP","crv":"Ed25519","kid":"a","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"},
///   {"kty":"EC","crv":"P-521","kid":"b","x":"AA","y":"AA"}]}"#;
/// let (set, report) = KeySet::<4>::from_jwks(jwks)?;
/// assert_eq!((report.imported, report.skipped), (1, 1));
/// assert!(set.get("a").is_some());
/// # Ok::<(), tessera_core::Error>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct JwksReport {
    /// Keys now in the set.
    pub imported: usize,
    /// Members passed over (RFC 7517 §5: "implementations SHOULD ignore JWKs
    /// within a JWK Set that use "kty" values that are not understood"):
    /// an unknown `kty`, `crv` or `alg`, `use` other than `sig`, `key_ops`
    /// without `verify`, an RSA key without `alg` when the caller gave no
    /// default, a key type this build leaves out (cargo features), or no
    /// `kid` (a token can only select a set's key by `kid`).
    pub skipped: usize,
}

/// The members of one JWK that Tessera reads, as found.
#[derive(Default)]
pub(crate) struct Members<'a> {
    pub(crate) kty: Option<RawStr<'a>>,
    pub(crate) crv: Option<RawStr<'a>>,
    pub(crate) alg: Option<RawStr<'a>>,
    pub(crate) use_: Option<RawStr<'a>>,
    pub(crate) key_ops: Option<&'a [u8]>,
    kid: Option<RawStr<'a>>,
    pub(crate) x: Option<RawStr<'a>>,
    pub(crate) y: Option<RawStr<'a>>,
    pub(crate) n: Option<RawStr<'a>>,
    pub(crate) e: Option<RawStr<'a>>,
    /// The private key (EC scalar, Ed25519 seed), for signing-key import.
    pub(crate) d: Option<RawStr<'a>>,
    /// Any member only private or symmetric keys carry (`d` included).
    pub(crate) private: bool,
}

/// Names that only private (or symmetric) keys carry: a document holding
/// one is refused whole, so that a leaked secret is seen, never silently
/// used or silently dropped (RFC 7518 §6.2.2, §6.3.2, §6.4.1; RFC 8037 §2).
const PRIVATE: [&[u8]; 9] = [b"d", b"p", b"q", b"dp", b"dq", b"qi", b"oth", b"k", b"r"];

/// The string value of a member, or `InvalidKey` for another type.
fn string(v: Value<'_>) -> Result<RawStr<'_>, Error> {
    match v {
        Value::Str(s) => Ok(s),
        _ => Err(Error::InvalidKey),
    }
}

// Not inlined: `Key::from_jwk` and each member of a set share one copy (the
// WebAssembly module's size; import is not a hot path).
#[inline(never)]
pub(crate) fn members(object: &[u8]) -> Result<Members<'_>, Error> {
    let mut m = Members::default();
    json::scan_object(object, |member| {
        let n = member.name;
        let slot = if n.eq_bytes(b"kty") {
            &mut m.kty
        } else if n.eq_bytes(b"crv") {
            &mut m.crv
        } else if n.eq_bytes(b"alg") {
            &mut m.alg
        } else if n.eq_bytes(b"use") {
            &mut m.use_
        } else if n.eq_bytes(b"kid") {
            &mut m.kid
        } else if n.eq_bytes(b"x") {
            &mut m.x
        } else if n.eq_bytes(b"y") {
            &mut m.y
        } else if n.eq_bytes(b"n") {
            &mut m.n
        } else if n.eq_bytes(b"e") {
            &mut m.e
        } else {
            if n.eq_bytes(b"key_ops") {
                m.key_ops = Some(member.text);
            } else if PRIVATE.iter().any(|p| n.eq_bytes(p)) {
                m.private = true;
                if n.eq_bytes(b"d") {
                    m.d = Some(string(member.value)?);
                }
            }
            return Ok(());
        };
        *slot = Some(string(member.value)?);
        Ok(())
    })
    .map_err(|_| Error::InvalidKey)?;
    Ok(m)
}

/// The bytes of a base64url member (at most `N`), or `InvalidKey`.
pub(crate) fn decoded<'b, const N: usize>(s: Option<RawStr<'_>>, buf: &'b mut [u8; N]) -> Result<&'b [u8], Error> {
    let s = s.ok_or(Error::InvalidKey)?;
    // The longest member is an RSA-4096 modulus: 683 base64url characters.
    let mut text = [0u8; 704];
    let n = s.unescape_into(&mut text).map_err(|_| Error::InvalidKey);
    let bytes =
        n.and_then(|n| base64url::decode(text.get(..n).unwrap_or_default(), buf).map_err(|_| Error::InvalidKey));
    // The text may be a private key's `d` (signing-key import).
    zeroize::Zeroize::zeroize(&mut text);
    bytes
}

/// The bytes of a fixed-length octet member, exactly `len` of them.
#[cfg(any(feature = "ed25519", feature = "ecdsa"))]
pub(crate) fn octets<'b>(s: Option<RawStr<'_>>, buf: &'b mut [u8; 64], len: usize) -> Result<&'b [u8], Error> {
    let bytes = decoded(s, buf)?;
    if bytes.len() != len {
        return Err(Error::InvalidKey);
    }
    Ok(bytes)
}

/// The algorithm named by a JWK's `alg`: `Ok(None)` when it is absent,
/// `Err(None)` when it is a name Tessera does not know (pass the key over).
fn named(m: &Members<'_>) -> Result<Option<Algorithm>, Option<Error>> {
    let Some(alg) = m.alg else { return Ok(None) };
    let mut name = [0u8; 16];
    let n = alg.unescape_into(&mut name).map_err(|_| Some(Error::InvalidKey))?;
    name.get(..n).and_then(Algorithm::from_bytes).map(Some).ok_or(None)
}

/// The algorithm a JWK's own members give it, with `rsa_default` for an
/// RSA key without `alg` (`None`: pass it over).
pub(crate) fn algorithm(m: &Members<'_>, rsa_default: Option<Algorithm>) -> Result<Option<Algorithm>, Error> {
    let kty = m.kty.ok_or(Error::InvalidKey)?;
    let crv = m.crv;
    let named = match named(m) {
        Ok(a) => a,
        Err(None) => return Ok(None),
        Err(Some(e)) => return Err(e),
    };
    let is = |s: Option<RawStr<'_>>, v: &[u8]| s.is_some_and(|s| s.eq_bytes(v));
    let by_type = if kty.eq_bytes(b"EC") {
        if is(crv, b"P-256") {
            Algorithm::Es256
        } else if is(crv, b"P-384") {
            Algorithm::Es384
        } else if crv.is_none() {
            return Err(Error::InvalidKey);
        } else {
            return Ok(None); // P-521, secp256k1, ...: not verified here.
        }
    } else if kty.eq_bytes(b"OKP") {
        if is(crv, b"Ed25519") {
            Algorithm::EdDsa
        } else if crv.is_none() {
            return Err(Error::InvalidKey);
        } else {
            return Ok(None); // Ed448, X25519, X448.
        }
    } else if kty.eq_bytes(b"RSA") {
        // RFC 7518 lets one RSA key serve RS* and PS* alike; Tessera binds
        // it to one: the JWK's `alg`, else the caller's, and never both
        // when they disagree.
        let alg = match (named, rsa_default) {
            (Some(a), Some(d)) if a != d => return Err(Error::InvalidKey),
            (Some(a), _) => a,
            (None, Some(d)) => d,
            (None, None) => return Ok(None),
        };
        // `ES256` on an RSA key: broken, refused.
        return if alg.family() == Family::Rsa { Ok(Some(alg)) } else { Err(Error::InvalidKey) };
    } else {
        return Ok(None); // kty values not understood.
    };
    match named {
        // A known algorithm that is not this key's: a broken key, refused.
        Some(a) if a != by_type => Err(Error::InvalidKey),
        _ => Ok(Some(by_type)),
    }
}

/// Whether `use` and `key_ops` let the key do `op` (`verify` or `sign`;
/// RFC 7517 §4.2, §4.3): `use`, when present, must be `sig`, and
/// `key_ops`, when present, an array of strings naming `op`.
pub(crate) fn allows(m: &Members<'_>, op: &[u8]) -> Result<bool, Error> {
    if m.use_.is_some_and(|u| !u.eq_bytes(b"sig")) {
        return Ok(false);
    }
    let Some(ops) = m.key_ops else { return Ok(true) };
    let mut found = false;
    let array = json::for_each_string_in_array(ops, |o| {
        found |= o.eq_bytes(op);
        Ok(())
    })
    .map_err(|_| Error::InvalidKey)?;
    if !array {
        return Err(Error::InvalidKey);
    }
    Ok(found)
}

/// A JWK's key, or `None` to pass it over.
#[inline(never)]
fn read(m: &Members<'_>, rsa_default: Option<Algorithm>) -> Result<Option<Key>, Error> {
    if m.private || m.kty.is_some_and(|k| k.eq_bytes(b"oct")) {
        return Err(Error::InvalidKey);
    }
    let Some(alg) = algorithm(m, rsa_default)? else { return Ok(None) };
    if !allows(m, b"verify")? {
        return Ok(None);
    }
    let key: Key = match alg.family() {
        #[cfg(feature = "ed25519")]
        Family::EdDsa => {
            if m.y.is_some() {
                return Err(Error::InvalidKey);
            }
            Ed25519Key::from_bytes(octets(m.x, &mut [0u8; 64], 32)?)?.into()
        }
        #[cfg(feature = "ecdsa")]
        Family::Ecdsa => {
            let len = if alg == Algorithm::Es256 { 32 } else { 48 };
            let (mut xb, mut yb) = ([0u8; 64], [0u8; 64]);
            EcdsaKey::from_coordinates(alg, octets(m.x, &mut xb, len)?, octets(m.y, &mut yb, len)?)?.into()
        }
        #[cfg(feature = "rsa")]
        Family::Rsa => {
            // base64urlUInt (RFC 7518 §6.3.1): no leading zero octets, which
            // `from_components` refuses.
            let (mut nb, mut eb) = ([0u8; 512], [0u8; 8]);
            RsaKey::from_components(alg, decoded(m.n, &mut nb)?, decoded(m.e, &mut eb)?)?.into()
        }
        // A family this build leaves out (cargo features).
        _ => return Ok(None),
    };
    Ok(Some(key))
}

impl Key {
    /// The public key of one JWK (RFC 7517): `kty` `EC` (`crv` `P-256` or
    /// `P-384`) or `OKP` (`crv` `Ed25519`), bound to the algorithm its curve
    /// gives, or `kty` `RSA` bound to its `alg` (RS256 to PS512, required
    /// here: see [`from_jwk_as`](Self::from_jwk_as)); a JWK `alg`, when
    /// present, must be the key's algorithm.
    ///
    /// # Errors
    /// [`Error::InvalidKey`] for what is not such a key: not a JSON object,
    /// private members (`d`, ...), `kty` `oct` (HMAC secrets are never read
    /// from JWKs), an unsupported `kty`/`crv`/`alg`, an RSA key without
    /// `alg`, `use` other than `sig`, `key_ops` without `verify`,
    /// coordinates that are not exactly the field length in strict
    /// base64url, a point not on the curve, an RSA modulus or exponent
    /// refused by [`RsaKey::from_components`](crate::RsaKey::from_components);
    /// [`Error::WeakKey`] for an Ed25519 key of small order or an RSA key
    /// under 2048 bits or with `e` = 1.
    ///
    /// ```
    /// use tessera_core::{Algorithm, Key};
    /// let jwk = br#"{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#;
    /// assert_eq!(Key::from_jwk(jwk)?.algorithm(), Algorithm::EdDsa);
    /// # Ok::<(), tessera_core::Error>(())
    /// ```
    pub fn from_jwk(jwk: &[u8]) -> Result<Key, Error> {
        read(&members(jwk)?, None)?.ok_or(Error::InvalidKey)
    }

    /// The public key of one JWK, for the algorithm the caller names: an
    /// RSA JWK without `alg` (Entra ID publishes them so) is bound to
    /// `algorithm`; any other JWK must be a key for `algorithm` already.
    ///
    /// # Errors
    /// As [`from_jwk`](Self::from_jwk), and [`Error::InvalidKey`] when the
    /// JWK's `alg` or curve names another algorithm.
    ///
    /// ```
    /// use tessera_core::{Algorithm, Error, Key};
    /// let n = "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ";
    /// let jwk = format!(r#"{{"kty":"RSA","n":"{n}","e":"AQAB"}}"#);
    /// assert_eq!(Key::from_jwk(jwk.as_bytes()).err(), Some(Error::InvalidKey));
    /// assert_eq!(Key::from_jwk_as(jwk.as_bytes(), Algorithm::Ps256)?.algorithm(), Algorithm::Ps256);
    /// assert_eq!(Key::from_jwk_as(jwk.as_bytes(), Algorithm::Es256).err(), Some(Error::InvalidKey));
    /// # Ok::<(), Error>(())
    /// ```
    pub fn from_jwk_as(jwk: &[u8], algorithm: Algorithm) -> Result<Key, Error> {
        let default = (algorithm.family() == Family::Rsa).then_some(algorithm);
        let key = read(&members(jwk)?, default)?.ok_or(Error::InvalidKey)?;
        if key.algorithm() != algorithm {
            return Err(Error::InvalidKey);
        }
        Ok(key)
    }
}

/// Writes JSON text into a buffer, failing with `BufferTooSmall`.
pub(crate) struct Writer<'o> {
    pub(crate) out: &'o mut [u8],
    pub(crate) len: usize,
}

impl<'o> Writer<'o> {
    pub(crate) fn text(&mut self, s: &str) -> Result<(), Error> {
        let dst = self.out.get_mut(self.len..self.len + s.len()).ok_or(Error::BufferTooSmall)?;
        dst.copy_from_slice(s.as_bytes());
        self.len += s.len();
        Ok(())
    }

    pub(crate) fn b64(&mut self, bytes: &[u8]) -> Result<(), Error> {
        let rest = self.out.get_mut(self.len..).unwrap_or_default();
        let n = base64url::encode(bytes, rest)?.len();
        self.len += n;
        Ok(())
    }

    /// A base64urlUInt (RFC 7518 §2): big-endian, no leading zero octets.
    #[cfg(feature = "rsa")]
    pub(crate) fn b64_uint(&mut self, v: u64) -> Result<(), Error> {
        let bytes = v.to_be_bytes();
        let skip = bytes.iter().take_while(|&&b| b == 0).count();
        self.b64(bytes.get(skip..).unwrap_or_default())
    }

    /// A JSON string's contents, escaping `"`, `\` and control characters.
    pub(crate) fn escaped(&mut self, s: &str) -> Result<(), Error> {
        for c in s.chars() {
            let mut utf8 = [0u8; 4];
            match c {
                '"' => self.text("\\\"")?,
                '\\' => self.text("\\\\")?,
                '\u{0}'..='\u{1f}' => {
                    let hex = |d: u32| char::from_digit(d, 16).unwrap_or('0');
                    let code = u32::from(c);
                    for part in
                        ["\\u00", hex(code >> 4).encode_utf8(&mut [0; 4]), hex(code & 15).encode_utf8(&mut [0; 4])]
                    {
                        self.text(part)?;
                    }
                }
                _ => self.text(c.encode_utf8(&mut utf8))?,
            }
        }
        Ok(())
    }

    /// What was written.
    pub(crate) fn finish(self) -> Result<&'o str, Error> {
        let Writer { out, len } = self;
        core::str::from_utf8(out.get(..len).unwrap_or_default()).map_err(|_| Error::InvalidArgument)
    }
}

impl Key {
    /// The public key as a JWK (RFC 7517) with its `alg`: `kty` `RSA`
    /// (`n`, `e`), `EC` (`crv`, `x`, `y`) or `OKP` (`crv`, `x`), members in
    /// that order — what a JWK Set publishes, and what WebCrypto imports.
    /// At most 800 bytes (RSA-4096).
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for an HMAC secret (never exported);
    /// [`Error::BufferTooSmall`] when `out` is too short.
    ///
    /// ```
    /// use tessera_core::{Algorithm, Key};
    /// let jwk = r#"{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#;
    /// let key = Key::from_jwk(jwk.as_bytes())?;
    /// let mut out = [0u8; 800];
    /// assert_eq!(key.to_public_jwk(&mut out)?, r#"{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","alg":"EdDSA"}"#);
    /// # Ok::<(), tessera_core::Error>(())
    /// ```
    pub fn to_public_jwk<'o>(&self, out: &'o mut [u8]) -> Result<&'o str, Error> {
        let mut w = Writer { out, len: 0 };
        self.public_members(&mut w)?;
        w.text("}")?;
        w.finish()
    }

    /// Writes `{` and the public JWK's members up to and including `alg`,
    /// leaving the object open for more members (a JWK Set adds `kid`, `use`).
    pub(crate) fn public_members(&self, w: &mut Writer<'_>) -> Result<(), Error> {
        match self {
            Key::Hmac(_) => return Err(Error::InvalidArgument),
            #[cfg(feature = "ed25519")]
            Key::Ed25519(k) => {
                w.text(r#"{"kty":"OKP","crv":"Ed25519","x":""#)?;
                w.b64(&k.to_bytes())?;
            }
            #[cfg(feature = "ecdsa")]
            Key::Ecdsa(k) => {
                let (x, y) = k.coordinates();
                w.text(if k.algorithm() == Algorithm::Es256 {
                    r#"{"kty":"EC","crv":"P-256","x":""#
                } else {
                    r#"{"kty":"EC","crv":"P-384","x":""#
                })?;
                w.b64(x)?;
                w.text(r#"","y":""#)?;
                w.b64(y)?;
            }
            #[cfg(feature = "rsa")]
            Key::Rsa(k) => {
                let mut buf = [0u8; 512];
                let (n, e) = k.components(&mut buf);
                w.text(r#"{"kty":"RSA","n":""#)?;
                w.b64(n)?;
                w.text(r#"","e":""#)?;
                w.b64_uint(e)?;
            }
        }
        w.text(r#"","alg":""#)?;
        w.text(self.algorithm().name())?;
        w.text(r#"""#)
    }
}

impl<const N: usize> KeySet<N> {
    /// The keys and their `kid`s, in insertion order.
    ///
    /// ```
    /// use tessera_core::{Algorithm, HmacKey, KeySet};
    /// let mut keys = KeySet::<2>::new();
    /// keys.insert("a", HmacKey::new(Algorithm::Hs256, &[7u8; 32])?)?;
    /// assert_eq!(keys.keys().map(|(kid, _)| kid).collect::<Vec<_>>(), ["a"]);
    /// # Ok::<(), tessera_core::Error>(())
    /// ```
    pub fn keys(&self) -> impl Iterator<Item = (&str, &Key)> {
        // Every kid was inserted from a `&str`, so this never skips one.
        self.iter().filter_map(|(kid, key)| core::str::from_utf8(kid).ok().map(|k| (k, key)))
    }
}

impl<const N: usize> KeySet<N> {
    /// The verification keys of a JWK Set document (`{"keys": [...]}`),
    /// each under its `kid`, and how many members were passed over. RSA
    /// keys without `alg` are passed over: see
    /// [`from_jwks_rsa_default`](Self::from_jwks_rsa_default).
    ///
    /// # Errors
    /// Refused whole — no key is returned — for [`Error::InvalidKey`]: not a
    /// JWK Set, a member that is not an object or is a broken key (as
    /// [`Key::from_jwk`]), **any private or `oct` member** (a leaked secret
    /// must be seen), or two usable keys under one `kid`;
    /// [`Error::WeakKey`] for a small-order Ed25519 key or a weak RSA key;
    /// [`Error::CapacityExceeded`] for more than `N` usable keys or a `kid`
    /// longer than [`MAX_KID_LEN`].
    ///
    /// Swapping in a fresh set: build it with this call, then replace the
    /// set verifiers read (for example behind an `ArcSwap`, or an atomic
    /// pointer in C): a verify never waits for a fetch.
    pub fn from_jwks(document: &[u8]) -> Result<(KeySet<N>, JwksReport), Error> {
        Self::import(document, None)
    }

    /// As [`from_jwks`](Self::from_jwks), with `rsa_default` (RS256 to
    /// PS512) for the RSA keys that carry no `alg`, as Microsoft Entra ID
    /// publishes them.
    ///
    /// # Errors
    /// As [`from_jwks`](Self::from_jwks); [`Error::InvalidArgument`] when
    /// `rsa_default` is not an RSA algorithm; [`Error::InvalidKey`] when an
    /// RSA key's own `alg` contradicts it (the set is refused whole).
    ///
    /// ```
    /// use tessera_core::{Algorithm, KeySet};
    /// let n = "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ";
    /// let doc = format!(r#"{{"keys":[{{"kty":"RSA","kid":"entra","use":"sig","n":"{n}","e":"AQAB"}}]}}"#);
    /// assert_eq!(KeySet::<4>::from_jwks(doc.as_bytes())?.1.skipped, 1);
    /// let (keys, _) = KeySet::<4>::from_jwks_rsa_default(doc.as_bytes(), Algorithm::Rs256)?;
    /// assert_eq!(keys.get("entra").map(|k| k.algorithm()), Some(Algorithm::Rs256));
    /// # Ok::<(), tessera_core::Error>(())
    /// ```
    pub fn from_jwks_rsa_default(document: &[u8], rsa_default: Algorithm) -> Result<(KeySet<N>, JwksReport), Error> {
        if rsa_default.family() != Family::Rsa {
            return Err(Error::InvalidArgument);
        }
        Self::import(document, Some(rsa_default))
    }

    fn import(document: &[u8], rsa_default: Option<Algorithm>) -> Result<(KeySet<N>, JwksReport), Error> {
        let mut keys = None;
        json::scan_object(document, |m| {
            if m.name.eq_bytes(b"keys") {
                keys = Some(m.value);
            }
            Ok(())
        })
        .map_err(|_| Error::InvalidKey)?;
        let Some(Value::Array(keys)) = keys else { return Err(Error::InvalidKey) };
        let mut set = KeySet::<N>::new();
        let mut report = JwksReport::default();
        json::for_each_value_in_array(keys, |v| {
            let Value::Object(object) = v else { return Err(Error::InvalidKey) };
            let m = members(object)?;
            let Some(key) = read(&m, rsa_default)? else {
                report.skipped += 1;
                return Ok(());
            };
            let Some(kid) = m.kid else {
                report.skipped += 1;
                return Ok(());
            };
            let mut name = [0u8; MAX_KID_LEN];
            let n = kid.unescape_into(&mut name).map_err(|_| Error::CapacityExceeded)?;
            let kid = core::str::from_utf8(name.get(..n).unwrap_or_default()).map_err(|_| Error::InvalidKey)?;
            if set.get(kid).is_some() {
                return Err(Error::InvalidKey);
            }
            set.insert(kid, key)?;
            report.imported += 1;
            Ok(())
        })?;
        Ok((set, report))
    }
}

#[cfg(test)]
#[cfg(all(feature = "ed25519", feature = "ecdsa", feature = "rsa"))]
mod tests {
    use super::*;

    const ED_X: &str = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo";
    // RFC 7515 A.3 (P-256).
    const EC_X: &str = "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU";
    const EC_Y: &str = "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0";

    fn ec(extra: &str) -> String {
        std::format!(r#"{{"kty":"EC","crv":"P-256","x":"{EC_X}","y":"{EC_Y}"{extra}}}"#)
    }

    fn set(doc: &str) -> Result<JwksReport, Error> {
        KeySet::<4>::from_jwks(doc.as_bytes()).map(|(_, r)| r)
    }

    #[test]
    fn one_jwk_per_family() {
        let ed = std::format!(r#"{{"kty":"OKP","crv":"Ed25519","x":"{ED_X}"}}"#);
        assert_eq!(Key::from_jwk(ed.as_bytes()).unwrap().algorithm(), Algorithm::EdDsa);
        assert_eq!(Key::from_jwk(ec("").as_bytes()).unwrap().algorithm(), Algorithm::Es256);
        assert_eq!(
            Key::from_jwk(ec(r#","alg":"ES256","use":"sig","key_ops":["verify"]"#).as_bytes()).unwrap().algorithm(),
            Algorithm::Es256
        );
        // Escaped member names and values are read unescaped.
        let escaped = std::format!(r#"{{"k\u0074y":"O\u004bP","crv":"Ed25519","x":"{ED_X}"}}"#);
        assert!(Key::from_jwk(escaped.as_bytes()).is_ok());
        // The A.3 token verifies with the key read from its JWK.
        const A3: &str = "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q";
        let key = Key::from_jwk(ec("").as_bytes()).unwrap();
        let mut scratch = [0u8; 1024];
        assert!(crate::verify(A3, &key, &crate::Policy::new(1_300_819_379), &mut scratch).is_ok());
    }

    #[test]
    // Dozens of point validations and RSA imports: minutes under Miri; the
    // parsing they exercise is fuzzed (`jwks`), and Miri runs the others.
    #[cfg_attr(miri, ignore)]
    fn broken_or_secret_jwks_are_refused() {
        let bad = [
            std::format!(
                r#"{{"kty":"OKP","crv":"Ed25519","x":"{ED_X}","d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"}}"#
            ),
            r#"{"kty":"oct","k":"c2VjcmV0IG9mIGF0IGxlYXN0IHRoaXJ0eS10d28gYnl0ZXM"}"#.into(),
            ec(r#","alg":"ES384""#),
            ec(r#","alg":"EdDSA""#),
            ec(r#","key_ops":"verify""#),
            ec(r#","use":1"#),
            std::format!(r#"{{"kty":"EC","crv":"P-256","x":"{}","y":"{EC_Y}"}}"#, &EC_X[1..]),
            std::format!(r#"{{"kty":"EC","crv":"P-256","x":"{EC_X}="}}"#),
            std::format!(r#"{{"kty":"EC","crv":"P-256","x":"{EC_X}"}}"#),
            std::format!(r#"{{"kty":"EC","x":"{EC_X}","y":"{EC_Y}"}}"#),
            std::format!(r#"{{"kty":"EC","crv":"P-256","x":"{EC_X}","y":"{EC_X}"}}"#),
            std::format!(r#"{{"kty":"OKP","crv":"Ed25519","x":"{ED_X}","y":"{ED_X}"}}"#),
            std::format!(r#"{{"crv":"Ed25519","x":"{ED_X}"}}"#),
            std::format!(r#"{{"kty":"OKP","crv":"Ed25519","x":"{ED_X}","x":"{ED_X}"}}"#),
            "[]".into(),
            "{".into(),
        ];
        for jwk in &bad {
            assert_eq!(Key::from_jwk(jwk.as_bytes()).err(), Some(Error::InvalidKey), "{jwk}");
            let doc = std::format!(r#"{{"keys":[{},{}]}}"#, ec(r#","kid":"fine""#), jwk);
            assert!(set(&doc).is_err(), "{doc}");
        }
        let identity = r#"{"kty":"OKP","crv":"Ed25519","x":"AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}"#;
        assert_eq!(Key::from_jwk(identity.as_bytes()).err(), Some(Error::WeakKey));
        // What a set passes over is not a key on its own either.
        assert_eq!(Key::from_jwk(ec(r#","use":"enc""#).as_bytes()).err(), Some(Error::InvalidKey));
    }

    #[test]
    // Dozens of point validations and RSA imports: minutes under Miri; the
    // parsing they exercise is fuzzed (`jwks`), and Miri runs the others.
    #[cfg_attr(miri, ignore)]
    fn sets_skip_what_they_do_not_understand_and_refuse_ambiguity() {
        // RFC 7517 A.1: an EC key for encryption (passed over) and an RS256 key.
        let a1 = r#"{"keys":[{"kty":"EC","crv":"P-256","x":"MKBCTNIcKUSDii11ySs3526iDZ8AiTo7Tu6KPAqv7D4","y":"4Etl6SRW2YiLUrN5vfvVHuhp7x8PxltmWWlbbM4IFyM","use":"enc","kid":"1"},{"kty":"RSA","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw","e":"AQAB","alg":"RS256","kid":"2011-04-29"}]}"#;
        assert_eq!(set(a1), Ok(JwksReport { imported: 1, skipped: 1 }));
        let (a, b) = (
            ec(r#","kid":"a""#),
            std::format!(r#"{{"kty":"OKP","crv":"Ed25519","x":"{ED_X}","kid":"b","use":"sig"}}"#),
        );
        let (no_kid, unknown) = (ec(""), r#"{"kty":"unknown","kid":"d"}"#);
        let doc = std::format!(
            r#"{{"keys":[{a},{b},{no_kid},{unknown},{{"kty":"EC","crv":"P-521","x":"AA","y":"AA","kid":"c"}},{{"kty":"OKP","crv":"Ed25519","x":"{ED_X}","kid":"e","key_ops":["sign"]}},{{"kty":"OKP","crv":"Ed25519","x":"{ED_X}","kid":"f","alg":"Ed448"}}]}}"#
        );
        let (keys, report) = KeySet::<4>::from_jwks(doc.as_bytes()).unwrap();
        assert_eq!(report, JwksReport { imported: 2, skipped: 5 });
        assert_eq!(keys.get("a").map(Key::algorithm), Some(Algorithm::Es256));
        assert_eq!(keys.get("b").map(Key::algorithm), Some(Algorithm::EdDsa));
        // Two usable keys under one kid.
        let twice = std::format!(r#"{{"keys":[{},{}]}}"#, ec(r#","kid":"a""#), ec(r#","kid":"a""#));
        assert_eq!(set(&twice), Err(Error::InvalidKey));
        // ... but a usable key and a passed-over one may share it.
        let shared = std::format!(r#"{{"keys":[{},{}]}}"#, ec(r#","kid":"a""#), ec(r#","kid":"a","use":"enc""#));
        assert_eq!(set(&shared), Ok(JwksReport { imported: 1, skipped: 1 }));
        // Capacity and kid length.
        let many = std::format!(r#"{{"keys":[{},{}]}}"#, ec(r#","kid":"a""#), ec(r#","kid":"b""#));
        assert_eq!(KeySet::<1>::from_jwks(many.as_bytes()).err(), Some(Error::CapacityExceeded));
        let long = std::format!(r#"{{"keys":[{}]}}"#, ec(&std::format!(r#","kid":"{}""#, "k".repeat(65))));
        assert_eq!(set(&long), Err(Error::CapacityExceeded));
        // Not a JWK Set.
        for doc in [r#"{"keys":{}}"#, r#"{"key":[]}"#, r#"[]"#, r#"{"keys":[1]}"#, r#"{"keys":[]} x"#] {
            assert_eq!(set(doc), Err(Error::InvalidKey), "{doc}");
        }
        assert_eq!(set(r#"{"keys":[]}"#), Ok(JwksReport::default()));
    }

    // RFC 7515 A.2's RSA key.
    const RSA_N: &str = "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ";

    fn rsa(extra: &str) -> String {
        std::format!(r#"{{"kty":"RSA","n":"{RSA_N}","e":"AQAB"{extra}}}"#)
    }

    #[test]
    // Dozens of point validations and RSA imports: minutes under Miri; the
    // parsing they exercise is fuzzed (`jwks`), and Miri runs the others.
    #[cfg_attr(miri, ignore)]
    fn rsa_jwks_bind_their_alg_or_the_callers() {
        let alg = |jwk: &str| Key::from_jwk(jwk.as_bytes()).map(|k| k.algorithm());
        let alg_as = |jwk: &str, a| Key::from_jwk_as(jwk.as_bytes(), a).map(|k| k.algorithm());
        assert_eq!(alg(&rsa(r#","alg":"RS256""#)), Ok(Algorithm::Rs256));
        assert_eq!(alg(&rsa(r#","alg":"PS512""#)), Ok(Algorithm::Ps512));
        // No alg: the caller must name one.
        assert_eq!(alg(&rsa("")), Err(Error::InvalidKey));
        assert_eq!(alg_as(&rsa(""), Algorithm::Rs384), Ok(Algorithm::Rs384));
        assert_eq!(alg_as(&rsa(r#","alg":"RS256""#), Algorithm::Rs256), Ok(Algorithm::Rs256));
        // Contradictions and algorithms of another family.
        assert_eq!(alg_as(&rsa(r#","alg":"RS256""#), Algorithm::Ps256), Err(Error::InvalidKey));
        assert_eq!(alg_as(&rsa(""), Algorithm::Es256), Err(Error::InvalidKey));
        assert_eq!(alg_as(&rsa(""), Algorithm::Hs256), Err(Error::InvalidKey));
        assert_eq!(alg(&rsa(r#","alg":"ES256""#)), Err(Error::InvalidKey));
        assert_eq!(alg(&rsa(r#","alg":"HS256""#)), Err(Error::InvalidKey));
        assert_eq!(alg_as(&ec(""), Algorithm::Es384), Err(Error::InvalidKey));
        assert_eq!(alg_as(&ec(""), Algorithm::Es256), Ok(Algorithm::Es256));
        // base64urlUInt: no leading zero octet ("AA" prefix), strict base64url.
        let zero_led = std::format!(r#"{{"kty":"RSA","n":"AK{}","e":"AQAB","alg":"RS256"}}"#, &RSA_N[1..]);
        assert_eq!(alg(&zero_led), Err(Error::InvalidKey));
        for e in ["AAEAAQ", "AQAB=", "Aw", "AQ", "", "AQAAAAAB"] {
            let jwk = std::format!(r#"{{"kty":"RSA","n":"{RSA_N}","e":"{e}","alg":"RS256"}}"#);
            let want = match e {
                "Aw" => Ok(Algorithm::Rs256),
                "AQ" => Err(Error::WeakKey),
                _ => Err(Error::InvalidKey),
            };
            assert_eq!(alg(&jwk), want, "e = {e}");
        }
        assert_eq!(alg(r#"{"kty":"RSA","e":"AQAB","alg":"RS256"}"#), Err(Error::InvalidKey));
        assert_eq!(alg(&std::format!(r#"{{"kty":"RSA","n":"{RSA_N}","alg":"RS256"}}"#)), Err(Error::InvalidKey));
        // A 1024-bit modulus: weak.
        let mut n = [0u8; 512];
        let mut n = base64url::decode(RSA_N.as_bytes(), &mut n).unwrap()[..128].to_vec();
        n[127] |= 1;
        let mut text = [0u8; 256];
        let short = std::format!(
            r#"{{"kty":"RSA","n":"{}","e":"AQAB","alg":"RS256"}}"#,
            base64url::encode(&n, &mut text).unwrap()
        );
        assert_eq!(alg(&short), Err(Error::WeakKey));
        // Private RSA members refuse the key and its set.
        assert_eq!(alg(&rsa(r#","alg":"RS256","d":"AQAB""#)), Err(Error::InvalidKey));
        assert_eq!(alg(&rsa(r#","alg":"RS256","qi":"AQAB""#)), Err(Error::InvalidKey));

        // Sets: RSA keys without alg are passed over unless a default is given.
        let doc = std::format!(
            r#"{{"keys":[{},{},{}]}}"#,
            rsa(r#","kid":"a""#),
            rsa(r#","kid":"b","alg":"RS256""#),
            ec(r#","kid":"c""#)
        );
        assert_eq!(set(&doc), Ok(JwksReport { imported: 2, skipped: 1 }));
        let (keys, report) = KeySet::<4>::from_jwks_rsa_default(doc.as_bytes(), Algorithm::Rs256).unwrap();
        assert_eq!(report, JwksReport { imported: 3, skipped: 0 });
        assert_eq!(keys.get("a").map(Key::algorithm), Some(Algorithm::Rs256));
        assert_eq!(keys.get("c").map(Key::algorithm), Some(Algorithm::Es256));
        // A default that contradicts a key's alg refuses the set; a non-RSA default is a caller error.
        assert_eq!(KeySet::<4>::from_jwks_rsa_default(doc.as_bytes(), Algorithm::Ps256).err(), Some(Error::InvalidKey));
        assert_eq!(
            KeySet::<4>::from_jwks_rsa_default(doc.as_bytes(), Algorithm::Es256).err(),
            Some(Error::InvalidArgument)
        );
    }

    #[test]
    fn public_jwks_round_trip() {
        let mut out = [0u8; 800];
        for jwk in [std::format!(r#"{{"kty":"OKP","crv":"Ed25519","x":"{ED_X}"}}"#), ec(""), rsa(r#","alg":"PS384""#)] {
            let key = Key::from_jwk(jwk.as_bytes()).unwrap();
            let text = key.to_public_jwk(&mut out).unwrap();
            let again = Key::from_jwk(text.as_bytes()).unwrap();
            let mut out2 = [0u8; 800];
            assert_eq!(again.to_public_jwk(&mut out2).unwrap(), text);
            assert_eq!(again.algorithm(), key.algorithm());
            assert!(text.contains(&std::format!(r#""alg":"{}""#, key.algorithm().name())));
        }
        let rsa_key = Key::from_jwk(rsa(r#","alg":"RS256""#).as_bytes()).unwrap();
        assert!(rsa_key.to_public_jwk(&mut out).unwrap().contains(&std::format!(r#""n":"{RSA_N}","e":"AQAB""#)));
        assert_eq!(rsa_key.to_public_jwk(&mut [0u8; 100]).err(), Some(Error::BufferTooSmall));
        let secret: Key = crate::HmacKey::new(Algorithm::Hs256, &[1u8; 32]).unwrap().into();
        assert_eq!(secret.to_public_jwk(&mut out).err(), Some(Error::InvalidArgument));
    }

    #[test]
    fn a_token_selects_a_set_key_by_kid_only() {
        use crate::sign::sign_raw;
        let doc = std::format!(r#"{{"keys":[{}]}}"#, ec(r#","kid":"p256""#));
        let (keys, _) = KeySet::<2>::from_jwks(doc.as_bytes()).unwrap();
        let mut scratch = [0u8; 1024];
        let p = crate::Policy::new(1).required(crate::ClaimSet::EMPTY);
        // An HS256 token MACed with the JWK text itself, naming the EC key's kid.
        let forger = crate::HmacKey::new(Algorithm::Hs256, doc.as_bytes()).unwrap();
        let mut out = [0u8; 512];
        let t = sign_raw(br#"{"alg":"HS256","kid":"p256"}"#, b"{}", &forger, &mut out).unwrap();
        assert_eq!(crate::verify(t, &keys, &p, &mut scratch).err(), Some(Error::AlgorithmMismatch));
        let t = sign_raw(br#"{"alg":"ES256"}"#, b"{}", &forger, &mut out).unwrap();
        assert_eq!(crate::verify(t, &keys, &p, &mut scratch).err(), Some(Error::UnknownKey));
    }
}
