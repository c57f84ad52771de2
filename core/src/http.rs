//! Allocation-free HTTP helpers for the token flow: the bearer token of an
//! `Authorization` header, a cookie of a `Cookie` header, and the
//! `Set-Cookie` values that carry and clear a refresh token.

use crate::error::Error;

/// The token of an `Authorization: Bearer <token>` header value, or `None`.
///
/// # Background
/// RFC 6750 §2.1: `credentials = "Bearer" 1*SP b64token`, where `b64token`
/// is `1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="`. The
/// scheme is case-insensitive (RFC 9110 §11.1). Optional whitespace around
/// the whole field value is ignored (RFC 9110 §5.5); anything else — another
/// scheme, a missing or empty token, a character outside the set, a second
/// token — gives `None`.
///
/// ```
/// use tessera_core::http::bearer_token;
/// assert_eq!(bearer_token("Bearer abc.def.ghi"), Some("abc.def.ghi"));
/// assert_eq!(bearer_token("bearer   abc"), Some("abc"));
/// assert_eq!(bearer_token("Basic abc"), None);
/// assert_eq!(bearer_token("Bearer abc def"), None);
/// ```
pub fn bearer_token(value: &str) -> Option<&str> {
    let value = value.trim_matches(|c| c == ' ' || c == '\t');
    let (scheme, rest) = value.split_at_checked(6)?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return None;
    }
    let token = rest.trim_start_matches(' ');
    if token.len() == rest.len() || token.is_empty() {
        return None; // no space after the scheme, or no token
    }
    let body = token.trim_end_matches('=');
    let charset = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.' | b'_' | b'~' | b'+' | b'/');
    if body.is_empty() || !body.bytes().all(charset) {
        return None;
    }
    Some(token)
}

/// The value of cookie `name` in a `Cookie` header value, or `None`.
///
/// # Background
/// RFC 6265 §4.2.1: `cookie-string = cookie-pair *( ";" SP cookie-pair )`,
/// names compared case-sensitively. Surrounding whitespace of each pair is
/// tolerated (user agents differ); a value in double quotes is unquoted; a
/// value with characters outside `cookie-octet` makes that pair ignored. The
/// first pair with the name wins (user agents send the most specific
/// path first, RFC 6265 §5.4).
///
/// # Duplicate names
/// A browser sends every cookie whose domain and path match, so one name can
/// appear several times, and the first is returned. A sibling subdomain (or
/// a man in the middle on plain HTTP to any subdomain) can plant a cookie
/// of the same name with `Domain=` the parent and a longer `Path`, which the
/// browser sends first: a refresh token of the attacker's session would be
/// read instead of the user's (login CSRF by cookie tossing). A `__Host-`
/// name cannot be planted that way (it requires `Secure`, `Path=/` and no
/// `Domain`); a `__Secure-` name still can, from an HTTPS subdomain. Prefer
/// `__Host-`; with another name, keep the parent domain's subdomains
/// trusted.
///
/// ```
/// use tessera_core::http::cookie_value;
/// let header = "theme=dark; __Host-refresh=eyJ.abc.def; other=1";
/// assert_eq!(cookie_value(header, "__Host-refresh"), Some("eyJ.abc.def"));
/// assert_eq!(cookie_value(header, "THEME"), None);
/// assert_eq!(cookie_value("a=\"quoted\"", "a"), Some("quoted"));
/// ```
pub fn cookie_value<'h>(header: &'h str, name: &str) -> Option<&'h str> {
    if name.is_empty() {
        return None;
    }
    // As bytes: every delimiter here is ASCII, which never occurs inside
    // a multi-byte character, and the value is checked to be ASCII before
    // it is handed back as text (`str::split(char)` links a char searcher).
    header.as_bytes().split(|&b| b == b';').find_map(|pair| {
        let (n, v) = pair.split_at_checked(pair.iter().position(|&b| b == b'=')?)?;
        if trim_end(trim_start(n)) != name.as_bytes() {
            return None;
        }
        let v = trim_end(trim_start(v.get(1..)?));
        let v = match v.strip_prefix(b"\"") {
            Some(inner) => inner.strip_suffix(b"\"")?,
            None => v,
        };
        if v.iter().all(|&c| is_cookie_octet(c)) { core::str::from_utf8(v).ok() } else { None }
    })
}

/// `s` without leading spaces and tabs (RFC 6265's optional whitespace).
fn trim_start(mut s: &[u8]) -> &[u8] {
    while let [b' ' | b'\t', rest @ ..] = s {
        s = rest;
    }
    s
}

/// `s` without trailing spaces and tabs.
fn trim_end(mut s: &[u8]) -> &[u8] {
    while let [rest @ .., b' ' | b'\t'] = s {
        s = rest;
    }
    s
}

