use async_trait::async_trait;
use sea_orm::{ConnectionTrait, DatabaseConnection};
use taskhub_domain::PortError;
use taskhub_domain::health::HealthProbe;

use crate::db;

/// Answers /health with a `SELECT 1` through the pool.
pub struct MySqlHealthProbe {
    db: DatabaseConnection,
}

impl MySqlHealthProbe {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }
}

#[async_trait]
impl HealthProbe for MySqlHealthProbe {
    async fn ping(&self) -> Result<(), PortError> {
        db::call(async { self.db.execute_unprepared("SELECT 1").await.map(|_| ()) }).await
    }
}
