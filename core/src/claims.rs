//! The payload: registered claims read in one pass, typed, and exposed
//! unescaped; other claims by name or through serde.

use crate::arena::Arena;
use crate::error::{Claim, Error};
use crate::json::{self, RawStr, Value};
use crate::numeric_date;

/// The `aud` claim: one string or an array of strings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Audience<'a> {
    repr: AudRepr<'a>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum AudRepr<'a> {
    One(&'a str),
    /// The raw array text, and the escaped elements unescaped back to back.
    Many {
        array: &'a [u8],
        unescaped: &'a [u8],
    },
}

impl<'a> Audience<'a> {
    /// The audiences, unescaped, in token order.
    ///
    /// ```
    /// # use tessera_core::*;
    /// # let (token, key) = tessera_core::doc_token(r#"{"exp":2000000000,"aud":["a","b\/c"]}"#);
    /// # let mut scratch = [0u8; 512];
    /// let v = verify(&token, &key, &Policy::new(1).audience("a"), &mut scratch)?;
    /// let auds: Vec<&str> = v.claims.aud().unwrap().iter().collect();
    /// assert_eq!(auds, ["a", "b/c"]);
    /// # Ok::<(), Error>(())
    /// ```
    pub fn iter(&self) -> AudienceIter<'a> {
        match self.repr {
            AudRepr::One(s) => AudienceIter { one: Some(s), array: &[], unescaped: &[] },
            AudRepr::Many { array, unescaped } => {
                // Skip the opening bracket; the iterator reads elements after it.
                AudienceIter { one: None, array: array.get(1..).unwrap_or_default(), unescaped }
            }
        }
    }

    /// Whether `aud` is one of the audiences.
    pub fn contains(&self, aud: &str) -> bool {
        self.iter().any(|a| a == aud)
    }

    /// Whether the claim is a JSON array (as opposed to one string).
    pub fn is_array(&self) -> bool {
        matches!(self.repr, AudRepr::Many { .. })
    }

    /// The parts a language binding stores to rebuild this value later.
    #[doc(hidden)]
    pub fn to_parts(&self) -> AudienceParts<'a> {
        match self.repr {
            AudRepr::One(s) => AudienceParts { one: Some(s), array: &[], unescaped: &[] },
            AudRepr::Many { array, unescaped } => AudienceParts { one: None, array, unescaped },
        }
    }

    /// Rebuilds an audience from [`to_parts`](Self::to_parts). Parts that did
    /// not come from `to_parts` iterate to nonsense, never to a panic.
    #[doc(hidden)]
    pub fn from_parts(parts: AudienceParts<'a>) -> Self {
        match parts.one {
            Some(s) => Audience { repr: AudRepr::One(s) },
            None => Audience { repr: AudRepr::Many { array: parts.array, unescaped: parts.unescaped } },
        }
    }
}

/// The stored form of an [`Audience`], for language bindings.
#[doc(hidden)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AudienceParts<'a> {
    /// The single audience, when `aud` is a string.
    pub one: Option<&'a str>,
    /// The raw array text, when `aud` is an array.
    pub array: &'a [u8],
    /// The array's escaped elements, unescaped back to back.
    pub unescaped: &'a [u8],
}

/// Whether the space-separated `scope` contains `wanted` exactly
/// (RFC 6749 §3.3); the rule behind [`Claims::has_scope`].
///
/// ```
/// assert!(tessera_core::scope_contains("read  write", "write"));
/// assert!(!tessera_core::scope_contains("read write", "wri"));
/// ```
pub fn scope_contains(scope: &str, wanted: &str) -> bool {
    // Split as bytes: a space is one byte in UTF-8 and never part of
    // another character, and `str::split(char)` links a char searcher.
    !wanted.is_empty() && scope.as_bytes().split(|&b| b == b' ').any(|s| s == wanted.as_bytes())
}

/// The raw JSON text of top-level member `name` of an accepted JSON object
/// (such as [`Claims::json`]); the rule behind [`Claims::get_raw`].
///
/// ```
/// assert_eq!(tessera_core::raw_member(r#"{"a":[1, 2]}"#, "a"), Some("[1, 2]"));
/// ```
pub fn raw_member<'a>(json_object: &'a str, name: &str) -> Option<&'a str> {
    let m = json::find_member(json_object.as_bytes(), name.as_bytes())?;
    core::str::from_utf8(m.text).ok()
}

