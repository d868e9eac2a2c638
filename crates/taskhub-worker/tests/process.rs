//! The `taskhub-worker` binary: starts, says it waits, stops on SIGTERM.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use taskhub_test_support::{TestDatabase, TestRedis};

/// Waits for a line containing `needle`, up to `deadline`.
fn wait_for_line(lines: &mpsc::Receiver<String>, needle: &str, deadline: Duration) -> bool {
    let give_up = std::time::Instant::now() + deadline;
    while let Some(left) = give_up.checked_duration_since(std::time::Instant::now()) {
        match lines.recv_timeout(left) {
            Ok(line) if line.contains(needle) => return true,
            Ok(_) => {}
            Err(_) => return false,
        }
    }
    false
}

#[tokio::test]
async fn the_worker_waits_for_jobs_and_exits_cleanly_on_sigterm() {
    let database = TestDatabase::create().await;
    let redis = TestRedis::new();
    let mut child = Command::new(env!("CARGO_BIN_EXE_taskhub-worker"))
        .env_clear()
        .env("DATABASE_URL", database.url())
        .env("REDIS_URL", redis.url())
        .env("REDIS_KEY_PREFIX", redis.prefix())
        .env("LOG_FORMAT", "json")
        .current_dir(std::env::temp_dir())
        .stdout(Stdio::piped())
        .spawn()
        .expect("start taskhub-worker");

    let stdout = child.stdout.take().unwrap();
    let (sender, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if sender.send(line).is_err() {
                break;
            }
        }
    });
    assert!(
        wait_for_line(&lines, "waiting for jobs", Duration::from_secs(20)),
        "the worker never said it waits for jobs"
    );

    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    assert!(wait_for_line(&lines, "stopped", Duration::from_secs(10)));
    let status = child.wait().unwrap();
    assert!(status.success(), "exit status {status:?}");
}
