//! The extractor over real HTTP on 127.0.0.1: typed claims to the handler,
//! 401 and 403 with RFC 6750 challenges, and a key set swapped while the
//! server runs.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::sync::Arc;

use axum::Router;
use axum::routing::get;
use tessera_axum::{Auth, Bearer, Rejection, Scoped};
use tessera_core::profile::{AccessToken, RandomId};
use tessera_core::{Algorithm, HmacKey, KeySet, unix_now};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const ISS: &str = "https://auth.example.com";

#[derive(serde::Deserialize)]
struct Access {
    sub: String,
    sid: String,
}

#[derive(serde::Deserialize, Debug)]
struct NeedsRole {
    #[allow(dead_code)]
    role: String,
}

async fn me(Bearer(claims): Bearer<Access>) -> String {
    format!("sub={} sid={}", claims.sub, claims.sid)
}

async fn upload(access: Scoped<Access>) -> Result<String, Rejection> {
    access.require(&["photos:write"])?;
    Ok(format!("uploaded for {}", access.claims.sub))
}

async fn role(Bearer(_): Bearer<NeedsRole>) -> &'static str {
    "unreachable: no token has a role"
}

fn key(byte: u8) -> HmacKey {
    HmacKey::new(Algorithm::Hs256, &[byte; 32]).unwrap()
}

fn set(kid: &str, byte: u8) -> KeySet<16> {
    let mut s = KeySet::new();
    s.insert(kid, key(byte)).unwrap();
    s
}

fn token(kid: &str, byte: u8, scope: &str, audience: &str, lifetime: i64) -> String {
    let sid = RandomId::generate().unwrap();
    let jti = RandomId::generate().unwrap();
    let now = unix_now();
    let issued = if lifetime < 0 { now - 3600 } else { now };
    AccessToken::new(ISS, "user-42", audience, sid.as_str(), jti.as_str(), issued)
        .kid(kid)
        .scope(scope)
        .lifetime(if lifetime < 0 { 60 } else { lifetime.unsigned_abs() })
        .sign_to_string(&key(byte))
        .unwrap()
}

/// One HTTP/1.1 request: (status, WWW-Authenticate, body).
async fn get_path(port: u16, path: &str, authorization: Option<&str>) -> (u16, String, String) {
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    let auth = authorization.map(|a| format!("Authorization: {a}\r\n")).unwrap_or_default();
    let request = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{auth}Connection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    let (head, body) = response.split_once("\r\n\r\n").unwrap();
    let status = head[9..12].parse().unwrap();
    let challenge = head
        .lines()
        .find_map(|l| l.strip_prefix("www-authenticate: ").or_else(|| l.strip_prefix("WWW-Authenticate: ")))
        .unwrap_or_default()
        .to_owned();
    (status, challenge, body.to_owned())
}

#[tokio::test]
async fn bearer_tokens_over_http() {
    assert!(Auth::new(set("k1", 1), ISS, "api").leeway(30).is_ok());
    // 30 s written in milliseconds.
    assert_eq!(Auth::new(set("k1", 1), ISS, "api").leeway(30_000).err(), Some(tessera_core::Error::InvalidArgument));
    let auth = Arc::new(Auth::new(set("k1", 1), ISS, "api"));
    let app = Router::new()
        .route("/me", get(me))
        .route("/upload", get(upload))
        .route("/role", get(role))
        .with_state(Arc::clone(&auth));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let good = token("k1", 1, "photos:read", "api", 300);
    let (status, _, body) = get_path(port, "/me", Some(&format!("Bearer {good}"))).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.starts_with("sub=user-42 sid="), "{body}");

    let (status, challenge, _) = get_path(port, "/me", None).await;
    assert_eq!((status, challenge.as_str()), (401, "Bearer"));
    let (status, _, _) = get_path(port, "/me", Some("Basic dXNlcjpwYXNz")).await;
    assert_eq!(status, 401);
    // Two Authorization headers, the good token in either: no credentials.
    for two in
        [format!("Bearer {good}\r\nAuthorization: Bearer x"), format!("Bearer x\r\nAuthorization: Bearer {good}")]
    {
        let (status, challenge, _) = get_path(port, "/me", Some(&two)).await;
        assert_eq!((status, challenge.as_str()), (401, "Bearer"), "{two}");
    }

    let expired = token("k1", 1, "photos:read", "api", -1);
    let (status, challenge, body) = get_path(port, "/me", Some(&format!("Bearer {expired}"))).await;
    assert_eq!(status, 401);
    assert_eq!(challenge, r#"Bearer error="invalid_token", error_description="Expired""#);
    assert!(body.contains(r#""reason":"Expired""#), "{body}");

    let other = token("k1", 1, "photos:read", "billing", 300);
    let (status, challenge, _) = get_path(port, "/me", Some(&format!("Bearer {other}"))).await;
    assert_eq!((status, challenge.contains("InvalidAudience")), (401, true));

    let (status, challenge, _) = get_path(port, "/upload", Some(&format!("Bearer {good}"))).await;
    assert_eq!(status, 403);
    assert_eq!(challenge, r#"Bearer error="insufficient_scope", scope="photos:write""#);
    let writer = token("k1", 1, "photos:read photos:write", "api", 300);
    let (status, _, body) = get_path(port, "/upload", Some(&format!("Bearer {writer}"))).await;
    assert_eq!((status, body.as_str()), (200, "uploaded for user-42"));

    // Claims that do not fit the handler's type: the server's fault (500),
    // and serde's message names the field for the server alone.
    let (status, _, body) = get_path(port, "/role", Some(&format!("Bearer {good}"))).await;
    assert_eq!(status, 500);
    assert!(!body.contains("role"), "the detail stays in the server: {body}");
    let rejection = auth.verify::<NeedsRole>(&good).unwrap_err();
    assert!(rejection.detail().contains("missing field `role`"), "{}", rejection.detail());

    // Rotation: a token of the new key is unknown until the set is swapped, then accepted,
    // and the old key's tokens are refused once it is gone.
    let rotated = token("k2", 2, "photos:read", "api", 300);
    let (status, challenge, _) = get_path(port, "/me", Some(&format!("Bearer {rotated}"))).await;
    assert_eq!((status, challenge.contains("UnknownKey")), (401, true));
    auth.replace_keys(set("k2", 2));
    assert_eq!(get_path(port, "/me", Some(&format!("Bearer {rotated}"))).await.0, 200);
    assert_eq!(get_path(port, "/me", Some(&format!("Bearer {good}"))).await.0, 401);
}
