use taskhub_config::{WorkerSettings, telemetry};
use taskhub_worker::{Worker, WorkerConfig, shutdown_signal};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let settings = match WorkerSettings::from_env() {
        Ok(settings) => settings,
        Err(err) => {
            eprintln!("taskhub-worker: {err}");
            return std::process::ExitCode::from(2);
        }
    };
    telemetry::init(&settings.telemetry);
    let worker = match Worker::build(&settings, WorkerConfig::default()).await {
        Ok(worker) => worker,
        Err(err) => {
            tracing::error!(error = format!("{err:#}"), "taskhub-worker failed to start");
            return std::process::ExitCode::FAILURE;
        }
    };
    worker.run_until_stopped(shutdown_signal()).await;
    std::process::ExitCode::SUCCESS
}
