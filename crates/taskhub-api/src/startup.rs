//! `Application::build`: the composition root, shared by `main` and the tests
//! so both start exactly the same thing.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::Server;
use actix_web::{App, HttpServer, middleware::from_fn, web};
use anyhow::Context;
use migration::{Migrator, MigratorTrait};
use taskhub_config::ApiSettings;
use taskhub_domain::audit::AuditService;
use taskhub_domain::auth::{AuthConfig, AuthService};
use taskhub_domain::clock::{Clock, SystemClock};
use taskhub_domain::health::HealthService;
use taskhub_domain::invite::{InviteConfig, InviteService};
use taskhub_domain::membership::{MembershipService, PermissionCache};
use taskhub_domain::workspace::WorkspaceService;
use taskhub_mysql::{
    MySqlAuditLogRepository, MySqlHealthProbe, MySqlInviteRepository, MySqlMembershipRepository,
    MySqlUserRepository, MySqlWorkspaceRepository,
};
use taskhub_redis::{
    Keys, RedisHealthProbe, RedisInvitationQueue, RedisPermissionCache, RedisSessionStore,
};
use utoipa::OpenApi;
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::SwaggerUi;

use crate::adapters::{BcryptPasswordHasher, JwtSettings, JwtTokenCodec};
use crate::extract::configure_builtin_extractors;
use crate::middleware::request_context;
use crate::openapi::ApiDoc;
use crate::routes;
use crate::state::AppState;

/// How long after creating an invite the worker's outbox sweep waits before
/// it queues an email the direct enqueue did not deliver.
const INVITE_EMAIL_GRACE: Duration = Duration::from_secs(60);

/// How long in-flight requests may take to finish after SIGTERM.
const SHUTDOWN_GRACE_SECS: u64 = 30;

/// The OpenAPI document served at `/openapi.json`, built from the same
/// route registrations (for `taskhub-api openapi`).
pub fn openapi_document() -> utoipa::openapi::OpenApi {
    let (_, openapi) = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(routes::configure)
        .split_for_parts();
    openapi
}

pub struct Application {
    port: u16,
    server: Server,
}

impl Application {
    /// Connects the adapters, applies pending migrations (unless
    /// `MIGRATE_ON_START=false`) and binds the listener. The server starts
    /// serving when [`run_until_stopped`](Self::run_until_stopped) is awaited.
    pub async fn build(settings: ApiSettings) -> anyhow::Result<Self> {
        let db = taskhub_mysql::connect(&settings.database.url).await?;
        if settings.migrate_on_start {
            Migrator::up(&db, None)
                .await
                .context("applying database migrations")?;
        }
        let redis = taskhub_redis::connect(&settings.redis.url).context("configuring Redis")?;
        let keys = Keys::new(settings.redis.key_prefix.clone());
        let clock: Arc<dyn Clock> = Arc::new(SystemClock);
        let permissions: Arc<dyn PermissionCache> = Arc::new(RedisPermissionCache::new(
            redis.clone(),
            keys.clone(),
            settings.permission_cache_ttl,
        ));

        let users = Arc::new(MySqlUserRepository::new(db.clone()));
        let auth = AuthService::new(
            users.clone(),
            Arc::new(
                BcryptPasswordHasher::new(settings.auth.bcrypt_cost)
                    .context("computing the dummy password hash")?,
            ),
            Arc::new(
                JwtTokenCodec::new(JwtSettings {
                    secret: settings.auth.jwt_secret.as_bytes(),
                })
                .context("loading JWT_SECRET")?,
            ),
            Arc::new(RedisSessionStore::new(redis.clone(), keys.clone())),
            clock.clone(),
            AuthConfig {
                access_token_ttl: settings.auth.access_token_ttl,
                refresh_token_ttl: settings.auth.refresh_token_ttl,
            },
        );
        let state = AppState {
            auth: Arc::new(auth),
            workspaces: Arc::new(WorkspaceService::new(
                Arc::new(MySqlWorkspaceRepository::new(db.clone())),
                permissions.clone(),
                clock.clone(),
            )),
            members: Arc::new(MembershipService::new(
                Arc::new(MySqlMembershipRepository::new(db.clone())),
                permissions,
                clock.clone(),
            )),
            invites: Arc::new(InviteService::new(
                Arc::new(MySqlInviteRepository::new(db.clone())),
                users,
                // The API only enqueues; the visibility timeout is the worker's.
                Arc::new(RedisInvitationQueue::new(
                    redis.clone(),
                    keys.clone(),
                    Duration::from_secs(60),
                )),
                clock,
                InviteConfig {
                    ttl: settings.invite_ttl,
                    email_grace: INVITE_EMAIL_GRACE,
                },
            )),
            audit: Arc::new(AuditService::new(Arc::new(MySqlAuditLogRepository::new(
                db.clone(),
            )))),
            health: Arc::new(HealthService::new(
                Arc::new(MySqlHealthProbe::new(db)),
                Arc::new(RedisHealthProbe::new(redis)),
            )),
        };

        let listener = TcpListener::bind(settings.http_addr)
            .with_context(|| format!("binding HTTP_ADDR {}", settings.http_addr))?;
        let port = listener.local_addr()?.port();
        let state = web::Data::new(state);
        // Built once; each worker's app below registers the same routes.
        let openapi = openapi_document();
        let server = HttpServer::new(move || {
            let (app, _) = App::new()
                .into_utoipa_app()
                .app_data(state.clone())
                .configure(routes::configure)
                .split_for_parts();
            app.configure(configure_builtin_extractors)
                .service(web::redirect("/docs", "/docs/"))
                .service(SwaggerUi::new("/docs/{_:.*}").url("/openapi.json", openapi.clone()))
                .default_service(web::to(routes::not_found))
                .wrap(from_fn(request_context))
        })
        .listen(listener)?
        .shutdown_timeout(SHUTDOWN_GRACE_SECS)
        .run();
        Ok(Self { port, server })
    }

    /// The bound port (useful with `HTTP_ADDR=...:0`).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Serves until SIGINT/SIGTERM, then drains in-flight requests.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}
