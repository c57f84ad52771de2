//! Tessera for JavaScript: the `tessera-core` verifier and issuer as
//! WebAssembly, for workerd (Cloudflare Workers), Deno, Node, Bun and
//! browsers. The bindings convert types and nothing else: every rule lives
//! in the core, so verdicts match the Rust and C surfaces.

#![no_std]

extern crate alloc;

mod convert;
mod error;
mod fast;
mod http;
mod objects;
mod signer;
mod types;
mod verifier;
#[cfg(feature = "full")]
mod webcrypto;

pub use http::{bearer_token, clear_refresh_cookie, cookie_value, refresh_cookie};
pub use signer::{Signer, constant_time_equal, random_id, random_id_from_bytes, refresh_token_digest};
pub use verifier::{Verifier, decode_unverified_js, scope_contains};

/// The heap (see Cargo.toml). The lock is a spin lock that is never
/// contended (wasm32 without the atomics feature has one thread); it makes
/// the allocator `Sync` without an `unsafe` promise of ours.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: lol_alloc::LockedAllocator<lol_alloc::FreeListAllocator> =
    lol_alloc::LockedAllocator::new(lol_alloc::FreeListAllocator::new());

/// A panic would be a bug in the core (which is panic-free by its lints and
/// fuzzing): trap at once instead of carrying std's message formatting.
#[cfg(target_arch = "wasm32")]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    core::arch::wasm32::unreachable()
}
