//! Bearer access tokens for [axum] with Tessera: the [`Bearer`] extractor
//! verifies the `Authorization: Bearer` token of a request against the
//! [`Auth`] in the router's state and hands the handler typed claims;
//! refusals answer 401 or 403 with an RFC 6750 `WWW-Authenticate`
//! challenge, before the handler runs.
//!
//! ```no_run
//! use std::sync::Arc;
//! use axum::{routing::get, Router};
//! use tessera_axum::{Auth, Bearer};
//!
//! #[derive(serde::Deserialize)]
//! struct Access { sub: String, scope: Option<String> }
//!
//! async fn me(Bearer(claims): Bearer<Access>) -> String {
//!     format!("hello {}", claims.sub)
//! }
//!
//! # async fn run(jwks: &[u8]) -> Result<(), Box<dyn std::error::Error>> {
//! let auth = Arc::new(Auth::from_jwks(jwks, "https://idp.example.com", "api")?);
//! let app = Router::new().route("/me", get(me)).with_state(auth);
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
//! axum::serve(listener, app).await?;
//! # Ok(()) }
//! ```
//!
//! [axum]: https://docs.rs/axum

use std::sync::{Arc, PoisonError, RwLock};

use axum::extract::{FromRef, FromRequestParts};
use axum::http::header::{AUTHORIZATION, WWW_AUTHENTICATE};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use tessera_core::{Error, KeySet, Policy, SCRATCH_LEN, verify};

/// How many keys a JWK Set may hold here.
pub const MAX_KEYS: usize = 16;

/// What verifies: the keys (swappable while requests run, for JWK Set
/// rotation) and the policy every token must meet (`typ` `at+jwt`, `iss`,
/// `aud`, `exp`, `iat` and `sub` required: RFC 9068).
#[derive(Debug)]
pub struct Auth {
    keys: RwLock<Arc<KeySet<MAX_KEYS>>>,
    issuer: String,
    audience: String,
    leeway: u64,
}

impl Auth {
    /// The keys of a JWK Set document (`{"keys": [...]}`), for tokens of
    /// `issuer` meant for `audience`.
    ///
    /// # Errors
    /// As [`KeySet::from_jwks`]: a document with private or `oct` members,
    /// or that is not a JWK Set, is refused whole.
    pub fn from_jwks(jwks: &[u8], issuer: &str, audience: &str) -> Result<Self, Error> {
        let (keys, _) = KeySet::<MAX_KEYS>::from_jwks(jwks)?;
        Ok(Self::new(keys, issuer, audience))
    }

    /// The given keys (HMAC secrets or public keys, selected by `kid`).
    pub fn new(keys: KeySet<MAX_KEYS>, issuer: &str, audience: &str) -> Self {
        Auth { keys: RwLock::new(Arc::new(keys)), issuer: issuer.into(), audience: audience.into(), leeway: 0 }
    }

    /// Seconds of clock skew tolerated (default 0).
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] above [`tessera_core::MAX_LEEWAY`] (five
    /// minutes: a larger leeway is a slip, such as milliseconds), here rather than at every request.
    pub fn leeway(mut self, seconds: u64) -> Result<Self, Error> {
        Policy::new(1).leeway(seconds).check()?;
        self.leeway = seconds;
        Ok(self)
    }

    /// Swaps in a freshly fetched key set: requests already verifying keep
    /// the set they started with; the next ones see the new one.
    pub fn replace_keys(&self, keys: KeySet<MAX_KEYS>) {
        *self.keys.write().unwrap_or_else(PoisonError::into_inner) = Arc::new(keys);
    }

    /// Verifies `token` now and deserializes its claims into `C`.
    ///
    /// # Errors
    /// A [`Rejection`]: 401 for a refused token, 500 when the claims do not
    /// fit `C` (the token was valid: the type is the server's).
    pub fn verify<C: DeserializeOwned>(&self, token: &str) -> Result<Verified<C>, Rejection> {
        let keys = Arc::clone(&self.keys.read().unwrap_or_else(PoisonError::into_inner));
        let policy = Policy::access_token(tessera_core::unix_now(), &self.issuer, &self.audience).leeway(self.leeway);
        let mut scratch = [0u8; SCRATCH_LEN];
        let verified = verify(token, &*keys, &policy, &mut scratch).map_err(Rejection::invalid_token)?;
        let scope = verified.claims.scope().map(str::to_owned);
        let claims = verified.claims.deserialize_owned::<C>().map_err(|e| Rejection::claims(&e))?;
        Ok(Verified { claims, scope })
    }
}

/// A verified token's claims, typed, and its `scope`.
#[derive(Clone, Debug)]
pub struct Verified<C> {
    /// The claims as the handler's type.
    pub claims: C,
    /// The `scope` claim (space-separated), if any.
    pub scope: Option<String>,
}

