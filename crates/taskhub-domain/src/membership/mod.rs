//! Who belongs to a workspace, with which role; resolving the [`Actor`] of a
//! request; changing roles and removing members.
//!
//! [`Actor`]: crate::actor::Actor

mod model;
mod ports;
mod service;

pub use model::Member;
pub use ports::{MembershipRepository, PermissionCache};
#[cfg(any(test, feature = "mocks"))]
pub use ports::{MockMembershipRepository, MockPermissionCache};
pub use service::MembershipService;
pub(crate) use service::parse_grantable_role;
