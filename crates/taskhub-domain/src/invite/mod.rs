//! Invitations: an OWNER or ADMIN invites an email address with a role; the
//! worker emails a single-use token; the invited person accepts it.
//!
//! The token is created by the worker just before it sends the email, and
//! only its SHA-256 is stored: it exists nowhere but in that email.

mod delivery;
mod model;
mod ports;
mod service;

pub use delivery::{DeliveryConfig, DeliveryOutcome, InvitationDelivery};
pub use model::{
    ClaimedInvite, InvitationJob, Invite, InviteStatus, InviteToken, NewInvite, OutgoingEmail,
    hash_token,
};
pub use ports::{InvitationQueue, InviteRepository, Mailer, TokenGenerator};
#[cfg(any(test, feature = "mocks"))]
pub use ports::{MockInvitationQueue, MockInviteRepository, MockMailer, MockTokenGenerator};
pub use service::{InviteConfig, InviteService};
