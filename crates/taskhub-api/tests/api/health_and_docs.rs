use std::time::Duration;

use taskhub_test_support::{ToggleProxy, spawn_app, spawn_app_with, wait_until};

#[tokio::test]
async fn health_is_ok_when_mysql_and_redis_answer() {
    let app = spawn_app().await;
    let response = app.get("/health", None).await;
    assert_eq!(response.status, 200, "{}", response.text);
    assert_eq!(
        response.json(),
        serde_json::json!({"status": "ok", "mysql": "ok", "redis": "ok"})
    );
}

#[tokio::test]
async fn health_is_503_naming_redis_when_redis_is_unreachable() {
    let app = spawn_app_with(|env| {
        env.insert("REDIS_URL", "redis://127.0.0.1:1/0".to_owned());
    })
    .await;
    let response = app.get("/health", None).await;
    assert_eq!(response.status, 503);
    assert_eq!(response.json()["redis"], "down");
    assert_eq!(response.json()["mysql"], "ok");
}

#[tokio::test]
async fn health_is_503_naming_mysql_when_mysql_is_unreachable() {
    let app = spawn_app_with(|env| {
        env.insert(
            "DATABASE_URL",
            "mysql://root@127.0.0.1:1/taskhub".to_owned(),
        );
        env.insert("MIGRATE_ON_START", "false".to_owned());
    })
    .await;
    let response = app.get("/health", None).await;
    assert_eq!(response.status, 503);
    assert_eq!(response.json()["mysql"], "down");
    assert_eq!(response.json()["redis"], "ok");
}

#[tokio::test]
async fn health_follows_redis_going_down_and_coming_back_without_restart() {
    let proxy = ToggleProxy::start("127.0.0.1:6379").await;
    let port = proxy.port();
    let app = spawn_app_with(|env| {
        env.insert("REDIS_URL", format!("redis://127.0.0.1:{port}/0"));
    })
    .await;
    assert_eq!(app.get("/health", None).await.status, 200);

    proxy.cut();
    let started = std::time::Instant::now();
    let response = app.get("/health", None).await;
    assert_eq!(response.status, 503, "{}", response.text);
    assert_eq!(response.json()["redis"], "down");
    // The pool's timeouts bound how long an outage can hold a request.
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );

    proxy.restore();
    let recovered = wait_until(Duration::from_secs(10), || async {
        app.get("/health", None).await.status == 200
    })
    .await;
    assert!(recovered, "health did not recover after Redis came back");
}

#[tokio::test]
async fn docs_serve_swagger_ui_from_the_binary() {
    let app = spawn_app().await;
    let page = app.get("/docs/", None).await;
    assert_eq!(page.status, 200);
    assert!(page.text.contains("swagger-ui"), "{}", page.text);
    let redirect = app.get("/docs", None).await;
    assert_eq!(redirect.status, 200, "GET /docs should reach the UI");
    // The UI's assets come from the binary, not a CDN.
    for asset in ["/docs/swagger-ui.css", "/docs/swagger-ui-bundle.js"] {
        assert_eq!(app.get(asset, None).await.status, 200, "{asset}");
    }
    assert!(
        !page.text.contains("https://"),
        "the page must not load remote assets"
    );
}

#[tokio::test]
async fn openapi_document_describes_the_endpoints() {
    let app = spawn_app().await;
    let response = app.get("/openapi.json", None).await;
    assert_eq!(response.status, 200);
    let doc = response.json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().expect("paths");
    for (path, method) in [
        ("/health", "get"),
        ("/auth/register", "post"),
        ("/auth/login", "post"),
        ("/auth/refresh", "post"),
        ("/auth/logout", "post"),
        ("/auth/logout-all", "post"),
        ("/me", "get"),
    ] {
        assert!(
            paths.get(path).and_then(|p| p.get(method)).is_some(),
            "{method} {path} missing"
        );
    }
    let schemas = doc["components"]["schemas"].as_object().expect("schemas");
    for schema in [
        "Problem",
        "RegisterRequest",
        "TokenResponse",
        "UserResponse",
    ] {
        assert!(schemas.contains_key(schema), "schema {schema} missing");
    }
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
}

#[tokio::test]
async fn every_response_carries_a_request_id_and_echoes_the_clients() {
    let app = spawn_app().await;
    let generated = app.get("/health", None).await;
    let id = generated.header("x-request-id").expect("x-request-id");
    assert!(!id.is_empty());

    let echoed = app
        .send(
            app.client
                .get(app.url("/nowhere"))
                .header("X-Request-Id", "client-id-42"),
        )
        .await;
    assert_eq!(echoed.status, 404);
    assert_eq!(echoed.header("x-request-id"), Some("client-id-42"));

    let unprintable = app
        .send(
            app.client
                .get(app.url("/health"))
                .header("X-Request-Id", "a".repeat(500)),
        )
        .await;
    assert_ne!(
        unprintable.header("x-request-id"),
        Some("a".repeat(500).as_str())
    );
}
