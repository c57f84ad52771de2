#![no_main]
//! The vector paths (SSSE3/SSE2 here; NEON and simd128 elsewhere) against
//! the scalar code they replace, on arbitrary bytes: base64url decoding
//! (same bytes or the same error) and the end of a JSON string's plain run
//! (same index), at every offset of the input so blocks start anywhere.
use libfuzzer_sys::fuzz_target;
use tessera_core::simd_check;

fuzz_target!(|data: &[u8]| {
    let mut fast = [0u8; 7000];
    let mut reference = [0u8; 7000];
    for skip in 0..data.len().min(17) {
        let input = &data[skip..];
        let (a, b) = simd_check::base64url(input, &mut fast, &mut reference);
        assert_eq!(a, b, "base64url of {input:?}");
        let (a, b) = simd_check::string_stop(input);
        assert_eq!(a, b, "string stop in {input:?}");
    }
});
