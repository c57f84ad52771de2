#![no_main]
//! Differential: Tessera's RSA verification (our own Montgomery arithmetic
//! and padding checks) against `ring`'s, for RS256..PS512 with the test
//! keys of 2048, 2049 (PSS's one-byte-shorter encoding) and 4096 bits, on
//! genuine signatures made by `ring` (by `jsonwebtoken`'s `rsa` for the
//! 2049-bit key, which ring does not sign with) and fuzzed mutations of them (flipped
//! bytes, truncated, extended with a leading zero, the modulus itself and
//! its neighbours, arbitrary bytes). Invariants: the primitive check agrees
//! with ring; a genuine signature verifies; the whole token is refused with
//! `BadSignature` exactly when ring refuses the signature.
use std::sync::OnceLock;

use arbitrary::Arbitrary;
use base64ct::{Base64, Base64UrlUnpadded, Encoding};
use libfuzzer_sys::fuzz_target;
use ring::rand::SystemRandom;
use std::str::FromStr;

use ring::signature::{self, RsaKeyPair};
use tessera_core::{Algorithm, ClaimSet, Error, Key, Policy, verify};

#[derive(Arbitrary, Debug)]
enum Mutation {
    None,
    Flip(u16, u8),
    Truncate(u8),
    LeadingZero,
    Modulus(i8),
    Replace(Vec<u8>),
}

#[derive(Arbitrary, Debug)]
struct Input {
    key: u8,
    alg: u8,
    payload: Vec<u8>,
    mutation: Mutation,
}

struct TestKey {
    /// ring's signer, or the PEM for jsonwebtoken's.
    pair: Result<RsaKeyPair, &'static str>,
    public_pem: &'static str,
}

fn der(pem: &str) -> Vec<u8> {
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    Base64::decode_vec(&body).unwrap()
}

fn keys() -> &'static [TestKey] {
    static KEYS: OnceLock<Vec<TestKey>> = OnceLock::new();
    KEYS.get_or_init(|| {
        [
            (include_str!("../../tests/keys/rsa2048.pem"), include_str!("../../tests/keys/rsa2048.pub.pem")),
            (include_str!("../../tests/keys/rsa2049.pem"), include_str!("../../tests/keys/rsa2049.pub.pem")),
            (include_str!("../../tests/keys/rsa4096.pem"), include_str!("../../tests/keys/rsa4096.pub.pem")),
        ]
        .into_iter()
        .map(|(private, public_pem)| TestKey { pair: RsaKeyPair::from_pkcs8(&der(private)).map_err(|_| private), public_pem })
        .collect()
    })
}

const ALGS: [(Algorithm, &dyn signature::RsaEncoding, &signature::RsaParameters); 6] = [
    (Algorithm::Rs256, &signature::RSA_PKCS1_SHA256, &signature::RSA_PKCS1_2048_8192_SHA256),
    (Algorithm::Rs384, &signature::RSA_PKCS1_SHA384, &signature::RSA_PKCS1_2048_8192_SHA384),
    (Algorithm::Rs512, &signature::RSA_PKCS1_SHA512, &signature::RSA_PKCS1_2048_8192_SHA512),
    (Algorithm::Ps256, &signature::RSA_PSS_SHA256, &signature::RSA_PSS_2048_8192_SHA256),
    (Algorithm::Ps384, &signature::RSA_PSS_SHA384, &signature::RSA_PSS_2048_8192_SHA384),
    (Algorithm::Ps512, &signature::RSA_PSS_SHA512, &signature::RSA_PSS_2048_8192_SHA512),
];

