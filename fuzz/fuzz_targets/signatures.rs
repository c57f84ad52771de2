#![no_main]
//! Differential: Tessera's public-key signature checks against `ring`'s, on
//! real signatures (made with the RustCrypto signing keys) and fuzzed
//! mutations of them (flipped bytes, `s` negated, truncated, zeroed,
//! replaced), over the JWS signing input of a token. Invariants: the
//! primitive check agrees with ring (and, for Ed25519, with
//! ed25519-dalek's `verify_strict`); the whole token is refused with
//! `BadSignature` exactly when ring refuses its signature.
use arbitrary::Arbitrary;
use base64ct::{Base64UrlUnpadded, Encoding};
use libfuzzer_sys::fuzz_target;
use p256::ecdsa::signature::Signer;
use ring::signature::{ECDSA_P256_SHA256_FIXED, ECDSA_P384_SHA384_FIXED, ED25519, UnparsedPublicKey};
use tessera_core::{Algorithm, ClaimSet, EcdsaKey, Ed25519Key, Error, Key, Policy, verify};

#[derive(Arbitrary, Debug)]
enum Mutation {
    None,
    Flip(u16, u8),
    NegateS,
    Truncate(u8),
    Extend(u8),
    Zero,
    Replace(Vec<u8>),
}

#[derive(Arbitrary, Debug)]
struct Input {
    family: u8,
    seed: [u8; 48],
    payload: Vec<u8>,
    mutation: Mutation,
}

fuzz_target!(|input: Input| {
    let family = input.family % 3;
    let alg = ["EdDSA", "ES256", "ES384"][usize::from(family)];
    let header = format!(r#"{{"alg":"{alg}"}}"#);
    let signing_input = format!(
        "{}.{}",
        Base64UrlUnpadded::encode_string(header.as_bytes()),
        Base64UrlUnpadded::encode_string(&input.payload)
    );
    let msg = signing_input.as_bytes();
    // The key pair, the signature, and the public key as ring reads it.
    let (key, mut sig, public, ring_alg): (Key, Vec<u8>, Vec<u8>, &'static dyn ring::signature::VerificationAlgorithm) =
        match family {
            0 => {
                let sk = ed25519_dalek::SigningKey::from_bytes(input.seed[..32].try_into().unwrap());
                let pk = sk.verifying_key().to_bytes();
                let Ok(k) = Ed25519Key::from_bytes(&pk) else { return };
                (k.into(), sk.sign(msg).to_bytes().to_vec(), pk.to_vec(), &ED25519)
            }
            1 => {
                let Ok(sk) = p256::ecdsa::SigningKey::from_slice(&input.seed[..32]) else { return };
                let point = sk.verifying_key().to_sec1_point(false);
                let s: p256::ecdsa::Signature = sk.sign(msg);
                (EcdsaKey::from_sec1(Algorithm::Es256, point.as_bytes()).unwrap().into(), s.to_bytes().to_vec(), point.as_bytes().to_vec(), &ECDSA_P256_SHA256_FIXED)
            }
            _ => {
                let Ok(sk) = p384::ecdsa::SigningKey::from_slice(&input.seed) else { return };
                let point = sk.verifying_key().to_sec1_point(false);
                let s: p384::ecdsa::Signature = sk.sign(msg);
                (EcdsaKey::from_sec1(Algorithm::Es384, point.as_bytes()).unwrap().into(), s.to_bytes().to_vec(), point.as_bytes().to_vec(), &ECDSA_P384_SHA384_FIXED)
            }
        };
    match &input.mutation {
        Mutation::None => {}
        Mutation::Flip(at, bits) => {
            let n = sig.len();
            sig[usize::from(*at) % n] ^= bits | 1;
        }
        Mutation::NegateS if family == 1 => {
            let s = p256::ecdsa::Signature::from_slice(&sig).unwrap();
            sig = p256::ecdsa::Signature::from_scalars(s.r(), -*s.s()).unwrap().to_bytes().to_vec();
        }
        Mutation::NegateS if family == 2 => {
            let s = p384::ecdsa::Signature::from_slice(&sig).unwrap();
            sig = p384::ecdsa::Signature::from_scalars(s.r(), -*s.s()).unwrap().to_bytes().to_vec();
        }
        Mutation::NegateS => {}
        Mutation::Truncate(n) => sig.truncate(sig.len().saturating_sub(usize::from(*n % 8) + 1)),
        Mutation::Extend(b) => sig.push(*b),
        Mutation::Zero => sig.iter_mut().for_each(|b| *b = 0),
        Mutation::Replace(bytes) => sig = bytes.clone(),
    }
    let ring_ok = UnparsedPublicKey::new(ring_alg, &public).verify(msg, &sig).is_ok();
    let ours = match &key {
        Key::Ed25519(k) => k.verify_signature(msg, &sig),
        // RustCrypto's check against ring's (with the core's `ring` feature,
        // which this build gets through tessera-ffi, `verify_signature` is
        // ring's own: the token verify below then checks the plumbing).
        Key::Ecdsa(k) => k.verify_signature_rustcrypto(msg, &sig),
        _ => unreachable!(),
    };
    assert_eq!(ours, ring_ok, "{alg}: tessera {ours}, ring {ring_ok} for {:?}", input.mutation);
    if let (Key::Ed25519(_), Ok(pk), Ok(bytes)) =
        (&key, ed25519_dalek::VerifyingKey::try_from(public.as_slice()), <[u8; 64]>::try_from(sig.as_slice()))
    {
        // The core computes the strict equation itself: same verdicts as
        // the ed25519-dalek call it replaces.
        let strict = pk.verify_strict(msg, &ed25519_dalek::Signature::from_bytes(&bytes)).is_ok();
        assert_eq!(ours, strict, "EdDSA: tessera {ours}, verify_strict {strict} for {:?}", input.mutation);
    }
    if matches!(input.mutation, Mutation::None | Mutation::NegateS) {
        assert!(ours, "{alg}: a genuine signature was refused");
    }
    let token = format!("{signing_input}.{}", Base64UrlUnpadded::encode_string(&sig));
    let mut scratch = [0u8; tessera_core::SCRATCH_LEN];
    let result = verify(&token, &key, &Policy::new(1).required(ClaimSet::EMPTY), &mut scratch);
    if sig.is_empty() || input.payload.is_empty() {
        // An empty segment makes no token at all (rule 2).
        assert_eq!(result.err(), Some(Error::Malformed));
    } else if token.len() <= 8192 {
        assert_eq!(result == Err(Error::BadSignature), !ring_ok, "{alg}: token verdict {result:?}, ring {ring_ok}");
    }
});
