//! What an adapter reports when a port call fails.
//!
//! Each port method documents, under `# Errors`, which of these variants it
//! returns and what they mean there; services turn them into the error enum
//! of their own aggregate.

/// Any error, boxed, for causes the domain only logs.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// `outer: inner: innermost`: an error with all its causes, for logs and
/// for dead letters.
pub fn error_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut chain = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        chain.push_str(": ");
        chain.push_str(&cause.to_string());
        source = cause.source();
    }
    chain
}

#[derive(Debug, thiserror::Error)]
pub enum PortError {
    /// The row or key the call needs does not exist.
    #[error("not found")]
    NotFound,
    /// A uniqueness rule would be broken (the port method says which).
    #[error("conflict")]
    Conflict,
    /// The backing service cannot be reached in time; the request may be
    /// retried later. Rendered as 503.
    #[error("backing service unavailable")]
    Unavailable(#[source] BoxError),
    /// Anything else: a bug or a broken invariant. Rendered as 500.
    #[error("unexpected adapter failure")]
    Unexpected(#[source] BoxError),
}

impl PortError {
    pub fn unavailable(cause: impl Into<BoxError>) -> Self {
        Self::Unavailable(cause.into())
    }

    pub fn unexpected(cause: impl Into<BoxError>) -> Self {
        Self::Unexpected(cause.into())
    }
}

/// The failures of the workspace-scoped use cases (workspaces, members,
/// audit log and, later, invites, projects, tasks and comments). They share
/// one enum because they fail in exactly the same ways; each variant maps to
/// one HTTP status and `code` of API.md.
#[derive(Debug, thiserror::Error)]
pub enum DomainError {
    /// The thing does not exist, or the caller may not know that it does
    /// (not a member of its workspace). 404.
    #[error("not found")]
    NotFound,
    /// The caller is a member but its role is too low. 403.
    #[error("your role does not allow this")]
    Forbidden,
    /// Some fields are invalid. 422.
    #[error("{0}")]
    Invalid(crate::validation::ValidationErrors),
    /// The request contradicts the current state (duplicate, owner rules). 409.
    #[error("{0}")]
    Conflict(String),
    /// The invite has expired. 410 `invite_expired`.
    #[error("the invite has expired")]
    InviteExpired,
    /// The invite was revoked. 410 `invite_revoked`.
    #[error("the invite was revoked")]
    InviteRevoked,
    /// A backing service is down. 503.
    #[error("a backing service is unavailable")]
    Unavailable(#[source] BoxError),
    /// A bug. 500.
    #[error("unexpected error")]
    Unexpected(#[source] BoxError),
}

impl DomainError {
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Self::Invalid(crate::validation::ValidationErrors::single(field, message))
    }
}

/// Port errors that a use case does not handle itself: `NotFound` becomes
/// `NotFound`; `Conflict` here is unexpected (a use case that expects one
/// maps it explicitly).
impl From<PortError> for DomainError {
    fn from(err: PortError) -> Self {
        match err {
            PortError::NotFound => Self::NotFound,
            PortError::Unavailable(cause) => Self::Unavailable(cause),
            PortError::Unexpected(cause) => Self::Unexpected(cause),
            conflict @ PortError::Conflict => Self::Unexpected(conflict.into()),
        }
    }
}
