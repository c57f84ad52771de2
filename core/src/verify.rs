//! The verification contract, rule by rule (see `SPEC.md`).

use crate::algorithm::MAX_SIGNATURE_LEN;
use crate::arena::Arena;
use crate::base64url;
use crate::claims::{Claims, RawClaims};
use crate::error::{Claim, Error};
use crate::header::{Header, RawHeader};
use crate::key::{KeyRef, KeySource, MAX_KID_LEN};
#[cfg(test)]
use crate::policy::MAX_TIME;
use crate::policy::{Audiences, DEFAULT_MAX_TOKEN_LEN, Policy, RevocationQuery};

/// A token whose signature and claims passed every rule of a [`Policy`].
///
/// Everything borrows the caller's scratch buffer, none of the token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Verified<'a> {
    /// The header.
    pub header: Header<'a>,
    /// The claims.
    pub claims: Claims<'a>,
}

/// A token read WITHOUT checking its signature or any claim value: for
/// clients that only schedule a refresh from `exp`. Never trust it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Unverified<'a> {
    /// The header, unchecked.
    pub header: Header<'a>,
    /// The claims, typed but unchecked.
    pub claims: Claims<'a>,
}

/// The scratch size that always suffices for a token of `token_len` bytes:
/// room for the decoded header and payload, and as much again for unescaped
/// strings.
///
/// ```
/// use tessera_core::scratch_len;
/// let mut scratch = [0u8; scratch_len(8192)];
/// # let _ = &mut scratch;
/// assert_eq!(scratch_len(400), 604);
/// ```
pub const fn scratch_len(token_len: usize) -> usize {
    (token_len / 4 * 3 + 2).saturating_mul(2)
}

/// The scratch size for the default maximum token length (8192 bytes).
pub const SCRATCH_LEN: usize = scratch_len(DEFAULT_MAX_TOKEN_LEN);

/// The three segments of a compact JWS, as given.
struct Segments<'t> {
    header: &'t [u8],
    payload: &'t [u8],
    signature: &'t [u8],
    signing_input: &'t [u8],
}

/// Rules 1 and 2: length and segments.
///
/// Only the first and the last dot are looked for: a further dot can only
/// lie inside the payload segment, where it is not a base64url character,
/// so rule 3 refuses it with the same `Malformed`. This saves a scan of the
/// whole token per request.
fn split(token: &[u8], max_len: usize) -> Result<Segments<'_>, Error> {
    if token.len() > max_len {
        return Err(Error::TokenTooLong);
    }
    let d1 = first_dot(token).ok_or(Error::Malformed)?;
    let d2 = last_dot(token).ok_or(Error::Malformed)?;
    if d2 <= d1 + 1 || d1 == 0 || d2 + 1 == token.len() {
        return Err(Error::Malformed); // one dot, or an empty segment
    }
    let header = token.get(..d1).ok_or(Error::Malformed)?;
    let payload = token.get(d1 + 1..d2).ok_or(Error::Malformed)?;
    let signature = token.get(d2 + 1..).ok_or(Error::Malformed)?;
    let signing_input = token.get(..d2).ok_or(Error::Malformed)?;
    Ok(Segments { header, payload, signature, signing_input })
}

/// Eight bytes at a time: the flag bit (0x80) of each byte of `word` that is a dot.
///
/// Exact per byte (no borrow between bytes, unlike the `x - 0x01…` trick),
/// so the highest flag is as trustworthy as the lowest.
#[inline(always)]
fn dots(word: u64) -> u64 {
    const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    let x = word ^ 0x2E2E_2E2E_2E2E_2E2E;
    !(((x & LOW7) + LOW7) | x) & !LOW7
}

/// The index of the first `.` in `token`.
fn first_dot(token: &[u8]) -> Option<usize> {
    let mut words = token.chunks_exact(8);
    for (i, w) in words.by_ref().enumerate() {
        let found = dots(u64::from_le_bytes(w.try_into().ok()?));
        if found != 0 {
            return Some(i * 8 + found.trailing_zeros() as usize / 8);
        }
    }
    let done = token.len() - words.remainder().len();
    words.remainder().iter().position(|&c| c == b'.').map(|i| done + i)
}

