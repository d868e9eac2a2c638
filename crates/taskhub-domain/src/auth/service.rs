use std::sync::Arc;
use std::time::Duration;

use super::error::AuthError;
use super::model::{
    AccessGrant, NewToken, NewUser, RefreshConsumption, RegisterUser, SessionId, TokenKind,
    TokenPair, User,
};
use super::ports::{PasswordHasher, SessionStore, TokenCodec, UserRepository};
use crate::PortError;
use crate::clock::{Clock, span};
use crate::ids::UserId;

/// Clock skew tolerated when checking `exp`; revocations outlive tokens by it.
pub const TOKEN_LEEWAY_SECS: u64 = 10;

#[derive(Clone, Copy, Debug)]
pub struct AuthConfig {
    pub access_token_ttl: Duration,
    pub refresh_token_ttl: Duration,
}

impl AuthConfig {
    /// How long a revocation must be remembered: until every token it covers
    /// has expired on its own.
    fn revocation_ttl(&self) -> Duration {
        self.access_token_ttl.max(self.refresh_token_ttl) + Duration::from_secs(TOKEN_LEEWAY_SECS)
    }
}

/// Registration, login and the life of login sessions.
pub struct AuthService {
    users: Arc<dyn UserRepository>,
    hasher: Arc<dyn PasswordHasher>,
    tokens: Arc<dyn TokenCodec>,
    sessions: Arc<dyn SessionStore>,
    clock: Arc<dyn Clock>,
    config: AuthConfig,
}

impl AuthService {
    pub fn new(
        users: Arc<dyn UserRepository>,
        hasher: Arc<dyn PasswordHasher>,
        tokens: Arc<dyn TokenCodec>,
        sessions: Arc<dyn SessionStore>,
        clock: Arc<dyn Clock>,
        config: AuthConfig,
    ) -> Self {
        Self {
            users,
            hasher,
            tokens,
            sessions,
            clock,
            config,
        }
    }

    pub async fn register(&self, request: RegisterUser) -> Result<User, AuthError> {
        let (email, name) = request.validate().map_err(AuthError::Invalid)?;
        let password_hash = self.hasher.hash(&request.password).await?;
        let new_user = NewUser {
            email,
            name,
            password_hash,
            created_at: self.clock.now(),
        };
        // The unique key decides between two concurrent registrations.
        self.users.insert(new_user).await.map_err(|err| match err {
            PortError::Conflict => AuthError::EmailTaken,
            other => other.into(),
        })
    }

    /// Checks the password and opens a new session. Every failure, whatever
    /// its cause, costs one bcrypt verification and gives the same error.
    pub async fn login(&self, email: &str, password: &str) -> Result<TokenPair, AuthError> {
        let credentials = match super::model::Email::parse(email) {
            Ok(email) => match self.users.find_credentials(&email).await {
                Ok(credentials) => Some(credentials),
                Err(PortError::NotFound) => None,
                Err(other) => return Err(other.into()),
            },
            Err(_) => None,
        };
        // bcrypt would ignore bytes past 72; such a password can never match.
        let acceptable_length = super::model::PASSWORD_BYTES.contains(&password.len());
        let stored_hash = credentials
            .as_ref()
            .filter(|_| acceptable_length)
            .map(|c| c.password_hash.clone());
        let matches = self.hasher.verify(password, stored_hash).await?;
        let user = match credentials {
            Some(credentials) if matches && acceptable_length => credentials.user,
            _ => return Err(AuthError::InvalidCredentials),
        };
        let session = self
            .sessions
            .start_session(user.id, self.config.refresh_token_ttl)
            .await?;
        self.issue_pair(user.id, session).await
    }

    /// Rotates a refresh token: the presented one is consumed and a new pair
    /// of the same session is issued. A consumed token presented again
    /// revokes the whole session (RFC 9700, section 4.14.2).
    pub async fn refresh(&self, refresh_token: &str) -> Result<TokenPair, AuthError> {
        let claims = self
            .tokens
            .verify(refresh_token, TokenKind::Refresh)
            .ok_or(AuthError::InvalidToken)?;
        // Checked before consuming: of concurrent refreshes with one token,
        // the winner passed this check before any loser could see a replay
        // and revoke the session, so exactly one of them succeeds.
        if self
            .sessions
            .is_revoked(&claims.token_id, &claims.session_id)
            .await?
        {
            return Err(AuthError::InvalidToken);
        }
        match self.sessions.consume_refresh(&claims.token_id).await? {
            RefreshConsumption::Consumed => {}
            RefreshConsumption::Reused => {
                self.sessions
                    .revoke_session(&claims.session_id, self.config.revocation_ttl())
                    .await?;
                return Err(AuthError::TokenReused);
            }
            RefreshConsumption::Unknown => return Err(AuthError::InvalidToken),
        }
        self.issue_pair(claims.user_id, claims.session_id).await
    }

