//! The JOSE header (RFC 7515 §4): the members Tessera acts on.

use crate::algorithm::Algorithm;
use crate::arena::Arena;
use crate::error::Error;
use crate::json::{self, RawStr, Value};

/// The most members a header may have (rule 4a). The header is parsed
/// before the signature is checked, so its cost must stay small and linear
/// for anyone: real headers have a handful of members, and with at most
/// this many every duplicate check stays within the remembered names.
///
/// ```
/// assert_eq!(tessera_core::MAX_HEADER_MEMBERS, 32);
/// ```
pub const MAX_HEADER_MEMBERS: usize = 32;

/// The header members read before the signature is checked.
pub(crate) struct RawHeader<'a> {
    pub(crate) alg: Option<Value<'a>>,
    pub(crate) typ: Option<Value<'a>>,
    pub(crate) kid: Option<Value<'a>>,
    pub(crate) crit: bool,
    doc: &'a str,
}

/// A header common enough to be recognised by its exact encoding, so that
/// most tokens skip decoding and parsing theirs: what `scan` would find in
/// `json`, which is also the decoded text (a unit test checks both).
struct KnownHeader {
    encoded: &'static str,
    json: &'static str,
    alg: (usize, usize),
    typ: Option<(usize, usize)>,
}

/// `{"alg":"HS…"}`, `{"alg":"HS…","typ":…}` for `JWT`, `at+jwt` and
/// `refresh+jwt` (what Tessera, PyJWT and most libraries write), and
/// `{"typ":"JWT","alg":"HS…"}` (the `jsonwebtoken` crate's order).
const KNOWN_HEADERS: [KnownHeader; 15] = {
    const fn alg_only(encoded: &'static str, json: &'static str) -> KnownHeader {
        KnownHeader { encoded, json, alg: (8, 13), typ: None }
    }
    const fn alg_typ(encoded: &'static str, json: &'static str, typ_len: usize) -> KnownHeader {
        KnownHeader { encoded, json, alg: (8, 13), typ: Some((22, 22 + typ_len)) }
    }
    const fn typ_alg(encoded: &'static str, json: &'static str) -> KnownHeader {
        KnownHeader { encoded, json, alg: (20, 25), typ: Some((8, 11)) }
    }
    [
        alg_typ("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9", r#"{"alg":"HS256","typ":"JWT"}"#, 3),
        alg_typ("eyJhbGciOiJIUzI1NiIsInR5cCI6ImF0K2p3dCJ9", r#"{"alg":"HS256","typ":"at+jwt"}"#, 6),
        alg_typ("eyJhbGciOiJIUzI1NiIsInR5cCI6InJlZnJlc2grand0In0", r#"{"alg":"HS256","typ":"refresh+jwt"}"#, 11),
        alg_only("eyJhbGciOiJIUzI1NiJ9", r#"{"alg":"HS256"}"#),
        typ_alg("eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9", r#"{"typ":"JWT","alg":"HS256"}"#),
        alg_typ("eyJhbGciOiJIUzM4NCIsInR5cCI6IkpXVCJ9", r#"{"alg":"HS384","typ":"JWT"}"#, 3),
        alg_typ("eyJhbGciOiJIUzM4NCIsInR5cCI6ImF0K2p3dCJ9", r#"{"alg":"HS384","typ":"at+jwt"}"#, 6),
        alg_typ("eyJhbGciOiJIUzM4NCIsInR5cCI6InJlZnJlc2grand0In0", r#"{"alg":"HS384","typ":"refresh+jwt"}"#, 11),
        alg_only("eyJhbGciOiJIUzM4NCJ9", r#"{"alg":"HS384"}"#),
        typ_alg("eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzM4NCJ9", r#"{"typ":"JWT","alg":"HS384"}"#),
        alg_typ("eyJhbGciOiJIUzUxMiIsInR5cCI6IkpXVCJ9", r#"{"alg":"HS512","typ":"JWT"}"#, 3),
        alg_typ("eyJhbGciOiJIUzUxMiIsInR5cCI6ImF0K2p3dCJ9", r#"{"alg":"HS512","typ":"at+jwt"}"#, 6),
        alg_typ("eyJhbGciOiJIUzUxMiIsInR5cCI6InJlZnJlc2grand0In0", r#"{"alg":"HS512","typ":"refresh+jwt"}"#, 11),
        alg_only("eyJhbGciOiJIUzUxMiJ9", r#"{"alg":"HS512"}"#),
        typ_alg("eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzUxMiJ9", r#"{"typ":"JWT","alg":"HS512"}"#),
    ]
};

/// The header members the verifier reads, each with its bit.
#[derive(Clone, Copy)]
enum Field {
    Alg = 1,
    Typ = 2,
    Kid = 4,
    Crit = 8,
}

impl Field {
    /// The field `name` stands for, compared unescaped.
    fn of(name: RawStr<'_>) -> Option<Field> {
        let mut buf = [0u8; 4];
        let text = if name.escaped { name.unescape_short(&mut buf)? } else { name.raw };
        Some(match text {
            b"alg" => Field::Alg,
            b"typ" => Field::Typ,
            b"kid" => Field::Kid,
            b"crit" => Field::Crit,
            _ => return None,
        })
    }
}

impl<'a> RawHeader<'a> {
    /// The header for an encoded header segment that is one of the
    /// [`KNOWN_HEADERS`]: the same result as decoding and scanning it.
    #[inline]
    pub(crate) fn known(encoded: &[u8]) -> Option<RawHeader<'static>> {
        let k = KNOWN_HEADERS.iter().find(|k| k.encoded.as_bytes() == encoded)?;
        let text = |(start, end): (usize, usize)| -> Option<Value<'static>> {
            Some(Value::Str(RawStr { raw: k.json.as_bytes().get(start..end)?, escaped: false }))
        };
        Some(RawHeader { alg: text(k.alg), typ: k.typ.and_then(text), kid: None, crit: false, doc: k.json })
    }

    /// The encoding of header JSON `json` when it is one of the
    /// [`KNOWN_HEADERS`] (signing then copies it instead of encoding).
    #[inline]
    pub(crate) fn known_encoding(json: &[u8]) -> Option<&'static [u8]> {
        KNOWN_HEADERS.iter().find(|k| k.json.as_bytes() == json).map(|k| k.encoded.as_bytes())
    }

    /// Rule 4a: the header is a JSON object by the payload's rules.
    pub(crate) fn scan(header: &'a [u8]) -> Result<Self, Error> {
        let mut h = RawHeader { alg: None, typ: None, kid: None, crit: false, doc: "" };
        let mut members = 0;
        // The members read here are checked for duplicates by one bit each,
        // as their names are read (as the payload's registered claims are);
        // the scanner's own check covers the other names.
        let mut seen = 0u8;
        let on_name = |name: RawStr<'_>| {
            members += 1;
            if members > MAX_HEADER_MEMBERS {
                return Err(Error::Malformed);
            }
            let Some(field) = Field::of(name) else { return Ok(None) };
            if seen & field as u8 != 0 {
                return Err(Error::Malformed);
            }
            seen |= field as u8;
            Ok(Some(field))
        };
        h.doc = json::scan_object_with(header, on_name, |m, field| {
            match field {
                Some(Field::Alg) => h.alg = Some(m.value),
                Some(Field::Typ) => h.typ = Some(m.value),
                Some(Field::Kid) => h.kid = Some(m.value),
                Some(Field::Crit) => h.crit = true,
                None => {}
            }
            Ok(())
        })?;
        Ok(h)
    }

    /// Rule 4b: the algorithm named by `alg`, if it is a string naming one.
    pub(crate) fn algorithm(&self) -> Option<Algorithm> {
        let Some(Value::Str(alg)) = self.alg else { return None };
        Algorithm::ALL.into_iter().find(|a| alg.eq_bytes(a.name().as_bytes()))
    }

    pub(crate) fn kid(&self) -> Option<RawStr<'a>> {
        match self.kid {
            Some(Value::Str(s)) => Some(s),
            _ => None,
        }
    }

    /// Rule 4d: `typ` matches `expected`.
    pub(crate) fn typ_matches(&self, expected: &str) -> bool {
        let Some(Value::Str(typ)) = self.typ else { return false };
        // Media types are short: compare through a stack copy of the unescaped value.
        let mut buf = [0u8; 128];
        let mut n = 0;
        for b in typ.bytes() {
            let Some(slot) = buf.get_mut(n) else { return false };
            *slot = b;
            n += 1;
        }
        let got = strip_application(buf.get(..n).unwrap_or_default());
        let want = strip_application(expected.as_bytes());
        got.eq_ignore_ascii_case(want)
    }

    pub(crate) fn finish(&self, arena: &mut Arena<'a>) -> Result<Header<'a>, Error> {
        let doc = self.doc;
        let text = |v: Option<Value<'a>>, arena: &mut Arena<'a>| match v {
            Some(Value::Str(s)) => arena.unescape(doc, s).map(Some),
            _ => Ok(None),
        };
        Ok(Header {
            alg: text(self.alg, arena)?.unwrap_or_default(),
            typ: text(self.typ, arena)?,
            kid: text(self.kid, arena)?,
            json: doc,
        })
    }
}

fn strip_application(t: &[u8]) -> &[u8] {
    const PREFIX: &[u8] = b"application/";
    match t.split_at_checked(PREFIX.len()) {
        Some((head, tail)) if head.eq_ignore_ascii_case(PREFIX) => tail,
        _ => t,
    }
}

/// The header of a token, unescaped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Header<'a> {
    alg: &'a str,
    typ: Option<&'a str>,
    kid: Option<&'a str>,
    json: &'a str,
}

impl<'a> Header<'a> {
    /// `alg` as written (empty when absent or not a string, only possible
    /// in an [`Unverified`](crate::Unverified) token).
    pub fn alg(&self) -> &'a str {
        self.alg
    }
    /// The algorithm, when `alg` names a supported one.
    pub fn algorithm(&self) -> Option<Algorithm> {
        Algorithm::from_name(self.alg)
    }
    /// `typ`, when it is a string.
    pub fn typ(&self) -> Option<&'a str> {
        self.typ
    }
    /// `kid`, when it is a string.
    pub fn kid(&self) -> Option<&'a str> {
        self.kid
    }
    /// The decoded header JSON.
    pub fn json(&self) -> &'a str {
        self.json
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `alg`, `typ`, `kid` and `crit` are checked for duplicates by their
    /// bits, the other names by the scanner: each twice (plain or with a
    /// `\u` escape, adjacent or apart) is refused, once is not.
    #[test]
    fn every_duplicate_header_name_is_refused() {
        for name in ["alg", "typ", "kid", "crit", "x5t"] {
            let escaped = format!("\\u{:04x}{}", name.as_bytes()[0], &name[1..]);
            for a in [name, escaped.as_str()] {
                for b in [name, escaped.as_str()] {
                    for between in ["", "\"zip\":\"DEF\","] {
                        let doc = format!("{{\"{a}\":\"v\",{between}\"{b}\":\"w\"}}");
                        assert_eq!(RawHeader::scan(doc.as_bytes()).map(|_| ()), Err(Error::Malformed), "{doc}");
                    }
                }
                let once = format!("{{\"{a}\":\"v\",\"zip\":\"DEF\"}}");
                assert!(RawHeader::scan(once.as_bytes()).is_ok(), "{once}");
                // One letter more, escaped (`critx` overflows the 4-byte
                // buffer it is unescaped into): another name, no duplicate.
                let beside = format!("{{\"{a}\":\"v\",\"{escaped}x\":\"w\"}}");
                assert!(RawHeader::scan(beside.as_bytes()).is_ok(), "{beside}");
            }
        }
    }

    fn typ_ok(header: &str, expected: &str) -> bool {
        RawHeader::scan(header.as_bytes()).unwrap().typ_matches(expected)
    }

    #[test]
    fn typ_comparison() {
        assert!(typ_ok(r#"{"typ":"at+jwt"}"#, "at+jwt"));
        assert!(typ_ok(r#"{"typ":"Application/AT+JWT"}"#, "at+jwt"));
        assert!(typ_ok(r#"{"typ":"at+jwt"}"#, "application/at+JWT"));
        assert!(typ_ok(r#"{"typ":"\u0061t+jwt"}"#, "at+jwt"));
        assert!(!typ_ok(r#"{"typ":"jwt"}"#, "at+jwt"));
        assert!(!typ_ok(r#"{"typ":"application/application/at+jwt"}"#, "at+jwt"));
        assert!(!typ_ok(r#"{"typ":1}"#, "at+jwt"));
        assert!(!typ_ok(r#"{}"#, "at+jwt"));
    }

    /// Each known header is its encoding's decoded text, and reads exactly
    /// as scanning it does: same members, same spans, same finished header.
    #[test]
    fn known_headers_match_the_full_path() {
        for k in &KNOWN_HEADERS {
            let mut buf = [0u8; 64];
            let decoded = crate::base64url::decode(k.encoded.as_bytes(), &mut buf).unwrap();
            assert_eq!(decoded, k.json.as_bytes(), "{}", k.json);
            let fast = RawHeader::known(k.encoded.as_bytes()).unwrap();
            let full = RawHeader::scan(k.json.as_bytes()).unwrap();
            assert_eq!(
                (fast.alg, fast.typ, fast.kid, fast.crit, fast.doc),
                (full.alg, full.typ, full.kid, full.crit, full.doc)
            );
            assert_eq!(fast.algorithm(), full.algorithm());
            assert!(fast.algorithm().is_some());
            for expected in ["JWT", "at+jwt", "refresh+jwt", "application/jwt", "x"] {
                assert_eq!(fast.typ_matches(expected), full.typ_matches(expected));
            }
            let (mut a, mut b) = ([0u8; 64], [0u8; 64]);
            let fast = fast.finish(&mut Arena::new(&mut a)).unwrap();
            let full = full.finish(&mut Arena::new(&mut b)).unwrap();
            assert_eq!(fast, full);
        }
        for k in &KNOWN_HEADERS {
            assert_eq!(RawHeader::known_encoding(k.json.as_bytes()), Some(k.encoded.as_bytes()));
        }
        assert!(RawHeader::known_encoding(br#"{"alg":"HS256","kid":"a"}"#).is_none());
        assert!(RawHeader::known(b"eyJhbGciOiJIUzI1NiJ9x").is_none());
        assert!(RawHeader::known(b"eyJhbGciOiJub25lIn0").is_none()); // {"alg":"none"}
    }

    #[test]
    fn alg_unescaped_case_sensitive() {
        let alg = |h: &str| RawHeader::scan(h.as_bytes()).unwrap().algorithm();
        assert_eq!(alg(r#"{"alg":"\u0048S256"}"#), Some(Algorithm::Hs256));
        assert_eq!(alg(r#"{"alg":"hs256"}"#), None);
        assert_eq!(alg(r#"{"alg":["HS256"]}"#), None);
        assert_eq!(alg(r#"{"alg":"none"}"#), None);
    }
}