/// The index of the last `.` in `token`.
fn last_dot(token: &[u8]) -> Option<usize> {
    let mut words = token.rchunks_exact(8);
    for (i, w) in words.by_ref().enumerate() {
        let found = dots(u64::from_le_bytes(w.try_into().ok()?));
        if found != 0 {
            return Some(token.len() - (i + 1) * 8 + 7 - found.leading_zeros() as usize / 8);
        }
    }
    words.remainder().iter().rposition(|&c| c == b'.')
}

/// Rule 3 for the header and payload: decodes both into the front of
/// `scratch`, returning them and the rest as the arena. A known header
/// (valid base64url by construction) is not decoded: its bytes come back empty.
fn decode_parts<'s>(
    seg: &Segments<'_>,
    header_known: bool,
    scratch: &'s mut [u8],
) -> Result<(&'s [u8], &'s [u8], Arena<'s>), Error> {
    let header_len = if header_known { 0 } else { base64url::decoded_len(seg.header.len()).ok_or(Error::Malformed)? };
    let payload_len = base64url::decoded_len(seg.payload.len()).ok_or(Error::Malformed)?;
    // Validate every segment's form before reporting a buffer problem.
    if base64url::decoded_len(seg.signature.len()).is_none() {
        return Err(Error::Malformed);
    }
    let (header_buf, rest) = scratch.split_at_mut_checked(header_len).ok_or(Error::BufferTooSmall)?;
    let (payload_buf, rest) = rest.split_at_mut_checked(payload_len).ok_or(Error::BufferTooSmall)?;
    let header = if header_known { &[][..] } else { base64url::decode(seg.header, header_buf)? };
    let payload = base64url::decode(seg.payload, payload_buf)?;
    Ok((header, payload, Arena::new(rest)))
}

/// Rules 3 and 4a for the header and payload: the header read (a known one
/// from its constant), the decoded payload, and the rest of `scratch` as the
/// arena. Every failure here is `Malformed`, so the order of the checks
/// does not show.
fn header_and_payload<'s>(
    seg: &Segments<'_>,
    scratch: &'s mut [u8],
) -> Result<(RawHeader<'s>, &'s [u8], Arena<'s>), Error> {
    let known = RawHeader::known(seg.header);
    let (header_json, payload_json, arena) = decode_parts(seg, known.is_some(), scratch)?;
    let header = match known {
        Some(h) => h,
        None => RawHeader::scan(header_json)?,
    };
    Ok((header, payload_json, arena))
}

/// Verifies `token` with `keys` under `policy`, decoding into `scratch`.
///
/// The rules of the contract (`core/SPEC.md`) run in order and the first
/// failure is returned. The payload is not parsed before the signature
/// is verified, and nothing allocates.
///
/// # Errors
/// One [`Error`] per rule; [`Error::BufferTooSmall`] when `scratch` is
/// shorter than needed ([`scratch_len`] of the token length always suffices).
///
/// ```
/// use tessera_core::{verify, Algorithm, HmacKey, Policy};
/// // RFC 7515 Appendix A.1 (an HS256 token from 2011, so `now` is then).
/// const TOKEN: &str = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
/// let secret = [3, 35, 53, 75, 43, 15, 165, 188, 131, 126, 6, 101, 119, 123, 166, 143, 90, 179, 40, 230, 240, 84, 201, 40, 169, 15, 132, 178, 210, 80, 46, 191, 211, 251, 90, 146, 210, 6, 71, 239, 150, 138, 180, 195, 119, 98, 61, 34, 61, 46, 33, 114, 5, 46, 79, 8, 192, 205, 154, 245, 103, 208, 128, 163];
/// let key = HmacKey::new(Algorithm::Hs256, &secret)?;
/// let mut scratch = [0u8; 512];
/// let token = verify(TOKEN, &key, &Policy::new(1_300_819_379).issuer("joe"), &mut scratch)?;
/// assert_eq!(token.claims.iss(), Some("joe"));
/// assert_eq!(token.claims.get_raw("http://example.com/is_root"), Some("true"));
/// # Ok::<(), tessera_core::Error>(())
/// ```
pub fn verify<'s, T, K>(token: &T, keys: &K, policy: &Policy<'_>, scratch: &'s mut [u8]) -> Result<Verified<'s>, Error>
where
    T: AsRef<[u8]> + ?Sized,
    K: KeySource + ?Sized,
{
    verify_with(token, keys, policy, scratch, &mut |check| check.verify())
}

