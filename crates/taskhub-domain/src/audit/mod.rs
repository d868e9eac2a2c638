//! The audit log: one row per write in a workspace, written in the same
//! transaction as the write (the repositories' write methods take the
//! [`AuditRecord`] to insert), and read back by OWNERs and ADMINs.

mod model;
mod ports;
mod service;

pub use model::{AuditAction, AuditEntry, AuditFilter, AuditMeta, AuditRecord, EntityType};
pub use ports::AuditLogRepository;
#[cfg(any(test, feature = "mocks"))]
pub use ports::MockAuditLogRepository;
pub use service::AuditService;
