#![no_main]
//! Key sets and `kid` selection. Keys of several algorithms and secrets
//! under fuzzed `kid`s (some equal, some escaped in the header); a token
//! MACed with a fuzzed algorithm and secret, whose header names a fuzzed
//! `kid` and `alg`. Invariants: accepted ⇒ the header's `kid` names a key of
//! the set whose algorithm and secret are exactly the ones the token was
//! MACed with (and its `alg` says that algorithm); a clean header naming
//! such a key is accepted (completeness).
use arbitrary::Arbitrary;
use base64ct::{Base64UrlUnpadded, Encoding};
use hmac::{Hmac, KeyInit, Mac};
use libfuzzer_sys::fuzz_target;
use sha2::{Sha256, Sha384, Sha512};
use tessera_core::{Algorithm, ClaimSet, Error, HmacKey, KeySet, Policy, verify};

const ALGS: [(Algorithm, &str); 3] =
    [(Algorithm::Hs256, "HS256"), (Algorithm::Hs384, "HS384"), (Algorithm::Hs512, "HS512")];
const KIDS: [&str; 5] = ["a", "b", "k1", "", "2026-12"];

#[derive(Arbitrary, Debug)]
struct Input {
    /// (kid choice or raw kid, algorithm, secret choice).
    keys: Vec<(u8, Option<String>, u8, u8)>,
    /// The header: kid choice (None: no kid), escaped, alg named, extra raw text.
    kid: Option<(u8, Option<String>)>,
    escape: bool,
    header_alg: u8,
    raw_header: Option<String>,
    /// What the token is MACed with.
    mac_alg: u8,
    mac_secret: u8,
}

fn secret(i: u8) -> Vec<u8> {
    // Four distinct secrets, each long enough for HS512.
    vec![b'A' + i % 4; 64]
}

fn kid_of(choice: u8, raw: &Option<String>) -> String {
    raw.clone().filter(|_| choice >= 200).unwrap_or_else(|| KIDS[usize::from(choice) % KIDS.len()].to_owned())
}

fn mac(alg: usize, secret: &[u8], input: &[u8]) -> Vec<u8> {
    fn run<M: Mac + KeyInit>(secret: &[u8], input: &[u8]) -> Vec<u8> {
        let mut m = <M as KeyInit>::new_from_slice(secret).unwrap();
        m.update(input);
        m.finalize().into_bytes().to_vec()
    }
    match alg {
        0 => run::<Hmac<Sha256>>(secret, input),
        1 => run::<Hmac<Sha384>>(secret, input),
        _ => run::<Hmac<Sha512>>(secret, input),
    }
}

fuzz_target!(|input: Input| {
    // The set as built, and what each kid maps to (a later insert replaces).
    let mut set = KeySet::<6>::new();
    let mut expected: Vec<(String, usize, u8)> = Vec::new();
    for (choice, raw, alg, sec) in input.keys.iter().take(8) {
        let kid = kid_of(*choice, raw);
        let a = usize::from(*alg) % 3;
        let key = HmacKey::new(ALGS[a].0, &secret(*sec)).unwrap();
        match set.insert(&kid, key) {
            Ok(()) => {
                expected.retain(|(k, _, _)| *k != kid);
                expected.push((kid, a, *sec % 4));
            }
            Err(e) => assert_eq!(e, Error::CapacityExceeded),
        }
    }
    let header_alg = ALGS[usize::from(input.header_alg) % 3].1;
    let kid = input.kid.as_ref().map(|(c, raw)| kid_of(*c, raw));
    let mut header = format!(r#"{{"alg":"{header_alg}""#);
    if let Some(k) = &kid {
        let text = if input.escape {
            k.encode_utf16().map(|u| format!("\\u{u:04x}")).collect::<String>()
        } else {
            serde_json::to_string(k).unwrap().trim_matches('"').to_owned()
        };
        header.push_str(&format!(r#","kid":"{text}""#));
    }
    if let Some(extra) = &input.raw_header {
        header.push_str(extra);
    }
    header.push('}');
    let mac_alg = usize::from(input.mac_alg) % 3;
    let signing_input = format!(
        "{}.{}",
        Base64UrlUnpadded::encode_string(header.as_bytes()),
        Base64UrlUnpadded::encode_string(br#"{"sub":"x"}"#)
    );
    let sig = mac(mac_alg, &secret(input.mac_secret), signing_input.as_bytes());
    let token = format!("{signing_input}.{}", Base64UrlUnpadded::encode_string(&sig));

    let policy = Policy::new(1_700_000_000).required(ClaimSet::EMPTY);
    let mut scratch = [0u8; 4096];
    let result = verify(&token, &set, &policy, &mut scratch);
    let named = kid.as_ref().and_then(|k| expected.iter().find(|(e, _, _)| e == k));
    match &result {
        Ok(v) => {
            let (_, a, s) = named.expect("accepted without a kid naming a key of the set");
            assert_eq!(*a, mac_alg, "accepted a token MACed with another algorithm than its key's");
            assert_eq!(*s, input.mac_secret % 4, "accepted a token MACed with another secret than its key's");
            assert_eq!(v.header.alg(), ALGS[*a].1);
            assert_eq!(v.header.kid(), kid.as_deref());
        }
        Err(_) if input.raw_header.is_none() => {
            // A clean header naming a key, MACed exactly as that key would: must verify.
            if let Some((_, a, s)) = named
                && *a == mac_alg
                && *s == input.mac_secret % 4
                && ALGS[*a].1 == header_alg
                && kid.as_ref().is_some_and(|k| k.len() <= tessera_core::MAX_KID_LEN)
            {
                panic!("refused a token its key set should accept: {result:?}");
            }
        }
        Err(_) => {}
    }
});