    /// Resolves an access token to the identity of the request.
    pub async fn authenticate(&self, access_token: &str) -> Result<AccessGrant, AuthError> {
        let claims = self
            .tokens
            .verify(access_token, TokenKind::Access)
            .ok_or(AuthError::InvalidToken)?;
        if self
            .sessions
            .is_revoked(&claims.token_id, &claims.session_id)
            .await?
        {
            return Err(AuthError::InvalidToken);
        }
        Ok(AccessGrant {
            user_id: claims.user_id,
            session_id: claims.session_id,
            token_id: claims.token_id,
            expires_at: claims.expires_at,
        })
    }

    /// Ends the caller's session: its refresh tokens and the presented access
    /// token stop working. A refresh token of another of the caller's
    /// sessions, if given, ends that session too; an invalid one is ignored,
    /// so logging out twice is harmless.
    pub async fn logout(
        &self,
        grant: &AccessGrant,
        refresh_token: Option<&str>,
    ) -> Result<(), AuthError> {
        let revocation_ttl = self.config.revocation_ttl();
        self.sessions
            .revoke_session(&grant.session_id, revocation_ttl)
            .await?;
        let remaining = (grant.expires_at - self.clock.now())
            .to_std()
            .unwrap_or_default();
        self.sessions
            .revoke_access(
                &grant.token_id,
                remaining + Duration::from_secs(TOKEN_LEEWAY_SECS),
            )
            .await?;
        let other_session = refresh_token
            .and_then(|token| self.tokens.verify(token, TokenKind::Refresh))
            .filter(|claims| claims.user_id == grant.user_id)
            .filter(|claims| claims.session_id != grant.session_id);
        if let Some(claims) = other_session {
            self.sessions
                .revoke_session(&claims.session_id, revocation_ttl)
                .await?;
        }
        Ok(())
    }

    /// Ends every session of the caller, including access tokens already issued.
    pub async fn logout_all(&self, grant: &AccessGrant) -> Result<(), AuthError> {
        self.sessions
            .revoke_all_sessions(grant.user_id, self.config.revocation_ttl())
            .await?;
        Ok(())
    }

    /// The authenticated user's profile.
    pub async fn me(&self, grant: &AccessGrant) -> Result<User, AuthError> {
        self.users
            .find(grant.user_id)
            .await
            .map_err(|err| match err {
                // A valid token for a user that no longer exists.
                PortError::NotFound => AuthError::InvalidToken,
                other => other.into(),
            })
    }

    async fn issue_pair(
        &self,
        user_id: UserId,
        session: SessionId,
    ) -> Result<TokenPair, AuthError> {
        let now = self.clock.now();
        let access = self.tokens.sign(&NewToken {
            kind: TokenKind::Access,
            user_id,
            session_id: session.clone(),
            issued_at: now,
            expires_at: now + span(self.config.access_token_ttl),
        })?;
        let refresh = self.tokens.sign(&NewToken {
            kind: TokenKind::Refresh,
            user_id,
            session_id: session.clone(),
            issued_at: now,
            expires_at: now + span(self.config.refresh_token_ttl),
        })?;
        self.sessions
            .allow_refresh(
                &refresh.token_id,
                &session,
                user_id,
                self.config.refresh_token_ttl,
            )
            .await?;
        Ok(TokenPair {
            access_token: access.token,
            refresh_token: refresh.token,
            expires_in: self.config.access_token_ttl.as_secs(),
        })
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};
    use mockall::predicate::eq;

    use super::*;
    use crate::auth::model::{Email, SignedToken, TokenClaims};
    use crate::auth::ports::{
        MockPasswordHasher, MockSessionStore, MockTokenCodec, MockUserRepository,
    };
    use crate::clock::fixed_clock;

    const ACCESS_TTL: Duration = Duration::from_secs(900);
    const REFRESH_TTL: Duration = Duration::from_secs(3600);

    struct Mocks {
        users: MockUserRepository,
        hasher: MockPasswordHasher,
        tokens: MockTokenCodec,
        sessions: MockSessionStore,
    }