/// n and e of a test key's SPKI (its header is 24 bytes for these sizes;
/// then RSAPublicKey: SEQUENCE, 0x82, a 2-byte length, two INTEGERs).
fn rsa_public_key(spki: &[u8]) -> signature::RsaPublicKeyComponents<Vec<u8>> {
    let mut rest = &spki[28..];
    let mut ints = Vec::new();
    for _ in 0..2 {
        assert_eq!(rest[0], 0x02);
        let (len, skip) = match rest[1] {
            l if l < 0x80 => (usize::from(l), 2),
            0x81 => (usize::from(rest[2]), 3),
            _ => (usize::from(rest[2]) << 8 | usize::from(rest[3]), 4),
        };
        let mut v = rest[skip..skip + len].to_vec();
        while v.first() == Some(&0) {
            v.remove(0);
        }
        ints.push(v);
        rest = &rest[skip + len..];
    }
    let e = ints.pop().unwrap();
    signature::RsaPublicKeyComponents { n: ints.pop().unwrap(), e }
}

fuzz_target!(|input: Input| {
    let keys = keys();
    let test_key = &keys[usize::from(input.key) % keys.len()];
    let (alg, encoding, params) = ALGS[usize::from(input.alg) % ALGS.len()];
    let key = Key::from_spki_pem(test_key.public_pem, alg).unwrap();
    let header = format!(r#"{{"alg":"{}"}}"#, alg.name());
    let signing_input = format!(
        "{}.{}",
        Base64UrlUnpadded::encode_string(header.as_bytes()),
        Base64UrlUnpadded::encode_string(&input.payload)
    );
    let msg = signing_input.as_bytes();
    let Key::Rsa(rsa) = &key else { unreachable!() };
    let mut sig = vec![0u8; rsa.signature_len()];
    match &test_key.pair {
        Ok(pair) => pair.sign(encoding, &SystemRandom::new(), msg, &mut sig).unwrap(),
        Err(private_pem) => {
            let peer = jsonwebtoken::Algorithm::from_str(alg.name()).unwrap();
            let pem = jsonwebtoken::EncodingKey::from_rsa_pem(private_pem.as_bytes()).unwrap();
            sig = Base64UrlUnpadded::decode_vec(&jsonwebtoken::crypto::sign(msg, &pem, peer).unwrap()).unwrap();
        }
    }
    // n and e as ring reads them, from the SPKI (a BIT STRING holding RSAPublicKey).
    let spki = der(test_key.public_pem);
    let components = rsa_public_key(&spki);
    let n = components.n.clone();
    match &input.mutation {
        Mutation::None => {}
        Mutation::Flip(at, bits) => {
            let len = sig.len();
            sig[usize::from(*at) % len] ^= bits | 1;
        }
        Mutation::Truncate(k) => sig.truncate(sig.len().saturating_sub(usize::from(*k % 8) + 1)),
        Mutation::LeadingZero => sig.insert(0, 0),
        Mutation::Modulus(delta) => {
            // n + delta, big-endian (n is odd and large: no carry beyond the last bytes matters here).
            sig = n.clone();
            let last = sig.len() - 1;
            sig[last] = sig[last].wrapping_add(*delta as u8);
        }
        Mutation::Replace(bytes) => sig = bytes.clone(),
    }
    let ring_ok = components.verify(params, msg, &sig).is_ok();
    let ours = rsa.verify_signature(msg, &sig);
    assert_eq!(ours, ring_ok, "{alg:?}: tessera {ours}, ring {ring_ok} for {:?}", input.mutation);
    if matches!(input.mutation, Mutation::None) {
        assert!(ours, "{alg:?}: a genuine signature was refused");
    }
    let token = format!("{signing_input}.{}", Base64UrlUnpadded::encode_string(&sig));
    let mut scratch = [0u8; tessera_core::SCRATCH_LEN];
    let result = verify(&token, &key, &Policy::new(1).required(ClaimSet::EMPTY), &mut scratch);
    if sig.is_empty() || input.payload.is_empty() {
        assert_eq!(result.err(), Some(Error::Malformed));
    } else if token.len() <= 8192 {
        assert_eq!(result == Err(Error::BadSignature), !ring_ok, "{alg:?}: token verdict {result:?}, ring {ring_ok}");
    }
});
