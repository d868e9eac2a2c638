//! `WorkspaceActor`: the caller as a member of the workspace in the path.

use std::future::Future;
use std::pin::Pin;

use actix_web::{FromRequest, HttpRequest, dev::Payload, web};
use taskhub_domain::actor::Actor;
use taskhub_domain::ids::WorkspaceId;

use super::CurrentUser;
use crate::error::ApiError;
use crate::state::AppState;

/// An authenticated caller who is a member of the workspace named by the
/// route's `{id}`, with its role there. A non-member gets 404 whatever the
/// id, so nobody learns that another tenant's workspace exists. Whether the
/// role suffices is decided by the domain service (403).
#[derive(Clone, Copy, Debug)]
pub struct WorkspaceActor(pub Actor);

impl FromRequest for WorkspaceActor {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let user = CurrentUser::from_request(req, payload);
        let workspace = path_id(req, "id").map(WorkspaceId);
        let state = req.app_data::<web::Data<AppState>>().cloned();
        Box::pin(async move {
            let user = user.await?;
            let workspace = workspace.ok_or_else(ApiError::not_found)?;
            let state = state.ok_or_else(ApiError::missing_state)?;
            let actor = state.members.resolve_actor(user.id(), workspace).await?;
            Ok(WorkspaceActor(actor))
        })
    }
}

/// A positive integer id from the route, or `None` (which means 404).
pub(crate) fn path_id(req: &HttpRequest, name: &str) -> Option<i64> {
    req.match_info()
        .get(name)
        .and_then(|raw| raw.parse::<i64>().ok())
        .filter(|id| *id > 0)
}
