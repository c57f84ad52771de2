//! `tessera_prepared_policy`: a `tessera_policy` converted once — its
//! strings checked and copied, rule 0 applied — for servers that verify
//! every request under the same policy. Each verify then only assembles
//! the core's `Policy` from values it owns (no UTF-8 checks, no walk over
//! the caller's audience array, no overlap checks of the policy's strings).

use tessera_core::{Audiences, ClaimSet, Policy, RevocationCheck};

use crate::guard::{guard, reference, reference_mut, status};
use crate::policy::{CRevocation, TESSERA_MAX_AUDIENCES, tessera_policy, with_policy};
use crate::sign::now_or_clock;
use crate::status::tessera_status;

/// A policy prepared by `tessera_policy_prepare`: opaque, immutable, and
/// safe to share between threads that verify at once (the revocation
/// callback, if any, must be too). Free with `tessera_prepared_policy_free`.
#[allow(non_camel_case_types)]
pub struct tessera_prepared_policy {
    leeway: u64,
    required: ClaimSet,
    max_token_len: usize,
    ignore_audience: bool,
    max_age: Option<u64>,
    issued_before: Option<u64>,
    issuer: Option<Box<str>>,
    typ: Option<Box<str>>,
    audiences: Box<[Box<str>]>,
    revocation: Option<CRevocation>,
}

impl tessera_prepared_policy {
    /// Runs `f` with the core policy at `now` (0: the system clock).
    pub(crate) fn with<R>(
        &self,
        now: u64,
        f: impl FnOnce(&Policy<'_>) -> Result<R, tessera_status>,
    ) -> Result<R, tessera_status> {
        let mut policy = Policy::new(now_or_clock(now)?)
            .leeway(self.leeway)
            .required(self.required)
            .max_token_len(self.max_token_len)
            .ignore_audience(self.ignore_audience);
        policy.issuer = self.issuer.as_deref();
        policy.typ = self.typ.as_deref();
        policy.max_age = self.max_age;
        policy.issued_before = self.issued_before;
        policy.revocation = self.revocation.as_ref().map(|r| r as &dyn RevocationCheck);
        match &*self.audiences {
            [] => f(&policy),
            // The common case, without zeroing the 16 slots below: 56
            // instructions fewer per verify (callgrind, `benches/abi.rs`).
            [one] => f(&policy.audience(one)),
            many => {
                let mut slots = [""; TESSERA_MAX_AUDIENCES];
                for (slot, a) in slots.iter_mut().zip(many) {
                    *slot = a;
                }
                let expected = slots.get(..many.len()).ok_or(tessera_status::InvalidArgument)?;
                f(&policy.audiences(expected))
            }
        }
    }
}

/// Converts `policy` once into `*out`, for `tessera_verify_prepared`: the
/// strings (issuer, typ, audiences) are checked and copied, so the caller's
/// may be freed afterwards. Every refusal a verify under `policy` would give
/// for the policy itself comes here instead (`INVALID_ARGUMENT`: a leeway
/// above `TESSERA_MAX_LEEWAY`, an explicitly empty audience list, a cut-off
/// out of range, a string that is not UTF-8; `NULL_PARAMETER`). `policy->now` must be 0:
/// the time is given to each verify, and a fixed one here would be a slip.
///
/// # Safety
/// `policy` valid (its strings and audience array as documented on
/// `tessera_policy`); `out` writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tessera_policy_prepare(
    policy: *const tessera_policy,
    out: *mut *mut tessera_prepared_policy,
) -> tessera_status {
    guard(|| {
        status((|| {
            // SAFETY: forwarded contract.
            let out = unsafe { reference_mut(out) }?;
            *out = std::ptr::null_mut();
            // SAFETY: forwarded contract.
            let p = unsafe { reference(policy) }?;
            if p.now != 0 {
                return Err(tessera_status::InvalidArgument);
            }
            // SAFETY: forwarded contract: the strings are read while `p` is borrowed.
            let prepared = unsafe {
                with_policy(p, |core| {
                    core.check().map_err(tessera_status::from)?;
                    let audiences = match core.audiences {
                        Audiences::Any(list) => list.iter().map(|a| Box::from(*a)).collect(),
                        Audiences::One(a) => Box::from([Box::from(a)]),
                        Audiences::None => Box::default(),
                    };
                    Ok(tessera_prepared_policy {
                        leeway: core.leeway,
                        required: core.required,
                        max_token_len: core.max_token_len,
                        ignore_audience: core.ignore_audience,
                        max_age: core.max_age,
                        issued_before: core.issued_before,
                        issuer: core.issuer.map(Box::from),
                        typ: core.typ.map(Box::from),
                        audiences,
                        revocation: p.revoked.map(|f| CRevocation { f, user: p.revoked_user }),
                    })
                })
            }?;
            *out = Box::into_raw(Box::new(prepared));
            Ok(())
        })())
    })
}

/// Frees a policy from `tessera_policy_prepare`. NULL is ignored.
///
/// # Safety
/// `policy` must come from `tessera_policy_prepare` and not be used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tessera_prepared_policy_free(policy: *mut tessera_prepared_policy) {
    let _ = guard(|| {
        if !policy.is_null() {
            // SAFETY: the pointer came from Box::into_raw in tessera_policy_prepare.
            drop(unsafe { Box::from_raw(policy) });
        }
        tessera_status::Ok
    });
}
