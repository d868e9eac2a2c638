//! `spawn_app`: the real application on a random port, and an HTTP client.

use std::collections::HashMap;

use serde_json::Value;
use taskhub_api::Application;
use taskhub_config::ApiSettings;

use crate::{TestDatabase, TestRedis};

/// A running API with its own database and Redis prefix. Both are cleaned
/// up when the `TestApp` is dropped.
pub struct TestApp {
    pub address: String,
    pub port: u16,
    pub client: reqwest::Client,
    pub settings: ApiSettings,
    pub redis: TestRedis,
    // Dropped last: the server may still hold connections until then.
    pub database: TestDatabase,
}

/// A response, read whole, for easy assertions.
#[derive(Debug)]
pub struct TestResponse {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub text: String,
}

impl TestResponse {
    /// The body as JSON (`Value::Null` if it is not JSON).
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or(Value::Null)
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }

    /// The `code` of a problem+json body.
    pub fn code(&self) -> String {
        self.json()["code"].as_str().unwrap_or_default().to_owned()
    }
}

/// Spawns the app with test defaults.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Spawns the app after `customize` has adjusted its environment, e.g. to
/// point `REDIS_URL` at a closed port.
pub async fn spawn_app_with(customize: impl FnOnce(&mut HashMap<&'static str, String>)) -> TestApp {
    let database = TestDatabase::create().await;
    let redis = TestRedis::new();
    let mut env: HashMap<&'static str, String> = HashMap::from([
        ("HTTP_ADDR", "127.0.0.1:0".to_owned()),
        ("DATABASE_URL", database.url().to_owned()),
        ("REDIS_URL", redis.url()),
        ("REDIS_KEY_PREFIX", redis.prefix().to_owned()),
        (
            "JWT_SECRET",
            format!("test-secret-{}", uuid::Uuid::new_v4()),
        ),
        // The lowest cost bcrypt allows: tests exercise logic, not hashing.
        ("BCRYPT_COST", "4".to_owned()),
    ]);
    customize(&mut env);
    let settings =
        ApiSettings::from_lookup(&|name| env.get(name).cloned()).expect("valid test settings");
    let application = Application::build(settings.clone())
        .await
        .expect("build the application");
    let port = application.port();
    tokio::spawn(application.run_until_stopped());
    TestApp {
        address: format!("http://127.0.0.1:{port}"),
        port,
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::limited(3))
            .build()
            .expect("build the HTTP client"),
        settings,
        redis,
        database,
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// Sends a request and reads the whole response.
    pub async fn send(&self, request: reqwest::RequestBuilder) -> TestResponse {
        let response = request.send().await.expect("send the request");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response.text().await.expect("read the response body");
        TestResponse {
            status,
            headers,
            text,
        }
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> TestResponse {
        self.send(with_token(self.client.get(self.url(path)), token))
            .await
    }

    pub async fn post(&self, path: &str, body: &Value, token: Option<&str>) -> TestResponse {
        self.send(with_token(
            self.client.post(self.url(path)).json(body),
            token,
        ))
        .await
    }

    pub async fn patch(&self, path: &str, body: &Value, token: Option<&str>) -> TestResponse {
        self.send(with_token(
            self.client.patch(self.url(path)).json(body),
            token,
        ))
        .await
    }

    pub async fn delete(&self, path: &str, token: Option<&str>) -> TestResponse {
        self.send(with_token(self.client.delete(self.url(path)), token))
            .await
    }

    /// Registers `email` with a fixed password and returns the user's JSON.
    pub async fn register(&self, email: &str) -> Value {
        let response = self
            .post(
                "/auth/register",
                &serde_json::json!({"email": email, "password": TEST_PASSWORD, "name": "Test User"}),
                None,
            )
            .await;
        assert_eq!(response.status, 201, "register {email}: {}", response.text);
        response.json()
    }

    /// Logs `email` in and returns the token pair's JSON.
    pub async fn login(&self, email: &str) -> Value {
        let response = self
            .post(
                "/auth/login",
                &serde_json::json!({"email": email, "password": TEST_PASSWORD}),
                None,
            )
            .await;
        assert_eq!(response.status, 200, "login {email}: {}", response.text);
        response.json()
    }

    /// Registers and logs in a fresh user; returns (user id, access token, refresh token).
    pub async fn signed_up_user(&self, email: &str) -> TestUser {
        let user = self.register(email).await;
        let tokens = self.login(email).await;
        TestUser {
            id: user["id"].as_i64().expect("user id"),
            email: email.to_owned(),
            access_token: tokens["access_token"]
                .as_str()
                .expect("access token")
                .to_owned(),
            refresh_token: tokens["refresh_token"]
                .as_str()
                .expect("refresh token")
                .to_owned(),
        }
    }
}

impl TestApp {
    /// A direct connection to the app's test database, for fixtures and
    /// for checking what was (not) written.
    pub async fn db(&self) -> sea_orm::DatabaseConnection {
        sea_orm::Database::connect(self.database.url())
            .await
            .expect("connect to the test database")
    }

