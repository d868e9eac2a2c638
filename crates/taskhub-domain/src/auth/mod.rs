//! Accounts and login sessions: registration, password login, JWT access and
//! refresh tokens with rotation and reuse detection, logout.

mod error;
mod model;
mod ports;
mod service;

pub use error::AuthError;
pub use model::{
    AccessGrant, Email, NewToken, NewUser, RefreshConsumption, RegisterUser, SessionId,
    SignedToken, TokenClaims, TokenKind, TokenPair, User, UserCredentials,
};
#[cfg(any(test, feature = "mocks"))]
pub use ports::{MockPasswordHasher, MockSessionStore, MockTokenCodec, MockUserRepository};
pub use ports::{PasswordHasher, SessionStore, TokenCodec, UserRepository};
pub use service::{AuthConfig, AuthService, TOKEN_LEEWAY_SECS};
