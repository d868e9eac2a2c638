//! `RedisSessionStore` against the real Redis, under a throwaway key prefix:
//! checks the `# Errors` and atomicity contract of `SessionStore`.

use std::sync::Arc;
use std::time::Duration;

use taskhub_domain::PortError;
use taskhub_domain::auth::{RefreshConsumption, SessionId, SessionStore};
use taskhub_domain::ids::UserId;
use taskhub_redis::{Keys, RedisSessionStore};
use taskhub_test_support::TestRedis;

const TTL: Duration = Duration::from_secs(60);

fn store(redis: &TestRedis) -> RedisSessionStore {
    let pool = taskhub_redis::connect(&redis.url()).unwrap();
    RedisSessionStore::new(pool, Keys::new(redis.prefix()))
}

#[tokio::test]
async fn a_refresh_token_is_consumed_once_then_seen_as_reused() {
    let redis = TestRedis::new();
    let store = store(&redis);
    let session = SessionId("s1".into());
    store
        .allow_refresh("jti-1", &session, UserId(1), TTL)
        .await
        .unwrap();
    assert_eq!(
        store.consume_refresh("jti-1").await.unwrap(),
        RefreshConsumption::Consumed
    );
    assert_eq!(
        store.consume_refresh("jti-1").await.unwrap(),
        RefreshConsumption::Reused
    );
    assert_eq!(
        store.consume_refresh("never").await.unwrap(),
        RefreshConsumption::Unknown
    );
}

#[tokio::test]
async fn of_many_concurrent_consumers_exactly_one_wins() {
    let redis = TestRedis::new();
    let store = Arc::new(store(&redis));
    store
        .allow_refresh("jti-race", &SessionId("s".into()), UserId(1), TTL)
        .await
        .unwrap();
    let attempts: Vec<_> = (0..50)
        .map(|_| {
            let store = store.clone();
            tokio::spawn(async move { store.consume_refresh("jti-race").await.unwrap() })
        })
        .collect();
    let mut consumed = 0;
    for attempt in attempts {
        match attempt.await.unwrap() {
            RefreshConsumption::Consumed => consumed += 1,
            RefreshConsumption::Reused => {}
            RefreshConsumption::Unknown => panic!("a racer saw Unknown"),
        }
    }
    assert_eq!(consumed, 1);
}

#[tokio::test]
async fn revocation_covers_sessions_tokens_and_all_of_a_users_sessions() {
    let redis = TestRedis::new();
    let store = store(&redis);
    let user = UserId(7);
    let first = store.start_session(user, TTL).await.unwrap();
    let second = store.start_session(user, TTL).await.unwrap();
    let other_user = store.start_session(UserId(8), TTL).await.unwrap();
    assert_ne!(first, second);
    assert!(!store.is_revoked("a", &first).await.unwrap());

    store.revoke_access("a", TTL).await.unwrap();
    assert!(store.is_revoked("a", &first).await.unwrap());
    assert!(!store.is_revoked("b", &first).await.unwrap());

    store.revoke_session(&first, TTL).await.unwrap();
    assert!(store.is_revoked("b", &first).await.unwrap());
    assert!(!store.is_revoked("b", &second).await.unwrap());

    store.revoke_all_sessions(user, TTL).await.unwrap();
    assert!(store.is_revoked("b", &second).await.unwrap());
    assert!(!store.is_revoked("b", &other_user).await.unwrap());
}

#[tokio::test]
async fn refreshing_keeps_a_session_in_the_users_index_for_logout_all() {
    let redis = TestRedis::new();
    let store = store(&redis);
    let user = UserId(9);
    // A session opened with a short lifetime...
    let session = store
        .start_session(user, Duration::from_secs(1))
        .await
        .unwrap();
    // ...whose refresh token was rotated with the full lifetime.
    store
        .allow_refresh("rotated", &session, user, TTL)
        .await
        .unwrap();
    let mut connection = redis::Client::open(redis.url())
        .unwrap()
        .get_connection()
        .unwrap();
    let key = format!("{}auth:user-sessions:9", redis.prefix());
    let expires_at_ms: f64 = redis::cmd("ZSCORE")
        .arg(&key)
        .arg(&session.0)
        .query(&mut connection)
        .unwrap();
    let key_ttl: i64 = redis::cmd("TTL").arg(&key).query(&mut connection).unwrap();
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as f64;
    assert!(
        expires_at_ms > now_ms + 50_000.0,
        "{expires_at_ms} vs {now_ms}"
    );
    assert!(key_ttl > 50, "{key_ttl}");
}

#[tokio::test]
async fn every_key_carries_the_prefix_and_a_ttl() {
    let redis = TestRedis::new();
    let store = store(&redis);
    let session = store.start_session(UserId(1), TTL).await.unwrap();
    store
        .allow_refresh("j", &session, UserId(1), TTL)
        .await
        .unwrap();
    store.revoke_access("k", TTL).await.unwrap();
    let keys = redis.keys();
    assert_eq!(keys.len(), 3, "{keys:?}");
    let mut connection = redis::Client::open(redis.url())
        .unwrap()
        .get_connection()
        .unwrap();
    for key in keys {
        let ttl: i64 = redis::cmd("TTL").arg(&key).query(&mut connection).unwrap();
        assert!(ttl > 0 && ttl <= 60, "{key} has TTL {ttl}");
    }
}

#[tokio::test]
async fn an_unreachable_redis_is_unavailable_promptly() {
    let pool = taskhub_redis::connect("redis://127.0.0.1:1/0").unwrap();
    let store = RedisSessionStore::new(pool, Keys::new("x:"));
    let started = std::time::Instant::now();
    let err = store
        .is_revoked("a", &SessionId("s".into()))
        .await
        .unwrap_err();
    assert!(matches!(err, PortError::Unavailable(_)), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(3));
}
