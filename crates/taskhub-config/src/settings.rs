//! The settings of API.md, grouped by the part of the system that uses them.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use ipnet::IpNet;

use crate::reader::{Reader, SettingsError};

/// Where MySQL is.
#[derive(Clone, Debug)]
pub struct DatabaseSettings {
    /// `mysql://user:pass@host:3306/db`.
    pub url: String,
}

/// Where Redis is, and the prefix that namespaces every key of this deployment.
#[derive(Clone, Debug)]
pub struct RedisSettings {
    pub url: String,
    pub key_prefix: String,
}

/// Token lifetimes, the signing key and the bcrypt work factor.
#[derive(Clone)]
pub struct AuthSettings {
    pub jwt_secret: String,
    pub access_token_ttl: Duration,
    pub refresh_token_ttl: Duration,
    pub bcrypt_cost: u32,
}

impl std::fmt::Debug for AuthSettings {
    // The signing key must never reach a log line.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthSettings")
            .field("jwt_secret", &"<redacted>")
            .field("access_token_ttl", &self.access_token_ttl)
            .field("refresh_token_ttl", &self.refresh_token_ttl)
            .field("bcrypt_cost", &self.bcrypt_cost)
            .finish()
    }
}

/// Requests per minute allowed on the rate-limited endpoints.
#[derive(Clone, Debug)]
pub struct RateLimitSettings {
    pub login_per_minute: u32,
    pub invites_per_minute: u32,
}

/// How invitation emails are sent and what they link to.
#[derive(Clone, Debug)]
pub struct MailSettings {
    /// `None`: the worker writes emails to its log instead of sending them.
    pub smtp_url: Option<String>,
    pub mail_from: String,
    pub public_base_url: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    Pretty,
    Json,
}

#[derive(Clone, Debug)]
pub struct TelemetrySettings {
    pub format: LogFormat,
    /// An `EnvFilter` directive such as `info` or `taskhub_api=debug,info`.
    pub filter: String,
}

/// Everything `taskhub-api` needs.
#[derive(Clone, Debug)]
pub struct ApiSettings {
    pub http_addr: SocketAddr,
    pub migrate_on_start: bool,
    pub database: DatabaseSettings,
    pub redis: RedisSettings,
    pub auth: AuthSettings,
    pub invite_ttl: Duration,
    pub dashboard_cache_ttl: Duration,
    pub permission_cache_ttl: Duration,
    pub rate_limits: RateLimitSettings,
    /// Peers whose `X-Forwarded-For` header is believed.
    pub trusted_proxies: Vec<IpNet>,
    pub public_base_url: String,
    pub telemetry: TelemetrySettings,
}

/// Everything `taskhub-worker` needs.
#[derive(Clone, Debug)]
pub struct WorkerSettings {
    pub database: DatabaseSettings,
    pub redis: RedisSettings,
    pub mail: MailSettings,
    pub telemetry: TelemetrySettings,
}

/// bcrypt's own bounds are 4..=31; anything above 16 takes seconds per login.
const BCRYPT_COST_RANGE: std::ops::RangeInclusive<u32> = 4..=16;
const MIN_JWT_SECRET_BYTES: usize = 32;

impl ApiSettings {
    /// Loads `.env` (if present) and reads the process environment.
    pub fn from_env() -> Result<Self, SettingsError> {
        dotenvy::dotenv().ok();
        Self::from_lookup(&|name| std::env::var(name).ok())
    }

    /// Reads settings from any lookup, e.g. a map in tests.
    pub fn from_lookup(lookup: &dyn Fn(&str) -> Option<String>) -> Result<Self, SettingsError> {
        let env = Reader::new(lookup);
        Ok(Self {
            http_addr: env.parse_or("HTTP_ADDR", SocketAddr::from(([0, 0, 0, 0], 8080)))?,
            migrate_on_start: env.bool_or("MIGRATE_ON_START", true)?,
            database: DatabaseSettings::read(&env)?,
            redis: RedisSettings::read(&env)?,
            auth: AuthSettings::read(&env)?,
            invite_ttl: seconds(&env, "INVITE_TTL_SECS", 259_200)?,
            dashboard_cache_ttl: seconds(&env, "DASHBOARD_CACHE_TTL_SECS", 60)?,
            permission_cache_ttl: seconds(&env, "PERMISSION_CACHE_TTL_SECS", 600)?,
            rate_limits: RateLimitSettings {
                login_per_minute: env.number_in("RATE_LIMIT_LOGIN_PER_MINUTE", 5, 1..=1_000_000)?,
                invites_per_minute: env.number_in(
                    "RATE_LIMIT_INVITES_PER_MINUTE",
                    10,
                    1..=1_000_000,
                )?,
            },
            trusted_proxies: trusted_proxies(&env)?,
            public_base_url: public_base_url(&env)?,
            telemetry: TelemetrySettings::read(&env)?,
        })
    }
}

