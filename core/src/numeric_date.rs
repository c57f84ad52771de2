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
    if text.len() <= 16 && !text.is_empty() && text.iter().all(u8::is_ascii_digit) {
        let v = text.iter().fold(0u64, |v, &d| v * 10 + u64::from(d - b'0'));
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
}
