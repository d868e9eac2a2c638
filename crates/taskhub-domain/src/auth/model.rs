use chrono::{DateTime, Utc};
use validator::ValidateEmail;

use crate::ids::UserId;

/// bcrypt only reads the first 72 bytes of a password; longer ones are
/// rejected rather than silently truncated.
pub const PASSWORD_BYTES: std::ops::RangeInclusive<usize> = 8..=72;
pub const NAME_CHARS: std::ops::RangeInclusive<usize> = 1..=100;
const EMAIL_MAX_CHARS: usize = 254;

/// An email address, trimmed and lower-cased: two spellings that differ only
/// in case or surrounding spaces are the same account.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let email = raw.trim().to_lowercase();
        if email.chars().count() > EMAIL_MAX_CHARS {
            return Err(format!("must be at most {EMAIL_MAX_CHARS} characters"));
        }
        if !email.validate_email() {
            return Err("must be a valid email address".to_owned());
        }
        Ok(Self(email))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Rebuilds an email read back from storage, where it was stored normalised.
    pub fn from_trusted(stored: String) -> Self {
        Self(stored)
    }
}

/// A registered user, as anyone may see it (no password hash).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    pub id: UserId,
    pub email: Email,
    pub name: String,
    pub created_at: DateTime<Utc>,
}

/// A user with the hash to check a login against. Never leaves the domain.
#[derive(Clone, Debug)]
pub struct UserCredentials {
    pub user: User,
    pub password_hash: String,
}

/// What a client sends to register; checked by [`RegisterUser::validate`].
#[derive(Clone, Debug)]
pub struct RegisterUser {
    pub email: String,
    pub password: String,
    pub name: String,
}

/// A checked registration, ready to store once the password is hashed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewUser {
    pub email: Email,
    pub name: String,
    pub password_hash: String,
    pub created_at: DateTime<Utc>,
}

impl RegisterUser {
    /// Returns the normalised email and name, or every field that is wrong.
    pub(crate) fn validate(&self) -> Result<(Email, String), crate::validation::ValidationErrors> {
        let mut errors = crate::validation::ValidationErrors::new();
        let email = errors.check("email", Email::parse(&self.email));
        if !PASSWORD_BYTES.contains(&self.password.len()) {
            errors.add(
                "password",
                format!(
                    "must be between {} and {} bytes long",
                    PASSWORD_BYTES.start(),
                    PASSWORD_BYTES.end()
                ),
            );
        }
        let name = self.name.trim().to_owned();
        if !NAME_CHARS.contains(&name.chars().count()) {
            errors.add(
                "name",
                format!(
                    "must be between {} and {} characters long",
                    NAME_CHARS.start(),
                    NAME_CHARS.end()
                ),
            );
        }
        errors.into_result()?;
        // Both are Some: their checks passed.
        Ok((email.expect("email was validated"), name))
    }
}

/// One login session: every refresh token rotated from one login shares it
/// (the token family of RFC 9700).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SessionId(pub String);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    Access,
    Refresh,
}

/// What the domain asks the token codec to sign.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewToken {
    pub kind: TokenKind,
    pub user_id: UserId,
    pub session_id: SessionId,
    pub issued_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// The verified content of a token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenClaims {
    pub kind: TokenKind,
    pub user_id: UserId,
    pub session_id: SessionId,
    /// The token's own id (`jti`).
    pub token_id: String,
    pub issued_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// A signed token and its id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedToken {
    pub token: String,
    pub token_id: String,
}

/// What login and refresh hand out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenPair {
    pub access_token: String,
    pub refresh_token: String,
    /// Lifetime of the access token, in seconds.
    pub expires_in: u64,
}

/// An authenticated request's identity, from a valid, unrevoked access token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccessGrant {
    pub user_id: UserId,
    pub session_id: SessionId,
    pub token_id: String,
    pub expires_at: DateTime<Utc>,
}

/// The outcome of presenting a refresh token to the allowlist.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefreshConsumption {
    /// It was on the allowlist and has now been taken off: this caller won.
    Consumed,
    /// It was on the allowlist once and has been consumed before: a replay.
    Reused,
    /// Never seen, or long expired.
    Unknown,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_is_trimmed_and_lowercased() {
        assert_eq!(
            Email::parse("  Ada@Example.COM ").unwrap().as_str(),
            "ada@example.com"
        );
    }

    #[test]
    fn malformed_emails_are_rejected() {
        for raw in ["", "ada", "ada@", "@example.com", "a b@example.com"] {
            assert!(Email::parse(raw).is_err(), "{raw:?} was accepted");
        }
    }

    fn registration(password: &str, name: &str) -> RegisterUser {
        RegisterUser {
            email: "ada@example.com".into(),
            password: password.into(),
            name: name.into(),
        }
    }

    #[test]
    fn password_length_is_counted_in_bytes() {
        assert!(registration(&"x".repeat(72), "Ada").validate().is_ok());
        assert!(registration(&"x".repeat(73), "Ada").validate().is_err());
        assert!(registration("1234567", "Ada").validate().is_err());
        // 24 three-byte characters are 72 bytes; 25 are 75.
        assert!(registration(&"€".repeat(24), "Ada").validate().is_ok());
        assert!(registration(&"€".repeat(25), "Ada").validate().is_err());
    }

    #[test]
    fn every_bad_field_is_reported() {
        let errors = RegisterUser {
            email: "nope".into(),
            password: "short".into(),
            name: "   ".into(),
        }
        .validate()
        .unwrap_err();
        let fields: Vec<_> = errors.fields().iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["email", "password", "name"]);
    }
}
