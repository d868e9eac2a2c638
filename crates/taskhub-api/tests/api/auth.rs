use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::json;
use taskhub_test_support::{TEST_PASSWORD, TestApp, ToggleProxy, spawn_app, spawn_app_with};

async fn refresh(app: &TestApp, token: &str) -> taskhub_test_support::TestResponse {
    app.post("/auth/refresh", &json!({"refresh_token": token}), None)
        .await
}

fn assert_unauthorized(response: &taskhub_test_support::TestResponse, code: &str) {
    assert_eq!(response.status, 401, "{}", response.text);
    assert_eq!(response.code(), code, "{}", response.text);
    assert!(
        response
            .header("www-authenticate")
            .is_some_and(|v| v.starts_with("Bearer")),
        "missing WWW-Authenticate: {:?}",
        response.headers
    );
    assert_eq!(
        response.header("content-type"),
        Some("application/problem+json")
    );
}

#[tokio::test]
async fn register_returns_201_with_the_normalised_user() {
    let app = spawn_app().await;
    let response = app
        .post(
            "/auth/register",
            &json!({"email": "  Ada@Example.COM ", "password": TEST_PASSWORD, "name": "Ada"}),
            None,
        )
        .await;
    assert_eq!(response.status, 201, "{}", response.text);
    let user = response.json();
    assert!(user["id"].as_i64().unwrap() > 0);
    assert_eq!(user["email"], "ada@example.com");
    assert_eq!(user["name"], "Ada");
    assert!(user["created_at"].as_str().unwrap().ends_with('Z'));
    assert!(user.get("password_hash").is_none() && user.get("password").is_none());
}

#[tokio::test]
async fn registering_a_taken_email_in_another_case_is_409() {
    let app = spawn_app().await;
    app.register("grace@example.com").await;
    let response = app
        .post(
            "/auth/register",
            &json!({"email": "GRACE@example.com", "password": TEST_PASSWORD, "name": "G"}),
            None,
        )
        .await;
    assert_eq!(response.status, 409, "{}", response.text);
    assert_eq!(response.code(), "conflict");
}

#[tokio::test]
async fn registering_with_an_invalid_email_is_422() {
    let app = spawn_app().await;
    let response = app
        .post(
            "/auth/register",
            &json!({"email": "not-an-email", "password": TEST_PASSWORD, "name": "X"}),
            None,
        )
        .await;
    assert_eq!(response.status, 422);
    assert_eq!(response.json()["errors"][0]["field"], "email");
}

#[tokio::test]
async fn passwords_of_7_or_73_bytes_are_422_and_72_bytes_is_fine() {
    let app = spawn_app().await;
    for (email, password, status) in [
        ("short@example.com", "x".repeat(7), 422),
        ("long@example.com", "x".repeat(73), 422),
        ("max@example.com", "x".repeat(72), 201),
    ] {
        let response = app
            .post(
                "/auth/register",
                &json!({"email": email, "password": password, "name": "X"}),
                None,
            )
            .await;
        assert_eq!(response.status, status, "{email}: {}", response.text);
        if status == 422 {
            assert_eq!(response.json()["errors"][0]["field"], "password");
        }
    }
}

#[tokio::test]
async fn login_returns_a_bearer_token_pair_that_opens_me() {
    let app = spawn_app().await;
    app.register("linus@example.com").await;
    let tokens = app.login("LINUS@example.com ").await;
    assert_eq!(tokens["token_type"], "Bearer");
    assert_eq!(tokens["expires_in"], 900);
    let me = app.get("/me", tokens["access_token"].as_str()).await;
    assert_eq!(me.status, 200, "{}", me.text);
    assert_eq!(me.json()["email"], "linus@example.com");
}

#[tokio::test]
async fn wrong_password_and_unknown_email_get_the_same_401() {
    let app = spawn_app().await;
    app.register("ken@example.com").await;
    let wrong_password = app
        .post(
            "/auth/login",
            &json!({"email": "ken@example.com", "password": "wrong password"}),
            None,
        )
        .await;
    let unknown_email = app
        .post(
            "/auth/login",
            &json!({"email": "nobody@example.com", "password": "wrong password"}),
            None,
        )
        .await;
    assert_eq!(wrong_password.status, 401);
    assert_eq!(wrong_password.code(), "invalid_credentials");
    assert_eq!(wrong_password.text, unknown_email.text);
    assert_eq!(unknown_email.status, 401);
}

