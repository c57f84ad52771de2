//! Signing: compact JWS serialization into caller buffers, no allocation.
//!
//! The JSON is written in a fixed order so that every surface produces
//! byte-identical tokens for the same inputs: header `alg`, `typ`, `kid`;
//! payload `iss`, `sub`, `aud`, `exp`, `nbf`, `iat`, `jti`, `sid`, `scope`,
//! `azp`, `client_id`, then the custom claims in their own order. Strings
//! escape `"`, `\` and control characters only (`\n`-style short forms,
//! `\u00xx` otherwise); everything else is written as UTF-8.

use crate::algorithm::MAX_SIGNATURE_LEN;
use crate::base64url;
use crate::claims::RawClaims;
use crate::error::Error;
use crate::header::RawHeader;
use crate::numeric_date::MAX_EXCLUSIVE;
use crate::signing::Sign;

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
pub fn sign_raw<'o>(header: &[u8], payload: &[u8], key: &dyn Sign, out: &'o mut [u8]) -> Result<&'o str, Error> {
    let h = base64url::encoded_len(header.len());
    let p = base64url::encoded_len(payload.len());
    let s = base64url::encoded_len(key.algorithm().signature_len());
    let total = h + 1 + p + 1 + s;
    let out = out.get_mut(..total).ok_or(Error::BufferTooSmall)?;
    let (head, rest) = out.split_at_mut(h);
    base64url::encode(header, head)?;
    let (dot1, rest) = rest.split_at_mut(1);
    dot1.fill(b'.');
    let (body, rest) = rest.split_at_mut(p);
    base64url::encode(payload, body)?;
    rest.get_mut(..1).unwrap_or_default().fill(b'.');
    let (signed, sig) = out.split_at_mut(h + 1 + p + 1);
    signature_into(key, signed.get(..h + 1 + p).unwrap_or_default(), sig)?;
    core::str::from_utf8(out).map_err(|_| Error::BufferTooSmall)
}

/// Signs `input` with `key` and writes the signature's base64url into `out`.
fn signature_into(key: &dyn Sign, input: &[u8], out: &mut [u8]) -> Result<(), Error> {
    let mut signature = [0u8; MAX_SIGNATURE_LEN];
    let n = key.sign_input(input, &mut signature)?;
    base64url::encode(signature.get(..n).unwrap_or_default(), out).map(|_| ())
}

/// The `aud` claim to write.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum AudienceOut<'a> {
    /// No `aud`.
    #[default]
    None,
    /// `"aud":"x"`.
    One(&'a str),
    /// `"aud":["x","y"]`.
    Many(&'a [&'a str]),
}

/// The header members to write besides `alg`, which always comes from the key.
///
/// ```
/// use tessera_core::sign::HeaderOut;
/// let h = HeaderOut::typ("at+jwt").with_kid("2026-11");
/// assert_eq!((h.typ, h.kid), (Some("at+jwt"), Some("2026-11")));
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HeaderOut<'a> {
    /// `typ`, e.g. `"JWT"` or `"at+jwt"`.
    pub typ: Option<&'a str>,
    /// `kid`, the key identifier for key sets.
    pub kid: Option<&'a str>,
}

impl<'a> HeaderOut<'a> {
    /// A header with `typ`.
    pub const fn typ(typ: &'a str) -> Self {
        HeaderOut { typ: Some(typ), kid: None }
    }

    /// The header with `kid` set.
    #[must_use]
    pub const fn with_kid(mut self, kid: &'a str) -> Self {
        self.kid = Some(kid);
        self
    }
}

/// Registered claims to write: a typed builder.
///
/// ```
/// use tessera_core::sign::ClaimsOut;
/// let c = ClaimsOut::new().iss("https://auth.example.com").sub("42").exp(1_700_000_900).scope("read");
/// assert_eq!(c.sub, Some("42"));
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ClaimsOut<'a> {
    /// `iss`.
    pub iss: Option<&'a str>,
    /// `sub`.
    pub sub: Option<&'a str>,
    /// `aud`.
    pub aud: AudienceOut<'a>,
    /// `exp`.
    pub exp: Option<u64>,
    /// `nbf`.
    pub nbf: Option<u64>,
    /// `iat`.
    pub iat: Option<u64>,
    /// `jti`.
    pub jti: Option<&'a str>,
    /// `sid`.
    pub sid: Option<&'a str>,
    /// `scope`.
    pub scope: Option<&'a str>,
    /// `azp`.
    pub azp: Option<&'a str>,
    /// `client_id`.
    pub client_id: Option<&'a str>,
}

