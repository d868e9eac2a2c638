//! `/auth/*` and `/me`.

use actix_web::{HttpResponse, get, post, web};
use serde::{Deserialize, Serialize};
use taskhub_domain::auth::{RegisterUser, TokenPair, User};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::error::{ApiError, Problem};
use crate::extract::{CurrentUser, JsonBody, OptionalJsonBody};
use crate::routes::timestamp;
use crate::state::AppState;

pub(crate) fn configure(cfg: &mut ServiceConfig) {
    cfg.service(register)
        .service(login)
        .service(refresh)
        .service(logout)
        .service(logout_all)
        .service(me);
}

#[derive(Deserialize, ToSchema)]
pub(crate) struct RegisterRequest {
    #[schema(example = "ada@example.com")]
    email: String,
    /// 8 to 72 bytes.
    #[schema(example = "correct horse battery")]
    password: String,
    /// 1 to 100 characters.
    #[schema(example = "Ada Lovelace")]
    name: String,
}

#[derive(Deserialize, ToSchema)]
pub(crate) struct LoginRequest {
    email: String,
    password: String,
}

#[derive(Deserialize, ToSchema)]
pub(crate) struct RefreshRequest {
    refresh_token: String,
}

#[derive(Deserialize, ToSchema)]
pub(crate) struct LogoutRequest {
    /// Also revoke the session of this refresh token.
    refresh_token: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct UserResponse {
    id: i64,
    email: String,
    name: String,
    #[schema(example = "2026-12-03T10:00:00Z")]
    created_at: String,
}

impl From<User> for UserResponse {
    fn from(user: User) -> Self {
        Self {
            id: user.id.0,
            email: user.email.as_str().to_owned(),
            name: user.name,
            created_at: timestamp(user.created_at),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub(crate) struct TokenResponse {
    access_token: String,
    refresh_token: String,
    #[schema(example = "Bearer")]
    token_type: &'static str,
    /// Lifetime of the access token in seconds.
    #[schema(example = 900)]
    expires_in: u64,
}

impl From<TokenPair> for TokenResponse {
    fn from(pair: TokenPair) -> Self {
        Self {
            access_token: pair.access_token,
            refresh_token: pair.refresh_token,
            token_type: "Bearer",
            expires_in: pair.expires_in,
        }
    }
}

/// Creates an account. Emails are trimmed and compared case-insensitively.
#[utoipa::path(
    tag = "auth",
    request_body = RegisterRequest,
    responses(
        (status = 201, body = UserResponse),
        (status = 409, description = "The email is taken", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid email, password or name", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/register")]
async fn register(
    state: web::Data<AppState>,
    body: JsonBody<RegisterRequest>,
) -> Result<HttpResponse, ApiError> {
    let JsonBody(request) = body;
    let user = state
        .auth
        .register(RegisterUser {
            email: request.email,
            password: request.password,
            name: request.name,
        })
        .await?;
    Ok(HttpResponse::Created().json(UserResponse::from(user)))
}

/// Exchanges email and password for an access and a refresh token.
#[utoipa::path(
    tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, body = TokenResponse),
        (status = 401, description = "`invalid_credentials`, for a wrong password and an unknown email alike", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many attempts from this address", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/login")]
async fn login(
    state: web::Data<AppState>,
    body: JsonBody<LoginRequest>,
) -> Result<web::Json<TokenResponse>, ApiError> {
    let JsonBody(request) = body;
    let pair = state.auth.login(&request.email, &request.password).await?;
    Ok(web::Json(pair.into()))
}

/// Rotates a refresh token. The presented token is consumed; presenting it
/// again answers `token_reused` and revokes its whole session.
#[utoipa::path(
    tag = "auth",
    request_body = RefreshRequest,
    responses(
        (status = 200, body = TokenResponse),
        (status = 401, description = "`unauthorized` (invalid, expired or revoked) or `token_reused`", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Redis is unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/refresh")]
async fn refresh(
    state: web::Data<AppState>,
    body: JsonBody<RefreshRequest>,
) -> Result<web::Json<TokenResponse>, ApiError> {
    let pair = state.auth.refresh(&body.0.refresh_token).await?;
    Ok(web::Json(pair.into()))
}

/// Ends the caller's session: its refresh tokens and this access token.
#[utoipa::path(
    tag = "auth",
    request_body(content = Option<LogoutRequest>, description = "Optional"),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Logged out"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/logout")]
async fn logout(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: OptionalJsonBody<LogoutRequest>,
) -> Result<HttpResponse, ApiError> {
    let refresh_token = body.0.and_then(|request| request.refresh_token);
    state.auth.logout(&user.0, refresh_token.as_deref()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Ends every session of the caller, including access tokens already issued.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 204, description = "All sessions revoked"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/logout-all")]
async fn logout_all(
    state: web::Data<AppState>,
    user: CurrentUser,
) -> Result<HttpResponse, ApiError> {
    state.auth.logout_all(&user.0).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The caller's profile.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 200, body = UserResponse),
        (status = 401, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me")]
async fn me(
    state: web::Data<AppState>,
    user: CurrentUser,
) -> Result<web::Json<UserResponse>, ApiError> {
    let user = state.auth.me(&user.0).await?;
    Ok(web::Json(user.into()))
}
