//! The error answers every endpoint shares: problem+json with API.md's codes.

use taskhub_test_support::{TestResponse, spawn_app};

fn assert_problem(response: &TestResponse, status: u16, code: &str) {
    assert_eq!(response.status, status, "{}", response.text);
    assert_eq!(
        response.header("content-type"),
        Some("application/problem+json"),
        "{}",
        response.text
    );
    let body = response.json();
    assert_eq!(body["code"], code, "{}", response.text);
    assert_eq!(body["status"], status);
    assert!(body["type"].is_string() && body["title"].is_string() && body["detail"].is_string());
}

#[tokio::test]
async fn unknown_route_is_404_problem_json() {
    let app = spawn_app().await;
    assert_problem(&app.get("/no/such/route", None).await, 404, "not_found");
}

#[tokio::test]
async fn malformed_json_is_400() {
    let app = spawn_app().await;
    let response = app
        .send(
            app.client
                .post(app.url("/auth/register"))
                .header("content-type", "application/json")
                .body("{\"email\": "),
        )
        .await;
    assert_problem(&response, 400, "bad_request");
}

#[tokio::test]
async fn a_body_that_is_not_an_object_is_400() {
    let app = spawn_app().await;
    let response = app
        .post("/auth/register", &serde_json::json!([1, 2]), None)
        .await;
    assert_problem(&response, 400, "bad_request");
}

#[tokio::test]
async fn a_wrong_field_type_is_422_naming_the_field() {
    let app = spawn_app().await;
    let response = app
        .post(
            "/auth/register",
            &serde_json::json!({"email": 42, "password": "long enough", "name": "A"}),
            None,
        )
        .await;
    assert_problem(&response, 422, "validation_failed");
    assert_eq!(response.json()["errors"][0]["field"], "email");
}

#[tokio::test]
async fn a_body_over_64_kib_is_413() {
    let app = spawn_app().await;
    let big =
        serde_json::json!({"email": "a@b.cd", "password": "x".repeat(70 * 1024), "name": "A"});
    assert_problem(
        &app.post("/auth/register", &big, None).await,
        413,
        "payload_too_large",
    );
}

#[tokio::test]
async fn a_body_that_is_not_json_is_415() {
    let app = spawn_app().await;
    let response = app
        .send(
            app.client
                .post(app.url("/auth/register"))
                .header("content-type", "text/plain")
                .body("email=a@b.cd"),
        )
        .await;
    assert_problem(&response, 415, "unsupported_media_type");
    let missing = app
        .send(app.client.post(app.url("/auth/register")).body("{}"))
        .await;
    assert_problem(&missing, 415, "unsupported_media_type");
}

#[tokio::test]
async fn a_non_numeric_or_non_positive_id_in_the_path_is_404() {
    let app = spawn_app().await;
    let user = app.signed_up_user("ids@example.com").await;
    for path in [
        "/workspaces/abc",
        "/workspaces/0",
        "/workspaces/-3",
        "/workspaces/1.5",
    ] {
        assert_problem(
            &app.get(path, Some(&user.access_token)).await,
            404,
            "not_found",
        );
    }
}
