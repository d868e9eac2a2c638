use taskhub_api::Application;
use taskhub_config::{ApiSettings, telemetry};

#[actix_web::main]
async fn main() -> std::process::ExitCode {
    // `taskhub-api openapi` prints the OpenAPI document (no settings needed),
    // e.g. to generate clients or validate it in CI.
    if std::env::args().nth(1).as_deref() == Some("openapi") {
        return match taskhub_api::openapi_document().to_pretty_json() {
            Ok(json) => {
                println!("{json}");
                std::process::ExitCode::SUCCESS
            }
            Err(err) => {
                eprintln!("taskhub-api: cannot render the OpenAPI document: {err}");
                std::process::ExitCode::FAILURE
            }
        };
    }
    let settings = match ApiSettings::from_env() {
        Ok(settings) => settings,
        Err(err) => {
            eprintln!("taskhub-api: {err}");
            return std::process::ExitCode::from(2);
        }
    };
    telemetry::init(&settings.telemetry);
    let application = match Application::build(settings).await {
        Ok(application) => application,
        Err(err) => {
            tracing::error!(error = format!("{err:#}"), "taskhub-api failed to start");
            return std::process::ExitCode::FAILURE;
        }
    };
    tracing::info!(port = application.port(), "taskhub-api listening");
    // actix-web handles SIGINT/SIGTERM itself: it stops accepting, lets
    // in-flight requests finish (up to the shutdown timeout), then returns.
    match application.run_until_stopped().await {
        Ok(()) => {
            tracing::info!("taskhub-api stopped");
            std::process::ExitCode::SUCCESS
        }
        Err(err) => {
            tracing::error!(error = %err, "taskhub-api server error");
            std::process::ExitCode::FAILURE
        }
    }
}