impl<'a> IntoIterator for Audience<'a> {
    type Item = &'a str;
    type IntoIter = AudienceIter<'a>;
    fn into_iter(self) -> AudienceIter<'a> {
        self.iter()
    }
}

/// An iterator over the strings of an [`Audience`].
#[derive(Clone, Debug)]
pub struct AudienceIter<'a> {
    one: Option<&'a str>,
    array: &'a [u8],
    unescaped: &'a [u8],
}

impl<'a> Iterator for AudienceIter<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        if let Some(s) = self.one.take() {
            return Some(s);
        }
        // `array` was validated as an array of strings: find the next string.
        let start = self.array.iter().position(|&c| c == b'"' || c == b']')?;
        if self.array.get(start) == Some(&b']') {
            self.array = &[];
            return None;
        }
        let body = self.array.get(start + 1..)?;
        let mut i = 0;
        let mut escaped = false;
        loop {
            match body.get(i)? {
                b'\\' => {
                    escaped = true;
                    i += 2;
                }
                b'"' => break,
                _ => i += 1,
            }
        }
        let raw = body.get(..i)?;
        self.array = body.get(i + 1..)?;
        let bytes = if escaped {
            let n = RawStr { raw, escaped }.unescaped_len();
            let (head, tail) = self.unescaped.split_at_checked(n)?;
            self.unescaped = tail;
            head
        } else {
            raw
        };
        core::str::from_utf8(bytes).ok()
    }
}

/// Registered claims as spans into the payload, before typing is final.
#[derive(Default)]
pub(crate) struct RawClaims<'a> {
    strings: [Option<RawStr<'a>>; 7],
    times: [Option<u64>; 3],
    aud: Option<Value<'a>>,
    present: u32,
    first_error: Option<Error>,
    rounded_times: bool,
    doc: &'a str,
}

const STRING_CLAIMS: [Claim; 7] =
    [Claim::Iss, Claim::Sub, Claim::Jti, Claim::Sid, Claim::Scope, Claim::Azp, Claim::ClientId];
const TIME_CLAIMS: [Claim; 3] = [Claim::Exp, Claim::Nbf, Claim::Iat];

fn string_slot(c: Claim) -> Option<usize> {
    STRING_CLAIMS.iter().position(|&s| s == c)
}

fn time_slot(c: Claim) -> Option<usize> {
    TIME_CLAIMS.iter().position(|&s| s == c)
}

/// The registered claim a member name stands for, compared unescaped.
#[inline(always)]
fn registered(name: RawStr<'_>) -> Option<Claim> {
    if !name.escaped {
        return Claim::from_name(name.raw);
    }
    // Longer than nine bytes unescaped: longer than any registered name.
    let mut buf = [0u8; 9];
    Claim::from_name(name.unescape_short(&mut buf)?)
}

impl<'a> RawClaims<'a> {
    /// Scans `payload` (rule 6) and types the registered claims (rule 7).
    pub(crate) fn scan(payload: &'a [u8]) -> Result<Self, Error> {
        let mut raw = RawClaims::default();
        raw.read(payload)?;
        Ok(raw)
    }

