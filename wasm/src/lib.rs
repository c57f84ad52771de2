//! Tessera for JavaScript: the `tessera-core` verifier and issuer as
//! WebAssembly, for workerd (Cloudflare Workers), Deno, Node, Bun and
//! browsers. The bindings convert types and nothing else: every rule lives
//! in the core, so verdicts match the Rust and C surfaces.

mod convert;
mod error;
mod http;
mod signer;
mod types;
mod verifier;

pub use http::{bearer_token, clear_refresh_cookie, cookie_value, refresh_cookie};
pub use signer::{Signer, constant_time_equal, random_id, random_id_from_bytes, refresh_token_digest};
pub use verifier::{Verifier, decode_unverified_js};
