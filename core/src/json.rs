//! A validating, allocation-free JSON scanner for the header and payload.
//!
//! One pass over the bytes checks the grammar of RFC 8259, the nesting
//! limit and the uniqueness of top-level member names, and reports each
//! top-level member to the caller as borrowed spans. No value is copied;
//! strings are unescaped only on demand ([`Unescaped`]).
//!
//! Nesting is tracked with a depth counter, not recursion, so the stack
//! use is constant whatever the input.

use crate::error::Error;

/// The deepest nesting accepted; the top-level object is level 1.
pub const MAX_DEPTH: usize = 32;

/// How many top-level member names are remembered for the duplicate check
/// before falling back to re-reading the object (see [`Members`]).
const REMEMBERED_NAMES: usize = 48;
// Headers never reach the re-reading fallback (see `MAX_HEADER_MEMBERS`).
const _: () = assert!(crate::header::MAX_HEADER_MEMBERS <= REMEMBERED_NAMES);

/// A JSON string's raw contents (between the quotes), still escaped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RawStr<'a> {
    /// The bytes between the quotes, exactly as in the document.
    pub raw: &'a [u8],
    /// Whether `raw` contains a backslash escape.
    pub escaped: bool,
}

impl<'a> RawStr<'a> {
    /// The unescaped bytes, one at a time.
    pub fn bytes(self) -> Unescaped<'a> {
        Unescaped::new(self.raw)
    }

    /// Whether the unescaped value equals `other` byte for byte.
    #[inline(always)]
    pub fn eq_bytes(self, other: &[u8]) -> bool {
        if !self.escaped {
            return self.raw == other;
        }
        self.bytes().eq(other.iter().copied())
    }

    /// Whether two strings are equal once unescaped.
    pub fn eq_str(self, other: RawStr<'_>) -> bool {
        match (self.escaped, other.escaped) {
            (false, false) => self.raw == other.raw,
            (false, true) => other.eq_bytes(self.raw),
            _ => self.bytes().eq(other.bytes()),
        }
    }

    /// The unescaped value in `buf`, or `None` if it is longer: names
    /// compared with a few short constants.
    pub fn unescape_short(self, buf: &mut [u8]) -> Option<&[u8]> {
        let mut n = 0;
        for b in self.bytes() {
            *buf.get_mut(n)? = b;
            n += 1;
        }
        buf.get(..n)
    }

    /// The unescaped length in bytes.
    pub fn unescaped_len(self) -> usize {
        if self.escaped { self.bytes().count() } else { self.raw.len() }
    }

    /// Writes the unescaped value into `out`, returning its length.
    pub fn unescape_into(self, out: &mut [u8]) -> Result<usize, Error> {
        let mut n = 0;
        for b in self.bytes() {
            *out.get_mut(n).ok_or(Error::BufferTooSmall)? = b;
            n += 1;
        }
        Ok(n)
    }

    /// A cheap fingerprint of the unescaped name (length, first two and last
    /// bytes): only a pre-filter for the duplicate check, never trusted alone.
    #[inline(always)]
    fn hash(self) -> u32 {
        // Only the low byte of the length matters to a fingerprint.
        #[allow(clippy::cast_possible_truncation)]
        let pack = |len: usize, a: u8, b: u8, z: u8| {
            ((len as u32 & 0xFF) << 24) ^ (u32::from(a) << 16) ^ (u32::from(b) << 8) ^ u32::from(z)
        };
        if !self.escaped {
            let r = self.raw;
            return pack(
                r.len(),
                r.first().copied().unwrap_or(0),
                r.get(1).copied().unwrap_or(0),
                r.last().copied().unwrap_or(0),
            );
        }
        let (mut n, mut a, mut b, mut z) = (0usize, 0u8, 0u8, 0u8);
        for c in self.bytes() {
            match n {
                0 => a = c,
                1 => b = c,
                _ => {}
            }
            z = c;
            n += 1;
        }
        pack(n, a, b, z)
    }
}

