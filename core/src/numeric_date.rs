//! `NumericDate` values (RFC 7519 §2) read exactly from their JSON text.

/// The exclusive upper bound of a NumericDate: 2^53, the end of the range
/// where JSON numbers are exact in every common implementation.
pub const MAX_EXCLUSIVE: u64 = 1 << 53;

/// Reads a NumericDate from a JSON number's text (already grammar-checked).
///
/// A non-integer is rounded up to the ceiling of its exact decimal value:
/// `1.5` is 2, `1e-400` is 1, `2.0` is 2, `15e-1` is 2. Returns `None` when
/// the value is negative or its ceiling is not below 2^53: the bound applies
/// to the value exposed, so `9007199254740991.5` (ceiling 2^53, not a safe
/// integer in JavaScript) is refused. No floating point is used.
///
/// ```
/// use tessera_core::numeric_date::parse;
/// assert_eq!(parse(b"1700000000"), Some(1_700_000_000));
/// assert_eq!(parse(b"1.7e9"), Some(1_700_000_000));
/// assert_eq!(parse(b"0.0001"), Some(1));
/// assert_eq!(parse(b"-1"), None);
/// assert_eq!(parse(b"9007199254740992"), None);
/// assert_eq!(parse(b"9007199254740991.5"), None);
/// ```
pub fn parse(text: &[u8]) -> Option<u64> {
    // Fast path: a plain non-negative integer of at most 16 digits.
    if let Some(v) = plain_integer(text) {
        return (v < MAX_EXCLUSIVE).then_some(v);
    }
    let (negative, body) = match text.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, text),
    };
    let mantissa_end = body.iter().position(|&c| c == b'e' || c == b'E').unwrap_or(body.len());
    let (mantissa, exp_text) = body.split_at(mantissa_end);
    let exponent = exponent(exp_text.get(1..).unwrap_or_default());
    let (int_digits, frac_digits) = match mantissa.iter().position(|&c| c == b'.') {
        Some(dot) => (mantissa.get(..dot)?, mantissa.get(dot + 1..)?),
        None => (mantissa, &b""[..]),
    };
    // The digits int ++ frac with the decimal point after `point` of them.
    let digits = || int_digits.iter().chain(frac_digits.iter()).copied();
    let leading_zeros = digits().take_while(|&d| d == b'0').count();
    let significant = int_digits.len() + frac_digits.len() - leading_zeros;
    if significant == 0 {
        return Some(0); // Zero, whatever its sign or exponent.
    }
    if negative {
        return None;
    }
    let int_len = i64::try_from(int_digits.len()).ok()?;
    let zeros = i64::try_from(leading_zeros).ok()?;
    // Digits of the integer part once leading zeros are dropped.
    let point = int_len.saturating_add(exponent).saturating_sub(zeros);
    if point <= 0 {
        return Some(1); // 0 < value < 1.
    }
    if point > 16 {
        return None; // value >= 10^16 > 2^53.
    }
    let point = usize::try_from(point).ok()?;
    let mut sig = digits().skip(leading_zeros);
    let mut int: u64 = 0;
    for _ in 0..point {
        // Past the last digit the exponent contributes zeros.
        int = int * 10 + u64::from(sig.next().map_or(0, |d| d - b'0'));
    }
    if int >= MAX_EXCLUSIVE {
        return None;
    }
    let ceiling = int + u64::from(sig.any(|d| d != b'0'));
    (ceiling < MAX_EXCLUSIVE).then_some(ceiling)
}

/// [`parse`], and whether `text` is written other than as plain digits (a
/// fraction, an exponent, a sign), for `Claims::times_need_rounding`. One
/// pass over the common form instead of a parse and a digit scan.
#[inline]
pub(crate) fn parse_noting_form(text: &[u8]) -> (Option<u64>, bool) {
    if let Some(v) = plain_integer(text) {
        return ((v < MAX_EXCLUSIVE).then_some(v), false);
    }
    (parse(text), !text.iter().all(u8::is_ascii_digit))
}

/// The value of `text` when it is 1 to 16 ASCII digits, eight at a time
/// (SWAR, as in Lemire's "Faster integer parsing"): timestamps are ten
/// digits, and a digit loop is a chain of ten dependent multiplications.
/// The two words are loaded straight from `text` (the last eight bytes, and
/// the first eight shifted so that only the leading digits remain): copying
/// into a padded buffer first stalled the loads on the copy's stores.
#[inline]
fn plain_integer(text: &[u8]) -> Option<u64> {
    let len = text.len();
    if len < 8 {
        let digits = !text.is_empty() && text.iter().all(u8::is_ascii_digit);
        return digits.then(|| text.iter().fold(0u64, |v, &d| v * 10 + u64::from(d - b'0')));
    }
    if len > 16 {
        return None;
    }
    let word = |b: Option<&[u8]>| b.and_then(|b| <[u8; 8]>::try_from(b).ok()).map(u64::from_le_bytes);
    let low = eight_digits(word(text.get(len - 8..))?)?;
    let lead = len - 8; // 0 to 8 leading digits before the last eight
    if lead == 0 {
        return Some(low);
    }
    // The first `lead` bytes moved to the top, '0's below them.
    let shift = 8 * (8 - u32::try_from(lead).unwrap_or(8));
    let high = (word(text.get(..8))? << shift) | ZEROS.checked_shr(64 - shift).unwrap_or(0);
    Some(eight_digits(high)? * 100_000_000 + low)
}

