use std::time::Duration;

use async_trait::async_trait;

use super::model::{
    Email, NewToken, NewUser, RefreshConsumption, SessionId, SignedToken, TokenClaims, TokenKind,
    User, UserCredentials,
};
use crate::PortError;
use crate::ids::UserId;

/// Where users are kept.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait UserRepository: Send + Sync {
    /// Stores a new user and returns it with its id.
    ///
    /// # Errors
    /// - `Conflict`: a user with this email exists (even if concurrently inserted).
    /// - `Unavailable` / `Unexpected`: see [`PortError`].
    async fn insert(&self, user: NewUser) -> Result<User, PortError>;

    /// The user with this (normalised) email and its password hash.
    ///
    /// # Errors
    /// - `NotFound`: no such user.
    /// - `Unavailable` / `Unexpected`: see [`PortError`].
    async fn find_credentials(&self, email: &Email) -> Result<UserCredentials, PortError>;

    /// # Errors
    /// - `NotFound`: no such user.
    /// - `Unavailable` / `Unexpected`: see [`PortError`].
    async fn find(&self, id: UserId) -> Result<User, PortError>;
}

/// Slow, salted password hashing. Implementations must keep the work off the
/// async executor, so a burst of logins cannot stall other requests.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait PasswordHasher: Send + Sync {
    /// # Errors
    /// `Unexpected` if hashing fails.
    async fn hash(&self, password: &str) -> Result<String, PortError>;

    /// Whether `password` matches `hash`. With `hash = None` the password is
    /// checked against a dummy hash of the same cost and the answer is always
    /// `false`, so a login for an unknown email takes as long as one for a
    /// known email.
    ///
    /// # Errors
    /// `Unexpected` if the stored hash is malformed.
    async fn verify(&self, password: &str, hash: Option<String>) -> Result<bool, PortError>;
}

/// Signs and verifies tokens (JWT in production).
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
pub trait TokenCodec: Send + Sync {
    /// Signs a token with a fresh unique id (`jti`).
    ///
    /// # Errors
    /// `Unexpected` if signing fails.
    fn sign(&self, token: &NewToken) -> Result<SignedToken, PortError>;

    /// Verifies signature, algorithm, issuer, audience and expiry, and that the
    /// token is of `expected` kind. `None` for any token that fails a check.
    fn verify(&self, token: &str, expected: TokenKind) -> Option<TokenClaims>;
}

/// The server-side state of login sessions (Redis in production). Every
/// method fails closed: when the store cannot answer, the caller gets an
/// error, never a token accepted without its check.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait SessionStore: Send + Sync {
    /// Opens a new login session for `user` and returns its id.
    ///
    /// # Errors
    /// `Unavailable` / `Unexpected`: see [`PortError`].
    async fn start_session(&self, user: UserId, ttl: Duration) -> Result<SessionId, PortError>;

    /// Puts a refresh token of `user`'s `session` on the allowlist for
    /// `ttl`, and remembers the session for as long, so that
    /// `revoke_all_sessions` finds every session that still has a live token.
    ///
    /// # Errors
    /// `Unavailable` / `Unexpected`: see [`PortError`].
    async fn allow_refresh(
        &self,
        token_id: &str,
        session: &SessionId,
        user: UserId,
        ttl: Duration,
    ) -> Result<(), PortError>;

    /// Atomically takes a refresh token off the allowlist. Of any number of
    /// concurrent calls with one token, exactly one sees `Consumed`; the
    /// others, and every later call while the token would still have been
    /// valid, see `Reused`.
    ///
    /// # Errors
    /// `Unavailable` / `Unexpected`: see [`PortError`].
    async fn consume_refresh(&self, token_id: &str) -> Result<RefreshConsumption, PortError>;

    /// Revokes a whole session for `ttl`: its refresh tokens stop refreshing
    /// and its access tokens stop authenticating.
    ///
    /// # Errors
    /// `Unavailable` / `Unexpected`: see [`PortError`].
    async fn revoke_session(&self, session: &SessionId, ttl: Duration) -> Result<(), PortError>;

    /// Revokes every session `user` has opened (within their lifetime).
    ///
    /// # Errors
    /// `Unavailable` / `Unexpected`: see [`PortError`].
    async fn revoke_all_sessions(&self, user: UserId, ttl: Duration) -> Result<(), PortError>;

    /// Puts one access token on the blacklist for `ttl`.
    ///
    /// # Errors
    /// `Unavailable` / `Unexpected`: see [`PortError`].
    async fn revoke_access(&self, token_id: &str, ttl: Duration) -> Result<(), PortError>;

    /// Whether the token or its session has been revoked.
    ///
    /// # Errors
    /// `Unavailable` / `Unexpected`: see [`PortError`].
    async fn is_revoked(&self, token_id: &str, session: &SessionId) -> Result<bool, PortError>;
}
