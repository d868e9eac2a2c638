use actix_web::{HttpResponse, get, web};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::state::AppState;

pub(crate) fn configure(cfg: &mut ServiceConfig) {
    cfg.service(health);
}

#[derive(Serialize, ToSchema)]
pub(crate) struct HealthResponse {
    /// `ok`, or `unavailable` when a backing service is down.
    #[schema(example = "ok")]
    status: &'static str,
    /// `ok` or `down`.
    #[schema(example = "ok")]
    mysql: &'static str,
    /// `ok` or `down`.
    #[schema(example = "ok")]
    redis: &'static str,
}

fn up_or_down(up: bool) -> &'static str {
    if up { "ok" } else { "down" }
}

/// Checks MySQL and Redis on every call.
#[utoipa::path(
    tag = "service",
    responses(
        (status = 200, description = "Both backing services answer", body = HealthResponse),
        (status = 503, description = "MySQL or Redis is down", body = HealthResponse),
    )
)]
#[get("/health")]
async fn health(state: web::Data<AppState>) -> HttpResponse {
    let report = state.health.check().await;
    let body = HealthResponse {
        status: if report.is_healthy() {
            "ok"
        } else {
            "unavailable"
        },
        mysql: up_or_down(report.mysql_up),
        redis: up_or_down(report.redis_up),
    };
    if report.is_healthy() {
        HttpResponse::Ok().json(body)
    } else {
        HttpResponse::ServiceUnavailable().json(body)
    }
}