impl WorkerSettings {
    /// Loads `.env` (if present) and reads the process environment.
    pub fn from_env() -> Result<Self, SettingsError> {
        dotenvy::dotenv().ok();
        Self::from_lookup(&|name| std::env::var(name).ok())
    }

    pub fn from_lookup(lookup: &dyn Fn(&str) -> Option<String>) -> Result<Self, SettingsError> {
        let env = Reader::new(lookup);
        let smtp_url = env
            .optional("SMTP_URL")
            .map(|url| env.url_with_scheme("SMTP_URL", url, &["smtp", "smtps"]))
            .transpose()?;
        Ok(Self {
            database: DatabaseSettings::read(&env)?,
            redis: RedisSettings::read(&env)?,
            mail: MailSettings {
                smtp_url,
                mail_from: env.string_or("MAIL_FROM", "Taskhub <no-reply@taskhub.local>"),
                public_base_url: public_base_url(&env)?,
            },
            telemetry: TelemetrySettings::read(&env)?,
        })
    }
}

impl DatabaseSettings {
    fn read(env: &Reader) -> Result<Self, SettingsError> {
        let url = env.required("DATABASE_URL")?;
        Ok(Self {
            url: env.url_with_scheme("DATABASE_URL", url, &["mysql", "mariadb"])?,
        })
    }
}

impl RedisSettings {
    fn read(env: &Reader) -> Result<Self, SettingsError> {
        let url = env.required("REDIS_URL")?;
        Ok(Self {
            url: env.url_with_scheme("REDIS_URL", url, &["redis", "rediss"])?,
            key_prefix: env.string_or("REDIS_KEY_PREFIX", ""),
        })
    }
}

impl AuthSettings {
    fn read(env: &Reader) -> Result<Self, SettingsError> {
        let jwt_secret = env.required("JWT_SECRET")?;
        if jwt_secret.len() < MIN_JWT_SECRET_BYTES {
            return Err(SettingsError::new(
                "JWT_SECRET",
                format!(
                    "must be at least {MIN_JWT_SECRET_BYTES} bytes (got {})",
                    jwt_secret.len()
                ),
            ));
        }
        Ok(Self {
            jwt_secret,
            access_token_ttl: seconds(env, "ACCESS_TOKEN_TTL_SECS", 900)?,
            refresh_token_ttl: seconds(env, "REFRESH_TOKEN_TTL_SECS", 1_209_600)?,
            bcrypt_cost: env.number_in("BCRYPT_COST", 12, BCRYPT_COST_RANGE)?,
        })
    }
}

impl TelemetrySettings {
    fn read(env: &Reader) -> Result<Self, SettingsError> {
        let format = match env
            .string_or("LOG_FORMAT", "pretty")
            .to_ascii_lowercase()
            .as_str()
        {
            "pretty" => LogFormat::Pretty,
            "json" => LogFormat::Json,
            other => {
                return Err(SettingsError::new(
                    "LOG_FORMAT",
                    format!("must be pretty or json (got {other:?})"),
                ));
            }
        };
        let filter = env.string_or("RUST_LOG", "info");
        tracing_subscriber::EnvFilter::try_new(&filter)
            .map_err(|err| SettingsError::new("RUST_LOG", err.to_string()))?;
        Ok(Self { format, filter })
    }
}

/// A positive number of seconds (one year at most).
fn seconds(env: &Reader, name: &'static str, default: u64) -> Result<Duration, SettingsError> {
    env.number_in(name, default, 1..=31_536_000)
        .map(Duration::from_secs)
}

fn public_base_url(env: &Reader) -> Result<String, SettingsError> {
    let url = env.string_or("PUBLIC_BASE_URL", "http://localhost:8080");
    let url = env.url_with_scheme("PUBLIC_BASE_URL", url, &["http", "https"])?;
    // Links are built as `{base}/invites/accept?...`: a trailing slash would double up.
    Ok(url.trim_end_matches('/').to_owned())
}

