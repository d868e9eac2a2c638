//! `/workspaces/{id}/invites` and `/invites/accept`.

use actix_web::{HttpResponse, delete, get, post, web};
use serde::{Deserialize, Serialize};
use taskhub_domain::ids::InviteId;
use taskhub_domain::invite::Invite;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::error::{ApiError, Problem};
use crate::extract::{CurrentUser, JsonBody, PageQuery, Paginated, WorkspaceActor};
use crate::routes::timestamp;
use crate::state::AppState;

pub(crate) fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_invite)
        .service(list_invites)
        .service(revoke_invite)
        .service(accept_invite);
}

#[derive(Deserialize, ToSchema)]
pub(crate) struct CreateInviteRequest {
    #[schema(example = "grace@example.com")]
    email: String,
    /// `ADMIN`, `MEMBER` (default) or `GUEST`. An ADMIN may invite only
    /// MEMBERs and GUESTs.
    #[schema(example = "MEMBER")]
    role: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct InviteResponse {
    id: i64,
    workspace_id: i64,
    email: String,
    #[schema(example = "MEMBER")]
    role: &'static str,
    /// `PENDING`, `ACCEPTED`, `REVOKED` or `EXPIRED`.
    #[schema(example = "PENDING")]
    status: &'static str,
    #[schema(example = "2026-12-06T10:00:00Z")]
    expires_at: String,
    #[schema(example = "2026-12-03T10:00:00Z")]
    created_at: String,
}

impl From<Invite> for InviteResponse {
    fn from(invite: Invite) -> Self {
        Self {
            id: invite.id.0,
            workspace_id: invite.workspace_id.0,
            email: invite.email.as_str().to_owned(),
            role: invite.role.as_str(),
            status: invite.status.as_str(),
            expires_at: timestamp(invite.expires_at),
            created_at: timestamp(invite.created_at),
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub(crate) struct AcceptInviteRequest {
    /// The token from the invitation email.
    token: String,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct AcceptInviteResponse {
    workspace_id: i64,
    #[schema(example = "MEMBER")]
    role: &'static str,
}

/// Invites an email address (OWNER, ADMIN). The token goes only into the
/// invitation email, which the worker sends; a pending invite for the same
/// email is revoked and replaced.
#[utoipa::path(
    tag = "invites",
    params(("id" = i64, Path, description = "Workspace id")),
    request_body = CreateInviteRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, body = InviteResponse),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already a member", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/workspaces/{id}/invites")]
async fn create_invite(
    state: web::Data<AppState>,
    actor: WorkspaceActor,
    body: JsonBody<CreateInviteRequest>,
) -> Result<HttpResponse, ApiError> {
    let JsonBody(request) = body;
    let invite = state
        .invites
        .create(&actor.0, &request.email, request.role.as_deref())
        .await?;
    Ok(HttpResponse::Created().json(InviteResponse::from(invite)))
}

/// The workspace's invites, newest first (OWNER, ADMIN).
#[utoipa::path(
    tag = "invites",
    params(("id" = i64, Path, description = "Workspace id"), PageQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, body = Paginated<InviteResponse>),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/workspaces/{id}/invites")]
async fn list_invites(
    state: web::Data<AppState>,
    actor: WorkspaceActor,
    query: web::Query<PageQuery>,
) -> Result<web::Json<Paginated<InviteResponse>>, ApiError> {
    let page = state.invites.list(&actor.0, query.to_request()?).await?;
    Ok(web::Json(Paginated::from_page(page, InviteResponse::from)))
}

/// Revokes an invite (OWNER, ADMIN); its status becomes `REVOKED`.
#[utoipa::path(
    tag = "invites",
    params(
        ("id" = i64, Path, description = "Workspace id"),
        ("invite_id" = i64, Path, description = "Invite id"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Revoked (or already revoked)"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already accepted", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/workspaces/{id}/invites/{invite_id}")]
async fn revoke_invite(
    state: web::Data<AppState>,
    actor: WorkspaceActor,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, ApiError> {
    let (_, invite_id) = path.into_inner();
    state.invites.revoke(&actor.0, InviteId(invite_id)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Accepts an invite with the token from its email. The caller's email
/// must be the invited one.
#[utoipa::path(
    tag = "invites",
    request_body = AcceptInviteRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, body = AcceptInviteResponse),
        (status = 403, description = "The invite is for another email", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Unknown token", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already used, or already a member", body = Problem, content_type = "application/problem+json"),
        (status = 410, description = "`invite_revoked` or `invite_expired`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/invites/accept")]
async fn accept_invite(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: JsonBody<AcceptInviteRequest>,
) -> Result<web::Json<AcceptInviteResponse>, ApiError> {
    let (workspace, role) = state.invites.accept(user.id(), &body.0.token).await?;
    Ok(web::Json(AcceptInviteResponse {
        workspace_id: workspace.0,
        role: role.as_str(),
    }))
}