/// What rule 5 is asked: is `signature` the selected key's signature over
/// `signing_input`? Given to the `check` of [`verify_with`].
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub struct SignatureCheck<'a> {
    /// The header's `alg`, which is the selected key's algorithm.
    pub algorithm: crate::Algorithm,
    /// The header's `kid`, unescaped (for a key set, it names the key).
    pub kid: Option<&'a [u8]>,
    /// The bytes signed: `header.payload` as received.
    pub signing_input: &'a [u8],
    /// The decoded signature, of any length (rule 5 refuses wrong lengths).
    pub signature: &'a [u8],
    key: KeyRef<'a>,
}

impl SignatureCheck<'_> {
    /// The check [`verify`] makes: the selected key's own verification.
    pub fn verify(&self) -> bool {
        self.key.verify_signature(self.signing_input, self.signature)
    }
}

/// [`verify`], with the signature check (rule 5) made by `check` instead of
/// the key itself: for callers that check signatures elsewhere (WebCrypto,
/// a hardware module) or must not wait for the check synchronously.
/// Every other rule runs here, in order, and the payload is still not
/// parsed unless `check` returns true: `check` is called only after rules
/// 0 to 4 passed, at most once. (A `dyn` closure: one copy of the verifier
/// per key type, whatever the checks, which keeps the WebAssembly small.)
///
/// `check` must answer for exactly the key, algorithm, input and
/// signature it is given; answering true without verifying them accepts a
/// forged token.
///
/// ```
/// use tessera_core::{Error, Policy, verify_with};
/// let (token, key) = tessera_core::doc_token(r#"{"exp":2000000000}"#);
/// let mut scratch = [0u8; 512];
/// // A check that refuses everything: the token is BadSignature, its payload never parsed.
/// let refused = verify_with(token.as_str(), &key, &Policy::new(1), &mut scratch, &mut |_| false);
/// assert_eq!(refused.err(), Some(Error::BadSignature));
/// // The key's own check: the same as `verify`.
/// assert!(verify_with(token.as_str(), &key, &Policy::new(1), &mut scratch, &mut |c| c.verify()).is_ok());
/// # Ok::<(), Error>(())
/// ```
pub fn verify_with<'s, T, K>(
    token: &T,
    keys: &K,
    policy: &Policy<'_>,
    scratch: &'s mut [u8],
    check: &mut dyn FnMut(&SignatureCheck<'_>) -> bool,
) -> Result<Verified<'s>, Error>
where
    T: AsRef<[u8]> + ?Sized,
    K: KeySource + ?Sized,
{
    let token = token.as_ref();
    // Rule 0: the policy itself (milliseconds for seconds, an empty audience list).
    policy.check()?;
    if token.is_empty() {
        return Err(Error::Malformed);
    }
    let seg = split(token, policy.max_token_len)?;
    let mut sig_buf = [0u8; MAX_SIGNATURE_LEN];
    let (raw_header, payload_json, mut arena) = header_and_payload(&seg, scratch)?;
    let signature = decode_signature(seg.signature, &mut sig_buf)?;

    // Rule 4: the header, before the signature.
    let alg = raw_header.algorithm().ok_or(Error::AlgorithmMismatch)?;
    if !keys.accepts(alg) {
        return Err(Error::AlgorithmMismatch);
    }
    if raw_header.crit {
        return Err(Error::UnsupportedCritical);
    }
    if let Some(expected) = policy.typ
        && !raw_header.typ_matches(expected)
    {
        return Err(Error::TypeMismatch);
    }
    let mut kid_buf = [0u8; MAX_KID_LEN];
    let kid = raw_header.kid().and_then(|kid| {
        let n = kid.unescape_into(&mut kid_buf).ok()?;
        kid_buf.get(..n)
    });
    let key = keys.select(kid, alg)?;

    // Rule 5: the signature over the bytes as received (an HMAC compared
    // in constant time, or the key family's public-key verification).
    let Some(signature) = signature else { return Err(Error::BadSignature) };
    let question = SignatureCheck { algorithm: alg, kid, signing_input: seg.signing_input, signature, key };
    if !check(&question) {
        return Err(Error::BadSignature);
    }

    // Rules 6 and 7, then the typed view.
    let mut raw = RawClaims::default();
    raw.read(payload_json)?;
    let header = raw_header.finish(&mut arena)?;
    let claims = raw.finish(&mut arena)?;
    check_claims(&claims, raw.present(), policy)?;
    Ok(Verified { header, claims })
}