macro_rules! setters {
    ($($(#[$doc:meta])* $name:ident: $ty:ty;)*) => {$(
        $(#[$doc])*
        #[must_use]
        pub const fn $name(mut self, value: $ty) -> Self {
            self.$name = Some(value);
            self
        }
    )*};
}

impl<'a> ClaimsOut<'a> {
    /// No claims.
    pub const fn new() -> Self {
        ClaimsOut {
            iss: None,
            sub: None,
            aud: AudienceOut::None,
            exp: None,
            nbf: None,
            iat: None,
            jti: None,
            sid: None,
            scope: None,
            azp: None,
            client_id: None,
        }
    }

    setters! {
        /// Sets `iss`.
        iss: &'a str;
        /// Sets `sub`.
        sub: &'a str;
        /// Sets `exp`.
        exp: u64;
        /// Sets `nbf`.
        nbf: u64;
        /// Sets `iat`.
        iat: u64;
        /// Sets `jti`.
        jti: &'a str;
        /// Sets `sid`.
        sid: &'a str;
        /// Sets `scope` (space-separated scopes).
        scope: &'a str;
        /// Sets `azp`.
        azp: &'a str;
        /// Sets `client_id`.
        client_id: &'a str;
    }

    /// Sets `aud` to one audience.
    #[must_use]
    pub const fn aud(mut self, aud: &'a str) -> Self {
        self.aud = AudienceOut::One(aud);
        self
    }

    /// Sets `aud` to an array of audiences.
    #[must_use]
    pub const fn auds(mut self, auds: &'a [&'a str]) -> Self {
        self.aud = AudienceOut::Many(auds);
        self
    }
}

/// A forward writer into a byte buffer.
struct Cursor<'b> {
    buf: &'b mut [u8],
    pos: usize,
}

impl Cursor<'_> {
    fn bytes(&mut self, b: &[u8]) -> Result<(), Error> {
        let end = self.pos.checked_add(b.len()).ok_or(Error::BufferTooSmall)?;
        self.buf.get_mut(self.pos..end).ok_or(Error::BufferTooSmall)?.copy_from_slice(b);
        self.pos = end;
        Ok(())
    }

    /// One byte: punctuation is most of what is written, and a one-byte
    /// slice copy would be a `memcpy` call each.
    #[inline]
    fn byte(&mut self, b: u8) -> Result<(), Error> {
        *self.buf.get_mut(self.pos).ok_or(Error::BufferTooSmall)? = b;
        self.pos += 1;
        Ok(())
    }

    // Out of line (as `Members::str` and `num`): a dozen call sites, none
    // hot enough to pay for a copy each in the WebAssembly modules' size.
    #[inline(never)]
    fn string(&mut self, s: &str) -> Result<(), Error> {
        self.byte(b'"')?;
        let mut plain = 0;
        let bytes = s.as_bytes();
        for (i, &c) in bytes.iter().enumerate() {
            let short: &[u8] = match c {
                b'"' => b"\\\"",
                b'\\' => b"\\\\",
                b'\n' => b"\\n",
                b'\r' => b"\\r",
                b'\t' => b"\\t",
                0x08 => b"\\b",
                0x0c => b"\\f",
                0..=0x1f => b"",
                _ => continue,
            };
            self.bytes(bytes.get(plain..i).unwrap_or_default())?;
            if short.is_empty() {
                // Control characters are below 0x20: the high digit is 0 or 1.
                let hex = |d: u8| if d < 10 { b'0' + d } else { b'a' + d - 10 };
                let esc = [b'\\', b'u', b'0', b'0', hex(c >> 4), hex(c & 15)];
                self.bytes(&esc)?;
            } else {
                self.bytes(short)?;
            }
            plain = i + 1;
        }
        self.bytes(bytes.get(plain..).unwrap_or_default())?;
        self.byte(b'"')
    }

    fn number(&mut self, n: u64) -> Result<(), Error> {
        if n >= MAX_EXCLUSIVE {
            return Err(Error::InvalidArgument);
        }
        let mut digits = [0u8; 20];
        let mut i = digits.len();
        let mut v = n;
        loop {
            i -= 1;
            if let Some(d) = digits.get_mut(i) {
                // `v % 10` is below 10, so the cast is exact.
                *d = b'0' + u8::try_from(v % 10).unwrap_or(0);
            }
            v /= 10;
            if v == 0 {
                break;
            }
        }
        self.bytes(digits.get(i..).unwrap_or_default())
    }
}

/// Writes one `"name":value` member, with a comma after the first.
struct Members<'c, 'b> {
    cur: &'c mut Cursor<'b>,
    first: bool,
}

impl Members<'_, '_> {
    /// `name` is one of our own member names: plain ASCII, nothing to escape.
    fn name(&mut self, name: &'static str) -> Result<(), Error> {
        if !self.first {
            self.cur.byte(b',')?;
        }
        self.first = false;
        self.cur.byte(b'"')?;
        self.cur.bytes(name.as_bytes())?;
        self.cur.bytes(b"\":")
    }