    impl Mocks {
        fn new() -> Self {
            Self {
                users: MockUserRepository::new(),
                hasher: MockPasswordHasher::new(),
                tokens: MockTokenCodec::new(),
                sessions: MockSessionStore::new(),
            }
        }

        fn service(self) -> AuthService {
            AuthService::new(
                Arc::new(self.users),
                Arc::new(self.hasher),
                Arc::new(self.tokens),
                Arc::new(self.sessions),
                fixed_clock(),
                AuthConfig {
                    access_token_ttl: ACCESS_TTL,
                    refresh_token_ttl: REFRESH_TTL,
                },
            )
        }

        /// The codec accepts "refresh-token" as a refresh token of session s1
        /// and signs anything.
        fn with_codec(mut self) -> Self {
            self.tokens
                .expect_verify()
                .withf(|token, kind| token == "refresh-token" && *kind == TokenKind::Refresh)
                .returning(|_, _| Some(claims(TokenKind::Refresh)));
            self.tokens.expect_sign().returning(|token| {
                Ok(SignedToken {
                    token: format!("{:?}-token", token.kind),
                    token_id: format!("{:?}-id", token.kind),
                })
            });
            self
        }
    }

    fn claims(kind: TokenKind) -> TokenClaims {
        TokenClaims {
            kind,
            user_id: UserId(1),
            session_id: SessionId("s1".into()),
            token_id: "old-jti".into(),
            issued_at: Utc.with_ymd_and_hms(2026, 12, 3, 9, 0, 0).unwrap(),
            expires_at: Utc.with_ymd_and_hms(2026, 12, 3, 10, 15, 0).unwrap(),
        }
    }

    #[tokio::test]
    async fn refresh_consumes_the_token_and_allows_the_new_one_in_the_same_session() {
        let mut mocks = Mocks::new().with_codec();
        mocks
            .sessions
            .expect_consume_refresh()
            .with(eq("old-jti"))
            .times(1)
            .returning(|_| Ok(RefreshConsumption::Consumed));
        mocks
            .sessions
            .expect_is_revoked()
            .returning(|_, _| Ok(false));
        mocks
            .sessions
            .expect_allow_refresh()
            .withf(|jti, session, user, ttl| {
                jti == "Refresh-id"
                    && session.0 == "s1"
                    && *user == UserId(1)
                    && *ttl == REFRESH_TTL
            })
            .times(1)
            .returning(|_, _, _, _| Ok(()));
        let pair = mocks.service().refresh("refresh-token").await.unwrap();
        assert_eq!(pair.access_token, "Access-token");
        assert_eq!(pair.refresh_token, "Refresh-token");
        assert_eq!(pair.expires_in, 900);
    }

    #[tokio::test]
    async fn a_reused_refresh_token_revokes_its_session_and_fails() {
        let mut mocks = Mocks::new().with_codec();
        mocks
            .sessions
            .expect_is_revoked()
            .returning(|_, _| Ok(false));
        mocks
            .sessions
            .expect_consume_refresh()
            .returning(|_| Ok(RefreshConsumption::Reused));
        mocks
            .sessions
            .expect_revoke_session()
            .withf(|session, ttl| session.0 == "s1" && *ttl >= REFRESH_TTL)
            .times(1)
            .returning(|_, _| Ok(()));
        mocks.sessions.expect_allow_refresh().never();
        let err = mocks.service().refresh("refresh-token").await.unwrap_err();
        assert!(matches!(err, AuthError::TokenReused), "{err:?}");
    }

    #[tokio::test]
    async fn a_refresh_token_of_a_revoked_session_is_refused_before_consuming() {
        let mut mocks = Mocks::new().with_codec();
        mocks
            .sessions
            .expect_is_revoked()
            .returning(|_, _| Ok(true));
        mocks.sessions.expect_consume_refresh().never();
        mocks.sessions.expect_allow_refresh().never();
        let err = mocks.service().refresh("refresh-token").await.unwrap_err();
        assert!(matches!(err, AuthError::InvalidToken), "{err:?}");
    }

    #[tokio::test]
    async fn an_unknown_refresh_token_is_invalid_without_revoking_anything() {
        let mut mocks = Mocks::new().with_codec();
        mocks
            .sessions
            .expect_is_revoked()
            .returning(|_, _| Ok(false));
        mocks
            .sessions
            .expect_consume_refresh()
            .returning(|_| Ok(RefreshConsumption::Unknown));
        mocks.sessions.expect_revoke_session().never();
        let err = mocks.service().refresh("refresh-token").await.unwrap_err();
        assert!(matches!(err, AuthError::InvalidToken), "{err:?}");
    }