#[tokio::test]
async fn refresh_rotates_the_pair_and_the_new_tokens_work() {
    let app = spawn_app().await;
    let user = app.signed_up_user("barbara@example.com").await;
    let response = refresh(&app, &user.refresh_token).await;
    assert_eq!(response.status, 200, "{}", response.text);
    let pair = response.json();
    assert_ne!(pair["refresh_token"], user.refresh_token.as_str());
    assert_eq!(
        app.get("/me", pair["access_token"].as_str()).await.status,
        200
    );
    assert_eq!(
        refresh(&app, pair["refresh_token"].as_str().unwrap())
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn reusing_a_refresh_token_is_token_reused_and_revokes_the_whole_family() {
    let app = spawn_app().await;
    let user = app.signed_up_user("margaret@example.com").await;
    let rotated = refresh(&app, &user.refresh_token).await.json();
    let newest = rotated["refresh_token"].as_str().unwrap();

    let replay = refresh(&app, &user.refresh_token).await;
    assert_unauthorized(&replay, "token_reused");

    // The legitimate newest token of the same session is dead too...
    assert_eq!(refresh(&app, newest).await.status, 401);
    // ...and so is the session's access token.
    assert_eq!(
        app.get("/me", rotated["access_token"].as_str())
            .await
            .status,
        401
    );
    // Another login is a new session and works.
    let fresh = app.login("margaret@example.com").await;
    assert_eq!(
        refresh(&app, fresh["refresh_token"].as_str().unwrap())
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn of_twenty_concurrent_refreshes_with_one_token_exactly_one_succeeds() {
    let app = spawn_app().await;
    let user = app.signed_up_user("dennis@example.com").await;
    let attempts = (0..20).map(|_| refresh(&app, &user.refresh_token));
    let statuses: Vec<u16> = futures_util::future::join_all(attempts)
        .await
        .iter()
        .map(|response| response.status)
        .collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 401).count(),
        19,
        "{statuses:?}"
    );
}

#[tokio::test]
async fn an_access_token_is_not_a_refresh_token_nor_the_reverse() {
    let app = spawn_app().await;
    let user = app.signed_up_user("alan@example.com").await;
    assert_unauthorized(&refresh(&app, &user.access_token).await, "unauthorized");
    assert_unauthorized(
        &app.get("/me", Some(&user.refresh_token)).await,
        "unauthorized",
    );
}

/// Signs arbitrary claims with the app's secret.
fn sign(app: &TestApp, claims: serde_json::Value) -> String {
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(app.settings.auth.jwt_secret.as_bytes()).unwrap(),
    )
    .unwrap()
}

fn claims(sub: i64, exp_offset_secs: i64) -> serde_json::Value {
    let now = chrono::Utc::now().timestamp();
    json!({
        "sub": sub.to_string(), "jti": "j1", "sid": "s1", "typ": "access",
        "iat": now, "exp": now + exp_offset_secs, "iss": "taskhub", "aud": "taskhub-api",
    })
}

#[tokio::test]
async fn a_correctly_signed_token_is_accepted_but_an_expired_one_is_401() {
    let app = spawn_app().await;
    let user = app.signed_up_user("edsger@example.com").await;
    // The same claims with a future exp work: the test token is well formed.
    assert_eq!(
        app.get("/me", Some(&sign(&app, claims(user.id, 300))))
            .await
            .status,
        200
    );
    let expired = sign(&app, claims(user.id, -3600));
    assert_unauthorized(&app.get("/me", Some(&expired)).await, "unauthorized");
}

#[tokio::test]
async fn tokens_missing_iss_or_aud_are_401() {
    let app = spawn_app().await;
    let user = app.signed_up_user("barbara.l@example.com").await;
    for missing in ["iss", "aud", "sub", "exp"] {
        let mut token_claims = claims(user.id, 300);
        token_claims.as_object_mut().unwrap().remove(missing);
        let response = app.get("/me", Some(&sign(&app, token_claims))).await;
        assert_eq!(response.status, 401, "token without {missing} was accepted");
    }
}

#[tokio::test]
async fn a_tampered_token_is_401() {
    let app = spawn_app().await;
    let user = app.signed_up_user("tony@example.com").await;
    let mut parts: Vec<String> = user.access_token.split('.').map(str::to_owned).collect();
    let mut payload: serde_json::Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(&parts[1]).unwrap()).unwrap();
    payload["sub"] = json!("999999");
    parts[1] = URL_SAFE_NO_PAD.encode(payload.to_string());
    assert_unauthorized(
        &app.get("/me", Some(&parts.join("."))).await,
        "unauthorized",
    );
}