    #[inline(never)]
    fn str(&mut self, name: &'static str, v: Option<&str>) -> Result<(), Error> {
        match v {
            Some(v) => {
                self.name(name)?;
                self.cur.string(v)
            }
            None => Ok(()),
        }
    }

    #[inline(never)]
    fn num(&mut self, name: &'static str, v: Option<u64>) -> Result<(), Error> {
        match v {
            Some(v) => {
                self.name(name)?;
                self.cur.number(v)
            }
            None => Ok(()),
        }
    }
}

/// The custom claims to splice after the registered ones.
enum Custom<'c, C: ?Sized> {
    None,
    Json(&'c [u8]),
    Serde(&'c C),
}

/// Signs a token from typed registered claims, with `alg` from the key.
///
/// # Errors
/// [`Error::BufferTooSmall`] when `out` cannot hold the token (plus a few
/// bytes of working room); [`Error::InvalidArgument`] for a time at or
/// above 2^53, or a header (`typ`, `kid`) longer than [`HEADER_MAX`].
///
/// ```
/// use tessera_core::sign::{sign, ClaimsOut, HeaderOut};
/// use tessera_core::{verify, Algorithm, HmacKey, Policy};
/// let key = HmacKey::new(Algorithm::Hs256, &[7u8; 32])?;
/// let claims = ClaimsOut::new().sub("42").exp(1_700_000_900);
/// let mut out = [0u8; 256];
/// let token = sign(&key, &HeaderOut::typ("JWT"), &claims, &mut out)?;
/// let mut scratch = [0u8; 256];
/// assert_eq!(verify(token, &key, &Policy::new(1_700_000_000), &mut scratch)?.claims.sub(), Some("42"));
/// # Ok::<(), tessera_core::Error>(())
/// ```
pub fn sign<'o>(
    key: &dyn Sign,
    header: &HeaderOut<'_>,
    claims: &ClaimsOut<'_>,
    out: &'o mut [u8],
) -> Result<&'o str, Error> {
    sign_inner::<()>(key, header, claims, Custom::None, out)
}

/// Like [`sign`], with custom claims from the caller's `Serialize` type
/// (a struct or map), written after the registered claims.
///
/// # Errors
/// As [`sign`]; [`Error::InvalidArgument`] when the custom claims do not
/// serialize to a JSON object or repeat a registered claim.
///
/// ```
/// use tessera_core::sign::{sign_with, ClaimsOut, HeaderOut};
/// use tessera_core::{Algorithm, HmacKey};
/// #[derive(serde::Serialize)]
/// struct Mine { role: &'static str }
/// let key = HmacKey::new(Algorithm::Hs256, &[7u8; 32])?;
/// let mut out = [0u8; 256];
/// let token = sign_with(&key, &HeaderOut::default(), &ClaimsOut::new().exp(9), &Mine { role: "admin" }, &mut out)?;
/// assert!(token.starts_with("eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjksInJvbGUiOiJhZG1pbiJ9."));
/// # Ok::<(), tessera_core::Error>(())
/// ```
pub fn sign_with<'o, C: serde::Serialize + ?Sized>(
    key: &dyn Sign,
    header: &HeaderOut<'_>,
    claims: &ClaimsOut<'_>,
    custom: &C,
    out: &'o mut [u8],
) -> Result<&'o str, Error> {
    sign_inner(key, header, claims, Custom::Serde(custom), out)
}

/// Like [`sign`], with custom claims given as the text of a JSON object
/// (as the C and JavaScript bindings pass them).
///
/// # Errors
/// As [`sign_with`].
///
/// ```
/// use tessera_core::sign::{sign_with_json, ClaimsOut, HeaderOut};
/// use tessera_core::{Algorithm, HmacKey};
/// let key = HmacKey::new(Algorithm::Hs256, &[7u8; 32])?;
/// let mut out = [0u8; 256];
/// let token = sign_with_json(&key, &HeaderOut::default(), &ClaimsOut::new().exp(9), br#"{"role":"admin"}"#, &mut out)?;
/// assert!(token.starts_with("eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjksInJvbGUiOiJhZG1pbiJ9."));
/// # Ok::<(), tessera_core::Error>(())
/// ```
pub fn sign_with_json<'o>(
    key: &dyn Sign,
    header: &HeaderOut<'_>,
    claims: &ClaimsOut<'_>,
    custom_json: &[u8],
    out: &'o mut [u8],
) -> Result<&'o str, Error> {
    sign_inner::<()>(key, header, claims, Custom::Json(custom_json), out)
}

