//! Who may do what: the roles matrix of API.md as pure functions.
//!
//! Services call these; handlers never compare roles themselves.

/// Workspace roles, highest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    Owner,
    Admin,
    Member,
    Guest,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Owner, Role::Admin, Role::Member, Role::Guest];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "OWNER",
            Role::Admin => "ADMIN",
            Role::Member => "MEMBER",
            Role::Guest => "GUEST",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|role| role.as_str() == raw)
    }

    /// Higher is more powerful.
    fn rank(self) -> u8 {
        match self {
            Role::Owner => 3,
            Role::Admin => 2,
            Role::Member => 1,
            Role::Guest => 0,
        }
    }

    pub fn outranks(self, other: Role) -> bool {
        self.rank() > other.rank()
    }
}

/// Everything the matrix distinguishes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Read the workspace, members, projects, tasks, comments, dashboard.
    Read,
    /// Create, update and delete tasks; create comments.
    WriteTasks,
    /// Edit or delete one's own comment.
    EditOwnComment,
    /// Delete anyone's comment.
    DeleteAnyComment,
    /// Create, update and delete projects.
    ManageProjects,
    RenameWorkspace,
    /// Invite, list and revoke invites (see [`may_grant`] for which roles).
    ManageInvites,
    /// Change a member's role, remove a member (see [`may_manage_member`]).
    ManageMembers,
    ReadAuditLog,
    DeleteWorkspace,
    LeaveWorkspace,
}

/// Whether `role` may perform `action` at all.
pub fn authorize(role: Role, action: Action) -> bool {
    use Action::*;
    use Role::*;
    match action {
        Read => true,
        WriteTasks | EditOwnComment => matches!(role, Owner | Admin | Member),
        DeleteAnyComment | ManageProjects | RenameWorkspace | ManageInvites | ManageMembers
        | ReadAuditLog => matches!(role, Owner | Admin),
        DeleteWorkspace => role == Owner,
        LeaveWorkspace => role != Owner,
    }
}

/// Whether `actor` may give `role` to someone (by invite or role change).
/// Nobody grants OWNER; an ADMIN grants only MEMBER and GUEST.
pub fn may_grant(actor: Role, role: Role) -> bool {
    match actor {
        Role::Owner => role != Role::Owner,
        Role::Admin => matches!(role, Role::Member | Role::Guest),
        Role::Member | Role::Guest => false,
    }
}

/// Whether `actor` may change or remove a member who holds `target`:
/// only someone who outranks them, and an ADMIN only MEMBERs and GUESTs.
pub fn may_manage_member(actor: Role, target: Role) -> bool {
    authorize(actor, Action::ManageMembers) && actor.outranks(target)
}

#[cfg(test)]
mod tests {
    use super::Action::*;
    use super::Role::*;
    use super::*;

    /// The matrix of API.md, row by row: (action, OWNER, ADMIN, MEMBER, GUEST).
    const MATRIX: [(Action, [bool; 4]); 11] = [
        (Read, [true, true, true, true]),
        (WriteTasks, [true, true, true, false]),
        (EditOwnComment, [true, true, true, false]),
        (DeleteAnyComment, [true, true, false, false]),
        (ManageProjects, [true, true, false, false]),
        (RenameWorkspace, [true, true, false, false]),
        (ManageInvites, [true, true, false, false]),
        (ManageMembers, [true, true, false, false]),
        (ReadAuditLog, [true, true, false, false]),
        (DeleteWorkspace, [true, false, false, false]),
        (LeaveWorkspace, [false, true, true, true]),
    ];

    #[test]
    fn every_cell_of_the_matrix() {
        for (action, expected) in MATRIX {
            for (role, allowed) in Role::ALL.into_iter().zip(expected) {
                assert_eq!(authorize(role, action), allowed, "{role:?} {action:?}");
            }
        }
    }

    /// Checks `rule(actor, other)` for every pair against a table whose rows
    /// are the actor's role and whose columns are OWNER, ADMIN, MEMBER, GUEST.
    fn assert_pairwise(rule: fn(Role, Role) -> bool, table: [(Role, [bool; 4]); 4]) {
        for (actor, expected) in table {
            for (other, allowed) in Role::ALL.into_iter().zip(expected) {
                assert_eq!(rule(actor, other), allowed, "{actor:?} on {other:?}");
            }
        }
    }

    #[test]
    fn granting_roles() {
        assert_pairwise(
            may_grant,
            [
                (Owner, [false, true, true, true]),
                (Admin, [false, false, true, true]),
                (Member, [false, false, false, false]),
                (Guest, [false, false, false, false]),
            ],
        );
    }

    #[test]
    fn managing_members_by_rank() {
        assert_pairwise(
            may_manage_member,
            [
                (Owner, [false, true, true, true]),
                (Admin, [false, false, true, true]),
                (Member, [false, false, false, false]),
                (Guest, [false, false, false, false]),
            ],
        );
    }

    #[test]
    fn roles_round_trip_through_their_names() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("owner"), None);
    }
}
