//! The `taskhub-api` binary itself: start-up checks of its settings.

use std::process::Command;

fn run_with(env: &[(&str, &str)]) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_taskhub-api"))
        .env_clear()
        .envs(env.iter().copied())
        // No .env file of the developer's may leak into the check.
        .current_dir(std::env::temp_dir())
        .output()
        .expect("run taskhub-api");
    let stderr = String::from_utf8_lossy(&output.stderr).trim().to_owned();
    (output.status.code().unwrap_or(-1), stderr)
}

#[test]
fn a_missing_database_url_stops_the_api_with_one_line_naming_it() {
    let (code, stderr) = run_with(&[
        ("REDIS_URL", "redis://127.0.0.1:6379/0"),
        ("JWT_SECRET", "0123456789abcdef0123456789abcdef"),
    ]);
    assert_eq!(code, 2);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("DATABASE_URL"), "{stderr}");
}

#[test]
fn a_10_byte_jwt_secret_stops_the_api_with_one_line_naming_it() {
    let (code, stderr) = run_with(&[
        ("DATABASE_URL", "mysql://root@127.0.0.1:3306/taskhub"),
        ("REDIS_URL", "redis://127.0.0.1:6379/0"),
        ("JWT_SECRET", "0123456789"),
    ]);
    assert_eq!(code, 2);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("JWT_SECRET") && stderr.contains("32 bytes"),
        "{stderr}"
    );
}
