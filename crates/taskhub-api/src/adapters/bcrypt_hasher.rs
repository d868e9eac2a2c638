//! bcrypt on tokio's blocking pool, bounded so a burst of logins neither
//! stalls the async executor nor spawns a thread per request.

use std::sync::Arc;

use async_trait::async_trait;
use taskhub_domain::PortError;
use taskhub_domain::auth::PasswordHasher;
use tokio::sync::Semaphore;

pub struct BcryptPasswordHasher {
    cost: u32,
    /// A real hash of the configured cost, so verifying an unknown email
    /// costs exactly as much as verifying a known one.
    dummy_hash: String,
    /// At most one bcrypt per core at a time; the rest queue here.
    permits: Arc<Semaphore>,
}

impl BcryptPasswordHasher {
    /// Computes the dummy hash once (one bcrypt at `cost`).
    pub fn new(cost: u32) -> Result<Self, bcrypt::BcryptError> {
        let parallelism = std::thread::available_parallelism().map_or(2, usize::from);
        Ok(Self {
            cost,
            dummy_hash: bcrypt::hash("taskhub dummy password", cost)?,
            permits: Arc::new(Semaphore::new(parallelism)),
        })
    }

    async fn run_blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> Result<T, bcrypt::BcryptError> + Send + 'static,
    ) -> Result<T, PortError> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(PortError::unexpected)?;
        tokio::task::spawn_blocking(work)
            .await
            .map_err(PortError::unexpected)?
            .map_err(PortError::unexpected)
    }
}

#[async_trait]
impl PasswordHasher for BcryptPasswordHasher {
    async fn hash(&self, password: &str) -> Result<String, PortError> {
        let password = password.to_owned();
        let cost = self.cost;
        self.run_blocking(move || bcrypt::hash(password, cost))
            .await
    }

    async fn verify(&self, password: &str, hash: Option<String>) -> Result<bool, PortError> {
        let password = password.to_owned();
        let is_real = hash.is_some();
        let hash = hash.unwrap_or_else(|| self.dummy_hash.clone());
        let matches = self
            .run_blocking(move || bcrypt::verify(password, &hash))
            .await?;
        Ok(matches && is_real)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn verifies_its_own_hashes_and_never_the_dummy() {
        let hasher = BcryptPasswordHasher::new(4).unwrap();
        let hash = hasher.hash("correct horse").await.unwrap();
        assert!(
            hasher
                .verify("correct horse", Some(hash.clone()))
                .await
                .unwrap()
        );
        assert!(!hasher.verify("wrong horse", Some(hash)).await.unwrap());
        assert!(!hasher.verify("taskhub dummy password", None).await.unwrap());
    }
}