/// For a key held elsewhere — WebCrypto's `crypto.subtle.sign`, an HSM, a
/// cloud KMS, an RSA private key (which this core does not sign with):
/// writes the **signing input** `base64url(header).base64url(payload)` that
/// [`sign_with_json`] would sign with a key of `algorithm` (`custom_json`:
/// `None`, or the text of a JSON object). Sign these bytes with the key,
/// then append `.` and the signature's base64url: the result is the token
/// [`sign_with_json`] makes with that key, byte for byte.
///
/// An HMAC algorithm is refused: a secret is never signed elsewhere (sign
/// with the [`HmacKey`](crate::HmacKey) itself).
///
/// # Errors
/// As [`sign_with_json`]; [`Error::InvalidArgument`] for HS256, HS384 and
/// HS512. `out` needs room for the whole token (the signature is staged
/// there, at [`Algorithm::signature_len`](crate::Algorithm::signature_len)).
///
/// ```
/// use tessera_core::sign::{sign, signing_input, ClaimsOut, HeaderOut};
/// use tessera_core::{Algorithm, Ed25519SigningKey, Error};
/// let key = Ed25519SigningKey::from_seed(&[7u8; 32])?;
/// let (header, claims) = (HeaderOut::typ("JWT"), ClaimsOut::new().sub("42").exp(9));
/// let mut out = [0u8; 256];
/// let input = signing_input(Algorithm::EdDsa, &header, &claims, None, &mut out)?.to_owned();
/// let mut out = [0u8; 256];
/// assert!(sign(&key, &header, &claims, &mut out)?.starts_with(&format!("{input}.")));
/// let refused = signing_input(Algorithm::Hs256, &header, &claims, None, &mut out);
/// assert_eq!(refused, Err(Error::InvalidArgument));
/// # Ok::<(), tessera_core::Error>(())
/// ```
pub fn signing_input<'o>(
    algorithm: crate::Algorithm,
    header: &HeaderOut<'_>,
    claims: &ClaimsOut<'_>,
    custom_json: Option<&[u8]>,
    out: &'o mut [u8],
) -> Result<&'o str, Error> {
    if algorithm.family() == crate::Family::Hmac {
        return Err(Error::InvalidArgument);
    }
    let key = crate::signing::Deferred(algorithm);
    let custom = custom_json.map_or(Custom::None, Custom::Json);
    let token = sign_inner::<()>(&key, header, claims, custom, out)?;
    // The placeholder signature goes: what is returned is not a token.
    token.rfind('.').and_then(|dot| token.get(..dot)).ok_or(Error::InvalidArgument)
}

/// Completes a token from a [`signing_input`] and the signature that the
/// key held elsewhere made over it: `out[..input_len]` holds the signing
/// input; `.` and the signature's base64url are written after it.
///
/// The signature is verified with `public` (the public half of the
/// signing key) before anything is written, so a wrong private key, a
/// signer of another algorithm or a faulty signature (RSA-CRT faults leak
/// the key) never leaves as a token.
///
/// # Errors
/// [`Error::BadSignature`] when `signature` is not `public`'s over the
/// input; [`Error::InvalidArgument`] when `public` is an HMAC secret (never
/// signed elsewhere), `input_len` is beyond `out` or the input is not a
/// signing input (two base64url parts);
/// [`Error::BufferTooSmall`] when the token does not fit in `out`.
///
/// ```
/// use tessera_core::sign::{attach_signature, signing_input, ClaimsOut, HeaderOut};
/// use tessera_core::{Algorithm, Ed25519SigningKey, Key, Sign};
/// let private = Ed25519SigningKey::from_seed(&[9u8; 32])?;
/// let public = Key::from(private.public_key());
/// let mut out = [0u8; 256];
/// let input_len = signing_input(Algorithm::EdDsa, &HeaderOut::default().with_kid("k1"), &ClaimsOut::new().sub("42"), None, &mut out)?.len();
/// // The key held elsewhere signs the input (here, one we hold).
/// let mut signature = [0u8; tessera_core::MAX_SIGNATURE_LEN];
/// let n = private.sign_input(&out[..input_len], &mut signature)?;
/// let token = attach_signature(&public, &mut out, input_len, &signature[..n])?;
/// assert_eq!(token.matches('.').count(), 2);
/// # Ok::<(), tessera_core::Error>(())
/// ```
pub fn attach_signature<'o>(
    public: &crate::Key,
    out: &'o mut [u8],
    input_len: usize,
    signature: &[u8],
) -> Result<&'o str, Error> {
    if !public.is_public() {
        return Err(Error::InvalidArgument);
    }
    let input = out.get(..input_len).ok_or(Error::InvalidArgument)?;
    // Two canonical base64url parts, as `signing_input` writes them: not
    // a token (a third part would be signed over) and not arbitrary bytes.
    let mut parts = input.split(|&b| b == b'.');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(h), Some(p), None) if !h.is_empty() => {
            base64url::validate(h).and_then(|()| base64url::validate(p)).map_err(|_| Error::InvalidArgument)?;
        }
        _ => return Err(Error::InvalidArgument),
    }
    if signature.len() > MAX_SIGNATURE_LEN || !public.as_ref().verify_signature(input, signature) {
        return Err(Error::BadSignature);
    }
    let s = base64url::encoded_len(signature.len());
    let tail = out.get_mut(input_len..input_len + 1 + s).ok_or(Error::BufferTooSmall)?;
    let (dot, sig) = tail.split_at_mut(1);
    dot.fill(b'.');
    base64url::encode(signature, sig)?;
    core::str::from_utf8(out.get(..input_len + 1 + s).ok_or(Error::BufferTooSmall)?).map_err(|_| Error::InvalidArgument)
}

