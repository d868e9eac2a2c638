//! Settings and telemetry shared by the two binaries.
//!
//! Both `taskhub-api` and `taskhub-worker` read the environment (plus a `.env`
//! file when present) exactly once at start, validate every value here, and
//! stop with one line naming the offending variable. Nothing else in the
//! workspace reads environment variables.

mod reader;
mod settings;
pub mod telemetry;

pub use reader::SettingsError;
pub use settings::{
    ApiSettings, AuthSettings, DatabaseSettings, LogFormat, MailSettings, RateLimitSettings,
    RedisSettings, TelemetrySettings, WorkerSettings,
};
