//! Process-wide tracing set-up: human-readable or one JSON object per line.

use tracing_subscriber::EnvFilter;

use crate::{LogFormat, TelemetrySettings};

/// Installs the global subscriber. Call once, first thing in `main`.
///
/// The filter was validated when the settings were read, so a failure here
/// can only mean a subscriber is already installed, which is harmless.
pub fn init(settings: &TelemetrySettings) {
    let filter = EnvFilter::try_new(&settings.filter).unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    let _ = match settings.format {
        LogFormat::Pretty => builder.try_init(),
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .try_init(),
    };
}