/// The longest header JSON written: `typ` and `kid` must fit in it
/// (a longer header is [`Error::InvalidArgument`], not a buffer problem).
pub const HEADER_MAX: usize = 512;

// The key is a trait object, not a type parameter: one copy of the payload
// writer serves every key type (a copy per key type added 9 KB to the
// WebAssembly module); the one indirect call per token costs nothing measurable.
fn sign_inner<'o, C: serde::Serialize + ?Sized>(
    key: &dyn Sign,
    header: &HeaderOut<'_>,
    claims: &ClaimsOut<'_>,
    custom: Custom<'_, C>,
    out: &'o mut [u8],
) -> Result<&'o str, Error> {
    let mut header_buf = [0u8; HEADER_MAX];
    let mut hc = Cursor { buf: &mut header_buf, pos: 0 };
    let too_long = |_| Error::InvalidArgument;
    hc.byte(b'{').map_err(too_long)?;
    let mut hm = Members { cur: &mut hc, first: true };
    hm.str("alg", Some(key.algorithm().name())).map_err(too_long)?;
    hm.str("typ", header.typ).map_err(too_long)?;
    hm.str("kid", header.kid).map_err(too_long)?;
    hc.byte(b'}').map_err(too_long)?;
    let header_len = hc.pos;
    let header_json = header_buf.get(..header_len).ok_or(Error::InvalidArgument)?;

    // The payload JSON is written at the front of `out`, then moved to its
    // end, and base64url-encoded forward into the front (see `encode_tail`).
    let payload_len = write_payload(claims, custom, out)?;
    let h = base64url::encoded_len(header_len);
    let p = base64url::encoded_len(payload_len);
    let s = base64url::encoded_len(key.algorithm().signature_len());
    let total = h + 1 + p + 1 + s;
    let src = out.len().checked_sub(payload_len).ok_or(Error::BufferTooSmall)?;
    // Room to encode in 48-byte chunks without overrunning unread input.
    let room = h + 1 + payload_len.div_ceil(48) * 16;
    if total > out.len() || room > src {
        return Err(Error::BufferTooSmall);
    }
    out.copy_within(0..payload_len, src);
    let header_out = out.get_mut(..h).ok_or(Error::BufferTooSmall)?;
    match RawHeader::known_encoding(header_json) {
        Some(encoded) if encoded.len() == h => header_out.copy_from_slice(encoded),
        _ => {
            base64url::encode(header_json, header_out)?;
        }
    }
    *out.get_mut(h).ok_or(Error::BufferTooSmall)? = b'.';
    encode_tail(out, src, h + 1, payload_len)?;
    *out.get_mut(h + 1 + p).ok_or(Error::BufferTooSmall)? = b'.';
    let (signed, sig) = out.split_at_mut(h + 1 + p + 1);
    let input = signed.get(..h + 1 + p).ok_or(Error::BufferTooSmall)?;
    signature_into(key, input, sig.get_mut(..s).ok_or(Error::BufferTooSmall)?)?;
    core::str::from_utf8(out.get(..total).ok_or(Error::BufferTooSmall)?).map_err(|_| Error::BufferTooSmall)
}

/// Encodes `len` bytes at `src` into base64url at `dst < src` in the same
/// buffer, 48 bytes at a time through a stack copy. The caller checked that
/// the output never reaches input not yet read.
fn encode_tail(buf: &mut [u8], src: usize, dst: usize, len: usize) -> Result<(), Error> {
    let mut chunk = [0u8; 48];
    let (mut read, mut write) = (src, dst);
    let end = src + len;
    while read < end {
        let n = (end - read).min(48);
        let input = chunk.get_mut(..n).ok_or(Error::BufferTooSmall)?;
        input.copy_from_slice(buf.get(read..read + n).ok_or(Error::BufferTooSmall)?);
        let m = base64url::encoded_len(n);
        base64url::encode(input, buf.get_mut(write..write + m).ok_or(Error::BufferTooSmall)?)?;
        read += n;
        write += m;
    }
    Ok(())
}

