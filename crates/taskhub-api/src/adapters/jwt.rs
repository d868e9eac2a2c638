//! JWT (HS256) access and refresh tokens.
//!
//! Only HS256 is accepted (so `alg: none` and algorithm confusion fail), and
//! `iss`, `aud`, `sub` and `exp` must be present and right. The `typ` claim
//! keeps access and refresh tokens apart.

use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use taskhub_domain::PortError;
use taskhub_domain::auth::{
    NewToken, SessionId, SignedToken, TOKEN_LEEWAY_SECS, TokenClaims, TokenCodec, TokenKind,
};
use taskhub_domain::ids::UserId;

pub const ISSUER: &str = "taskhub";
pub const AUDIENCE: &str = "taskhub-api";

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    sub: String,
    jti: String,
    iat: i64,
    exp: i64,
    typ: String,
    sid: String,
    iss: String,
    aud: String,
}

/// The signing secret.
pub struct JwtSettings<'a> {
    pub secret: &'a [u8],
}

pub struct JwtTokenCodec {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
}

impl JwtTokenCodec {
    /// # Errors
    /// An empty secret (settings guarantee at least 32 bytes).
    pub fn new(settings: JwtSettings<'_>) -> Result<Self, jsonwebtoken::errors::Error> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        // jsonwebtoken only insists on iss/aud when they are required.
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.leeway = TOKEN_LEEWAY_SECS;
        validation.validate_exp = true;
        Ok(Self {
            encoding: EncodingKey::from_secret(settings.secret)?,
            decoding: DecodingKey::from_secret(settings.secret)?,
            validation,
        })
    }
}

fn kind_name(kind: TokenKind) -> &'static str {
    match kind {
        TokenKind::Access => "access",
        TokenKind::Refresh => "refresh",
    }
}

impl TokenCodec for JwtTokenCodec {
    fn sign(&self, token: &NewToken) -> Result<SignedToken, PortError> {
        let token_id = uuid::Uuid::new_v4().simple().to_string();
        let claims = Claims {
            sub: token.user_id.0.to_string(),
            jti: token_id.clone(),
            iat: token.issued_at.timestamp(),
            exp: token.expires_at.timestamp(),
            typ: kind_name(token.kind).to_owned(),
            sid: token.session_id.0.clone(),
            iss: ISSUER.to_owned(),
            aud: AUDIENCE.to_owned(),
        };
        let token = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(PortError::unexpected)?;
        Ok(SignedToken { token, token_id })
    }

    fn verify(&self, token: &str, expected: TokenKind) -> Option<TokenClaims> {
        let claims = jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .ok()?
            .claims;
        if claims.typ != kind_name(expected) {
            return None;
        }
        let user_id = claims.sub.parse::<i64>().ok().filter(|id| *id > 0)?;
        Some(TokenClaims {
            kind: expected,
            user_id: UserId(user_id),
            session_id: SessionId(claims.sid),
            token_id: claims.jti,
            issued_at: DateTime::<Utc>::from_timestamp(claims.iat, 0)?,
            expires_at: DateTime::<Utc>::from_timestamp(claims.exp, 0)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use chrono::Duration;

    use super::*;

    const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef";

    fn codec() -> JwtTokenCodec {
        JwtTokenCodec::new(JwtSettings { secret: SECRET }).unwrap()
    }

    fn new_token(kind: TokenKind, expires_in: Duration) -> NewToken {
        let now = Utc::now();
        NewToken {
            kind,
            user_id: UserId(7),
            session_id: SessionId("s1".into()),
            issued_at: now,
            expires_at: now + expires_in,
        }
    }

    #[test]
    fn round_trips_and_keeps_kinds_apart() {
        let codec = codec();
        let signed = codec
            .sign(&new_token(TokenKind::Access, Duration::minutes(5)))
            .unwrap();
        let claims = codec.verify(&signed.token, TokenKind::Access).unwrap();
        assert_eq!(claims.user_id, UserId(7));
        assert_eq!(claims.token_id, signed.token_id);
        assert!(codec.verify(&signed.token, TokenKind::Refresh).is_none());
    }

    #[test]
    fn rejects_expired_tampered_and_foreign_tokens() {
        let codec = codec();
        let expired = codec
            .sign(&new_token(TokenKind::Access, Duration::minutes(-5)))
            .unwrap();
        assert!(codec.verify(&expired.token, TokenKind::Access).is_none());

        let valid = codec
            .sign(&new_token(TokenKind::Access, Duration::minutes(5)))
            .unwrap();
        let mut tampered = valid.token.clone();
        tampered.pop();
        tampered.push(if valid.token.ends_with('A') { 'B' } else { 'A' });
        assert!(codec.verify(&tampered, TokenKind::Access).is_none());

        let other = JwtTokenCodec::new(JwtSettings {
            secret: b"another secret another secret!!!",
        })
        .unwrap();
        assert!(other.verify(&valid.token, TokenKind::Access).is_none());
    }
}
