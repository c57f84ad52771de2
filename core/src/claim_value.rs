//! Typed access to custom claims: a claim's JSON value by kind, strings
//! unescaped into the caller's buffer, integers exactly (no floats).

use crate::claims::Claims;
use crate::error::Error;
use crate::json::{self, RawStr, Value};

/// The value of a custom claim, by JSON kind ([`Claims::get`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClaimValue<'a> {
    /// A string; [`ClaimStr::unescape`] gives its text.
    String(ClaimStr<'a>),
    /// A number written as an integer (no fraction, no exponent) that fits
    /// an `i64`.
    Integer(i64),
    /// Any other number, as its exact JSON text (`2.5`, `1e3`, `1.0`, or an
    /// integer beyond `i64`).
    Number(&'a str),
    /// `true` or `false`.
    Bool(bool),
    /// `null`.
    Null,
    /// An array: its JSON text.
    Array(&'a str),
    /// An object: its JSON text.
    Object(&'a str),
}

/// A JSON string claim, still escaped as in the token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClaimStr<'a>(RawStr<'a>);

impl ClaimStr<'_> {
    /// The unescaped text, written into `out` (borrowed from it).
    ///
    /// # Errors
    /// [`Error::BufferTooSmall`] when `out` is shorter than
    /// [`ClaimStr::unescaped_len`].
    ///
    /// ```
    /// # use tessera_core::*;
    /// # let (token, key) = tessera_core::doc_token(r#"{"exp":2000000000,"team":"R\u00e9seau \"A\""}"#);
    /// # let mut scratch = [0u8; 512];
    /// let v = verify(&token, &key, &Policy::new(1), &mut scratch)?;
    /// let Some(ClaimValue::String(team)) = v.claims.get("team") else { panic!() };
    /// let mut buf = [0u8; 32];
    /// assert_eq!(team.unescape(&mut buf)?, "Réseau \"A\"");
    /// # Ok::<(), Error>(())
    /// ```
    pub fn unescape<'b>(&self, out: &'b mut [u8]) -> Result<&'b str, Error> {
        let n = self.0.unescape_into(out)?;
        // Accepted tokens are UTF-8 and escapes decode to UTF-8 (lone
        // surrogates were refused by rule 6): this never fails.
        core::str::from_utf8(out.get(..n).unwrap_or_default()).map_err(|_| Error::Malformed)
    }

    /// The length in bytes of the unescaped text.
    pub fn unescaped_len(&self) -> usize {
        self.0.unescaped_len()
    }
}

impl<'a> Claims<'a> {
    /// The value of the top-level claim `name` by kind, or `None` when the
    /// token does not have it. Registered claims are there too (typed by
    /// their own getters); this is for the others.
    ///
    /// ```
    /// # use tessera_core::*;
    /// # let (token, key) = tessera_core::doc_token(r#"{"exp":2000000000,"level":3,"admin":true,"ratio":0.5}"#);
    /// # let mut scratch = [0u8; 512];
    /// let v = verify(&token, &key, &Policy::new(1), &mut scratch)?;
    /// assert_eq!(v.claims.get("level"), Some(ClaimValue::Integer(3)));
    /// assert_eq!(v.claims.get("admin"), Some(ClaimValue::Bool(true)));
    /// assert_eq!(v.claims.get("ratio"), Some(ClaimValue::Number("0.5")));
    /// assert_eq!(v.claims.get("missing"), None);
    /// # Ok::<(), Error>(())
    /// ```
    pub fn get(&self, name: &str) -> Option<ClaimValue<'a>> {
        claim_value(self.json(), name)
    }
}

/// The value of top-level member `name` of an accepted JSON object (such
/// as [`Claims::json`]) by kind; the rule behind [`Claims::get`], for
/// bindings that hold the payload text.
///
/// ```
/// use tessera_core::{claim_value, ClaimValue};
/// assert_eq!(claim_value(r#"{"n":-7,"b":false}"#, "n"), Some(ClaimValue::Integer(-7)));
/// assert_eq!(claim_value(r#"{"n":-7,"b":false}"#, "b"), Some(ClaimValue::Bool(false)));
/// ```
pub fn claim_value<'a>(json_object: &'a str, name: &str) -> Option<ClaimValue<'a>> {
    let member = json::find_member(json_object.as_bytes(), name.as_bytes())?;
    let text = core::str::from_utf8(member.text).ok()?;
    Some(match member.value {
        Value::Str(s) => ClaimValue::String(ClaimStr(s)),
        Value::Num(n) => integer(n).map_or(ClaimValue::Number(text), ClaimValue::Integer),
        Value::Bool(b) => ClaimValue::Bool(b),
        Value::Null => ClaimValue::Null,
        Value::Array(_) => ClaimValue::Array(text),
        Value::Object(_) => ClaimValue::Object(text),
    })
}

/// An already validated JSON number as an `i64` when it is written as an
/// integer (`-?digits`) and fits; `-0` is 0.
fn integer(text: &[u8]) -> Option<i64> {
    let (negative, digits) = match text.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, text),
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    // Accumulated as a negative number, so that i64::MIN fits.
    let mut v: i64 = 0;
    for &d in digits {
        v = v.checked_mul(10)?.checked_sub(i64::from(d - b'0'))?;
    }
    if negative { Some(v) } else { v.checked_neg() }
}

#[cfg(test)]
mod tests {
    use super::integer;

    #[test]
    fn integers_are_exact_or_not_integers() {
        assert_eq!(integer(b"0"), Some(0));
        assert_eq!(integer(b"-0"), Some(0));
        assert_eq!(integer(b"42"), Some(42));
        assert_eq!(integer(b"-42"), Some(-42));
        assert_eq!(integer(b"9223372036854775807"), Some(i64::MAX));
        assert_eq!(integer(b"-9223372036854775808"), Some(i64::MIN));
        assert_eq!(integer(b"9223372036854775808"), None);
        assert_eq!(integer(b"-9223372036854775809"), None);
        for not in [&b"1.0"[..], b"1e3", b"-", b"", b"2.5", b"1E2"] {
            assert_eq!(integer(not), None, "{not:?}");
        }
    }
}
