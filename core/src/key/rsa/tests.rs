use super::modulus::Modulus;
use super::*;
use crate::base64url;

// RFC 7515 Appendix A.2 (RS256, a 2048-bit key).
const A2_N: &str = "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ";
const A2_TOKEN: &str = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw";

fn a2(alg: Algorithm) -> RsaKey {
    let mut n = [0u8; 512];
    let n = base64url::decode(A2_N.as_bytes(), &mut n).unwrap();
    RsaKey::from_components(alg, n, &[1, 0, 1]).unwrap()
}

fn a2_parts() -> (&'static [u8], Vec<u8>) {
    let (input, sig) = A2_TOKEN.rsplit_once('.').unwrap();
    let mut buf = [0u8; 512];
    let sig = base64url::decode(sig.as_bytes(), &mut buf).unwrap().to_vec();
    (input.as_bytes(), sig)
}

#[test]
fn rfc7515_a2_verifies_and_nothing_near_it_does() {
    let key = a2(Algorithm::Rs256);
    assert_eq!((key.modulus_bits(), key.signature_len()), (2048, 256));
    let (input, sig) = a2_parts();
    assert!(key.verify_signature(input, &sig));
    // Through the whole verifier (the token expired in 2011).
    let mut scratch = [0u8; 1024];
    let t = crate::verify(A2_TOKEN, &key, &crate::Policy::new(1_300_819_379), &mut scratch).unwrap();
    assert_eq!(t.claims.iss(), Some("joe"));
    // Another message, a flipped bit anywhere, other hashes and PSS.
    assert!(!key.verify_signature(b"eyJhbGciOiJSUzI1NiJ9.e30", &sig));
    // Under Miri (an interpreter: a 2048-bit verify takes seconds) fewer
    // of the same kind.
    let flips: &[usize] = if cfg!(miri) { &[100] } else { &[0, 1, 100, 255] };
    for &i in flips {
        let mut bad = sig.clone();
        bad[i] ^= 0x01;
        assert!(!key.verify_signature(input, &bad), "byte {i}");
    }
    let others: &[Algorithm] =
        if cfg!(miri) { &[Algorithm::Ps256] } else { &[Algorithm::Rs384, Algorithm::Rs512, Algorithm::Ps256] };
    for &alg in others {
        assert!(!a2(alg).verify_signature(input, &sig), "{alg:?}");
    }
    // Exactly k bytes: a leading zero byte added or a byte dropped fails.
    let mut longer = std::vec![0u8];
    longer.extend_from_slice(&sig);
    assert!(!key.verify_signature(input, &longer));
    assert!(!key.verify_signature(input, &sig[1..]));
    // s = n and s > n fail (s mod n would be a different, maybe valid, value).
    let mut n = [0u8; 512];
    let n = base64url::decode(A2_N.as_bytes(), &mut n).unwrap().to_vec();
    assert!(!key.verify_signature(input, &n));
    assert!(!key.verify_signature(input, &[0xFF; 256]));
    assert!(!key.verify_signature(input, &[0; 256]));
}

#[test]
fn import_rules() {
    let mut n = [0u8; 512];
    let n = base64url::decode(A2_N.as_bytes(), &mut n).unwrap().to_vec();
    let e = [1u8, 0, 1];
    let is = |alg, n: &[u8], e: &[u8]| RsaKey::from_components(alg, n, e).err();
    assert_eq!(is(Algorithm::Hs256, &n, &e), Some(Error::InvalidArgument));
    assert_eq!(is(Algorithm::EdDsa, &n, &e), Some(Error::InvalidArgument));
    let mut zero_led = std::vec![0u8];
    zero_led.extend_from_slice(&n);
    assert_eq!(is(Algorithm::Rs256, &zero_led, &e), Some(Error::InvalidKey));
    assert_eq!(is(Algorithm::Rs256, &[], &e), Some(Error::InvalidKey));
    let mut even = n.clone();
    *even.last_mut().unwrap() &= 0xFE;
    assert_eq!(is(Algorithm::Rs256, &even, &e), Some(Error::InvalidKey));
    // 2047 bits: weak; 4096 bits fine; 4097 bits: not supported.
    let mut short = n.clone();
    short[0] = 0x7F;
    assert_eq!(is(Algorithm::Rs256, &short, &e), Some(Error::WeakKey));
    assert_eq!(is(Algorithm::Rs256, &n[1..], &e), Some(Error::WeakKey));
    let big = [0xABu8; 512];
    assert_eq!(RsaKey::from_components(Algorithm::Ps512, &big, &e).unwrap().modulus_bits(), 4096);
    let mut bigger = std::vec![1u8];
    bigger.extend_from_slice(&big);
    assert_eq!(is(Algorithm::Rs256, &bigger, &e), Some(Error::InvalidKey));
    // Exponents: odd, 3 <= e < 2^33, no leading zero bytes.
    for (e, want) in [
        (&[3u8][..], None),
        (&[1, 0xFF, 0xFF, 0xFF, 0xFF][..], None),
        (&[1][..], Some(Error::WeakKey)),
        (&[2, 0, 0, 0, 1][..], Some(Error::InvalidKey)),
        (&[1, 0, 0][..], Some(Error::InvalidKey)),
        (&[0][..], Some(Error::InvalidKey)),
        (&[0, 3][..], Some(Error::InvalidKey)),
        (&[][..], Some(Error::InvalidKey)),
        (&[1, 0, 0, 0, 0, 1][..], Some(Error::InvalidKey)),
    ] {
        assert_eq!(is(Algorithm::Rs256, &n, e), want, "{e:?}");
    }
}

/// x^e mod n, the schoolbook way, for n < 2^64.
fn reference_pow(x: u64, mut e: u64, n: u64) -> u64 {
    let (mut acc, mut b, n) = (1u128, u128::from(x) % u128::from(n), u128::from(n));
    while e > 0 {
        if e & 1 == 1 {
            acc = acc * b % n;
        }
        b = b * b % n;
        e >>= 1;
    }
    u64::try_from(acc).unwrap()
}

#[test]
fn montgomery_arithmetic_matches_a_reference_on_small_moduli() {
    // A 64-bit odd modulus is one limb on 64-bit targets and two on 32-bit
    // ones; bases and exponents from a fixed LCG, the edges added.
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut next = || {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        state
    };
    let runs = if cfg!(miri) { 20 } else { 2000 };
    for i in 0..runs {
        let n = match i {
            0 => u64::MAX,
            1 => (1 << 63) | 1,
            2 => 3,
            _ => next() | 1 | (1 << (next() % 64)),
        };
        let m = Modulus::new(&n.to_be_bytes()[n.leading_zeros() as usize / 8..]).unwrap();
        let len = 8 - n.leading_zeros() as usize / 8;
        for x in [0, 1, n - 1, next() % n] {
            let e = match i % 4 {
                0 => 65537,
                1 => 3,
                2 => 1,
                _ => next() >> 31,
            };
            let e = e.max(1);
            let mut out = [0u8; 8];
            m.pow(&x.to_be_bytes()[8 - len..], e, &mut out[8 - len..]);
            assert_eq!(u64::from_be_bytes(out), reference_pow(x, e, n), "{x}^{e} mod {n}");
        }
    }
}
