//! The tail of the caller's scratch buffer, handed out for unescaped strings.

use crate::error::Error;
use crate::json::{self, RawStr};

/// A bump allocator over borrowed bytes: each string taken stays borrowed
/// for `'a`, so results can point both into the decoded payload (strings
/// without escapes) and into the arena (unescaped copies).
pub(crate) struct Arena<'a> {
    free: &'a mut [u8],
}

impl<'a> Arena<'a> {
    pub(crate) fn new(free: &'a mut [u8]) -> Self {
        Arena { free }
    }

    fn take(&mut self, len: usize) -> Result<&'a mut [u8], Error> {
        if self.free.len() < len {
            return Err(Error::BufferTooSmall);
        }
        let (head, tail) = core::mem::take(&mut self.free).split_at_mut(len);
        self.free = tail;
        Ok(head)
    }

    /// The unescaped text of `s`, a string of the UTF-8 document `doc`:
    /// borrowed from `doc` as is when it has no escape. (Natively inlined
    /// for that common case, a few instructions, and the copy not; in
    /// WebAssembly one function, as its eight call sites cost 0.3 KB gzip.)
    #[cfg_attr(target_arch = "wasm32", inline(never))]
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub(crate) fn unescape(&mut self, doc: &'a str, s: RawStr<'a>) -> Result<&'a str, Error> {
        if !s.escaped {
            return json::sub_str(doc, s.raw).ok_or(Error::Malformed);
        }
        self.unescape_copy(s)
    }

    /// The escaped case of [`Arena::unescape`]: the unescaped copy.
    #[cfg_attr(not(target_arch = "wasm32"), inline(never))]
    fn unescape_copy(&mut self, s: RawStr<'_>) -> Result<&'a str, Error> {
        let out = self.take(s.unescaped_len())?;
        let n = s.unescape_into(out)?;
        core::str::from_utf8(out.get(..n).unwrap_or_default()).map_err(|_| Error::Malformed)
    }

    /// Unescapes every escaped string of a validated array, back to back.
    pub(crate) fn unescape_each_in_array(&mut self, array: &'a [u8]) -> Result<&'a [u8], Error> {
        let mut total = 0usize;
        json::for_each_string_in_array(array, |s| {
            if s.escaped {
                total += s.unescaped_len();
            }
            Ok(())
        })?;
        let out = self.take(total)?;
        let mut at = 0usize;
        json::for_each_string_in_array(array, |s| {
            if s.escaped {
                at += s.unescape_into(out.get_mut(at..).unwrap_or_default())?;
            }
            Ok(())
        })?;
        Ok(out)
    }
}