/// Rule 3 for the signature: `None` when it is canonical base64url but too
/// long to be any signature, which rule 5 then refuses.
fn decode_signature<'b>(sig: &[u8], buf: &'b mut [u8; MAX_SIGNATURE_LEN]) -> Result<Option<&'b [u8]>, Error> {
    match base64url::decode(sig, buf) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(Error::BufferTooSmall) => base64url::validate(sig).map(|()| None),
        Err(e) => Err(e),
    }
}

/// Rules 8 to 11, then the revocation cut-off and check.
fn check_claims(claims: &Claims<'_>, present: u32, policy: &Policy<'_>) -> Result<(), Error> {
    // Rule 8.
    let missing = policy.effective_required().bits() & !present;
    if let Some(c) = Claim::ALL.into_iter().find(|c| missing & c.bit() != 0) {
        return Err(Error::MissingClaim(c));
    }
    // Rule 9.
    let now = policy.now;
    let leeway = policy.leeway;
    if let Some(exp) = claims.exp()
        && now >= exp.saturating_add(leeway)
    {
        return Err(Error::Expired(Claim::Exp));
    }
    if let Some(nbf) = claims.nbf()
        && now.saturating_add(leeway) < nbf
    {
        return Err(Error::NotYetValid(Claim::Nbf));
    }
    if let Some(iat) = claims.iat() {
        if iat > now.saturating_add(leeway) {
            return Err(Error::NotYetValid(Claim::Iat));
        }
        if let Some(max_age) = policy.max_age
            && now.saturating_sub(iat) > max_age.saturating_add(leeway)
        {
            return Err(Error::Expired(Claim::Iat));
        }
    }
    // Rule 10.
    if let Some(issuer) = policy.issuer
        && claims.iss() != Some(issuer)
    {
        return Err(Error::InvalidIssuer);
    }
    // Rule 11.
    match (&policy.audiences, claims.aud()) {
        (Audiences::None, Some(_)) if !policy.ignore_audience => return Err(Error::InvalidAudience),
        (Audiences::None, _) => {}
        (expected, aud) => {
            let accepted = aud.is_some_and(|aud| aud.iter().any(|a| expected.contains(a)));
            if !accepted {
                return Err(Error::InvalidAudience);
            }
        }
    }
    debug_assert!(!policy.audiences.is_none() || policy.ignore_audience || claims.aud().is_none());
    // Revocation, after every other rule.
    // At or before the cut-off (see `Policy::issued_before` for why inclusive).
    if let (Some(cutoff), Some(iat)) = (policy.issued_before, claims.iat())
        && iat <= cutoff
    {
        return Err(Error::Revoked);
    }
    if let Some(check) = policy.revocation {
        let query = RevocationQuery { jti: claims.jti(), sid: claims.sid(), sub: claims.sub(), iat: claims.iat() };
        if check.is_revoked(&query) {
            return Err(Error::Revoked);
        }
    }
    Ok(())
}

