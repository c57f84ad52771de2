//! Proves the verify path allocates nothing: a counting global allocator
#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::cast_possible_truncation
)]
//! watches thousands of verifications of every shared vector.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use tessera_core::{decode_unverified, verify};
use tessera_tests::{Keys, load};

struct Counting;

thread_local! {
    // Counted per thread, so the test harness's own threads do not interfere.
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

// SAFETY: defers to the system allocator; only counts calls.
#[allow(unsafe_code)]
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.with(|c| c.set(c.get() + 1));
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.with(|c| c.set(c.get() + 1));
        // SAFETY: same contract as the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations() -> u64 {
    ALLOCATIONS.with(Cell::get)
}

#[test]
fn verify_never_allocates() {
    let vectors = load("verify.json");
    let keys: Vec<Keys> = vectors.iter().map(|v| v.keys().expect("vector key")).collect();
    let mut scratch = vec![0u8; tessera_core::SCRATCH_LEN];
    let mut accepted = 0u64;
    let mut refused = 0u64;
    let mut during = 0u64;
    for _ in 0..20 {
        for (v, k) in vectors.iter().zip(&keys) {
            // Building the policy from the vector may allocate; only the calls are counted.
            let ok = v.with_policy(|policy| {
                let before = allocations();
                let r =
                    match k {
                        Keys::One(key) => verify(&v.token, &**key, policy, &mut scratch)
                            .map(|t| t.claims.aud().map(|a| a.iter().count())),
                        Keys::Set(set) => verify(&v.token, &**set, policy, &mut scratch)
                            .map(|t| t.claims.aud().map(|a| a.iter().count())),
                    };
                let _ = decode_unverified(&v.token, &mut scratch).map(|u| u.claims.get_raw("x"));
                during += allocations() - before;
                r
            });
            if ok.is_ok() { accepted += 1 } else { refused += 1 }
        }
    }
    let after = allocations();
    assert!(accepted > 1000 && refused > 1000, "{accepted} accepted, {refused} refused");
    assert_eq!(during, 0, "{during} allocations during {} verifies", accepted + refused);
    // The counter works: an allocation right here is seen.
    let v = std::hint::black_box(vec![1u8; 10]);
    assert_eq!(allocations() - after, 1);
    drop(v);
}
