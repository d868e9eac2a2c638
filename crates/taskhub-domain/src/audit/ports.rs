use async_trait::async_trait;

use super::model::{AuditEntry, AuditFilter};
use crate::PortError;
use crate::ids::WorkspaceId;
use crate::pagination::{Page, PageRequest};

/// Reads the audit log. (Rows are written by the other repositories, inside
/// their own transactions.)
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait AuditLogRepository: Send + Sync {
    /// The workspace's rows matching `filter`, newest first.
    ///
    /// # Errors
    /// `Unavailable` / `Unexpected`: see [`PortError`].
    async fn list(
        &self,
        workspace: WorkspaceId,
        filter: AuditFilter,
        page: PageRequest,
    ) -> Result<Page<AuditEntry>, PortError>;
}