/// RFC 6265 §4.1.1 `cookie-octet`: US-ASCII except controls, whitespace,
/// DQUOTE, comma, semicolon and backslash.
fn is_cookie_octet(c: u8) -> bool {
    matches!(c, 0x21 | 0x23..=0x2B | 0x2D..=0x3A | 0x3C..=0x5B | 0x5D..=0x7E)
}

/// RFC 9110 `token` characters, the cookie name's syntax (RFC 6265 §4.1.1).
fn is_token_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&c)
}

/// The default refresh cookie path: only the `/auth` endpoints receive it.
pub const DEFAULT_COOKIE_PATH: &str = "/auth";

/// A `Set-Cookie` value for a refresh token: always `HttpOnly; Secure;
/// SameSite=Strict`, with a `Path` (default `/auth`) and `Max-Age`.
///
/// ```
/// use tessera_core::http::RefreshCookie;
/// let mut out = [0u8; 256];
/// let v = RefreshCookie::new("refresh", "eyJ.abc.def", 604800).write(&mut out)?;
/// assert_eq!(v, "refresh=eyJ.abc.def; Path=/auth; Max-Age=604800; HttpOnly; Secure; SameSite=Strict");
/// let v = RefreshCookie::clear("refresh").write(&mut out)?;
/// assert_eq!(v, "refresh=; Path=/auth; Max-Age=0; HttpOnly; Secure; SameSite=Strict");
/// # Ok::<(), tessera_core::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RefreshCookie<'a> {
    /// The cookie name.
    pub name: &'a str,
    /// The value (the refresh token; empty to clear).
    pub value: &'a str,
    /// `Path`.
    pub path: &'a str,
    /// `Max-Age` in seconds (0 clears the cookie).
    pub max_age: u64,
}

impl<'a> RefreshCookie<'a> {
    /// A cookie carrying `value` for `max_age` seconds on `/auth`.
    pub const fn new(name: &'a str, value: &'a str, max_age: u64) -> Self {
        RefreshCookie { name, value, path: DEFAULT_COOKIE_PATH, max_age }
    }

    /// The cookie that clears `name` on logout (same path, `Max-Age=0`).
    pub const fn clear(name: &'a str) -> Self {
        RefreshCookie { name, value: "", path: DEFAULT_COOKIE_PATH, max_age: 0 }
    }

    /// Sets the `Path`.
    #[must_use]
    pub const fn path(mut self, path: &'a str) -> Self {
        self.path = path;
        self
    }

    /// Writes the `Set-Cookie` header value into `out`.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for a name that is not an RFC 9110 token,
    /// a value outside `cookie-octet`, or a path with a control character or
    /// `;`; [`Error::BufferTooSmall`] when `out` is too short.
    pub fn write<'o>(&self, out: &'o mut [u8]) -> Result<&'o str, Error> {
        if self.name.is_empty() || !self.name.bytes().all(is_token_char) {
            return Err(Error::InvalidArgument);
        }
        if !self.value.bytes().all(is_cookie_octet) {
            return Err(Error::InvalidArgument);
        }
        if !self.path.starts_with('/') || self.path.bytes().any(|c| c < 0x20 || c == 0x7f || c == b';') {
            return Err(Error::InvalidArgument);
        }
        let mut age = [0u8; 20];
        let age = decimal(self.max_age, &mut age);
        let parts: [&[u8]; 8] = [
            self.name.as_bytes(),
            b"=",
            self.value.as_bytes(),
            b"; Path=",
            self.path.as_bytes(),
            b"; Max-Age=",
            age,
            b"; HttpOnly; Secure; SameSite=Strict",
        ];
        let mut at = 0usize;
        for p in parts {
            let end = at.checked_add(p.len()).ok_or(Error::BufferTooSmall)?;
            out.get_mut(at..end).ok_or(Error::BufferTooSmall)?.copy_from_slice(p);
            at = end;
        }
        core::str::from_utf8(out.get(..at).unwrap_or_default()).map_err(|_| Error::InvalidArgument)
    }
}

