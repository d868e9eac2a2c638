//! Adapters that need no database: password hashing, JWT, the clock.
//! They live here because only the API issues and checks credentials.

mod bcrypt_hasher;
mod clock;
mod jwt;

pub use bcrypt_hasher::BcryptPasswordHasher;
pub use clock::SystemClock;
pub use jwt::{JwtSettings, JwtTokenCodec};
