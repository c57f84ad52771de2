//! A global allocator that counts, per thread, the allocations it serves:
//! the allocation-free proofs (`tests/tests/no_alloc.rs`,
//! `ffi/tests/no_alloc.rs`) install it and read [`allocations`] around the
//! calls under test.
//!
//! ```
//! use tessera_tests::counting::{Counting, allocations};
//!
//! #[global_allocator]
//! static GLOBAL: Counting = Counting;
//!
//! fn main() {
//!     let before = allocations();
//!     let v = std::hint::black_box(vec![1u8; 8]);
//!     assert_eq!(allocations() - before, 1);
//!     drop(v);
//! }
//! ```
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

/// The system allocator, counting `alloc` and `realloc` calls.
pub struct Counting;

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

/// Allocations served on this thread so far (when [`Counting`] is the
/// global allocator).
pub fn allocations() -> u64 {
    ALLOCATIONS.with(Cell::get)
}
