#![no_main]
//! `bearer_token` and `cookie_value` on arbitrary strings: no panic, and
//! what they return satisfies their grammar.
use libfuzzer_sys::fuzz_target;
use tessera_core::http::{RefreshCookie, bearer_token, cookie_value};

fuzz_target!(|input: (&str, &str)| {
    let (header, name) = input;
    if let Some(t) = bearer_token(header) {
        assert!(!t.is_empty());
        assert!(header.contains(t));
        let body = t.trim_end_matches('=');
        assert!(!body.is_empty());
        assert!(body.bytes().all(|c| c.is_ascii_alphanumeric() || b"-._~+/".contains(&c)));
    }
    if let Some(v) = cookie_value(header, name) {
        assert!(header.contains(v));
        assert!(v.bytes().all(|c| c > 0x20 && c < 0x7f && !b"\",;\\".contains(&c)));
    }
    let mut out = [0u8; 512];
    if let Ok(sc) = RefreshCookie::new(name, header, 60).write(&mut out) {
        assert!(sc.ends_with("; HttpOnly; Secure; SameSite=Strict"));
        // Five separators: value, Path, Max-Age, HttpOnly, Secure; none injected.
        assert_eq!(sc.matches(';').count(), 5, "no attribute injection: {sc}");
    }
});
