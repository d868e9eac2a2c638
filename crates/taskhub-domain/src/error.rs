//! What an adapter reports when a port call fails.
//!
//! Each port method documents, under `# Errors`, which of these variants it
//! returns and what they mean there; services turn them into the error enum
//! of their own aggregate.

/// Any error, boxed, for causes the domain only logs.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

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