/// The extractor: `Bearer(claims)` in a handler's arguments. The router's
/// state must give an `Arc<Auth>` ([`FromRef`]).
#[derive(Clone, Debug)]
pub struct Bearer<C>(pub C);

impl<S, C> FromRequestParts<S> for Bearer<C>
where
    Arc<Auth>: FromRef<S>,
    S: Send + Sync,
    C: DeserializeOwned + Send,
{
    type Rejection = Rejection;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Rejection> {
        Scoped::<C>::from_request_parts(parts, state).await.map(|s| Bearer(s.claims))
    }
}

/// The extractor with the token's `scope` kept: check it with
/// [`Scoped::require`] (403 `insufficient_scope` when a scope is missing).
#[derive(Clone, Debug)]
pub struct Scoped<C> {
    /// The claims as the handler's type.
    pub claims: C,
    scope: Option<String>,
}

impl<C> Scoped<C> {
    /// Refuses with 403 unless the token holds every one of `scopes`.
    ///
    /// # Errors
    /// A 403 [`Rejection`] naming the scopes.
    pub fn require(&self, scopes: &[&str]) -> Result<(), Rejection> {
        let held = self.scope.as_deref().unwrap_or_default();
        if scopes.iter().all(|s| tessera_core::scope_contains(held, s)) {
            Ok(())
        } else {
            Err(Rejection::insufficient_scope(scopes))
        }
    }
}

impl<S, C> FromRequestParts<S> for Scoped<C>
where
    Arc<Auth>: FromRef<S>,
    S: Send + Sync,
    C: DeserializeOwned + Send,
{
    type Rejection = Rejection;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Rejection> {
        let auth = Arc::<Auth>::from_ref(state);
        // One Authorization header: two are two credentials in one request
        // (RFC 6750 §2: one method, once), which every other surface sees
        // joined by a comma (fetch's `Headers`, httpd) and refuses, as no
        // bearer token holds one. Taking the first would let whatever
        // checked the other one in front of us disagree with us.
        let mut all = parts.headers.get_all(AUTHORIZATION).iter();
        let header = match (all.next(), all.next()) {
            (Some(one), None) => one.to_str().ok(),
            _ => None,
        };
        let token = header.and_then(tessera_core::http::bearer_token).ok_or_else(Rejection::no_credentials)?;
        let Verified { claims, scope } = auth.verify::<C>(token)?;
        Ok(Scoped { claims, scope })
    }
}

/// A refused request: the status, the `WWW-Authenticate` challenge and a
/// JSON body `{"error": ..., "reason": ...}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rejection {
    status: StatusCode,
    challenge: Option<String>,
    error: &'static str,
    reason: String,
}

impl Rejection {
    fn no_credentials() -> Self {
        // RFC 6750 §3.1: no credentials, no error code in the challenge.
        Rejection {
            status: StatusCode::UNAUTHORIZED,
            challenge: Some("Bearer".into()),
            error: "unauthorized",
            reason: String::new(),
        }
    }

    fn invalid_token(e: Error) -> Self {
        let name = e.name();
        Rejection {
            status: StatusCode::UNAUTHORIZED,
            challenge: Some(format!("Bearer error=\"invalid_token\", error_description=\"{name}\"")),
            error: "invalid_token",
            reason: name.into(),
        }
    }

    fn insufficient_scope(scopes: &[&str]) -> Self {
        let scope = scopes.join(" ");
        Rejection {
            status: StatusCode::FORBIDDEN,
            challenge: Some(format!("Bearer error=\"insufficient_scope\", scope=\"{scope}\"")),
            error: "insufficient_scope",
            reason: scope,
        }
    }

    fn claims(e: &tessera_core::ClaimsError) -> Self {
        // A valid token whose claims do not fit the handler's type: the
        // server's mistake, not the client's. The message names the field
        // for the server's logs ([`Rejection::detail`]), never the client.
        Rejection {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            challenge: None,
            error: "server_error",
            reason: e.message().into(),
        }
    }

    /// What went wrong: the error kind of a refused token, the scopes a
    /// 403 wanted, or (500) serde's message naming the claim that did not
    /// fit the handler's type.
    pub fn detail(&self) -> &str {
        &self.reason
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }
}

impl IntoResponse for Rejection {
    fn into_response(self) -> Response {
        // A 500's detail stays in the server (it may quote the token's claims).
        let reason = if self.status.is_server_error() { "" } else { self.reason.as_str() };
        let body = serde_json::json!({ "error": self.error, "reason": reason });
        let mut response = (self.status, axum::Json(body)).into_response();
        if let Some(challenge) = self.challenge.and_then(|c| HeaderValue::from_str(&c).ok()) {
            response.headers_mut().insert(WWW_AUTHENTICATE, challenge);
        }
        response
    }
}
