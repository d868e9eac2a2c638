//! `/workspaces/{id}/audit-logs`.

use actix_web::{get, web};
use serde::{Deserialize, Serialize};
use taskhub_domain::audit::{AuditAction, AuditEntry, AuditFilter, AuditMeta, EntityType};
use taskhub_domain::ids::UserId;
use taskhub_domain::validation::ValidationErrors;
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::error::{ApiError, Problem};
use crate::extract::{PageQuery, Paginated, WorkspaceActor};
use crate::routes::timestamp;
use crate::state::AppState;

pub(crate) fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_audit_logs);
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct AuditQuery {
    /// e.g. `MEMBER_ROLE_UPDATE`.
    action: Option<String>,
    actor_id: Option<i64>,
    /// `workspace`, `member`, `invite`, `project`, `task` or `comment`.
    entity_type: Option<String>,
}

impl AuditQuery {
    /// Unknown filter values are 422, not silently empty results.
    fn to_filter(&self) -> Result<AuditFilter, ApiError> {
        let mut errors = ValidationErrors::new();
        let action = self.action.as_deref().and_then(|raw| {
            let parsed = AuditAction::parse(raw).ok_or_else(|| "unknown audit action".to_owned());
            errors.check("action", parsed)
        });
        let entity_type = self.entity_type.as_deref().and_then(|raw| {
            let parsed = EntityType::parse(raw).ok_or_else(|| "unknown entity type".to_owned());
            errors.check("entity_type", parsed)
        });
        errors
            .into_result()
            .map_err(|errors| ApiError::validation(&errors))?;
        Ok(AuditFilter {
            action,
            actor_id: self.actor_id.map(UserId),
            entity_type,
        })
    }
}

#[derive(Serialize, ToSchema)]
pub(crate) struct AuditLogResponse {
    id: i64,
    workspace_id: i64,
    actor_id: i64,
    #[schema(example = "MEMBER_ROLE_UPDATE")]
    action: &'static str,
    #[schema(example = "member")]
    entity_type: &'static str,
    entity_id: i64,
    /// Details of the change, e.g. `{"from": "MEMBER", "to": "ADMIN"}`.
    #[schema(value_type = Object)]
    meta: AuditMeta,
    #[schema(example = "2026-12-03T10:00:00Z")]
    created_at: String,
}

impl From<AuditEntry> for AuditLogResponse {
    fn from(entry: AuditEntry) -> Self {
        Self {
            id: entry.id,
            workspace_id: entry.workspace_id.0,
            actor_id: entry.actor_id.0,
            action: entry.action.as_str(),
            entity_type: entry.entity_type.as_str(),
            entity_id: entry.entity_id,
            meta: entry.meta,
            created_at: timestamp(entry.created_at),
        }
    }
}

/// The workspace's audit log, newest first (OWNER, ADMIN).
#[utoipa::path(
    tag = "audit",
    params(("id" = i64, Path, description = "Workspace id"), AuditQuery, PageQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, body = Paginated<AuditLogResponse>),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/workspaces/{id}/audit-logs")]
async fn list_audit_logs(
    state: web::Data<AppState>,
    actor: WorkspaceActor,
    filter: web::Query<AuditQuery>,
    page: web::Query<PageQuery>,
) -> Result<web::Json<Paginated<AuditLogResponse>>, ApiError> {
    let entries = state
        .audit
        .list(&actor.0, filter.to_filter()?, page.to_request()?)
        .await?;
    Ok(web::Json(Paginated::from_page(
        entries,
        AuditLogResponse::from,
    )))
}
