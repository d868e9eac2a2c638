//! Adapters that need no database: password hashing and JWT.
//! They live here because only the API issues and checks credentials.

mod bcrypt_hasher;
mod jwt;

pub use bcrypt_hasher::BcryptPasswordHasher;
pub use jwt::{JwtSettings, JwtTokenCodec};
