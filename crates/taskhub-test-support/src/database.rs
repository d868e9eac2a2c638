//! A throwaway MariaDB database per test.

use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};

use crate::unique_suffix;

fn server_url() -> String {
    std::env::var("TEST_MYSQL_URL").unwrap_or_else(|_| "mysql://root@127.0.0.1:3306".to_owned())
}

/// Creates `taskhub_test_<random>` on construction and drops it on `Drop`.
pub struct TestDatabase {
    name: String,
    url: String,
}

impl TestDatabase {
    /// An empty database (no tables yet).
    pub async fn create() -> Self {
        let name = format!("taskhub_test_{}", unique_suffix());
        let server = Database::connect(server_url())
            .await
            .expect("connect to the test MariaDB server (TEST_MYSQL_URL)");
        server
            .execute_unprepared(&format!(
                "CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
            ))
            .await
            .expect("create the test database");
        server.close().await.ok();
        let url = format!("{}/{name}", server_url());
        Self { name, url }
    }

    /// A database with every migration applied, and a connection to it.
    pub async fn migrated() -> (Self, DatabaseConnection) {
        let database = Self::create().await;
        let connection = Database::connect(database.url())
            .await
            .expect("connect to the test database");
        Migrator::up(&connection, None)
            .await
            .expect("apply migrations");
        (database, connection)
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn name(&self) -> &str {
        &self.name
    }
}

impl Drop for TestDatabase {
    /// `Drop` cannot be async and may run inside a runtime, so the drop
    /// happens on a fresh thread with its own small runtime.
    fn drop(&mut self) {
        let name = self.name.clone();
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime for dropping the test database");
            runtime.block_on(async move {
                let server = Database::connect(server_url()).await?;
                // A connection left in a transaction would block the drop on
                // a metadata lock for a year by default; give up instead.
                server
                    .execute_unprepared("SET SESSION lock_wait_timeout = 10")
                    .await?;
                server
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS `{name}`"))
                    .await?;
                server.close().await
            })
        })
        .join();
        if !matches!(dropped, Ok(Ok(()))) {
            eprintln!("warning: could not drop test database {}", self.name);
        }
    }
}
