#![allow(missing_docs, clippy::unwrap_used)]
use tessera_core::*;
fn main() {
    let key = HmacKey::new(Algorithm::Hs256, &[7u8; 32]).unwrap();
    let payload = br#"{"iss":"https://auth.example.com","sub":"user-42","aud":"api","exp":2000000000,"iat":1700000000,"nbf":1700000000,"jti":"6f1c2a9e-8d4b-4c1e-9f2a-3b5d7e9a1c3f","sid":"s-7f3a","scope":"read:profile write:likes","azp":"web"}"#;
    let mut buf = [0u8; 1024];
    let tok: String = sign::sign_raw(br#"{"alg":"HS256","typ":"JWT"}"#, payload, &key, &mut buf).unwrap().into();
    let mut scratch = [0u8; 2048];
    let n: u64 = std::env::args().nth(1).map(|s| s.parse().unwrap()).unwrap_or(3_000_000);
    for _ in 0..n {
        std::hint::black_box(decode_unverified(std::hint::black_box(&tok), &mut scratch).unwrap());
    }
}
