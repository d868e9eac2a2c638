use chrono::{DateTime, Utc};

use crate::auth::Email;
use crate::ids::UserId;
use crate::rbac::Role;

/// A member of a workspace, as listed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Member {
    pub user_id: UserId,
    pub email: Email,
    pub name: String,
    pub role: Role,
    pub joined_at: DateTime<Utc>,
}