    /// Runs one SQL statement with positional values.
    pub async fn execute_sql(&self, sql: &str, values: Vec<sea_orm::Value>) {
        use sea_orm::ConnectionTrait;
        let db = self.db().await;
        db.execute_raw(sea_orm::Statement::from_sql_and_values(
            sea_orm::DbBackend::MySql,
            sql,
            values,
        ))
        .await
        .unwrap_or_else(|err| panic!("{sql}: {err}"));
        db.close().await.ok();
    }

    /// A single number from a query, e.g. a `COUNT(*)`.
    pub async fn query_i64(&self, sql: &str, values: Vec<sea_orm::Value>) -> i64 {
        use sea_orm::ConnectionTrait;
        let db = self.db().await;
        let row = db
            .query_one_raw(sea_orm::Statement::from_sql_and_values(
                sea_orm::DbBackend::MySql,
                sql,
                values,
            ))
            .await
            .unwrap_or_else(|err| panic!("{sql}: {err}"))
            .expect("one row");
        let value: i64 = row.try_get_by_index(0).expect("an integer column");
        db.close().await.ok();
        value
    }

    /// Makes `user` a member of `workspace` with `role`, bypassing invites
    /// (a fixture for tests that are not about invites).
    pub async fn add_member(&self, workspace: i64, user: i64, role: &str) {
        self.execute_sql(
            "INSERT INTO workspace_members (workspace_id, user_id, role, joined_at) \
             VALUES (?, ?, ?, UTC_TIMESTAMP())",
            vec![workspace.into(), user.into(), role.into()],
        )
        .await;
    }

    /// Settings for a worker that shares this app's database and Redis
    /// prefix, sending through `smtp_url` (or logging with `None`).
    pub fn worker_settings(&self, smtp_url: Option<String>) -> taskhub_config::WorkerSettings {
        let mut env = HashMap::from([
            ("DATABASE_URL", self.database.url().to_owned()),
            ("REDIS_URL", self.settings.redis.url.clone()),
            ("REDIS_KEY_PREFIX", self.redis.prefix().to_owned()),
            ("PUBLIC_BASE_URL", "http://taskhub.test".to_owned()),
        ]);
        if let Some(url) = smtp_url {
            env.insert("SMTP_URL", url);
        }
        taskhub_config::WorkerSettings::from_lookup(&|name| env.get(name).cloned())
            .expect("valid worker settings")
    }

    /// Creates a workspace owned by `owner` through the API; returns its id.
    pub async fn create_workspace(&self, owner: &TestUser, name: &str) -> i64 {
        let response = self
            .post(
                "/workspaces",
                &serde_json::json!({"name": name}),
                Some(&owner.access_token),
            )
            .await;
        assert_eq!(response.status, 201, "create workspace: {}", response.text);
        response.json()["id"].as_i64().expect("workspace id")
    }

    /// A workspace with one user of each role (and a spare guest to act on).
    pub async fn team(&self) -> Team {
        let tag = crate::unique_suffix();
        let owner = self
            .signed_up_user(&format!("owner-{tag}@example.com"))
            .await;
        let admin = self
            .signed_up_user(&format!("admin-{tag}@example.com"))
            .await;
        let member = self
            .signed_up_user(&format!("member-{tag}@example.com"))
            .await;
        let guest = self
            .signed_up_user(&format!("guest-{tag}@example.com"))
            .await;
        let spare_guest = self
            .signed_up_user(&format!("spare-{tag}@example.com"))
            .await;
        let workspace = self.create_workspace(&owner, "Team").await;
        self.add_member(workspace, admin.id, "ADMIN").await;
        self.add_member(workspace, member.id, "MEMBER").await;
        self.add_member(workspace, guest.id, "GUEST").await;
        self.add_member(workspace, spare_guest.id, "GUEST").await;
        Team {
            workspace,
            owner,
            admin,
            member,
            guest,
            spare_guest,
        }
    }
}

/// A workspace with one user per role.
#[derive(Clone, Debug)]
pub struct Team {
    pub workspace: i64,
    pub owner: TestUser,
    pub admin: TestUser,
    pub member: TestUser,
    pub guest: TestUser,
    pub spare_guest: TestUser,
}

impl Team {
    /// The user holding `role` (`OWNER`, `ADMIN`, `MEMBER` or `GUEST`).
    pub fn by_role(&self, role: &str) -> &TestUser {
        match role {
            "OWNER" => &self.owner,
            "ADMIN" => &self.admin,
            "MEMBER" => &self.member,
            "GUEST" => &self.guest,
            other => panic!("no such role {other}"),
        }
    }
}

/// The password every test user gets.
pub const TEST_PASSWORD: &str = "correct horse battery staple";

/// A registered, logged-in user.
#[derive(Clone, Debug)]
pub struct TestUser {
    pub id: i64,
    pub email: String,
    pub access_token: String,
    pub refresh_token: String,
}

fn with_token(request: reqwest::RequestBuilder, token: Option<&str>) -> reqwest::RequestBuilder {
    match token {
        Some(token) => request.bearer_auth(token),
        None => request,
    }
}
