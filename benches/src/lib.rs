//! The benchmark inputs, shared by the Rust benches and the report: the
//! three tokens of the performance issue (small, access, large), signed
//! with one HS256 key, with the policies that verify them.
// A benchmark harness: a failed setup should stop it loudly.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use tessera_core::sign::sign_raw;
use tessera_core::{Algorithm, HmacKey, Policy};

/// The benchmark secret (32 bytes).
pub const SECRET: &[u8; 32] = b"benchmark secret, thirty-two b!!";
/// Issue time of the benchmark tokens; they verify at `NOW`.
pub const NOW: u64 = 1_700_000_100;

/// The header of every benchmark token.
pub const HEADER: &str = r#"{"alg":"HS256","typ":"JWT"}"#;

/// `{"sub":"42","exp":…}`.
pub fn small_payload() -> String {
    r#"{"sub":"42","exp":1700000900}"#.to_owned()
}

/// The access token: iss, sub, aud, exp, iat, nbf, jti (uuid), sid, scope (two), azp.
pub fn access_payload() -> String {
    r#"{"iss":"https://auth.example.com","sub":"user-42","aud":"api","exp":1700000900,"iat":1700000000,"nbf":1700000000,"jti":"6f1c2a9e-8d4b-4c1e-9f2a-3b5d7e9a1c3f","sid":"s-7f3a2b","scope":"profile:read likes:write","azp":"web-app"}"#.to_owned()
}

/// The access claims plus 40 roles and a nested `meta` object (≈2 KB token).
pub fn large_payload() -> String {
    let roles: Vec<String> = (0..40).map(|i| format!("\"role-{i:02}-reader\"")).collect();
    let access = access_payload();
    format!(
        r#"{},"roles":[{}],"meta":{{"tenant":"tenant-0001","region":"eu-west-1","flags":{{"beta":true,"mfa":true,"level":3}},"quota":[100,250,500],"created":"2024-01-01T00:00:00Z"}}}}"#,
        &access[..access.len() - 1],
        roles.join(",")
    )
}

/// The signed token for `payload`.
pub fn token(payload: &str) -> String {
    let key = HmacKey::new(Algorithm::Hs256, SECRET).expect("key");
    let mut out = vec![0u8; 8192];
    sign_raw(HEADER.as_bytes(), payload.as_bytes(), &key, &mut out).expect("sign").to_owned()
}

/// The policy each token is verified under: exp/nbf always; iss and aud
/// for the access and large tokens.
pub fn policy(with_iss_aud: bool) -> Policy<'static> {
    let p = Policy::new(NOW);
    if with_iss_aud { p.issuer("https://auth.example.com").audience("api") } else { p }
}
