//! A unique Redis key prefix per test, cleaned up on `Drop`.

use redis::Commands;

use crate::unique_suffix;

pub fn redis_url() -> String {
    std::env::var("TEST_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379/0".to_owned())
}

pub struct TestRedis {
    prefix: String,
}

impl TestRedis {
    pub fn new() -> Self {
        Self {
            prefix: format!("test:{}:", unique_suffix()),
        }
    }

    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    pub fn url(&self) -> String {
        redis_url()
    }

    /// Every key currently under this prefix (for assertions).
    pub fn keys(&self) -> Vec<String> {
        self.try_keys()
            .expect("list the test keys in Redis (TEST_REDIS_URL)")
    }

    fn try_keys(&self) -> redis::RedisResult<Vec<String>> {
        let mut connection = redis::Client::open(redis_url())?.get_connection()?;
        let keys = connection.scan_match::<_, String>(format!("{}*", self.prefix))?;
        keys.collect()
    }
}

impl Default for TestRedis {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for TestRedis {
    fn drop(&mut self) {
        let cleanup = || -> redis::RedisResult<()> {
            let keys = self.try_keys()?;
            if !keys.is_empty() {
                let mut connection = redis::Client::open(redis_url())?.get_connection()?;
                connection.del::<_, ()>(keys)?;
            }
            Ok(())
        };
        if let Err(err) = cleanup() {
            eprintln!(
                "warning: could not delete test keys {}*: {err}",
                self.prefix
            );
        }
    }
}
