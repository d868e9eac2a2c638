//! The services every handler reaches through `web::Data<AppState>`.

use std::sync::Arc;

use taskhub_domain::audit::AuditService;
use taskhub_domain::auth::AuthService;
use taskhub_domain::health::HealthService;
use taskhub_domain::invite::InviteService;
use taskhub_domain::membership::MembershipService;
use taskhub_domain::workspace::WorkspaceService;

#[derive(Clone)]
pub struct AppState {
    pub health: Arc<HealthService>,
    pub auth: Arc<AuthService>,
    pub workspaces: Arc<WorkspaceService>,
    pub members: Arc<MembershipService>,
    pub invites: Arc<InviteService>,
    pub audit: Arc<AuditService>,
}
