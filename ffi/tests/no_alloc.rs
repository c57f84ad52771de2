//! The C ABI's verify entry points allocate nothing per call, as the core's
//! verify does (tests/tests/no_alloc.rs): `tessera_verify` (the policy
//! converted per call) and `tessera_verify_prepared` (a policy prepared
//! once), for accepted and refused tokens. Key and policy set-up allocate;
//! only the calls are counted, by a counting global allocator.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::mem::MaybeUninit;

use tessera::prepared::{tessera_policy_prepare, tessera_prepared_policy, tessera_prepared_policy_free};
use tessera::status::tessera_status;
use tessera::verify::{tessera_claims, tessera_verify, tessera_verify_prepared};
use tessera_core::sign::sign_raw;
use tessera_core::{Algorithm, HmacKey, SCRATCH_LEN};
use tessera_tests::counting::{Counting, allocations};

#[path = "support/c_setup.rs"]
mod c_setup;

#[global_allocator]
static GLOBAL: Counting = Counting;

const SECRET: &[u8; 32] = b"allocation test secret, 32 bytes";
const NOW: u64 = 1_700_000_100;

fn token(payload: &str, secret: &[u8]) -> String {
    let key = HmacKey::new(Algorithm::Hs256, secret).unwrap();
    let mut out = vec![0u8; 4096];
    sign_raw(br#"{"alg":"HS256","typ":"at+jwt"}"#, payload.as_bytes(), &key, &mut out).unwrap().to_owned()
}

#[test]
#[allow(unsafe_code)]
fn c_verify_entry_points_never_allocate() {
    let good = r#"{"iss":"https://auth.example.com","sub":"user-1","aud":["api","img"],"exp":1700000900,"iat":1700000000,"jti":"j1","scope":"read write"}"#;
    let mut tampered = token(good, SECRET);
    tampered.replace_range(tampered.len() - 2.., "AA");
    let tokens = [
        (token(good, SECRET), true),
        (tampered, false),
        (token(good, b"another secret, also thirty-two!"), false),
        (token(&good.replace("1700000900", "1700000000"), SECRET), false), // expired
        (token(&good.replace("auth.example", "evil.example"), SECRET), false), // issuer
        (token(&good.replace(r#"["api","img"]"#, r#""img""#), SECRET), false), // audience
        (token(&good.replace(r#""sub""#, r#""iss""#), SECRET), false),     // duplicate member
        ("not a token".to_owned(), false),
    ];

    // Issuer https://auth.example.com and audience api, as the tokens carry.
    let mut c = c_setup::CSetup::new(SECRET, true);
    c.policy.now = NOW;
    let (key, prepared) = (c.key, c.prepared);
    let mut scratch = vec![0u8; SCRATCH_LEN];
    let mut claims = MaybeUninit::<tessera_claims>::uninit();

    let (mut accepted, mut refused, mut during) = (0u32, 0u32, 0u64);
    for _ in 0..50 {
        for (tok, ok) in &tokens {
            let before = allocations();
            // SAFETY: every pointer is valid for the lengths given.
            let (plain, prep) = unsafe {
                (
                    tessera_verify(
                        tok.as_ptr(),
                        tok.len(),
                        key,
                        &c.policy,
                        scratch.as_mut_ptr(),
                        scratch.len(),
                        claims.as_mut_ptr(),
                    ),
                    tessera_verify_prepared(
                        tok.as_ptr(),
                        tok.len(),
                        key,
                        prepared,
                        NOW,
                        scratch.as_mut_ptr(),
                        scratch.len(),
                        claims.as_mut_ptr(),
                    ),
                )
            };
            during += allocations() - before;
            assert_eq!(plain, prep, "{tok}");
            assert_eq!(plain == tessera_status::Ok, *ok, "{tok}: {plain:?}");
            if *ok { accepted += 2 } else { refused += 2 }
        }
    }
    assert!(accepted >= 100 && refused >= 600, "{accepted} accepted, {refused} refused");
    assert_eq!(during, 0, "{during} allocations during {} C verifies", accepted + refused);
    // The counter works here: preparing a policy allocates (its copies).
    let before = allocations();
    let mut again: *mut tessera_prepared_policy = std::ptr::null_mut();
    c.policy.now = 0;
    // SAFETY: as above.
    assert_eq!(unsafe { tessera_policy_prepare(&c.policy, &mut again) }, tessera_status::Ok);
    assert!(allocations() > before);
    // SAFETY: from tessera_policy_prepare, freed once (`c` frees its own).
    unsafe { tessera_prepared_policy_free(again) };
}
