//! Shared pieces of the fuzz targets: the fuzz key, a JSON-ish payload
//! builder driven by `arbitrary`, and the contract's invariants.

use arbitrary::Arbitrary;
use base64ct::{Base64UrlUnpadded, Encoding};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// The fuzz key (HS256).
pub const SECRET: &[u8; 32] = b"tessera fuzz key, thirty-two by.";

/// Signs raw header and payload bytes with the fuzz key, independently of Tessera.
pub fn sign(header: &[u8], payload: &[u8]) -> String {
    let h = Base64UrlUnpadded::encode_string(header);
    let p = Base64UrlUnpadded::encode_string(payload);
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(SECRET).unwrap();
    mac.update(format!("{h}.{p}").as_bytes());
    format!("{h}.{p}.{}", Base64UrlUnpadded::encode_string(&mac.finalize().into_bytes()))
}

/// One JSON-ish fragment: mostly well-formed, sometimes not.
#[derive(Arbitrary, Debug, Clone)]
pub enum Fragment {
    /// A registered claim with a value.
    Registered(u8, Val),
    /// Another member.
    Other(String, Val),
    /// The same member twice.
    Duplicate(u8),
    /// A name spelled with escapes (e.g. `\u0065xp`).
    EscapedName(u8, Val),
    /// Raw bytes spliced in.
    Raw(Vec<u8>),
}

/// A JSON-ish value.
#[derive(Arbitrary, Debug, Clone)]
pub enum Val {
    /// A number from text pieces (odd forms: fractions, exponents, signs).
    Number(i64, Option<u16>, Option<i16>),
    /// A time relative to the policy's `now`.
    Time(i32),
    /// A string with optional escapes.
    Str(String, bool),
    /// Nested arrays.
    Deep(u8),
    /// An array of strings.
    Strings(Vec<String>),
    /// A literal.
    Lit(u8),
}

const NAMES: [&str; 12] = ["iss", "sub", "aud", "exp", "nbf", "iat", "jti", "sid", "scope", "azp", "client_id", "typ"];

fn json_string(s: &str, escape_all: bool) -> String {
    if !escape_all {
        return serde_json::to_string(s).unwrap();
    }
    let mut out = String::from("\"");
    for c in s.chars() {
        let mut buf = [0u16; 2];
        for u in c.encode_utf16(&mut buf) {
            out.push_str(&format!("\\u{u:04x}"));
        }
    }
    out.push('"');
    out
}

impl Val {
    fn render(&self, now: u64) -> String {
        match self {
            Val::Number(i, frac, exp) => {
                let mut s = i.to_string();
                if let Some(f) = frac {
                    s.push_str(&format!(".{f}"));
                }
                if let Some(e) = exp {
                    s.push_str(&format!("e{e}"));
                }
                s
            }
            Val::Time(d) => (now as i64 + *d as i64).to_string(),
            Val::Str(s, esc) => json_string(s, *esc),
            Val::Deep(n) => format!("{}1{}", "[".repeat(*n as usize % 40), "]".repeat(*n as usize % 40)),
            Val::Strings(v) => serde_json::to_string(v).unwrap(),
            Val::Lit(n) => ["true", "false", "null", "{}", "[]", "{\"a\":{\"a\":1}}"][*n as usize % 6].to_string(),
        }
    }
}

/// Builds the JSON-ish object text of `fragments`.
pub fn build(fragments: &[Fragment], now: u64) -> Vec<u8> {
    let mut parts: Vec<Vec<u8>> = Vec::new();
    for f in fragments.iter().take(24) {
        match f {
            Fragment::Registered(n, v) => {
                parts.push(format!("\"{}\":{}", NAMES[*n as usize % NAMES.len()], v.render(now)).into_bytes())
            }
            Fragment::Other(name, v) => {
                parts.push(format!("{}:{}", json_string(name, false), v.render(now)).into_bytes())
            }
            Fragment::Duplicate(i) => {
                if let Some(p) = parts.get(*i as usize % parts.len().max(1)).cloned() {
                    parts.push(p);
                }
            }
            Fragment::EscapedName(n, v) => {
                let name = NAMES[*n as usize % NAMES.len()];
                parts.push(format!("{}:{}", json_string(name, true), v.render(now)).into_bytes())
            }
            Fragment::Raw(bytes) => parts.push(bytes.iter().take(64).copied().collect()),
        }
    }
    let mut out = b"{".to_vec();
    out.extend(parts.join(&b","[..]));
    out.push(b'}');
    out
}

/// A header choice.
#[derive(Arbitrary, Debug, Clone)]
pub enum HeaderChoice {
    /// `{"alg":"HS256","typ":...}`.
    Plain(Option<String>),
    /// Built from fragments like a payload.
    Built(Vec<Fragment>),
}

impl HeaderChoice {
    /// The header bytes.
    pub fn render(&self, now: u64) -> Vec<u8> {
        match self {
            HeaderChoice::Plain(None) => br#"{"alg":"HS256"}"#.to_vec(),
            HeaderChoice::Plain(Some(t)) => {
                format!(r#"{{"alg":"HS256","typ":{}}}"#, json_string(t, false)).into_bytes()
            }
            HeaderChoice::Built(f) => {
                let mut h = build(f, now);
                // Mostly keep a valid alg so that the payload is reached.
                if f.len() % 3 != 0 {
                    h.pop();
                    if h.len() > 1 {
                        h.push(b',');
                    }
                    h.extend_from_slice(br#""alg":"HS256"}"#);
                }
                h
            }
        }
    }
}

/// The nesting depth of a JSON value (top-level object = 1).
pub fn depth(v: &serde_json::Value) -> usize {
    match v {
        serde_json::Value::Array(a) => 1 + a.iter().map(depth).max().unwrap_or(0),
        serde_json::Value::Object(o) => 1 + o.values().map(depth).max().unwrap_or(0),
        _ => 0,
    }
}

/// Seed framing: `RAW\0` + header bytes + `\n` + payload bytes, so that the
/// shared vectors' headers and payloads can seed the structured targets.
pub fn raw_frame(data: &[u8]) -> Option<(&[u8], &[u8])> {
    let rest = data.strip_prefix(b"RAW\0")?;
    let nl = rest.iter().position(|&c| c == b'\n')?;
    Some((&rest[..nl], &rest[nl + 1..]))
}