/// The JSON type of a value, with its span.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Value<'a> {
    /// A string.
    Str(RawStr<'a>),
    /// A number: its exact text.
    Num(&'a [u8]),
    /// An array: its whole text including brackets.
    Array(&'a [u8]),
    /// An object: its whole text including braces.
    Object(&'a [u8]),
    /// `true` or `false`.
    Bool(bool),
    /// `null`.
    Null,
}

/// A decoder over an already validated escaped string, yielding UTF-8 bytes.
#[derive(Clone, Debug)]
pub struct Unescaped<'a> {
    raw: &'a [u8],
    pending: [u8; 4],
    pending_len: u8,
    pending_pos: u8,
}

impl<'a> Unescaped<'a> {
    fn new(raw: &'a [u8]) -> Self {
        Unescaped { raw, pending: [0; 4], pending_len: 0, pending_pos: 0 }
    }

    fn hex4(&mut self) -> u32 {
        let mut v = 0u32;
        for _ in 0..4 {
            let d = match self.raw.split_first() {
                Some((&c, rest)) => {
                    self.raw = rest;
                    hex_value(c).unwrap_or(0)
                }
                None => 0,
            };
            v = (v << 4) | u32::from(d);
        }
        v
    }
}

impl Iterator for Unescaped<'_> {
    type Item = u8;

    fn next(&mut self) -> Option<u8> {
        if self.pending_pos < self.pending_len {
            let b = self.pending.get(usize::from(self.pending_pos)).copied();
            self.pending_pos += 1;
            return b;
        }
        let (&c, rest) = self.raw.split_first()?;
        self.raw = rest;
        if c != b'\\' {
            return Some(c);
        }
        let (&e, rest) = self.raw.split_first()?;
        self.raw = rest;
        let simple = match e {
            b'b' => 0x08,
            b'f' => 0x0c,
            b'n' => b'\n',
            b'r' => b'\r',
            b't' => b'\t',
            b'u' => {
                let mut cp = self.hex4();
                if (0xD800..0xDC00).contains(&cp) {
                    // Validated input: a low surrogate escape follows.
                    self.raw = self.raw.get(2..).unwrap_or_default();
                    let lo = self.hex4();
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo.wrapping_sub(0xDC00) & 0x3FF);
                }
                let ch = char::from_u32(cp).unwrap_or(char::REPLACEMENT_CHARACTER);
                let s = ch.encode_utf8(&mut self.pending);
                // A char is 1 to 4 bytes, so the length fits in a u8.
                self.pending_len = u8::try_from(s.len()).unwrap_or(4);
                self.pending_pos = 1;
                return self.pending.first().copied();
            }
            other => other, // `"`, `\` and `/` stand for themselves.
        };
        Some(simple)
    }
}

fn hex_value(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// One top-level member as reported by [`scan_object`].
#[derive(Clone, Copy, Debug)]
pub struct Member<'a> {
    /// The member name.
    pub name: RawStr<'a>,
    /// The member value.
    pub value: Value<'a>,
    /// The value's JSON text (strings keep their quotes).
    pub text: &'a [u8],
}

/// Validates `doc` as one JSON object (rule 6) and calls `on_member` for
/// each top-level member, in document order, after its value is validated.
///
/// The callback runs before later members are seen, so a caller must not
/// act on a member until the whole scan succeeds.
#[inline(always)]
pub fn scan_object<'a, F>(doc: &'a [u8], mut on_member: F) -> Result<&'a str, Error>
where
    F: FnMut(Member<'a>) -> Result<(), Error>,
{
    scan_object_with(doc, |_| Ok(None::<()>), |m, _| on_member(m))
}

/// [`scan_object`] for a caller that checks some names for duplicates
/// itself: `on_name` sees each top-level name as soon as it is read and
/// returns `Some(tag)` for a name it has taken over (and an error for one
/// it has seen before), `None` for the rest, which the scanner's own check
/// covers; `on_member` gets the tag back with the member.
///
/// A name the caller takes must never equal, once unescaped, one it leaves
/// (the two checks never see each other's names): the payload's
/// registered claims, recognised by their unescaped names, are such a set.
#[inline(always)]
pub fn scan_object_with<'a, T, N, F>(doc: &'a [u8], on_name: N, on_member: F) -> Result<&'a str, Error>
where
    N: FnMut(RawStr<'a>) -> Result<Option<T>, Error>,
    F: FnMut(Member<'a>, Option<T>) -> Result<(), Error>,
{
    let text = core::str::from_utf8(doc).map_err(|_| Error::Malformed)?;
    scan_str(text, on_name, on_member)?;
    Ok(text)
}

/// The part of `doc` that `part` (a slice of it, such as a [`RawStr`]'s
/// bytes between quotes) covers, as text without a second UTF-8 check.
#[inline]
pub fn sub_str<'a>(doc: &'a str, part: &[u8]) -> Option<&'a str> {
    let start = (part.as_ptr() as usize).checked_sub(doc.as_ptr() as usize)?;
    doc.get(start..start.checked_add(part.len())?)
}