fn write_payload<C: serde::Serialize + ?Sized>(
    claims: &ClaimsOut<'_>,
    custom: Custom<'_, C>,
    out: &mut [u8],
) -> Result<usize, Error> {
    let mut cur = Cursor { buf: out, pos: 0 };
    cur.byte(b'{')?;
    let mut m = Members { cur: &mut cur, first: true };
    m.str("iss", claims.iss)?;
    m.str("sub", claims.sub)?;
    match claims.aud {
        AudienceOut::None => {}
        AudienceOut::One(a) => m.str("aud", Some(a))?,
        AudienceOut::Many(list) => {
            m.name("aud")?;
            m.cur.byte(b'[')?;
            for (i, a) in list.iter().enumerate() {
                if i > 0 {
                    m.cur.byte(b',')?;
                }
                m.cur.string(a)?;
            }
            m.cur.byte(b']')?;
        }
    }
    m.num("exp", claims.exp)?;
    m.num("nbf", claims.nbf)?;
    m.num("iat", claims.iat)?;
    m.str("jti", claims.jti)?;
    m.str("sid", claims.sid)?;
    m.str("scope", claims.scope)?;
    m.str("azp", claims.azp)?;
    m.str("client_id", claims.client_id)?;
    let any_registered = !m.first;
    let start = cur.pos;
    let custom_len = match custom {
        Custom::None => None,
        Custom::Json(text) => {
            cur.bytes(text)?;
            Some(text.len())
        }
        Custom::Serde(value) => {
            let rest = cur.buf.get_mut(start..).ok_or(Error::BufferTooSmall)?;
            match serde_json_core::to_slice(value, rest) {
                Ok(n) => Some(n),
                Err(serde_json_core::ser::Error::BufferFull) => return Err(Error::BufferTooSmall),
                Err(_) => return Err(Error::InvalidArgument),
            }
        }
    };
    let Some(n) = custom_len else {
        cur.byte(b'}')?;
        return Ok(cur.pos);
    };
    // Splice `{...}` after the registered members: its `{` becomes `,`, or
    // it is dropped when there is nothing to separate.
    let custom_text = cur.buf.get(start..start + n).ok_or(Error::BufferTooSmall)?;
    // The custom claims alone must be a payload `verify` accepts (rules 6
    // and 7), before any splicing depends on their braces.
    if RawClaims::scan(custom_text).is_err() {
        return Err(Error::InvalidArgument);
    }
    let open = custom_text.iter().position(|&c| c == b'{').ok_or(Error::InvalidArgument)?;
    let close = custom_text.iter().rposition(|&c| c == b'}').ok_or(Error::InvalidArgument)?;
    let inner_empty = custom_text.get(open + 1..close).is_none_or(|s| s.iter().all(|c| c.is_ascii_whitespace()));
    let end = if inner_empty {
        // `{}`: nothing to add.
        cur.pos = start;
        cur.byte(b'}')?;
        cur.pos
    } else {
        let body = start + open + 1..start + close + 1;
        let dst = if any_registered { start + 1 } else { start };
        cur.buf.copy_within(body.clone(), dst);
        if any_registered {
            *cur.buf.get_mut(start).ok_or(Error::BufferTooSmall)? = b',';
        } else {
            // Nothing before: `{` was already written at `start - 1`.
        }
        dst + body.len()
    };
    let payload = cur.buf.get(..end).ok_or(Error::BufferTooSmall)?;
    // The result must pass rules 6 and 7 (duplicates with registered claims
    // included, registered claims of their JSON types): a token that every
    // verifier would refuse is never issued.
    RawClaims::scan(payload).map_err(|_| Error::InvalidArgument)?;
    Ok(end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::HmacKey;
    use crate::algorithm::Algorithm;
    use crate::{Policy, decode_unverified, verify};

    fn key() -> HmacKey {
        HmacKey::new(Algorithm::Hs256, &[9u8; 32]).unwrap()
    }

    // The signing input of a key held elsewhere, signed and joined, is the
    // token the key would make here; for every algorithm, RSA's included;
    // never for a secret.
    #[cfg(feature = "ed25519")]
    #[test]
    fn signing_input_plus_signature_is_the_token() {
        let k = crate::Ed25519SigningKey::from_seed(&[9u8; 32]).unwrap();
        let header = HeaderOut::typ("at+jwt").with_kid("k1");
        let claims = ClaimsOut::new().sub("42").exp(9).scope("a b");
        for custom in [None, Some(&br#"{"role":"admin"}"#[..])] {
            let mut a = [0u8; 1024];
            let input = signing_input(Algorithm::EdDsa, &header, &claims, custom, &mut a).unwrap();
            let mut sig = [0u8; MAX_SIGNATURE_LEN];
            let n = k.sign_input(input.as_bytes(), &mut sig).unwrap();
            let mut enc = [0u8; 128];
            let sig = base64url::encode(&sig[..n], &mut enc).unwrap();
            let mut b = [0u8; 1024];
            let token = match custom {
                Some(c) => sign_with_json(&k, &header, &claims, c, &mut b).unwrap(),
                None => sign(&k, &header, &claims, &mut b).unwrap(),
            };
            assert_eq!(token, format!("{input}.{sig}"));
        }
        let mut out = [0u8; 2048];
        let rs = signing_input(Algorithm::Rs256, &header, &claims, None, &mut out).unwrap();
        assert!(rs.starts_with("eyJhbGciOiJSUzI1NiIs") && rs.matches('.').count() == 1, "{rs}");
        // Too small for the staged RSA signature: a clear error, not a short input.
        let mut small = [0u8; 200];
        assert_eq!(signing_input(Algorithm::Rs512, &header, &claims, None, &mut small), Err(Error::BufferTooSmall));
        for hs in [Algorithm::Hs256, Algorithm::Hs384, Algorithm::Hs512] {
            assert_eq!(signing_input(hs, &header, &claims, None, &mut out), Err(Error::InvalidArgument));
        }
    }

    // The signature of a key held elsewhere is checked with its public
    // half before it is joined: a wrong key, a corrupted signature, a
    // token passed as the input or a short buffer write nothing; a secret
    // is refused as the "public" key.
    #[cfg(feature = "ed25519")]
    #[test]
    fn attach_signature_verifies_before_writing() {
        let k = crate::Ed25519SigningKey::from_seed(&[9u8; 32]).unwrap();
        let other = crate::Ed25519SigningKey::from_seed(&[8u8; 32]).unwrap();
        let public = crate::Key::from(k.public_key());
        let (header, claims) = (HeaderOut::typ("JWT"), ClaimsOut::new().sub("42").exp(9));
        let mut out = [0u8; 512];
        let len = signing_input(Algorithm::EdDsa, &header, &claims, None, &mut out).unwrap().len();
        let mut sig = [0u8; MAX_SIGNATURE_LEN];
        let n = k.sign_input(&out[..len], &mut sig).unwrap();
        let mut wrong = [0u8; MAX_SIGNATURE_LEN];
        other.sign_input(&out[..len], &mut wrong).unwrap();
        let pristine = out;
        assert_eq!(attach_signature(&public, &mut out, len, &wrong[..n]), Err(Error::BadSignature));
        assert_eq!(attach_signature(&public, &mut out, len, &sig[..n - 1]), Err(Error::BadSignature));
        assert_eq!(attach_signature(&public, &mut out, len, &[0u8; 600]), Err(Error::BadSignature));
        assert_eq!(attach_signature(&public, &mut out, len + 1, &sig[..n]), Err(Error::InvalidArgument));
        assert_eq!(attach_signature(&public, &mut out, 513, &sig[..n]), Err(Error::InvalidArgument));
        assert_eq!(attach_signature(&public, &mut out[..len + 10], len, &sig[..n]), Err(Error::BufferTooSmall));
        // A secret as the "public" key, even with its own valid MAC: refused.
        let secret = key();
        let mut mac = [0u8; MAX_SIGNATURE_LEN];
        let m = secret.sign_input(&out[..len], &mut mac).unwrap();
        let secret = crate::Key::from(secret);
        assert_eq!(attach_signature(&secret, &mut out, len, &mac[..m]), Err(Error::InvalidArgument));
        assert_eq!(out, pristine, "a refusal writes nothing");
        let mut reference = [0u8; 512];
        let expected = sign(&k, &header, &claims, &mut reference).unwrap();
        assert_eq!(attach_signature(&public, &mut out, len, &sig[..n]), Ok(expected));
        // The token itself is not a signing input: signing over it again is refused.
        let mut again = [0u8; 512];
        let total = expected.len();
        again[..total].copy_from_slice(expected.as_bytes());
        assert_eq!(attach_signature(&public, &mut again, total, &sig[..n]), Err(Error::InvalidArgument));
    }

    fn payload_of(token: &str) -> String {
        let mut scratch = [0u8; 2048];
        decode_unverified(token, &mut scratch).unwrap().claims.json().into()
    }

    #[test]
    fn json_layout_is_fixed() {
        let claims = ClaimsOut::new()
            .client_id("c")
            .iss("i")
            .sub("s\"\\\n\u{1}é")
            .auds(&["a", "b"])
            .exp(3)
            .nbf(1)
            .iat(2)
            .jti("j")
            .sid("d")
            .scope("x y")
            .azp("z");
        let mut out = [0u8; 1024];
        let t = sign(&key(), &HeaderOut::typ("at+jwt").with_kid("k"), &claims, &mut out).unwrap();
        assert_eq!(
            payload_of(t),
            r#"{"iss":"i","sub":"s\"\\\n\u0001é","aud":["a","b"],"exp":3,"nbf":1,"iat":2,"jti":"j","sid":"d","scope":"x y","azp":"z","client_id":"c"}"#
        );
    }

    #[test]
    fn custom_claims_spliced() {
        let mut out = [0u8; 512];
        let base = ClaimsOut::new().exp(5);
        let t = sign_with_json(&key(), &HeaderOut::default(), &base, br#" {"r":[1,{"x":null}]} "#, &mut out).unwrap();
        assert_eq!(payload_of(t), r#"{"exp":5,"r":[1,{"x":null}]}"#);
        let t = sign_with_json(&key(), &HeaderOut::default(), &ClaimsOut::new(), br#"{"r":1}"#, &mut out).unwrap();
        assert_eq!(payload_of(t), r#"{"r":1}"#);
        let t = sign_with_json(&key(), &HeaderOut::default(), &base, b"{ }", &mut out).unwrap();
        assert_eq!(payload_of(t), r#"{"exp":5}"#);
        let dup = sign_with_json(&key(), &HeaderOut::default(), &base, br#"{"exp":6}"#, &mut out);
        assert_eq!(dup.err(), Some(Error::InvalidArgument));
        let bad = sign_with_json(&key(), &HeaderOut::default(), &base, br#"[1]"#, &mut out);
        assert_eq!(bad.err(), Some(Error::InvalidArgument));
        // Registered claims among the custom ones: of their types (rule 7),
        // or no token, since every verifier would refuse it.
        let t = sign_with_json(&key(), &HeaderOut::default(), &base, br#"{"nbf":4,"aud":["a"],"iat":1.5}"#, &mut out);
        assert_eq!(payload_of(t.unwrap()), r#"{"exp":5,"nbf":4,"aud":["a"],"iat":1.5}"#);
        for wrong in
            [&br#"{"nbf":"soon"}"#[..], br#"{"aud":5}"#, br#"{"sub":7}"#, br#"{"iat":-1}"#, br#"{"nbf":1e400}"#]
        {
            let r = sign_with_json(&key(), &HeaderOut::default(), &base, wrong, &mut out);
            assert_eq!(r.err(), Some(Error::InvalidArgument), "{}", core::str::from_utf8(wrong).unwrap());
        }
        // The same through serde.
        #[derive(serde::Serialize)]
        struct Extra<'a> {
            scope: u32,
            role: &'a str,
        }
        let r = sign_with(&key(), &HeaderOut::default(), &base, &Extra { scope: 3, role: "admin" }, &mut out);
        assert_eq!(r.err(), Some(Error::InvalidArgument));
    }

    #[test]
    fn every_buffer_size_is_an_error_or_the_same_token() {
        let claims = ClaimsOut::new().iss("https://auth.example.com").sub("42").aud("api").exp(2_000_000_000);
        let mut big = [0u8; 1024];
        let want: String = sign(&key(), &HeaderOut::typ("JWT"), &claims, &mut big).unwrap().into();
        // Every size natively; under Miri (1000x slower) a stride plus the boundary.
        let stride = if cfg!(miri) { 11 } else { 1 };
        for n in (0..want.len() + 64).step_by(stride).chain([want.len() - 1, want.len()]) {
            let mut out = std::vec![0xAAu8; n];
            match sign(&key(), &HeaderOut::typ("JWT"), &claims, &mut out) {
                Ok(t) => assert_eq!(t, want, "size {n}"),
                Err(e) => assert_eq!(e, Error::BufferTooSmall),
            }
        }
        let mut scratch = [0u8; 1024];
        let policy = Policy::new(1_900_000_000).issuer("https://auth.example.com").audience("api");
        assert_eq!(verify(&want, &key(), &policy, &mut scratch).unwrap().claims.sub(), Some("42"));
    }

    #[test]
    fn overlong_header_is_an_argument_error() {
        let mut out = [0u8; 4096];
        let kid = "\u{1}".repeat(100);
        let r = sign(&key(), &HeaderOut::typ("JWT").with_kid(&kid), &ClaimsOut::new(), &mut out);
        assert_eq!(r.err(), Some(Error::InvalidArgument));
    }

    #[test]
    fn times_beyond_2_pow_53_refused() {
        let mut out = [0u8; 256];
        let r = sign(&key(), &HeaderOut::default(), &ClaimsOut::new().exp(1 << 53), &mut out);
        assert_eq!(r.err(), Some(Error::InvalidArgument));
    }
}
