//! Loads the shared conformance vectors (`tests/vectors/*.json`) and maps
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)] // test support: failing loudly is the point
//! them onto `tessera-core` types, for the Rust runner and other tools.

use serde::Deserialize;

pub mod counting;

/// The Rust snippets of the top-level README, compiled as doctests (the
/// crate's own README is its crate documentation, tested there).
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeSnippets;
use tessera_core::{Algorithm, Claim, ClaimSet, Error, HmacKey, KeySet, Policy};

/// One verification vector.
#[derive(Debug, Deserialize)]
pub struct Vector {
    /// Unique name.
    pub name: String,
    /// The contract rule exercised.
    pub rule: String,
    /// The token, as given to every surface.
    pub token: String,
    /// A single key.
    pub key: Option<KeySpec>,
    /// Or a key set.
    pub keyset: Option<Vec<KidKeySpec>>,
    /// The policy; absent fields mean the default.
    pub policy: PolicySpec,
    /// The verdict every surface must reach.
    pub expect: Expect,
}

/// A key: algorithm and hex secret.
#[derive(Debug, Deserialize)]
pub struct KeySpec {
    /// `HS256`, `HS384` or `HS512`; `EdDSA` or `ES256` for a private key.
    pub alg: String,
    /// The secret, hex (HMAC keys).
    #[serde(default)]
    pub secret: String,
    /// A private key as JWK text (signing vectors for EdDSA and ES256).
    pub jwk: Option<String>,
}

/// A key set entry.
#[derive(Debug, Deserialize)]
pub struct KidKeySpec {
    /// The `kid`.
    pub kid: String,
    /// `HS256`, `HS384` or `HS512`.
    pub alg: String,
    /// The secret, hex.
    pub secret: String,
}

/// One or several audiences.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    /// One.
    One(String),
    /// Several.
    Many(Vec<String>),
}

/// A policy as written in a vector.
#[derive(Debug, Deserialize)]
pub struct PolicySpec {
    /// Current time.
    pub now: u64,
    /// Leeway.
    pub leeway: Option<u64>,
    /// Expected issuer.
    pub issuer: Option<String>,
    /// Expected audience(s).
    pub audience: Option<OneOrMany>,
    /// Expected typ.
    pub typ: Option<String>,
    /// Required claim names (replaces the default).
    pub required: Option<Vec<String>>,
    /// Max age.
    pub max_age: Option<u64>,
    /// Max token length.
    pub max_token_len: Option<usize>,
    /// Accept `aud` when none is expected.
    pub ignore_audience: Option<bool>,
    /// Logout-all cut-off.
    pub issued_before: Option<u64>,
}

/// The expected verdict.
#[derive(Debug, Deserialize)]
pub struct Expect {
    /// Accepted?
    pub ok: bool,
    /// Error name when refused.
    pub error: Option<String>,
    /// Claim named by the error.
    pub claim: Option<String>,
    /// Header members exposed when accepted.
    pub header: Option<serde_json::Map<String, serde_json::Value>>,
    /// Registered claims exposed when accepted.
    pub claims: Option<serde_json::Map<String, serde_json::Value>>,
    /// `import` when the key or key set itself must be refused.
    pub at: Option<String>,
}

/// One public-key verification vector (`tests/vectors/public.json`).
#[derive(Debug, Deserialize)]
pub struct PublicVector {
    /// Unique name.
    pub name: String,
    /// The contract rule exercised.
    pub rule: String,
    /// The token.
    pub token: String,
    /// A single public key.
    pub key: Option<PublicKeySpec>,
    /// Or a JWK Set.
    pub keyset: Option<JwksSpec>,
    /// The policy.
    pub policy: PolicySpec,
    /// The verdict.
    pub expect: Expect,
}

/// A public key: a JWK or an SPKI PEM, with the caller's algorithm (if any).
#[derive(Debug, Deserialize)]
pub struct PublicKeySpec {
    /// The caller's algorithm; absent: the JWK decides.
    pub alg: Option<String>,
    /// A JWK object.
    pub jwk: Option<serde_json::Value>,
    /// Or an SPKI PEM document.
    pub pem: Option<String>,
}

/// A JWK Set and the caller's default algorithm for RSA keys without `alg`.
#[derive(Debug, Deserialize)]
pub struct JwksSpec {
    /// The document.
    pub jwks: serde_json::Value,
    /// `RS256` ... `PS512`, if any.
    pub rsa_default: Option<String>,
}

/// The keys of a public-key vector.
pub enum PublicKeys {
    /// One key.
    One(Box<tessera_core::Key>),
    /// A key set.
    Set(Box<KeySet<8>>),
}

impl PublicVector {
    /// Imports the vector's key or key set as a caller would.
    pub fn keys(&self) -> Result<PublicKeys, Error> {
        use tessera_core::Key;
        if let Some(k) = &self.key {
            let alg = k.alg.as_deref().map(algorithm);
            let key = match (&k.jwk, &k.pem, alg) {
                (Some(jwk), _, None) => Key::from_jwk(jwk.to_string().as_bytes()),
                (Some(jwk), _, Some(a)) => Key::from_jwk_as(jwk.to_string().as_bytes(), a),
                (None, Some(pem), Some(a)) => Key::from_spki_pem(pem, a),
                _ => panic!("{}: a key needs a jwk, or a pem and an alg", self.name),
            }?;
            return Ok(PublicKeys::One(Box::new(key)));
        }
        let spec = self.keyset.as_ref().expect("a key or a keyset");
        let doc = spec.jwks.to_string();
        let (set, _) = match spec.rsa_default.as_deref() {
            None => KeySet::<8>::from_jwks(doc.as_bytes())?,
            Some(a) => KeySet::<8>::from_jwks_rsa_default(doc.as_bytes(), algorithm(a))?,
        };
        Ok(PublicKeys::Set(Box::new(set)))
    }