/// [`scan_object_with`] over text already known to be UTF-8.
#[inline(always)]
fn scan_str<'a, T, N, F>(text: &'a str, mut on_name: N, mut on_member: F) -> Result<(), Error>
where
    N: FnMut(RawStr<'a>) -> Result<Option<T>, Error>,
    F: FnMut(Member<'a>, Option<T>) -> Result<(), Error>,
{
    let doc = text.as_bytes();
    let mut s = Scanner { doc, pos: 0 };
    s.skip_ws();
    if s.bump() != Some(b'{') {
        return Err(Error::Malformed);
    }
    let mut names = Members::new(doc);
    s.skip_ws();
    if s.peek() == Some(b'}') {
        s.pos += 1;
    } else {
        loop {
            s.skip_ws();
            let name_start = s.pos;
            if s.bump() != Some(b'"') {
                return Err(Error::Malformed);
            }
            let name = s.string()?;
            let tag = on_name(name)?;
            if tag.is_none() {
                names.insert(name, name_start)?;
            }
            s.skip_ws();
            if s.bump() != Some(b':') {
                return Err(Error::Malformed);
            }
            s.skip_ws();
            let start = s.pos;
            let value = s.value()?;
            let text = doc.get(start..s.pos).ok_or(Error::Malformed)?;
            on_member(Member { name, value, text }, tag)?;
            s.skip_ws();
            match s.bump() {
                Some(b',') => continue,
                Some(b'}') => break,
                _ => return Err(Error::Malformed),
            }
        }
    }
    s.skip_ws();
    if s.pos != doc.len() {
        return Err(Error::Malformed);
    }
    Ok(())
}

/// Finds the top-level member `name` (compared unescaped) of a document
/// that [`scan_object`] has already accepted.
pub fn find_member<'a>(doc: &'a [u8], name: &[u8]) -> Option<Member<'a>> {
    let mut found = None;
    let _ = scan_object(doc, |m| {
        if found.is_none() && m.name.eq_bytes(name) {
            found = Some(m);
        }
        Ok(())
    });
    found
}

/// Validates that `text` is one complete JSON array of strings and calls
/// `each` on every element.
pub fn for_each_string_in_array<'a>(
    text: &'a [u8],
    mut each: impl FnMut(RawStr<'a>) -> Result<(), Error>,
) -> Result<bool, Error> {
    let mut s = Scanner { doc: text, pos: 0 };
    if s.bump() != Some(b'[') {
        return Ok(false);
    }
    s.skip_ws();
    if s.peek() == Some(b']') {
        return Ok(true);
    }
    loop {
        s.skip_ws();
        if s.bump() != Some(b'"') {
            return Ok(false);
        }
        each(s.string()?)?;
        s.skip_ws();
        match s.bump() {
            Some(b',') => continue,
            Some(b']') => return Ok(true),
            _ => return Ok(false),
        }
    }
}

/// Calls `each` on every element of `text`, one JSON array that
/// [`scan_object`] has already validated as part of its document (JWK
/// Sets: the `keys` array).
#[cfg(any(feature = "ed25519", feature = "ecdsa", feature = "rsa"))]
pub fn for_each_value_in_array<'a>(
    text: &'a [u8],
    mut each: impl FnMut(Value<'a>) -> Result<(), Error>,
) -> Result<(), Error> {
    let mut s = Scanner { doc: text, pos: 0 };
    if s.bump() != Some(b'[') {
        return Err(Error::Malformed);
    }
    s.skip_ws();
    if s.peek() == Some(b']') {
        return Ok(());
    }
    loop {
        s.skip_ws();
        each(s.value()?)?;
        s.skip_ws();
        match s.bump() {
            Some(b',') => continue,
            Some(b']') => return Ok(()),
            _ => return Err(Error::Malformed),
        }
    }
}

/// The duplicate-name check for one object's top-level members.
///
/// The first [`REMEMBERED_NAMES`] names are kept as (hash, start, end); a new
/// name is compared byte for byte only with names of the same hash, so the
/// common case costs one hash and a scan of a few integers. Names past that
/// capacity are compared by re-reading the object, which is quadratic but
/// bounded by the token length limit, and never happens for real tokens.
///
/// The first [`FIRST_NAMES`] entries come into being (and are zeroed) with
/// the first name remembered, the rest only for objects with more members:
/// a payload whose names are all registered claims (checked by the caller,
/// see [`scan_object_with`]) clears nothing, and most others a small array.
struct Members<'a> {
    doc: &'a [u8],
    first: Option<[Entry; FIRST_NAMES]>,
    more: Option<[Entry; REMEMBERED_NAMES - FIRST_NAMES]>,
    count: usize,
    /// [`Members::bloom_bit`] of every remembered name.
    seen: u64,
}

/// A remembered name: its hash and its span in the document.
#[derive(Clone, Copy, Default)]
struct Entry {
    hash: u32,
    start: u32,
    end: u32,
}

const FIRST_NAMES: usize = 16;

impl<'a> Members<'a> {
    fn new(doc: &'a [u8]) -> Self {
        Members { doc, first: None, more: None, count: 0, seen: 0 }
    }

