use crate::validation::ValidationErrors;
use crate::{BoxError, PortError};

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("{0}")]
    Invalid(ValidationErrors),
    #[error("an account with this email already exists")]
    EmailTaken,
    /// Wrong password or unknown email: deliberately indistinguishable.
    #[error("invalid email or password")]
    InvalidCredentials,
    /// Missing, malformed, expired, tampered, revoked or wrong-kind token.
    #[error("the token is invalid, expired or revoked")]
    InvalidToken,
    /// A consumed refresh token came back; its whole session is now revoked.
    #[error("the refresh token was already used; the session has been revoked")]
    TokenReused,
    #[error("a backing service is unavailable")]
    Unavailable(#[source] BoxError),
    #[error("unexpected error")]
    Unexpected(#[source] BoxError),
}

impl From<PortError> for AuthError {
    fn from(err: PortError) -> Self {
        match err {
            PortError::Unavailable(cause) => Self::Unavailable(cause),
            PortError::Unexpected(cause) => Self::Unexpected(cause),
            other @ (PortError::NotFound | PortError::Conflict) => Self::Unexpected(other.into()),
        }
    }
}
