//! The JOSE header (RFC 7515 §4): the members Tessera acts on.

use crate::arena::Arena;
use crate::error::Error;
use crate::json::{self, RawStr, Value};
use crate::key::Algorithm;

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

impl<'a> RawHeader<'a> {
    /// Rule 4a: the header is a JSON object by the payload's rules.
    pub(crate) fn scan(header: &'a [u8]) -> Result<Self, Error> {
        let mut h = RawHeader { alg: None, typ: None, kid: None, crit: false, doc: "" };
        let mut members = 0;
        h.doc = json::scan_object(header, |m| {
            members += 1;
            if members > MAX_HEADER_MEMBERS {
                return Err(Error::Malformed);
            }
            if m.name.eq_bytes(b"alg") {
                h.alg = Some(m.value);
            } else if m.name.eq_bytes(b"typ") {
                h.typ = Some(m.value);
            } else if m.name.eq_bytes(b"kid") {
                h.kid = Some(m.value);
            } else if m.name.eq_bytes(b"crit") {
                h.crit = true;
            }
            Ok(())
        })?;
        Ok(h)
    }

    /// Rule 4b: the algorithm named by `alg`, if it is a string naming one.
    pub(crate) fn algorithm(&self) -> Option<Algorithm> {
        let Some(Value::Str(alg)) = self.alg else { return None };
        [Algorithm::Hs256, Algorithm::Hs384, Algorithm::Hs512].into_iter().find(|a| alg.eq_bytes(a.name().as_bytes()))
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

    #[test]
    fn alg_unescaped_case_sensitive() {
        let alg = |h: &str| RawHeader::scan(h.as_bytes()).unwrap().algorithm();
        assert_eq!(alg(r#"{"alg":"\u0048S256"}"#), Some(Algorithm::Hs256));
        assert_eq!(alg(r#"{"alg":"hs256"}"#), None);
        assert_eq!(alg(r#"{"alg":["HS256"]}"#), None);
        assert_eq!(alg(r#"{"alg":"none"}"#), None);
    }
}
