use chrono::{DateTime, Utc};

use crate::ids::{UserId, WorkspaceId};
use crate::rbac::Role;

const NAME_CHARS: std::ops::RangeInclusive<usize> = 1..=100;

/// A workspace name: trimmed, 1 to 100 characters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkspaceName(String);

impl WorkspaceName {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let name = raw.trim();
        if NAME_CHARS.contains(&name.chars().count()) {
            Ok(Self(name.to_owned()))
        } else {
            Err(format!(
                "must be between {} and {} characters long",
                NAME_CHARS.start(),
                NAME_CHARS.end()
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Workspace {
    pub id: WorkspaceId,
    pub name: String,
    pub owner_id: UserId,
    pub created_at: DateTime<Utc>,
}

/// A workspace as one of its members sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkspaceWithRole {
    pub workspace: Workspace,
    pub role: Role,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewWorkspace {
    pub name: WorkspaceName,
    pub owner_id: UserId,
    pub created_at: DateTime<Utc>,
}
