use std::sync::Arc;

use super::model::{AuditEntry, AuditFilter};
use super::ports::AuditLogRepository;
use crate::actor::Actor;
use crate::error::DomainError;
use crate::pagination::{Page, PageRequest};
use crate::rbac::Action;

pub struct AuditService {
    audit: Arc<dyn AuditLogRepository>,
}

impl AuditService {
    pub fn new(audit: Arc<dyn AuditLogRepository>) -> Self {
        Self { audit }
    }

    /// The workspace's audit log, newest first (OWNER and ADMIN).
    pub async fn list(
        &self,
        actor: &Actor,
        filter: AuditFilter,
        page: PageRequest,
    ) -> Result<Page<AuditEntry>, DomainError> {
        actor.require(Action::ReadAuditLog)?;
        Ok(self.audit.list(actor.workspace_id, filter, page).await?)
    }
}
