//! An HS256 key and a policy set up through the C ABI as a C server would,
//! for the Rust code that calls the verify entry points:
//! `ffi/tests/no_alloc.rs` and the C loops of `benches/benches/abi.rs` and
//! `benches/benches/verify.rs`, which include this file by path.
// It sets up through the C ABI, which only `unsafe` calls reach.
#![allow(unsafe_code)]

use std::mem::MaybeUninit;

use tessera::key::{tessera_alg, tessera_key, tessera_key_free, tessera_key_new};
use tessera::policy::{tessera_policy, tessera_policy_init, tessera_str};
use tessera::prepared::{tessera_policy_prepare, tessera_prepared_policy, tessera_prepared_policy_free};
use tessera::status::tessera_status;

/// The issuer the policy requires when asked to.
pub const ISSUER: &str = "https://auth.example.com";
/// The audience it requires then.
pub const AUDIENCE: &str = "api";

/// A C key, a C policy and the same policy prepared, freed on drop. The
/// policy's `now` is 0 (the clock): set it before a verify at a fixed time.
pub struct CSetup {
    /// From `tessera_key_new`.
    pub key: *mut tessera_key,
    /// From `tessera_policy_init`, with the issuer and audience when asked.
    pub policy: tessera_policy,
    /// `policy` as `tessera_policy_prepare` made it (at `now` 0).
    pub prepared: *mut tessera_prepared_policy,
    /// What `policy.audiences` points to: on the heap, so that moving the
    /// set-up keeps the pointer valid.
    _audiences: Box<[tessera_str; 1]>,
}

impl CSetup {
    /// HS256 under `secret`; the policy requires [`ISSUER`] and [`AUDIENCE`]
    /// when `iss_aud`.
    pub fn new(secret: &[u8], iss_aud: bool) -> Self {
        let mut key: *mut tessera_key = std::ptr::null_mut();
        // SAFETY: a valid secret and out pointer.
        let s = unsafe { tessera_key_new(tessera_alg::Hs256 as u32, secret.as_ptr(), secret.len(), &mut key) };
        assert_eq!(s, tessera_status::Ok);
        let mut policy = MaybeUninit::<tessera_policy>::uninit();
        // SAFETY: writable; initialised by the call.
        let mut policy = unsafe {
            assert_eq!(tessera_policy_init(policy.as_mut_ptr()), tessera_status::Ok);
            policy.assume_init()
        };
        let audiences = Box::new([tessera_str { ptr: AUDIENCE.as_ptr().cast(), len: AUDIENCE.len() }]);
        if iss_aud {
            policy.issuer = tessera_str { ptr: ISSUER.as_ptr().cast(), len: ISSUER.len() };
            policy.audiences = audiences.as_ptr();
            policy.audiences_len = 1;
        }
        let mut prepared: *mut tessera_prepared_policy = std::ptr::null_mut();
        // SAFETY: a valid policy (its strings live as long as `self`) and out pointer.
        assert_eq!(unsafe { tessera_policy_prepare(&policy, &mut prepared) }, tessera_status::Ok);
        CSetup { key, policy, prepared, _audiences: audiences }
    }
}

impl Drop for CSetup {
    fn drop(&mut self) {
        // SAFETY: from tessera_policy_prepare and tessera_key_new, freed once.
        unsafe {
            tessera_prepared_policy_free(self.prepared);
            tessera_key_free(self.key);
        }
    }
}