const ZEROS: u64 = 0x3030_3030_3030_3030;

/// Eight ASCII digits, the first in the lowest byte, as their value.
#[inline(always)]
fn eight_digits(v: u64) -> Option<u64> {
    const HIGH: u64 = 0xF0F0_F0F0_F0F0_F0F0;
    // Every byte is 0x30..=0x39: its high nibble is 3, and adding 6 keeps it 3.
    if v & HIGH != ZEROS || v.wrapping_add(0x0606_0606_0606_0606) & HIGH != ZEROS {
        return None;
    }
    let d = v - ZEROS;
    // Neighbouring digits into two-digit values (in every other byte), then
    // those into four-digit values, then the two halves.
    // The products wrap on purpose: only their high halves are kept.
    let pairs = d * 10 + (d >> 8);
    let quads = (pairs & 0x0000_00FF_0000_00FF)
        .wrapping_mul(100 + (1_000_000 << 32))
        .wrapping_add(((pairs >> 16) & 0x0000_00FF_0000_00FF).wrapping_mul(1 + (10_000 << 32)));
    Some(quads >> 32)
}

/// The exponent's value, saturated far beyond any meaningful range.
fn exponent(text: &[u8]) -> i64 {
    let (negative, digits) = match text.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, text),
    };
    let magnitude =
        digits.iter().fold(0i64, |v, &d| v.saturating_mul(10).saturating_add(i64::from(d - b'0')).min(1 << 40));
    if negative { -magnitude } else { magnitude }
}

#[cfg(test)]
mod tests {
    use super::*;

    macro_rules! cases {
        ($($text:expr => $v:expr;)*) => { $( assert_eq!(parse($text.as_bytes()), $v, "{}", $text); )* };
    }

    #[test]
    fn parse_noting_form_is_parse_and_a_digit_scan() {
        let texts = [
            "0",
            "7",
            "1700000000",
            "12345678",
            "1234567",
            "9007199254740991",
            "9007199254740992",
            "12345678901234567",
            "99999999999999999999",
            "1.5",
            "1.0",
            "15e-1",
            "1e3",
            "-0",
            "-1",
            "0.0001",
            "1E2",
            "00000001700000000",
        ];
        for text in texts {
            let plain = text.bytes().all(|c| c.is_ascii_digit());
            assert_eq!(parse_noting_form(text.as_bytes()), (parse(text.as_bytes()), !plain), "{text}");
        }
    }

    #[test]
    fn exact_values() {
        cases! {
            "0" => Some(0);
            "-0" => Some(0);
            "-0.0e7" => Some(0);
            "0e-99999999999999999999" => Some(0);
            "1" => Some(1);
            "-1" => None;
            "-0.5" => None;
            "1.5" => Some(2);
            "1.0" => Some(1);
            "1.000000000000000000000000000001" => Some(2);
            "15e-1" => Some(2);
            "1E2" => Some(100);
            "1e+2" => Some(100);
            "0.001e3" => Some(1);
            "0.0011e3" => Some(2);
            "1e-400" => Some(1);
            "1e400" => None;
            "1e99999999999999999999999" => None;
            "9007199254740991" => Some(9_007_199_254_740_991);
            "9007199254740992" => None;
            "9007199254740991.5" => None;
            "9007199254740990.5" => Some(9_007_199_254_740_991);
            "9007199254740991e0" => Some(9_007_199_254_740_991);
            "9.0071992547409915e15" => None;
            "900719925474099.05e1" => Some(9_007_199_254_740_991);
            "9007199254740991.0000" => Some(9_007_199_254_740_991);
            "9.007199254740991e15" => Some(9_007_199_254_740_991);
            "9.007199254740992e15" => None;
            "00000000000000000001" => Some(1);
            "1700000000.000" => Some(1_700_000_000);
            "17e8" => Some(1_700_000_000);
            "0.17e10" => Some(1_700_000_000);
            "10000000000000000" => None;
        }
    }

    /// The eight-at-a-time integer path against a digit loop: every length
    /// to 16 with varied digits, and every non-digit byte at every position.
    #[test]
    fn plain_integers_agree_with_a_digit_loop() {
        let by_loop = |t: &[u8]| {
            (!t.is_empty() && t.len() <= 16 && t.iter().all(u8::is_ascii_digit))
                .then(|| t.iter().fold(0u64, |v, &d| v * 10 + u64::from(d - b'0')))
        };
        let step = if cfg!(miri) { 37 } else { 1 };
        for len in 0..=18usize {
            for seed in 0..if cfg!(miri) { 3 } else { 50 } {
                let text: Vec<u8> = (0..len).map(|i| b"0123456789"[(i * 7 + seed * 13 + i * seed) % 10]).collect();
                assert_eq!(plain_integer(&text), by_loop(&text), "{text:?}");
            }
            let nines = vec![b'9'; len];
            assert_eq!(plain_integer(&nines), by_loop(&nines));
            for pos in 0..len {
                for byte in (0..=255u8).step_by(step) {
                    let mut t = nines.clone();
                    t[pos] = byte;
                    assert_eq!(plain_integer(&t), by_loop(&t), "{t:?}");
                }
            }
        }
    }
}