/// `TRUSTED_PROXIES`: comma-separated IPs or CIDRs; a bare IP is a /32 (or /128).
fn trusted_proxies(env: &Reader) -> Result<Vec<IpNet>, SettingsError> {
    let Some(raw) = env.optional("TRUSTED_PROXIES") else {
        return Ok(Vec::new());
    };
    raw.split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(|item| {
            item.parse::<IpNet>()
                .or_else(|_| item.parse::<IpAddr>().map(IpNet::from))
                .map_err(|_| {
                    SettingsError::new(
                        "TRUSTED_PROXIES",
                        format!("{item:?} is not an IP address or CIDR"),
                    )
                })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn valid() -> HashMap<&'static str, String> {
        HashMap::from([
            (
                "DATABASE_URL",
                "mysql://root@127.0.0.1:3306/taskhub".to_owned(),
            ),
            ("REDIS_URL", "redis://127.0.0.1:6379/0".to_owned()),
            ("JWT_SECRET", "x".repeat(32)),
        ])
    }

    fn api(vars: &HashMap<&'static str, String>) -> Result<ApiSettings, SettingsError> {
        ApiSettings::from_lookup(&|name| vars.get(name).cloned())
    }

    #[test]
    fn defaults_apply_when_only_required_settings_are_given() {
        let settings = api(&valid()).unwrap();
        assert_eq!(settings.http_addr.port(), 8080);
        assert_eq!(settings.auth.access_token_ttl, Duration::from_secs(900));
        assert_eq!(settings.auth.bcrypt_cost, 12);
        assert_eq!(settings.rate_limits.login_per_minute, 5);
        assert_eq!(settings.public_base_url, "http://localhost:8080");
        assert!(settings.migrate_on_start);
        assert_eq!(settings.telemetry.format, LogFormat::Pretty);
    }

    #[test]
    fn missing_database_url_names_the_setting() {
        let mut vars = valid();
        vars.remove("DATABASE_URL");
        let err = api(&vars).unwrap_err();
        assert_eq!(err.name, "DATABASE_URL");
        assert_eq!(
            err.to_string(),
            "invalid setting DATABASE_URL: is required but not set"
        );
    }

    #[test]
    fn short_jwt_secret_is_rejected() {
        let mut vars = valid();
        vars.insert("JWT_SECRET", "0123456789".to_owned());
        let err = api(&vars).unwrap_err();
        assert_eq!(err.name, "JWT_SECRET");
        assert!(err.problem.contains("got 10"), "{err}");
    }

    #[test]
    fn each_malformed_value_names_its_setting() {
        let cases = [
            ("HTTP_ADDR", "localhost"),
            ("REDIS_URL", "127.0.0.1:6379"),
            ("DATABASE_URL", "postgres://x"),
            ("BCRYPT_COST", "3"),
            ("ACCESS_TOKEN_TTL_SECS", "0"),
            ("RATE_LIMIT_LOGIN_PER_MINUTE", "five"),
            ("TRUSTED_PROXIES", "10.0.0.0/8,not-an-ip"),
            ("LOG_FORMAT", "xml"),
            ("MIGRATE_ON_START", "maybe"),
            ("PUBLIC_BASE_URL", "localhost:8080"),
            ("RUST_LOG", "info,[[["),
        ];
        for (name, value) in cases {
            let mut vars = valid();
            vars.insert(name, value.to_owned());
            let err = api(&vars).expect_err(name);
            assert_eq!(err.name, name, "{err}");
        }
    }

    #[test]
    fn trusted_proxies_accept_ips_and_cidrs() {
        let mut vars = valid();
        vars.insert("TRUSTED_PROXIES", "127.0.0.1, 10.0.0.0/8 ,::1".to_owned());
        let proxies = api(&vars).unwrap().trusted_proxies;
        assert_eq!(proxies.len(), 3);
        assert!(proxies[0].contains(&"127.0.0.1".parse::<IpAddr>().unwrap()));
        assert!(proxies[1].contains(&"10.2.3.4".parse::<IpAddr>().unwrap()));
    }

    #[test]
    fn empty_values_mean_default() {
        let mut vars = valid();
        vars.insert("LOG_FORMAT", String::new());
        vars.insert("REDIS_KEY_PREFIX", "  ".to_owned());
        let settings = api(&vars).unwrap();
        assert_eq!(settings.telemetry.format, LogFormat::Pretty);
        assert_eq!(settings.redis.key_prefix, "");
    }

    #[test]
    fn worker_needs_no_jwt_secret_and_checks_smtp_url() {
        let mut vars = valid();
        vars.remove("JWT_SECRET");
        let lookup = |vars: &HashMap<&'static str, String>| {
            let vars = vars.clone();
            WorkerSettings::from_lookup(&move |name| vars.get(name).cloned())
        };
        let settings = lookup(&vars).unwrap();
        assert_eq!(settings.mail.smtp_url, None);
        vars.insert("SMTP_URL", "mail.example.com".to_owned());
        assert_eq!(lookup(&vars).unwrap_err().name, "SMTP_URL");
    }
}