#[tokio::test]
async fn an_alg_none_token_is_401() {
    let app = spawn_app().await;
    let user = app.signed_up_user("leslie@example.com").await;
    let header = URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(claims(user.id, 300).to_string());
    let token = format!("{header}.{payload}.");
    assert_unauthorized(&app.get("/me", Some(&token)).await, "unauthorized");
}

#[tokio::test]
async fn a_missing_or_malformed_authorization_header_is_401() {
    let app = spawn_app().await;
    let missing = app.get("/me", None).await;
    assert_unauthorized(&missing, "unauthorized");
    assert_eq!(missing.header("www-authenticate"), Some("Bearer"));
    let basic = app
        .send(
            app.client
                .get(app.url("/me"))
                .header("Authorization", "Basic dXNlcjpwYXNz"),
        )
        .await;
    assert_unauthorized(&basic, "unauthorized");
    assert_unauthorized(&app.get("/me", Some("not.a.jwt")).await, "unauthorized");
}

#[tokio::test]
async fn logout_revokes_the_access_token_and_the_refresh_token() {
    let app = spawn_app().await;
    let user = app.signed_up_user("niklaus@example.com").await;
    let response = app
        .post(
            "/auth/logout",
            &json!({"refresh_token": user.refresh_token}),
            Some(&user.access_token),
        )
        .await;
    assert_eq!(response.status, 204, "{}", response.text);
    assert_unauthorized(
        &app.get("/me", Some(&user.access_token)).await,
        "unauthorized",
    );
    assert_eq!(refresh(&app, &user.refresh_token).await.status, 401);
}

#[tokio::test]
async fn logout_without_a_body_is_204_and_still_ends_the_session() {
    let app = spawn_app().await;
    let user = app.signed_up_user("john@example.com").await;
    let response = app
        .send(
            app.client
                .post(app.url("/auth/logout"))
                .bearer_auth(&user.access_token),
        )
        .await;
    assert_eq!(response.status, 204, "{}", response.text);
    assert_eq!(refresh(&app, &user.refresh_token).await.status, 401);
}

#[tokio::test]
async fn logout_all_kills_every_session_but_a_later_login_works() {
    let app = spawn_app().await;
    let first = app.signed_up_user("frances@example.com").await;
    let second = app.login("frances@example.com").await;
    let second_access = second["access_token"].as_str().unwrap();

    let response = app
        .post("/auth/logout-all", &json!({}), Some(&first.access_token))
        .await;
    assert_eq!(response.status, 204, "{}", response.text);

    assert_eq!(app.get("/me", Some(&first.access_token)).await.status, 401);
    assert_eq!(app.get("/me", Some(second_access)).await.status, 401);
    assert_eq!(refresh(&app, &first.refresh_token).await.status, 401);
    assert_eq!(
        refresh(&app, second["refresh_token"].as_str().unwrap())
            .await
            .status,
        401
    );

    let again = app.login("frances@example.com").await;
    assert_eq!(
        app.get("/me", again["access_token"].as_str()).await.status,
        200
    );
}

#[tokio::test]
async fn with_redis_unreachable_refresh_and_me_are_503_never_accepted() {
    let proxy = ToggleProxy::start("127.0.0.1:6379").await;
    let port = proxy.port();
    let app = spawn_app_with(|env| {
        env.insert("REDIS_URL", format!("redis://127.0.0.1:{port}/0"));
    })
    .await;
    let user = app.signed_up_user("barbara.m@example.com").await;

    proxy.cut();
    let started = std::time::Instant::now();
    let me = app.get("/me", Some(&user.access_token)).await;
    assert_eq!(me.status, 503, "{}", me.text);
    assert_eq!(me.code(), "unavailable");
    let refreshed = refresh(&app, &user.refresh_token).await;
    assert_eq!(refreshed.status, 503, "{}", refreshed.text);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );

    proxy.restore();
    let recovered = taskhub_test_support::wait_until(Duration::from_secs(10), || async {
        app.get("/me", Some(&user.access_token)).await.status == 200
    })
    .await;
    assert!(recovered);
}
