#![no_main]
//! Arbitrary bytes as a token, against the fuzz key and a policy derived
//! from the input: never a panic, and never an acceptance of a token whose
//! MAC the fuzzer could not have computed (unless it is one of the seeds).
//! A token that got as far as its MAC (accepted or `BadSignature`) must
//! have three canonical base64url segments by an independent decoder
//! (rule 3 comes first): this would have caught the non-canonical
//! trailing-bits bug that the vectors found.
use base64ct::{Base64UrlUnpadded, Encoding};
use libfuzzer_sys::fuzz_target;
use tessera_core::{Algorithm, Error, HmacKey, Policy, verify};

fuzz_target!(|data: &[u8]| {
    let Some((&knobs, token)) = data.split_first() else { return };
    let key = HmacKey::new(Algorithm::Hs256, tessera_fuzz::SECRET).unwrap();
    let mut policy = Policy::new(1_700_000_000).leeway(u64::from(knobs & 3) * 60);
    if knobs & 4 != 0 {
        policy = policy.issuer("https://auth.example.com");
    }
    if knobs & 8 != 0 {
        policy = policy.audience("api");
    }
    if knobs & 16 != 0 {
        policy = policy.typ("at+jwt");
    }
    if knobs & 32 != 0 {
        policy = policy.max_age(3600);
    }
    let mut scratch = [0u8; tessera_core::SCRATCH_LEN];
    let verdict = verify(token, &key, &policy, &mut scratch).map(|_| ());
    if matches!(verdict, Ok(()) | Err(Error::BadSignature)) {
        let text = std::str::from_utf8(token).expect("a token past rule 3 is ASCII");
        let segments: Vec<&str> = text.split('.').collect();
        assert_eq!(segments.len(), 3, "{text}");
        for segment in segments {
            assert!(Base64UrlUnpadded::decode_vec(segment).is_ok(), "non-canonical segment {segment:?} passed rule 3");
        }
    }
    let _ = tessera_core::decode_unverified(token, &mut scratch);
});