    /// [`RawClaims::scan`] into `self` (fresh from `default`): the verify
    /// path's form, which does not move the ~300-byte result twice. (Not
    /// `inline(always)`: every verifier would carry its own JSON scanner.)
    ///
    /// Registered claims are checked for duplicates here, by their presence
    /// bits, as soon as their names are read (the same point, and the same
    /// `Malformed`, as the scanner's own check): the scanner then hashes and
    /// remembers only the other names. A registered name, recognised
    /// unescaped, never equals another name, so the two checks together
    /// miss no pair.
    #[inline(never)]
    pub(crate) fn read(&mut self, payload: &'a [u8]) -> Result<(), Error> {
        let mut present = 0u32;
        let on_name = |name: RawStr<'a>| {
            let Some(claim) = registered(name) else { return Ok(None) };
            if present & claim.bit() != 0 {
                return Err(Error::Malformed);
            }
            present |= claim.bit();
            Ok(Some(claim))
        };
        self.doc = json::scan_object_with(payload, on_name, |m, claim| {
            if let Some(claim) = claim {
                self.member(claim, m.value);
            }
            Ok(())
        })?;
        self.present = present;
        match self.first_error {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    #[inline(always)]
    fn member(&mut self, claim: Claim, value: Value<'a>) {
        let ok = if let Some(i) = string_slot(claim) {
            match (value, self.strings.get_mut(i)) {
                (Value::Str(s), Some(slot)) => {
                    *slot = Some(s);
                    true
                }
                _ => false,
            }
        } else if let Some(i) = time_slot(claim) {
            match (value, self.times.get_mut(i)) {
                (Value::Num(text), Some(slot)) => {
                    let (value, rounded) = numeric_date::parse_noting_form(text);
                    *slot = value;
                    self.rounded_times |= rounded;
                    slot.is_some()
                }
                _ => false,
            }
        } else {
            // `aud`: a string, or an array of strings only.
            self.aud = Some(value);
            match value {
                Value::Str(_) => true,
                Value::Array(text) => matches!(json::for_each_string_in_array(text, |_| Ok(())), Ok(true)),
                _ => false,
            }
        };
        if !ok && self.first_error.is_none() {
            self.first_error = Some(Error::InvalidClaim(claim));
        }
    }

    pub(crate) fn present(&self) -> u32 {
        self.present
    }

    /// Unescapes what needs it into `arena` and builds the typed view.
    pub(crate) fn finish(&self, arena: &mut Arena<'a>) -> Result<Claims<'a>, Error> {
        let doc = self.doc;
        let mut strings: [Option<&'a str>; 7] = [None; 7];
        for (out, raw) in strings.iter_mut().zip(self.strings.iter()) {
            if let Some(raw) = raw {
                *out = Some(arena.unescape(doc, *raw)?);
            }
        }
        let aud = match self.aud {
            Some(Value::Str(s)) => Some(Audience { repr: AudRepr::One(arena.unescape(doc, s)?) }),
            Some(Value::Array(array)) => {
                let unescaped = arena.unescape_each_in_array(array)?;
                Some(Audience { repr: AudRepr::Many { array, unescaped } })
            }
            _ => None,
        };
        let [iss, sub, jti, sid, scope, azp, client_id] = strings;
        let [exp, nbf, iat] = self.times;
        Ok(Claims {
            payload: doc,
            rounded_times: self.rounded_times,
            iss,
            sub,
            aud,
            exp,
            nbf,
            iat,
            jti,
            sid,
            scope,
            azp,
            client_id,
        })
    }
}

/// The claims of a token: registered claims typed and unescaped, borrowing
/// the caller's scratch buffer; other claims by name or through serde.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Claims<'a> {
    payload: &'a str,
    rounded_times: bool,
    iss: Option<&'a str>,
    sub: Option<&'a str>,
    aud: Option<Audience<'a>>,
    exp: Option<u64>,
    nbf: Option<u64>,
    iat: Option<u64>,
    jti: Option<&'a str>,
    sid: Option<&'a str>,
    scope: Option<&'a str>,
    azp: Option<&'a str>,
    client_id: Option<&'a str>,
}

impl<'a> Claims<'a> {
    /// `iss`, the issuer.
    pub fn iss(&self) -> Option<&'a str> {
        self.iss
    }
    /// `sub`, the subject.
    pub fn sub(&self) -> Option<&'a str> {
        self.sub
    }
    /// `aud`, one or many audiences.
    pub fn aud(&self) -> Option<Audience<'a>> {
        self.aud
    }
    /// `exp`, rounded up to whole seconds.
    pub fn exp(&self) -> Option<u64> {
        self.exp
    }
    /// `nbf`, rounded up to whole seconds.
    pub fn nbf(&self) -> Option<u64> {
        self.nbf
    }
    /// `iat`, rounded up to whole seconds.
    pub fn iat(&self) -> Option<u64> {
        self.iat
    }
    /// `jti`, the token identifier.
    pub fn jti(&self) -> Option<&'a str> {
        self.jti
    }
    /// `sid`, the session identifier.
    pub fn sid(&self) -> Option<&'a str> {
        self.sid
    }
    /// `scope`, the space-separated scopes as one string.
    pub fn scope(&self) -> Option<&'a str> {
        self.scope
    }
    /// `azp`, the authorized party.
    pub fn azp(&self) -> Option<&'a str> {
        self.azp
    }
    /// `client_id` (RFC 9068).
    pub fn client_id(&self) -> Option<&'a str> {
        self.client_id
    }

    /// The scopes of `scope`, split on spaces (RFC 6749 §3.3), empty ones skipped.
    ///
    /// ```
    /// # use tessera_core::*;
    /// # let (token, key) = tessera_core::doc_token(r#"{"exp":2000000000,"scope":"read  write"}"#);
    /// # let mut scratch = [0u8; 512];
    /// let v = verify(&token, &key, &Policy::new(1), &mut scratch)?;
    /// assert_eq!(v.claims.scopes().collect::<Vec<_>>(), ["read", "write"]);
    /// assert!(v.claims.has_scope("write"));
    /// assert!(!v.claims.has_scope("admin"));
    /// # Ok::<(), Error>(())
    /// ```
    pub fn scopes(&self) -> impl Iterator<Item = &'a str> + use<'a> {
        self.scope.unwrap_or_default().split(' ').filter(|s| !s.is_empty())
    }

    /// Whether `scope` is one of the token's scopes (exact, case-sensitive).
    pub fn has_scope(&self, scope: &str) -> bool {
        scope_contains(self.scope.unwrap_or_default(), scope)
    }

    /// The decoded payload JSON.
    pub fn json(&self) -> &'a str {
        self.payload
    }

    /// Whether `exp`, `nbf` or `iat` is written as anything but plain
    /// digits (a fraction, an exponent, `-0`), so that its exposed integer
    /// differs from what a JSON parser reads from [`json`](Self::json).
    #[doc(hidden)]
    pub fn times_need_rounding(&self) -> bool {
        self.rounded_times
    }

    /// The raw JSON text of the top-level claim `name` (compared unescaped),
    /// strings with their quotes and escapes.
    ///
    /// ```
    /// # use tessera_core::*;
    /// # let (token, key) = tessera_core::doc_token(r#"{"exp":2000000000,"roles":["a", "b"]}"#);
    /// # let mut scratch = [0u8; 512];
    /// let v = verify(&token, &key, &Policy::new(1), &mut scratch)?;
    /// assert_eq!(v.claims.get_raw("roles"), Some(r#"["a", "b"]"#));
    /// assert_eq!(v.claims.get_raw("missing"), None);
    /// # Ok::<(), Error>(())
    /// ```
    pub fn get_raw(&self, name: &str) -> Option<&'a str> {
        raw_member(self.payload, name)
    }

    /// Deserializes the whole payload into the caller's type with
    /// `serde-json-core`. `&str` fields borrow the scratch buffer when they
    /// have no escapes; escaped strings need owned fields (such as
    /// `heapless::String`), which are unescaped through `unescape_buf`.
    ///
    /// # Errors
    /// [`Error::InvalidClaim`]-free: any mismatch with `T` is
    /// [`Error::InvalidArgument`], a too-small `unescape_buf` is
    /// [`Error::BufferTooSmall`].
    ///
    /// ```
    /// # use tessera_core::*;
    /// #[derive(serde::Deserialize)]
    /// struct Mine<'a> { role: &'a str, level: u8 }
    /// # let (token, key) = tessera_core::doc_token(r#"{"exp":2000000000,"role":"admin","level":3}"#);
    /// # let mut scratch = [0u8; 512];
    /// let v = verify(&token, &key, &Policy::new(1), &mut scratch)?;
    /// let mine: Mine = v.claims.deserialize(&mut [])?;
    /// assert_eq!((mine.role, mine.level), ("admin", 3));
    /// # Ok::<(), Error>(())
    /// ```
    pub fn deserialize<T: serde::Deserialize<'a>>(&self, unescape_buf: &mut [u8]) -> Result<T, Error> {
        match serde_json_core::from_slice_escaped(self.payload.as_bytes(), unescape_buf) {
            Ok((value, _)) => Ok(value),
            Err(serde_json_core::de::Error::EscapedStringIsTooLong) => Err(Error::BufferTooSmall),
            Err(_) => Err(Error::InvalidArgument),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{RawClaims, scope_contains};
    use crate::error::{Claim, Error};

    /// A name with its first letter written as a `\u` escape.
    fn escaped(name: &str) -> String {
        let mut chars = name.chars();
        let first = chars.next().unwrap_or('x');
        format!("\\u{:04x}{}", u32::from(first), chars.as_str())
    }

    /// Registered names are checked for duplicates by their presence bits,
    /// the others by the scanner: every registered name twice (plain or
    /// escaped, each side, adjacent or apart, after up to 60 other names so
    /// that the scanner's re-reading fallback runs too) is refused, and so
    /// is any other name twice around the registered ones; near misses
    /// (another name of the same length or one letter longer) are not
    /// duplicates.
    #[test]
    fn every_duplicate_name_is_refused_whichever_check_sees_it() {
        let value = |c: Claim| match c {
            Claim::Exp | Claim::Iat | Claim::Nbf => "1",
            _ => "\"v\"",
        };
        let fillers = |n: usize| (0..n).map(|i| format!("\"x{i}\":0,")).collect::<String>();
        let scan = |doc: &str| RawClaims::scan(doc.as_bytes()).map(|_| ());
        // Under Miri (~1000x slower; the whole set took 200 s there, and it
        // checks safe code already run natively) the shortest and longest
        // names and a time, after 3 others.
        let (befores, claims): (&[usize], &[Claim]) = if cfg!(miri) {
            (&[3], &[Claim::Iss, Claim::Exp, Claim::ClientId])
        } else {
            (&[0, 3, 47, 60], &Claim::ALL)
        };
        for &before in befores {
            let pre = fillers(before);
            for &c in claims {
                let (n, v) = (c.name(), value(c));
                let forms = [n.to_owned(), escaped(n)];
                for a in &forms {
                    for b in &forms {
                        for between in ["", "\"other\":[1,{\"sub\":2}],"] {
                            let doc = format!("{{{pre}\"{a}\":{v},{between}\"{b}\":{v}}}");
                            assert_eq!(scan(&doc), Err(Error::Malformed), "{doc}");
                        }
                    }
                    let once = format!("{{{pre}\"{a}\":{v}}}");
                    assert_eq!(scan(&once), Ok(()), "{once}");
                    // One letter more, or another name of the same length: not the claim.
                    let longer = format!("{{{pre}\"{a}\":{v},\"{n}x\":{v},\"{}\":{v}}}", escaped(&format!("{n}x")));
                    assert_eq!(scan(&longer), Err(Error::Malformed), "{longer}");
                    // ... and escaped, beside the claim, it is no duplicate of it
                    // (`client_idx` overflows the 9-byte buffer it is unescaped into).
                    let beside = format!("{{{pre}\"{a}\":{v},\"{}\":{v}}}", escaped(&format!("{n}x")));
                    assert_eq!(scan(&beside), Ok(()), "{beside}");
                    let near =
                        format!("{{{pre}\"{a}\":{v},\"{}\":{v}}}", n.replace(|ch: char| ch.is_ascii_lowercase(), "q"));
                    assert_eq!(scan(&near), Ok(()), "{near}");
                }
            }
            // Other names twice, around every registered one.
            for &c in claims {
                let doc = format!("{{{pre}\"role\":1,\"{}\":{},\"r\\u006fle\":2}}", c.name(), value(c));
                assert_eq!(scan(&doc), Err(Error::Malformed), "{doc}");
            }
        }
    }

    #[test]
    fn scope_contains_answers_as_splitting_the_text_on_spaces() {
        // Every scope of up to 5 symbols, and every wanted word of up to 2,
        // against `str::split(' ')` (what the byte-wise split replaced).
        const SYMBOLS: &[&str] = &[" ", "r", "w", "é", "\t"];
        let texts = |longest| crate::exhaustive::strings(SYMBOLS, longest);
        // Under Miri (which interprets ~1000x slower) scopes of up to 2.
        for scope in texts(if cfg!(miri) { 2 } else { 5 }) {
            for wanted in texts(2) {
                let by_chars = !wanted.is_empty() && scope.split(' ').any(|s| s == wanted);
                assert_eq!(scope_contains(&scope, &wanted), by_chars, "{scope:?} {wanted:?}");
            }
        }
    }
}