/// Reads a token WITHOUT verifying it: no signature, no `alg`, no time, no
/// issuer or audience check. Only the form is checked (rules 1–3 with the
/// default length limit, 4a, 6 and 7), so the claims are typed.
///
/// Use it only where the token is not trusted for anything, such as a
/// browser scheduling its refresh from `exp`.
///
/// ```
/// # use tessera_core::*;
/// # let (token, _key) = tessera_core::doc_token(r#"{"exp":2000000000}"#);
/// let mut scratch = [0u8; 512];
/// let unverified = decode_unverified(&token, &mut scratch)?;
/// assert_eq!(unverified.claims.exp(), Some(2_000_000_000));
/// # Ok::<(), Error>(())
/// ```
pub fn decode_unverified<'s, T>(token: &T, scratch: &'s mut [u8]) -> Result<Unverified<'s>, Error>
where
    T: AsRef<[u8]> + ?Sized,
{
    let token = token.as_ref();
    if token.is_empty() {
        return Err(Error::Malformed);
    }
    let seg = split(token, DEFAULT_MAX_TOKEN_LEN)?;
    let (raw_header, payload_json, mut arena) = header_and_payload(&seg, scratch)?;
    base64url::validate(seg.signature)?;
    let raw = RawClaims::scan(payload_json)?;
    let header = raw_header.finish(&mut arena)?;
    let claims = raw.finish(&mut arena)?;
    Ok(Unverified { header, claims })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::algorithm::Algorithm;
    use crate::key::{HmacKey, KeySet};
    use crate::sign::sign_raw;

    const SECRET: &[u8; 32] = b"0123456789abcdef0123456789abcdef";

    fn key() -> HmacKey {
        HmacKey::new(Algorithm::Hs256, SECRET).unwrap()
    }

    /// The word-at-a-time dot search against `position`/`rposition`: every
    /// length to 40, no dot, one dot or two at every pair of places, among
    /// bytes one bit away from a dot (`/`, `-`, `.` | 0x80, …).
    #[test]
    fn dot_search_agrees_with_a_byte_loop() {
        let fill = [b'/', b'-', 0xAE, 0x00, 0xFF, b',', 0x2F, b'A', 0x0E, 0x6E];
        // Under Miri (~1000x slower) lengths to 17: still whole words and a
        // remainder on both sides.
        let max = if cfg!(miri) { 17 } else { 40 };
        for len in 0..=max {
            for i in 0..=len {
                for j in i..=len {
                    let mut t: Vec<u8> = (0..len).map(|k| fill[(k * 7 + len) % fill.len()]).collect();
                    for at in [i, j] {
                        if let Some(b) = t.get_mut(at) {
                            *b = b'.';
                        }
                    }
                    assert_eq!(first_dot(&t), t.iter().position(|&c| c == b'.'), "{t:?}");
                    assert_eq!(last_dot(&t), t.iter().rposition(|&c| c == b'.'), "{t:?}");
                }
            }
        }
    }

    fn token(header: &str, payload: &str) -> String {
        let mut out = [0u8; 4096];
        sign_raw(header.as_bytes(), payload.as_bytes(), &key(), &mut out).unwrap().into()
    }

    fn check(header: &str, payload: &str, policy: &Policy<'_>) -> Result<(), Error> {
        let mut scratch = [0u8; 4096];
        verify(&token(header, payload), &key(), policy, &mut scratch).map(|_| ())
    }

    const H: &str = r#"{"alg":"HS256","typ":"JWT"}"#;
    const NOW: u64 = 1_000;

    macro_rules! cases {
        ($($header:expr, $payload:expr, $policy:expr => $want:expr;)*) => {
            $( assert_eq!(check($header, $payload, &$policy), $want, "{} {}", $header, $payload); )*
        };
    }

    #[test]
    fn contract_table() {
        let p = Policy::new(NOW);
        cases! {
            H, r#"{"exp":1001}"#, p => Ok(());
            H, r#"{"exp":1000}"#, p => Err(Error::Expired(Claim::Exp));
            H, r#"{"exp":1000}"#, p.leeway(1) => Ok(());
            H, r#"{}"#, p => Err(Error::MissingClaim(Claim::Exp));
            H, r#"{}"#, p.required(crate::ClaimSet::EMPTY) => Ok(());
            H, r#"{"exp":"1001"}"#, p => Err(Error::InvalidClaim(Claim::Exp));
            H, r#"{"exp":1001,"nbf":1001}"#, p => Err(Error::NotYetValid(Claim::Nbf));
            H, r#"{"exp":1001,"nbf":1000}"#, p => Ok(());
            H, r#"{"exp":1001,"iat":1001}"#, p => Err(Error::NotYetValid(Claim::Iat));
            H, r#"{"exp":1001,"iat":900}"#, p.max_age(100) => Ok(());
            H, r#"{"exp":1001,"iat":899}"#, p.max_age(100) => Err(Error::Expired(Claim::Iat));
            H, r#"{"exp":1001}"#, p.max_age(100) => Err(Error::MissingClaim(Claim::Iat));
            H, r#"{"exp":1001,"iss":"a"}"#, p.issuer("a") => Ok(());
            H, r#"{"exp":1001,"iss":"\u0061"}"#, p.issuer("a") => Ok(());
            H, r#"{"exp":1001,"iss":"b"}"#, p.issuer("a") => Err(Error::InvalidIssuer);
            H, r#"{"exp":1001}"#, p.issuer("a") => Err(Error::InvalidIssuer);
            H, r#"{"exp":1001,"aud":"x"}"#, p => Err(Error::InvalidAudience);
            H, r#"{"exp":1001,"aud":[]}"#, p => Err(Error::InvalidAudience);
            H, r#"{"exp":1001,"aud":[]}"#, p.ignore_audience(true) => Ok(());
            H, r#"{"exp":1001,"aud":["y","x"]}"#, p.audience("x") => Ok(());
            H, r#"{"exp":1001,"aud":[]}"#, p.audience("x") => Err(Error::InvalidAudience);
            H, r#"{"exp":1001,"aud":["y",1]}"#, p.audience("x") => Err(Error::InvalidClaim(Claim::Aud));
            H, r#"{"exp":1001,"exp":1002}"#, p => Err(Error::Malformed);
            r#"{"alg":"HS384"}"#, r#"{"exp":1001}"#, p => Err(Error::AlgorithmMismatch);
            r#"{"alg":"none"}"#, r#"{"exp":1001}"#, p => Err(Error::AlgorithmMismatch);
            r#"{"typ":"JWT"}"#, r#"{"exp":1001}"#, p => Err(Error::AlgorithmMismatch);
            r#"{"alg":"HS256","crit":[]}"#, r#"{"exp":1001}"#, p => Err(Error::UnsupportedCritical);
            H, r#"{"exp":1001}"#, p.typ("at+jwt") => Err(Error::TypeMismatch);
            r#"{"alg":"HS256","typ":"application/AT+JWT"}"#, r#"{"exp":1001}"#, p.typ("at+jwt") => Ok(());
        }
    }

    #[test]
    fn segments_and_base64() {
        let mut scratch = [0u8; 1024];
        let good = token(H, r#"{"exp":1001}"#);
        let p = Policy::new(NOW);
        let mut v = |t: &str| verify(t, &key(), &p, &mut scratch).map(|_| ());
        assert_eq!(v(&good), Ok(()));
        assert_eq!(v(""), Err(Error::Malformed));
        assert_eq!(v(&good[..good.rfind('.').unwrap()]), Err(Error::Malformed));
        assert_eq!(v(&good[..good.rfind('.').unwrap() + 1]), Err(Error::Malformed));
        assert_eq!(v(&std::format!("{good}.x")), Err(Error::Malformed));
        assert_eq!(v(&std::format!("{good}=")), Err(Error::Malformed));
        let mut bad = good.clone();
        bad.pop();
        bad.push(if good.ends_with('A') { 'B' } else { 'A' });
        assert!(matches!(v(&bad), Err(Error::BadSignature | Error::Malformed)));
        assert_eq!(v(&std::format!("{good}AAAA")), Err(Error::BadSignature));
        let long = std::format!("{}{}", good, "A".repeat(400));
        assert_eq!(v(&long), Err(Error::BadSignature));
        assert_eq!(
            verify(&good, &key(), &p.max_token_len(good.len() - 1), &mut [0u8; 1024]).err(),
            Some(Error::TokenTooLong)
        );
    }

    #[test]
    fn small_scratch_is_an_error() {
        let t = token(H, r#"{"exp":1001,"iss":"\u0061\u0062"}"#);
        let p = Policy::new(NOW);
        // Every size natively; under Miri (1000x slower) a stride plus the boundary.
        let (stride, last) = (if cfg!(miri) { 11 } else { 1 }, scratch_len(t.len()));
        for n in (0..last).step_by(stride).chain([last - 1, last]) {
            let mut scratch = std::vec![0u8; n];
            match verify(&t, &key(), &p, &mut scratch) {
                Err(Error::BufferTooSmall) => {}
                Ok(v) => assert_eq!(v.claims.iss(), Some("ab")),
                Err(e) => panic!("{e:?} at {n}"),
            }
        }
    }

    #[test]
    fn keyset_selects_by_kid() {
        let mut set = KeySet::<2>::new();
        set.insert("k1", key()).unwrap();
        let p = Policy::new(NOW);
        let mut scratch = [0u8; 1024];
        let t = token(r#"{"alg":"HS256","kid":"k\u0031"}"#, r#"{"exp":1001}"#);
        assert_eq!(verify(&t, &set, &p, &mut scratch).unwrap().header.kid(), Some("k1"));
        let t = token(r#"{"alg":"HS256","kid":"k2"}"#, r#"{"exp":1001}"#);
        assert_eq!(verify(&t, &set, &p, &mut scratch).err(), Some(Error::UnknownKey));
        let t = token(r#"{"alg":"HS256"}"#, r#"{"exp":1001}"#);
        assert_eq!(verify(&t, &set, &p, &mut scratch).err(), Some(Error::UnknownKey));
    }

    #[test]
    fn revocation_runs_last() {
        let revoked = |q: &RevocationQuery<'_>| q.sid == Some("s1");
        let p = Policy::new(NOW).revocation(&revoked);
        assert_eq!(check(H, r#"{"exp":1001,"sid":"s1"}"#, &p), Err(Error::Revoked));
        assert_eq!(check(H, r#"{"exp":1000,"sid":"s1"}"#, &p), Err(Error::Expired(Claim::Exp)));
        assert_eq!(check(H, r#"{"exp":1001,"sid":"s2"}"#, &p), Ok(()));
        let p = Policy::new(NOW).issued_before(500);
        assert_eq!(check(H, r#"{"exp":1001,"iat":499}"#, &p), Err(Error::Revoked));
        // The cut-off's own second, and a fraction just below it (ceiling 500).
        assert_eq!(check(H, r#"{"exp":1001,"iat":500}"#, &p), Err(Error::Revoked));
        assert_eq!(check(H, r#"{"exp":1001,"iat":499.999}"#, &p), Err(Error::Revoked));
        assert_eq!(check(H, r#"{"exp":1001,"iat":500.001}"#, &p), Ok(()));
        assert_eq!(check(H, r#"{"exp":1001,"iat":501}"#, &p), Ok(()));
    }

    #[test]
    fn policy_errors_come_first() {
        let none: [&str; 0] = [];
        let good = r#"{"exp":1001}"#;
        // An explicitly empty audience list refuses even a token without `aud`.
        assert_eq!(check(H, good, &Policy::new(NOW).audiences(&none)), Err(Error::InvalidArgument));
        assert_eq!(check(H, good, &Policy::new(NOW).audiences(&["x"])), Err(Error::InvalidAudience));
        // Milliseconds for seconds.
        assert_eq!(check(H, good, &Policy::new(MAX_TIME)), Err(Error::InvalidArgument));
        assert_eq!(check(H, r#"{"exp":100000000001}"#, &Policy::new(MAX_TIME - 1)), Ok(()));
        assert_eq!(check(H, good, &Policy::new(NOW).issued_before(MAX_TIME)), Err(Error::InvalidArgument));
        // A leeway in milliseconds (30 s as 30_000, even 1 s as 1_000) is
        // refused; five minutes is the most.
        assert_eq!(check(H, good, &Policy::new(NOW).leeway(30_000)), Err(Error::InvalidArgument));
        assert_eq!(check(H, good, &Policy::new(NOW).leeway(1_000)), Err(Error::InvalidArgument));
        assert_eq!(check(H, good, &Policy::new(NOW).leeway(crate::MAX_LEEWAY + 1)), Err(Error::InvalidArgument));
        assert_eq!(check(H, good, &Policy::new(NOW).leeway(crate::MAX_LEEWAY)), Ok(()));
        // No time given is not 1970, when this token (and every expired one) would pass.
        assert_eq!(check(H, good, &Policy::new(0)), Err(Error::InvalidArgument));
        assert_eq!(check(H, good, &Policy::new(1)), Ok(()));
        // Before any rule of the token's.
        let mut scratch = [0u8; 64];
        assert_eq!(verify("", &key(), &Policy::new(MAX_TIME), &mut scratch).err(), Some(Error::InvalidArgument));
    }

    #[test]
    fn unverified_reads_without_key() {
        let t = token(r#"{"alg":"none"}"#, r#"{"exp":5,"sub":"x"}"#);
        let mut scratch = [0u8; 1024];
        let u = decode_unverified(&t, &mut scratch).unwrap();
        assert_eq!((u.claims.exp(), u.claims.sub(), u.header.alg()), (Some(5), Some("x"), "none"));
    }
}
