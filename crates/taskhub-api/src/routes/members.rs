//! `/workspaces/{id}/members`.

use actix_web::{HttpResponse, delete, get, patch, web};
use serde::{Deserialize, Serialize};
use taskhub_domain::ids::UserId;
use taskhub_domain::membership::Member;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::error::{ApiError, Problem};
use crate::extract::{JsonBody, PageQuery, Paginated, WorkspaceActor};
use crate::routes::timestamp;
use crate::state::AppState;

pub(crate) fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_members)
        .service(change_member_role)
        .service(remove_member);
}

#[derive(Serialize, ToSchema)]
pub(crate) struct MemberResponse {
    user_id: i64,
    email: String,
    name: String,
    #[schema(example = "MEMBER")]
    role: &'static str,
    #[schema(example = "2026-12-03T10:00:00Z")]
    joined_at: String,
}

impl From<Member> for MemberResponse {
    fn from(member: Member) -> Self {
        Self {
            user_id: member.user_id.0,
            email: member.email.as_str().to_owned(),
            name: member.name,
            role: member.role.as_str(),
            joined_at: timestamp(member.joined_at),
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub(crate) struct ChangeRoleRequest {
    /// `ADMIN`, `MEMBER` or `GUEST` (OWNER cannot be assigned: 422).
    #[schema(example = "ADMIN")]
    role: String,
}

/// The workspace's members in the order they joined.
#[utoipa::path(
    tag = "members",
    params(("id" = i64, Path, description = "Workspace id"), PageQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, body = Paginated<MemberResponse>),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/workspaces/{id}/members")]
async fn list_members(
    state: web::Data<AppState>,
    actor: WorkspaceActor,
    query: web::Query<PageQuery>,
) -> Result<web::Json<Paginated<MemberResponse>>, ApiError> {
    let page = state.members.list(&actor.0, query.to_request()?).await?;
    Ok(web::Json(Paginated::from_page(page, MemberResponse::from)))
}

/// Changes a member's role. OWNER: anyone but themselves, to ADMIN, MEMBER or
/// GUEST. ADMIN: only MEMBERs and GUESTs, to MEMBER or GUEST.
#[utoipa::path(
    tag = "members",
    params(
        ("id" = i64, Path, description = "Workspace id"),
        ("user_id" = i64, Path, description = "The member's user id"),
    ),
    request_body = ChangeRoleRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, body = MemberResponse),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The owner's role cannot change", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/workspaces/{id}/members/{user_id}")]
async fn change_member_role(
    state: web::Data<AppState>,
    actor: WorkspaceActor,
    path: web::Path<(i64, i64)>,
    body: JsonBody<ChangeRoleRequest>,
) -> Result<web::Json<MemberResponse>, ApiError> {
    let (_, user_id) = path.into_inner();
    let member = state
        .members
        .change_role(&actor.0, UserId(user_id), &body.0.role)
        .await?;
    Ok(web::Json(member.into()))
}

/// Removes a member; removing oneself is leaving. The owner can neither
/// leave nor be removed (409).
#[utoipa::path(
    tag = "members",
    params(
        ("id" = i64, Path, description = "Workspace id"),
        ("user_id" = i64, Path, description = "The member's user id"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Removed"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/workspaces/{id}/members/{user_id}")]
async fn remove_member(
    state: web::Data<AppState>,
    actor: WorkspaceActor,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, ApiError> {
    let (_, user_id) = path.into_inner();
    state.members.remove(&actor.0, UserId(user_id)).await?;
    Ok(HttpResponse::NoContent().finish())
}