    fn name_at(&self, e: Entry) -> RawStr<'a> {
        let raw = self.doc.get(e.start as usize..e.end as usize).unwrap_or_default();
        RawStr { raw, escaped: raw.contains(&b'\\') }
    }

    /// The remembered entries, in order: the first ones, then the rest.
    #[inline(always)]
    fn remembered(&self) -> (&[Entry], &[Entry]) {
        let kept = self.count.min(REMEMBERED_NAMES);
        let first = match &self.first {
            Some(f) => f.get(..kept.min(FIRST_NAMES)).unwrap_or_default(),
            None => &[],
        };
        let more = match &self.more {
            Some(m) => m.get(..kept.saturating_sub(FIRST_NAMES)).unwrap_or_default(),
            None => &[],
        };
        (first, more)
    }

    /// One of 64 bits for a hash: most new names hit a bit no earlier name
    /// set, and then no entry needs comparing.
    #[inline(always)]
    fn bloom_bit(hash: u32) -> u64 {
        1 << (hash.wrapping_mul(0x9E37_79B9) >> 26)
    }

    #[inline(always)]
    fn insert(&mut self, name: RawStr<'a>, quote_at: usize) -> Result<(), Error> {
        let hash = name.hash();
        let bit = Self::bloom_bit(hash);
        if self.seen & bit != 0 {
            let (first, more) = self.remembered();
            if first.iter().chain(more).any(|&e| e.hash == hash && self.name_at(e).eq_str(name)) {
                return Err(Error::Malformed);
            }
        }
        self.seen |= bit;
        if self.count >= REMEMBERED_NAMES && self.seen_after_remembered(name, quote_at) {
            return Err(Error::Malformed);
        }
        let start = quote_at + 1;
        // Offsets fit in u32: documents are bounded by the token length.
        let entry = Entry {
            hash,
            start: u32::try_from(start).map_err(|_| Error::Malformed)?,
            end: u32::try_from(start + name.raw.len()).map_err(|_| Error::Malformed)?,
        };
        let slot = match self.count.checked_sub(FIRST_NAMES) {
            None => self.first.get_or_insert([Entry::default(); FIRST_NAMES]).get_mut(self.count),
            Some(i) => self.more.get_or_insert([Entry::default(); REMEMBERED_NAMES - FIRST_NAMES]).get_mut(i),
        };
        if let Some(slot) = slot {
            *slot = entry;
        }
        self.count += 1;
        Ok(())
    }

    /// Whether `name` equals one of the names after the remembered ones,
    /// up to the name starting at `quote_at`.
    fn seen_after_remembered(&self, name: RawStr<'_>, quote_at: usize) -> bool {
        let (first, more) = self.remembered();
        let Some(last_end) = more.last().or(first.last()).map(|e| e.end) else { return false };
        let region = self.doc.get(..quote_at).unwrap_or_default();
        let mut s = Scanner { doc: region, pos: last_end as usize + 1 };
        loop {
            // Skip `:` value `,` to the next name; the prefix is already valid.
            s.skip_ws();
            if s.bump() != Some(b':') {
                return false;
            }
            s.skip_ws();
            if s.value().is_err() {
                return false;
            }
            s.skip_ws();
            if s.bump() != Some(b',') {
                return false;
            }
            s.skip_ws();
            if s.bump() != Some(b'"') {
                return false;
            }
            match s.string() {
                Ok(other) if other.eq_str(name) => return true,
                Ok(_) => {}
                Err(_) => return false,
            }
        }
    }
}

/// Bytes that end the plain run of a string: `"`, `\` and controls.
#[allow(clippy::indexing_slicing)] // constant indices below 256 into a 256-entry table
const STRING_STOP: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 0x20 {
        t[i] = true;
        i += 1;
    }
    t[b'"' as usize] = true;
    t[b'\\' as usize] = true;
    t
};

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod simd128;

/// Sixteen bytes at a time where the target has vectors: WebAssembly's
/// `simd128` (safe code), SSE2 on x86-64 and NEON on aarch64 (the crate's
/// one `unsafe` module, `native_simd`).
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
use simd128::first_stop;

#[cfg(any(target_arch = "x86_64", all(target_arch = "aarch64", target_feature = "neon")))]
use crate::native_simd::first_stop;

/// The index of the first byte of `bytes` that ends a string's plain run
/// (`"`, `\` or a control character), or `None` if there is none.
#[cfg(any(
    all(target_arch = "wasm32", target_feature = "simd128"),
    target_arch = "x86_64",
    all(target_arch = "aarch64", target_feature = "neon")
))]
#[inline]
fn string_stop(bytes: &[u8]) -> Option<usize> {
    let mut chunks = bytes.chunks_exact(16);
    for (i, chunk) in chunks.by_ref().enumerate() {
        let Ok(chunk) = <&[u8; 16]>::try_from(chunk) else { break };
        if let Some(at) = first_stop(chunk) {
            return Some(i * 16 + at);
        }
    }
    let done = bytes.len() - chunks.remainder().len();
    string_stop_scalar(chunks.remainder()).map(|i| done + i)
}