fn decimal(mut v: u64, buf: &mut [u8; 20]) -> &[u8] {
    let mut i = buf.len();
    loop {
        i -= 1;
        if let Some(d) = buf.get_mut(i) {
            *d = b'0' + u8::try_from(v % 10).unwrap_or(0);
        }
        v /= 10;
        if v == 0 {
            break;
        }
    }
    buf.get(i..).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    macro_rules! bearer {
        ($($v:expr => $want:expr;)*) => { $( assert_eq!(bearer_token($v), $want, "{:?}", $v); )* };
    }

    #[test]
    fn bearer_cases() {
        bearer! {
            "Bearer a.b.c" => Some("a.b.c");
            "BEARER a" => Some("a");
            "bEaReR a" => Some("a");
            "Bearer  \t" => None;
            "Bearer    tok" => Some("tok");
            "  Bearer tok  " => Some("tok");
            "Bearer tok==" => Some("tok==");
            "Bearer ==" => None;
            "Bearer to=k" => None;
            "Bearer\ttok" => None;
            "Bearertok" => None;
            "Bearer" => None;
            "Bearer " => None;
            "" => None;
            "Basic dXNlcjpwYXNz" => None;
            "Bearer a b" => None;
            "Bearer a,b" => None;
            "Bearer a\"b" => None;
            "Bearer é" => None;
            "Bearer a~+/-._Z9" => Some("a~+/-._Z9");
            "Bearé a" => None;
            "Token a" => None;
        }
    }

    #[test]
    fn cookie_cases() {
        let h = "a=1; refresh=tok.en; b=2";
        assert_eq!(cookie_value(h, "refresh"), Some("tok.en"));
        assert_eq!(cookie_value(h, "a"), Some("1"));
        assert_eq!(cookie_value(h, "Refresh"), None);
        assert_eq!(cookie_value(h, "refres"), None);
        assert_eq!(cookie_value(h, ""), None);
        assert_eq!(cookie_value("refresh=", "refresh"), Some(""));
        assert_eq!(cookie_value("refresh", "refresh"), None);
        assert_eq!(cookie_value("x=1;refresh=t", "refresh"), Some("t"));
        assert_eq!(cookie_value("refresh=first; refresh=second", "refresh"), Some("first"));
        assert_eq!(cookie_value("refresh=bad value; refresh=ok", "refresh"), Some("ok"));
        assert_eq!(cookie_value("refresh=\"q\"", "refresh"), Some("q"));
        assert_eq!(cookie_value("refresh=\"q", "refresh"), None);
        assert_eq!(cookie_value("refresh=a,b", "refresh"), None);
        assert_eq!(cookie_value("refresh=a\\b", "refresh"), None);
        assert_eq!(cookie_value("refresh=a=b", "refresh"), Some("a=b"));
        assert_eq!(cookie_value(" refresh = t ", "refresh"), Some("t"));
        assert_eq!(cookie_value(";;;", "refresh"), None);
    }

    /// The previous implementation, on `str` with char patterns: the
    /// byte-wise one must answer as it did.
    fn cookie_value_by_chars<'h>(header: &'h str, name: &str) -> Option<&'h str> {
        if name.is_empty() {
            return None;
        }
        header.split(';').find_map(|pair| {
            let pair = pair.trim_matches(|c| c == ' ' || c == '\t');
            let (n, v) = pair.split_once('=')?;
            if n.trim_end_matches([' ', '\t']) != name {
                return None;
            }
            let v = v.trim_start_matches([' ', '\t']);
            let v = match v.strip_prefix('"') {
                Some(inner) => inner.strip_suffix('"')?,
                None => v,
            };
            v.bytes().all(is_cookie_octet).then_some(v)
        })
    }

    #[test]
    fn cookie_value_answers_as_the_char_version_did() {
        // Every header of up to 5 symbols over the delimiters, two name
        // letters, a non-ASCII character and a forbidden octet.
        const SYMBOLS: &[&str] = &[" ", "\t", ";", "=", "\"", "a", "b", "é", "\\", "\n"];
        // Under Miri (which interprets ~1000x slower) the headers of up to 2.
        for text in crate::exhaustive::strings(SYMBOLS, if cfg!(miri) { 2 } else { 5 }) {
            for name in ["a", "ab", "b", "é", ""] {
                assert_eq!(cookie_value(&text, name), cookie_value_by_chars(&text, name), "{text:?} {name:?}");
            }
        }
    }

    #[test]
    fn set_cookie_refuses_injection() {
        let mut out = [0u8; 256];
        assert_eq!(RefreshCookie::new("a;b", "v", 1).write(&mut out), Err(Error::InvalidArgument));
        assert_eq!(RefreshCookie::new("", "v", 1).write(&mut out), Err(Error::InvalidArgument));
        assert_eq!(RefreshCookie::new("a", "v; Domain=evil", 1).write(&mut out), Err(Error::InvalidArgument));
        assert_eq!(RefreshCookie::new("a", "v\r\nX: y", 1).write(&mut out), Err(Error::InvalidArgument));
        assert_eq!(RefreshCookie::new("a", "v", 1).path("/x;Domain=e").write(&mut out), Err(Error::InvalidArgument));
        assert_eq!(RefreshCookie::new("a", "v", 1).path("x").write(&mut out), Err(Error::InvalidArgument));
        assert_eq!(RefreshCookie::new("a", "v", 1).write(&mut [0u8; 10]), Err(Error::BufferTooSmall));
        let v = RefreshCookie::new("a", "v", u64::MAX).path("/").write(&mut out).unwrap();
        assert_eq!(v, "a=v; Path=/; Max-Age=18446744073709551615; HttpOnly; Secure; SameSite=Strict");
    }
}