    /// Runs `f` with the vector's policy.
    pub fn with_policy<R>(&self, f: impl FnOnce(&Policy<'_>) -> R) -> R {
        self.policy.with(f)
    }
}

/// Reads `tests/vectors/public.json`.
pub fn load_public() -> Vec<PublicVector> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("vectors").join("public.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Decodes lowercase or uppercase hex.
pub fn hex(s: &str) -> Vec<u8> {
    (0..s.len() / 2).map(|i| u8::from_str_radix(s.get(2 * i..2 * i + 2).unwrap_or("zz"), 16).unwrap_or(0)).collect()
}

/// Reads a vector file of the repository's `tests/vectors/` folder.
pub fn load(file: &str) -> Vec<Vector> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("vectors").join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The algorithm named `name`.
pub fn algorithm(name: &str) -> Algorithm {
    Algorithm::from_name(name).unwrap_or_else(|| panic!("unknown algorithm {name}"))
}

/// The claim named `name`.
pub fn claim(name: &str) -> Claim {
    Claim::ALL.into_iter().find(|c| c.name() == name).unwrap_or_else(|| panic!("unknown claim {name}"))
}

/// The keys of a vector.
pub enum Keys {
    /// One key.
    One(Box<HmacKey>),
    /// A key set.
    Set(Box<KeySet<8>>),
}

impl Vector {
    /// Builds the vector's key or key set.
    pub fn keys(&self) -> Result<Keys, Error> {
        if let Some(k) = &self.key {
            return HmacKey::new(algorithm(&k.alg), &hex(&k.secret)).map(|k| Keys::One(Box::new(k)));
        }
        let mut set = KeySet::<8>::new();
        for k in self.keyset.iter().flatten() {
            set.insert(&k.kid, HmacKey::new(algorithm(&k.alg), &hex(&k.secret))?)?;
        }
        Ok(Keys::Set(Box::new(set)))
    }

    /// Runs `f` with the vector's policy (borrowing the vector's strings).
    pub fn with_policy<R>(&self, f: impl FnOnce(&Policy<'_>) -> R) -> R {
        self.policy.with(f)
    }
}

impl PolicySpec {
    /// Runs `f` with this policy (borrowing its strings).
    pub fn with<R>(&self, f: impl FnOnce(&Policy<'_>) -> R) -> R {
        let p = self;
        let mut policy = Policy::new(p.now);
        if let Some(l) = p.leeway {
            policy = policy.leeway(l);
        }
        if let Some(i) = &p.issuer {
            policy = policy.issuer(i);
        }
        if let Some(t) = &p.typ {
            policy = policy.typ(t);
        }
        if let Some(req) = &p.required {
            policy = policy.required(req.iter().fold(ClaimSet::EMPTY, |s, c| s.with(claim(c))));
        }
        if let Some(m) = p.max_age {
            policy = policy.max_age(m);
        }
        if let Some(m) = p.max_token_len {
            policy = policy.max_token_len(m);
        }
        if let Some(i) = p.ignore_audience {
            policy = policy.ignore_audience(i);
        }
        if let Some(c) = p.issued_before {
            policy = policy.issued_before(c);
        }
        let many: Vec<&str>;
        match &p.audience {
            Some(OneOrMany::One(a)) => policy = policy.audience(a),
            Some(OneOrMany::Many(list)) => {
                many = list.iter().map(String::as_str).collect();
                return f(&policy.audiences(&many));
            }
            None => {}
        }
        f(&policy)
    }
}

/// One signing vector (`tests/vectors/sign.json`).
#[derive(Debug, Deserialize)]
pub struct SignVector {
    /// Unique name.
    pub name: String,
    /// The key.
    pub key: KeySpec,
    /// `access` or `refresh` for a profile vector; absent for a plain one.
    pub profile: Option<String>,
    /// Header members besides `alg` (plain vectors).
    #[serde(default)]
    pub header: serde_json::Map<String, serde_json::Value>,
    /// Registered claims (plain vectors).
    #[serde(default)]
    pub claims: serde_json::Map<String, serde_json::Value>,
    /// Custom claims as JSON text.
    pub custom: Option<String>,
    /// Profile inputs (profile vectors).
    #[serde(default)]
    pub inputs: serde_json::Map<String, serde_json::Value>,
    /// The token every surface must produce, byte for byte (`None` when
    /// the inputs must be refused).
    pub token: Option<String>,
    /// The error kind every surface must refuse the inputs with.
    pub error: Option<String>,
}

/// Reads `tests/vectors/sign.json`.
pub fn load_sign() -> Vec<SignVector> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("vectors").join("sign.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The 16 random bytes of a hex string.
pub fn random16(hex_text: &str) -> [u8; 16] {
    hex(hex_text).try_into().unwrap_or_else(|_| panic!("not 16 bytes: {hex_text}"))
}
