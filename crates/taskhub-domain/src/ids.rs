//! Typed ids, so a task id can never be passed where a workspace id belongs.

use std::fmt;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(/// A registered person.
    UserId);
id_type!(/// A tenant: everything else belongs to exactly one workspace.
    WorkspaceId);
id_type!(ProjectId);
id_type!(TaskId);
id_type!(CommentId);
id_type!(InviteId);