#[cfg(not(any(
    all(target_arch = "wasm32", target_feature = "simd128"),
    target_arch = "x86_64",
    all(target_arch = "aarch64", target_feature = "neon")
)))]
use string_stop_scalar as string_stop;

/// Both searches, for `crate::simd_check`.
pub(crate) fn string_stop_pair(bytes: &[u8]) -> (Option<usize>, Option<usize>) {
    (string_stop(bytes), string_stop_scalar(bytes))
}

/// The index of the first byte of `bytes` that ends a string's plain run,
/// a byte at a time (the reference, and the tail of the vector search).
#[inline(always)]
fn string_stop_scalar(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&c| STRING_STOP.get(usize::from(c)).copied().unwrap_or(true))
}

/// The flag bit (0x80) of each byte of `word` that is not an ASCII digit.
///
/// Exact per byte: a byte is a digit when `b ^ 0x30` is below 10; adding
/// 0x76 to its low seven bits sets bit 7 exactly when they are 10 or more,
/// and never carries into the next byte (0x7F + 0x76 < 0x100).
#[inline(always)]
fn non_digits(word: u64) -> u64 {
    const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    let x = word ^ 0x3030_3030_3030_3030;
    (((x & LOW7) + 0x7676_7676_7676_7676) | x) & !LOW7
}

struct Scanner<'a> {
    doc: &'a [u8],
    pos: usize,
}

impl<'a> Scanner<'a> {
    #[inline]
    fn peek(&self) -> Option<u8> {
        self.doc.get(self.pos).copied()
    }

    #[inline]
    fn bump(&mut self) -> Option<u8> {
        let c = self.peek()?;
        self.pos += 1;
        Some(c)
    }

