use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use crate::ids::{UserId, WorkspaceId};

/// The kinds of thing an audit row is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntityType {
    Workspace,
    Member,
    Invite,
    Project,
    Task,
    Comment,
}

impl EntityType {
    pub const ALL: [EntityType; 6] = [
        EntityType::Workspace,
        EntityType::Member,
        EntityType::Invite,
        EntityType::Project,
        EntityType::Task,
        EntityType::Comment,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EntityType::Workspace => "workspace",
            EntityType::Member => "member",
            EntityType::Invite => "invite",
            EntityType::Project => "project",
            EntityType::Task => "task",
            EntityType::Comment => "comment",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == raw)
    }
}

macro_rules! audit_actions {
    ($($variant:ident => $name:literal, $entity:ident;)*) => {
        /// The actions of API.md's audit log.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum AuditAction {
            $($variant,)*
        }

        impl AuditAction {
            pub const ALL: &'static [AuditAction] = &[$(AuditAction::$variant,)*];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(AuditAction::$variant => $name,)*
                }
            }

            /// What the row's `entity_id` refers to.
            pub fn entity_type(self) -> EntityType {
                match self {
                    $(AuditAction::$variant => EntityType::$entity,)*
                }
            }
        }
    };
}

audit_actions! {
    WorkspaceCreate => "WORKSPACE_CREATE", Workspace;
    WorkspaceUpdate => "WORKSPACE_UPDATE", Workspace;
    MemberInvite => "MEMBER_INVITE", Invite;
    InviteRevoke => "INVITE_REVOKE", Invite;
    MemberJoin => "MEMBER_JOIN", Member;
    MemberRoleUpdate => "MEMBER_ROLE_UPDATE", Member;
    MemberRemove => "MEMBER_REMOVE", Member;
    ProjectCreate => "PROJECT_CREATE", Project;
    ProjectUpdate => "PROJECT_UPDATE", Project;
    ProjectDelete => "PROJECT_DELETE", Project;
    TaskCreate => "TASK_CREATE", Task;
    TaskUpdate => "TASK_UPDATE", Task;
    TaskUpdateStatus => "TASK_UPDATE_STATUS", Task;
    TaskDelete => "TASK_DELETE", Task;
    CommentCreate => "COMMENT_CREATE", Comment;
    CommentUpdate => "COMMENT_UPDATE", Comment;
    CommentDelete => "COMMENT_DELETE", Comment;
}

impl AuditAction {
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL
            .iter()
            .copied()
            .find(|action| action.as_str() == raw)
    }
}

/// Free-form details of an audit row (e.g. `from`/`to` of a change),
/// stored as a JSON object of strings.
pub type AuditMeta = BTreeMap<String, String>;

/// What a use case asks a repository to record with its write. The
/// repository supplies the workspace and entity ids from the row it writes,
/// so a record can never point at a different row than its write.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditRecord {
    pub actor_id: UserId,
    pub action: AuditAction,
    pub meta: AuditMeta,
    pub at: DateTime<Utc>,
}

impl AuditRecord {
    pub fn new(actor_id: UserId, action: AuditAction, at: DateTime<Utc>) -> Self {
        Self {
            actor_id,
            action,
            meta: AuditMeta::new(),
            at,
        }
    }

    pub fn with(mut self, key: &str, value: impl Into<String>) -> Self {
        self.meta.insert(key.to_owned(), value.into());
        self
    }
}

/// A stored audit row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditEntry {
    pub id: i64,
    pub workspace_id: WorkspaceId,
    pub actor_id: UserId,
    pub action: AuditAction,
    pub entity_type: EntityType,
    pub entity_id: i64,
    pub meta: AuditMeta,
    pub created_at: DateTime<Utc>,
}

/// Filters of `GET /workspaces/{id}/audit-logs`; `None` means any.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AuditFilter {
    pub action: Option<AuditAction>,
    pub actor_id: Option<UserId>,
    pub entity_type: Option<EntityType>,
}
