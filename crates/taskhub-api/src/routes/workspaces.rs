//! `/workspaces` and `/workspaces/{id}`.

use actix_web::{HttpResponse, delete, get, patch, post, web};
use serde::{Deserialize, Serialize};
use taskhub_domain::workspace::WorkspaceWithRole;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::error::{ApiError, Problem};
use crate::extract::{CurrentUser, JsonBody, PageQuery, Paginated, WorkspaceActor};
use crate::routes::timestamp;
use crate::state::AppState;

pub(crate) fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_workspace)
        .service(list_workspaces)
        .service(get_workspace)
        .service(rename_workspace)
        .service(delete_workspace);
}

#[derive(Deserialize, ToSchema)]
pub(crate) struct CreateWorkspaceRequest {
    /// 1 to 100 characters.
    #[schema(example = "Acme")]
    name: String,
}

/// Fields a client may change; anything else in the body (`id`,
/// `owner_id`, `created_at`) is ignored.
#[derive(Deserialize, ToSchema)]
pub(crate) struct UpdateWorkspaceRequest {
    name: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct WorkspaceResponse {
    id: i64,
    name: String,
    owner_id: i64,
    #[schema(example = "2026-12-03T10:00:00Z")]
    created_at: String,
    /// The caller's role in this workspace.
    #[schema(example = "OWNER")]
    role: &'static str,
}

impl From<WorkspaceWithRole> for WorkspaceResponse {
    fn from(view: WorkspaceWithRole) -> Self {
        Self {
            id: view.workspace.id.0,
            name: view.workspace.name,
            owner_id: view.workspace.owner_id.0,
            created_at: timestamp(view.workspace.created_at),
            role: view.role.as_str(),
        }
    }
}

/// Creates a workspace; the caller becomes its one OWNER.
#[utoipa::path(
    tag = "workspaces",
    request_body = CreateWorkspaceRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, body = WorkspaceResponse),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/workspaces")]
async fn create_workspace(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: JsonBody<CreateWorkspaceRequest>,
) -> Result<HttpResponse, ApiError> {
    let created = state.workspaces.create(user.id(), &body.0.name).await?;
    Ok(HttpResponse::Created().json(WorkspaceResponse::from(created)))
}

/// The caller's workspaces, each with the caller's role, oldest first.
#[utoipa::path(
    tag = "workspaces",
    params(PageQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, body = Paginated<WorkspaceResponse>),
        (status = 422, description = "page or page_size out of range", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/workspaces")]
async fn list_workspaces(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<PageQuery>,
) -> Result<web::Json<Paginated<WorkspaceResponse>>, ApiError> {
    let page = state
        .workspaces
        .list_mine(user.id(), query.to_request()?)
        .await?;
    Ok(web::Json(Paginated::from_page(
        page,
        WorkspaceResponse::from,
    )))
}

/// A workspace the caller is a member of (404 otherwise).
#[utoipa::path(
    tag = "workspaces",
    params(("id" = i64, Path, description = "Workspace id")),
    security(("bearer" = [])),
    responses(
        (status = 200, body = WorkspaceResponse),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/workspaces/{id}")]
async fn get_workspace(
    state: web::Data<AppState>,
    actor: WorkspaceActor,
) -> Result<web::Json<WorkspaceResponse>, ApiError> {
    Ok(web::Json(state.workspaces.get(&actor.0).await?.into()))
}

/// Renames a workspace (OWNER, ADMIN).
#[utoipa::path(
    tag = "workspaces",
    params(("id" = i64, Path, description = "Workspace id")),
    request_body = UpdateWorkspaceRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, body = WorkspaceResponse),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/workspaces/{id}")]
async fn rename_workspace(
    state: web::Data<AppState>,
    actor: WorkspaceActor,
    body: JsonBody<UpdateWorkspaceRequest>,
) -> Result<web::Json<WorkspaceResponse>, ApiError> {
    let updated = state
        .workspaces
        .update(&actor.0, body.0.name.as_deref())
        .await?;
    Ok(web::Json(updated.into()))
}

/// Deletes a workspace and everything in it (OWNER only).
#[utoipa::path(
    tag = "workspaces",
    params(("id" = i64, Path, description = "Workspace id")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Deleted with its projects, tasks, comments, invites and members"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/workspaces/{id}")]
async fn delete_workspace(
    state: web::Data<AppState>,
    actor: WorkspaceActor,
) -> Result<HttpResponse, ApiError> {
    state.workspaces.delete(&actor.0).await?;
    Ok(HttpResponse::NoContent().finish())
}