    #[tokio::test]
    async fn a_token_the_codec_rejects_never_reaches_the_store() {
        let mut mocks = Mocks::new();
        mocks.tokens.expect_verify().returning(|_, _| None);
        mocks.sessions.expect_consume_refresh().never();
        mocks.sessions.expect_is_revoked().never();
        let service = mocks.service();
        assert!(matches!(
            service.refresh("x").await,
            Err(AuthError::InvalidToken)
        ));
        assert!(matches!(
            service.authenticate("x").await,
            Err(AuthError::InvalidToken)
        ));
    }

    #[tokio::test]
    async fn the_store_being_down_fails_closed() {
        let mut mocks = Mocks::new();
        mocks
            .tokens
            .expect_verify()
            .returning(|_, kind| Some(claims(kind)));
        mocks
            .sessions
            .expect_is_revoked()
            .returning(|_, _| Err(PortError::unavailable("redis down")));
        mocks
            .sessions
            .expect_consume_refresh()
            .returning(|_| Err(PortError::unavailable("redis down")));
        let service = mocks.service();
        assert!(matches!(
            service.authenticate("a").await,
            Err(AuthError::Unavailable(_))
        ));
        assert!(matches!(
            service.refresh("r").await,
            Err(AuthError::Unavailable(_))
        ));
    }

    #[tokio::test]
    async fn login_with_an_unknown_email_still_verifies_against_the_dummy_hash() {
        let mut mocks = Mocks::new();
        mocks
            .users
            .expect_find_credentials()
            .returning(|_| Err(PortError::NotFound));
        mocks
            .hasher
            .expect_verify()
            .withf(|_, hash| hash.is_none())
            .times(1)
            .returning(|_, _| Ok(false));
        mocks.sessions.expect_start_session().never();
        let err = mocks
            .service()
            .login("nobody@example.com", "some password")
            .await
            .unwrap_err();
        assert!(matches!(err, AuthError::InvalidCredentials));
    }

    #[tokio::test]
    async fn login_with_a_malformed_email_costs_a_verification_too() {
        let mut mocks = Mocks::new();
        mocks.users.expect_find_credentials().never();
        mocks
            .hasher
            .expect_verify()
            .times(1)
            .returning(|_, _| Ok(false));
        let err = mocks
            .service()
            .login("nope", "some password")
            .await
            .unwrap_err();
        assert!(matches!(err, AuthError::InvalidCredentials));
    }

    #[tokio::test]
    async fn register_maps_a_duplicate_email_to_email_taken() {
        let mut mocks = Mocks::new();
        mocks
            .hasher
            .expect_hash()
            .returning(|_| Ok("hash".to_owned()));
        mocks
            .users
            .expect_insert()
            .withf(|user| user.email == Email::parse("ada@example.com").unwrap())
            .returning(|_| Err(PortError::Conflict));
        let err = mocks
            .service()
            .register(RegisterUser {
                email: " ADA@example.com".into(),
                password: "long enough".into(),
                name: "Ada".into(),
            })
            .await
            .unwrap_err();
        assert!(matches!(err, AuthError::EmailTaken));
    }

    #[tokio::test]
    async fn logout_revokes_the_session_and_blacklists_the_access_token_for_its_remaining_life() {
        let mut mocks = Mocks::new();
        mocks.tokens.expect_verify().never();
        mocks
            .sessions
            .expect_revoke_session()
            .withf(|session, _| session.0 == "s1")
            .times(1)
            .returning(|_, _| Ok(()));
        mocks
            .sessions
            .expect_revoke_access()
            .withf(|jti, ttl| {
                // 15 minutes left, plus the leeway.
                jti == "old-jti" && *ttl == Duration::from_secs(15 * 60 + TOKEN_LEEWAY_SECS)
            })
            .times(1)
            .returning(|_, _| Ok(()));
        let grant = AccessGrant {
            user_id: UserId(1),
            session_id: SessionId("s1".into()),
            token_id: "old-jti".into(),
            expires_at: Utc.with_ymd_and_hms(2026, 12, 3, 10, 15, 0).unwrap(),
        };
        mocks.service().logout(&grant, None).await.unwrap();
    }
}