    #[inline]
    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    fn rest(&self) -> &'a [u8] {
        self.doc.get(self.pos..).unwrap_or_default()
    }

    /// Reads a string whose opening quote was consumed.
    #[inline(always)]
    fn string(&mut self) -> Result<RawStr<'a>, Error> {
        let start = self.pos;
        let mut escaped = false;
        loop {
            // Fast path over plain bytes; UTF-8 was validated for the whole document.
            let rest = self.rest();
            let plain = string_stop(rest);
            let Some(n) = plain else { return Err(Error::Malformed) };
            self.pos += n;
            match self.bump() {
                Some(b'"') => {
                    let raw = self.doc.get(start..self.pos - 1).ok_or(Error::Malformed)?;
                    return Ok(RawStr { raw, escaped });
                }
                Some(b'\\') => {
                    escaped = true;
                    self.escape()?;
                }
                _ => return Err(Error::Malformed),
            }
        }
    }

    /// Validates one escape after its backslash, pairing surrogates.
    fn escape(&mut self) -> Result<(), Error> {
        match self.bump() {
            Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => Ok(()),
            Some(b'u') => {
                let cp = self.hex4()?;
                if (0xDC00..0xE000).contains(&cp) {
                    return Err(Error::Malformed); // a lone low surrogate
                }
                if (0xD800..0xDC00).contains(&cp) {
                    if self.bump() != Some(b'\\') || self.bump() != Some(b'u') {
                        return Err(Error::Malformed);
                    }
                    let lo = self.hex4()?;
                    if !(0xDC00..0xE000).contains(&lo) {
                        return Err(Error::Malformed);
                    }
                }
                Ok(())
            }
            _ => Err(Error::Malformed),
        }
    }

    fn hex4(&mut self) -> Result<u32, Error> {
        let mut v = 0u32;
        for _ in 0..4 {
            let d = self.bump().and_then(hex_value).ok_or(Error::Malformed)?;
            v = (v << 4) | u32::from(d);
        }
        Ok(v)
    }

    /// Skips a run of ASCII digits, eight at a time while eight bytes
    /// remain: a timestamp's ten digits were a ten-step loop whose exit the
    /// branch predictor missed.
    #[cfg_attr(target_arch = "wasm32", inline(never))]
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn digits(&mut self) -> usize {
        let start = self.pos;
        while let Some(word) = self.rest().first_chunk::<8>() {
            let stops = non_digits(u64::from_le_bytes(*word));
            if stops != 0 {
                self.pos += stops.trailing_zeros() as usize / 8;
                return self.pos - start;
            }
            self.pos += 8;
        }
        self.pos += self.rest().iter().take_while(|c| c.is_ascii_digit()).count();
        self.pos - start
    }

    #[inline(always)]
    fn number(&mut self) -> Result<(), Error> {
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err(Error::Malformed),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if self.digits() == 0 {
                return Err(Error::Malformed);
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return Err(Error::Malformed);
            }
        }
        Ok(())
    }

    fn literal(&mut self, word: &[u8]) -> Result<(), Error> {
        if self.rest().starts_with(word) {
            self.pos += word.len();
            Ok(())
        } else {
            Err(Error::Malformed)
        }
    }

    /// Reads one value at depth 1 below the top-level object.
    #[inline(always)]
    fn value(&mut self) -> Result<Value<'a>, Error> {
        let start = self.pos;
        match self.peek() {
            Some(b'"') => {
                self.pos += 1;
                Ok(Value::Str(self.string()?))
            }
            Some(b'-' | b'0'..=b'9') => {
                self.number()?;
                Ok(Value::Num(self.doc.get(start..self.pos).ok_or(Error::Malformed)?))
            }
            Some(b't') => self.literal(b"true").map(|()| Value::Bool(true)),
            Some(b'f') => self.literal(b"false").map(|()| Value::Bool(false)),
            Some(b'n') => self.literal(b"null").map(|()| Value::Null),
            Some(open @ (b'[' | b'{')) => {
                self.container()?;
                let text = self.doc.get(start..self.pos).ok_or(Error::Malformed)?;
                Ok(if open == b'[' { Value::Array(text) } else { Value::Object(text) })
            }
            _ => Err(Error::Malformed),
        }
    }

    /// Reads a nested array or object iteratively. The top-level object is
    /// level 1, so this container is level 2; `kinds` has one bit per open
    /// level (1 = object) so that no recursion is needed.
    fn container(&mut self) -> Result<(), Error> {
        let mut kinds: u64 = 0;
        let mut depth: usize = 1;
        // State: whether the next token must be a value (after `[`, `,`, `:`)
        // or may close the container (right after the opening bracket).
        let open_container = |s: &mut Self, kinds: &mut u64, depth: &mut usize| -> Result<(), Error> {
            let c = s.bump().ok_or(Error::Malformed)?;
            *depth += 1;
            if *depth > MAX_DEPTH {
                return Err(Error::Malformed);
            }
            *kinds = (*kinds << 1) | u64::from(c == b'{');
            Ok(())
        };
        open_container(self, &mut kinds, &mut depth)?;
        let mut first = true;
        loop {
            self.skip_ws();
            let in_object = kinds & 1 == 1;
            let close = if in_object { b'}' } else { b']' };
            // An empty container closes below, like one after its last value.
            if !(first && self.peek() == Some(close)) {
                if in_object {
                    if self.bump() != Some(b'"') {
                        return Err(Error::Malformed);
                    }
                    self.string()?;
                    self.skip_ws();
                    if self.bump() != Some(b':') {
                        return Err(Error::Malformed);
                    }
                    self.skip_ws();
                }
                match self.peek() {
                    Some(b'[' | b'{') => {
                        open_container(self, &mut kinds, &mut depth)?;
                        first = true;
                        continue;
                    }
                    Some(b'"') => {
                        self.pos += 1;
                        self.string()?;
                    }
                    Some(b'-' | b'0'..=b'9') => self.number()?,
                    Some(b't') => self.literal(b"true")?,
                    Some(b'f') => self.literal(b"false")?,
                    Some(b'n') => self.literal(b"null")?,
                    _ => return Err(Error::Malformed),
                }
            }
            // After a value (or an empty container): `,` or a close, possibly many.
            loop {
                self.skip_ws();
                let in_object = kinds & 1 == 1;
                let close = if in_object { b'}' } else { b']' };
                match self.bump() {
                    Some(b',') => {
                        first = false;
                        break;
                    }
                    Some(c) if c == close => {
                        depth -= 1;
                        kinds >>= 1;
                        if depth == 1 {
                            return Ok(());
                        }
                    }
                    _ => return Err(Error::Malformed),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(doc: &str) -> bool {
        scan_object(doc.as_bytes(), |_| Ok(())).is_ok()
    }

    /// `string_stop` (16 bytes per step with SSE2, NEON or simd128) against a byte loop:
    /// every length to 40, every stop byte at every place, among bytes just
    /// beside the stop classes.
    #[test]
    fn string_stop_agrees_with_a_byte_loop() {
        let plain = [0x20, 0x21, 0x23, 0x5B, 0x5D, 0x7F, 0x80, 0xFF, b'a'];
        // Under Miri (~1000x slower) lengths to 18: one whole block of 16 and a remainder.
        let max = if cfg!(miri) { 18 } else { 40 };
        for len in 0..=max {
            let base: Vec<u8> = (0..len).map(|k| plain[(k * 5 + len) % plain.len()]).collect();
            let expected = |t: &[u8]| t.iter().position(|&c| c < 0x20 || c == b'"' || c == b'\\');
            assert_eq!(string_stop(&base), None);
            for at in 0..len {
                for stop in [b'"', b'\\', 0x00, 0x1F, b'\n'] {
                    let mut t = base.clone();
                    t[at] = stop;
                    assert_eq!(string_stop(&t), expected(&t), "{t:?}");
                    if let Some(last) = t.last_mut() {
                        *last = b'"';
                    }
                    assert_eq!(string_stop(&t), expected(&t), "{t:?}");
                }
            }
        }
    }

    /// The vector search against the scalar one: every byte value at every
    /// position of two blocks and a tail, over plain bytes of each kind.
    #[test]
    fn string_stop_agrees_with_the_scalar_search_for_every_byte() {
        // Under Miri (~1000x slower) fewer fills, positions and bytes.
        let (fills, step, byte_step): (&[u8], usize, usize) =
            if cfg!(miri) { (&[b'a', 0x80], 17, 7) } else { (&[b'a', 0x20, 0x7F, 0x80, 0xFF], 1, 1) };
        for &fill in fills {
            let base = [fill; 37];
            for at in (0..base.len()).step_by(step) {
                for byte in (0..=255u8).step_by(byte_step) {
                    let mut t = base;
                    t[at] = byte;
                    for len in [at + 1, 16, 32, 37] {
                        let t = &t[..len.max(at + 1)];
                        assert_eq!(string_stop(t), string_stop_scalar(t), "{t:?}");
                    }
                }
            }
        }
    }

    fn nested(depth: usize) -> heapless::String<256> {
        let mut s = heapless::String::new();
        s.push_str("{\"a\":").unwrap();
        for _ in 1..depth {
            s.push('[').unwrap();
        }
        s.push('1').unwrap();
        for _ in 1..depth {
            s.push(']').unwrap();
        }
        s.push('}').unwrap();
        s
    }

    macro_rules! cases {
        ($($doc:expr => $ok:expr;)*) => { $( assert_eq!(ok($doc), $ok, "{}", $doc); )* };
    }

    #[test]
    fn non_digits_flags_exactly_the_bytes_that_are_not_digits() {
        // Every byte value at every position, beside digits and beside a
        // byte that is not one (a borrow or carry would show in a neighbour);
        // under Miri (~30 s for all) three positions and two neighbours.
        let (positions, fills): (&[usize], &[u8]) = if cfg!(miri) {
            (&[0, 3, 7], &[b'5', 0xFF])
        } else {
            (&[0, 1, 2, 3, 4, 5, 6, 7], &[b'5', b'0', b'9', b'/', b':', 0xFF, 0x00])
        };
        for b in 0..=255u8 {
            for &at in positions {
                for &fill in fills {
                    let mut word = [fill; 8];
                    word[at] = b;
                    let expected = word
                        .iter()
                        .enumerate()
                        .filter(|(_, c)| !c.is_ascii_digit())
                        .fold(0u64, |m, (i, _)| m | 0x80 << (8 * i));
                    assert_eq!(non_digits(u64::from_le_bytes(word)), expected, "{word:?}");
                }
            }
        }
    }

    #[test]
    fn digit_runs_of_every_length_end_where_the_digits_do() {
        for len in 0..40 {
            for tail in [&b""[..], b",", b"}", b"e5", b".5", b"\xff"] {
                let mut doc = [b'7'; 40].get(..len).unwrap().to_vec();
                doc.extend_from_slice(tail);
                let mut s = Scanner { doc: &doc, pos: 0 };
                assert_eq!(s.digits(), len, "{doc:?}");
                assert_eq!(s.pos, len);
            }
        }
    }

    #[test]
    fn grammar() {
        cases! {
            "{}" => true;
            " \t\r\n{ } \n" => true;
            "\u{feff}{}" => false;
            "[]" => false;
            "{\"a\":1,}" => false;
            "{\"a\":1 \"b\":2}" => false;
            "{\"a\":01}" => false;
            "{\"a\":-0}" => true;
            "{\"a\":1.}" => false;
            "{\"a\":.5}" => false;
            "{\"a\":1e}" => false;
            "{\"a\":1e400}" => true;
            "{\"a\":-1.5E+3}" => true;
            "{\"a\":+1}" => false;
            // Numbers long enough for the eight-byte digit runs, valid and
            // broken right after the eighth, ninth and sixteenth digit, in
            // each of the three digit runs (integer, fraction, exponent).
            "{\"a\":1700000000}" => true;
            "{\"a\":12345678901234567890123}" => true;
            "{\"a\":-12345678.123456789e+12345678}" => true;
            "{\"a\":[12345678,123456789,1234567812345678]}" => true;
            "{\"a\":01234567890}" => false;
            "{\"a\":12345678x}" => false;
            "{\"a\":123456789 0}" => false;
            "{\"a\":1234567812345678.}" => false;
            "{\"a\":1.12345678e}" => false;
            "{\"a\":1.12345678e+123456789-}" => false;
            "{\"a\":1.1234567812345678.5}" => false;
            "{\"a\":{\"b\":12345678:}}" => false;
            // A run that ends inside an eight-byte word with more document
            // after it (the word holds the stop and what follows).
            "{\"a\":123,\"b\":4567890123}" => true;
            "{\"a\":1.25e3,\"bbbbbbbbbb\":1}" => true;
            "{\"a\":[1,22,333,4444],\"b\":0}" => true;
            "{\"a\":12345x678901234567}" => false;
            "{\"a\":1.5x,\"bbbbbbbbbb\":1}" => false;
            "{\"a\":1e5x,\"bbbbbbbbbb\":1}" => false;
            "{\"a\":1.,\"bbbbbbbbbb\":1}" => false;
            "{\"a\":tru}" => false;
            "{\"a\":true,\"b\":false,\"c\":null}" => true;
            "{\"a\":[1,[2,{\"x\":[]}],{}]}" => true;
            "{\"a\":[1,]}" => false;
            "{\"a\":[,1]}" => false;
            "{\"a\":{\"b\"}}" => false;
            "{\"a\":{\"b\":1,}}" => false;
            "{\"a\":[}" => false;
            "{\"a\":\"x\ty\"}" => false;
            "{\"a\":\"\\ud83d\\ude00\"}" => true;
            "{\"a\":\"\\ud800\"}" => false;
            "{\"a\":\"\\ude00\"}" => false;
            "{\"a\":\"\\ud800\\u0041\"}" => false;
            "{\"a\":\"\\x\"}" => false;
            "{\"a\":\"\\u00G0\"}" => false;
            "{\"a\":1}{}" => false;
            "{\"a\":1,\"a\":2}" => false;
            "{\"a\":1,\"\\u0061\":2}" => false;
            "{\"a\":{\"b\":1,\"b\":2}}" => true;
        }
    }

    #[test]
    fn invalid_utf8_is_malformed() {
        assert_eq!(scan_object(b"{\"a\":\"\xff\"}", |_| Ok(())), Err(Error::Malformed));
    }

    #[test]
    fn depth_limit() {
        assert!(ok(&nested(32)));
        assert!(!ok(&nested(33)));
    }

    #[test]
    fn unescape() {
        let doc = br#"{"k":"a\/b\u00e9\ud83d\ude00\n"}"#;
        let m = find_member(doc, b"k").unwrap();
        let Value::Str(s) = m.value else { panic!() };
        let mut out = [0u8; 16];
        let n = s.unescape_into(&mut out).unwrap();
        assert_eq!(&out[..n], "a/bé😀\n".as_bytes());
        assert_eq!(s.unescaped_len(), n);
        assert_eq!(s.unescape_into(&mut [0u8; 3]), Err(Error::BufferTooSmall));
    }

    #[test]
    fn many_members_duplicate_found_past_capacity() {
        let mut doc = heapless::String::<2048>::new();
        doc.push('{').unwrap();
        for i in 0..100 {
            core::fmt::write(&mut doc, format_args!("\"m{i}\":[{i}],")).unwrap();
        }
        let mut dup = doc.clone();
        doc.push_str("\"last\":0}").unwrap();
        dup.push_str("\"m\\u00370\":0}").unwrap(); // "m70", escaped
        assert!(ok(&doc));
        assert!(!ok(&dup));
    }

    /// Every pair (i, j) of positions in a 60-member object, so that both
    /// name tables and the re-reading fallback see duplicates on both sides.
    #[test]
    fn duplicates_found_at_every_pair_of_positions() {
        // Under Miri (~1000x slower) every pair around both table boundaries.
        let positions: Vec<usize> = if cfg!(miri) { vec![0, 15, 16, 47, 48, 59] } else { (0..60).collect() };
        let build = |dup: Option<(usize, usize)>| {
            let mut doc = heapless::String::<1024>::new();
            doc.push('{').unwrap();
            for k in 0..60 {
                let name = match dup {
                    Some((i, j)) if k == j => i,
                    _ => k,
                };
                if k > 0 {
                    doc.push(',').unwrap();
                }
                core::fmt::write(&mut doc, format_args!("\"n{name}\":{k}")).unwrap();
            }
            doc.push('}').unwrap();
            doc
        };
        assert!(ok(&build(None)));
        for &j in &positions {
            for &i in positions.iter().filter(|&&i| i < j) {
                assert!(!ok(&build(Some((i, j)))), "{i} {j}");
            }
        }
    }
}
