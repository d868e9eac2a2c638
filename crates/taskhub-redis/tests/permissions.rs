//! `RedisPermissionCache`: a plain cache when Redis answers, a silent miss
//! when it does not.

use std::time::Duration;

use taskhub_domain::ids::{UserId, WorkspaceId};
use taskhub_domain::membership::PermissionCache;
use taskhub_domain::rbac::Role;
use taskhub_redis::{Keys, RedisPermissionCache};
use taskhub_test_support::TestRedis;

#[tokio::test]
async fn roles_are_cached_with_the_ttl_and_forgotten_on_invalidate() {
    let redis = TestRedis::new();
    let pool = taskhub_redis::connect(&redis.url()).unwrap();
    let cache =
        RedisPermissionCache::new(pool, Keys::new(redis.prefix()), Duration::from_secs(600));
    let (ws, user) = (WorkspaceId(3), UserId(7));
    assert_eq!(cache.get(ws, user).await, None);
    cache.put(ws, user, Role::Admin).await;
    assert_eq!(cache.get(ws, user).await, Some(Role::Admin));

    let key = format!("{}perm:ws:3:user:7", redis.prefix());
    let mut connection = redis::Client::open(redis.url())
        .unwrap()
        .get_connection()
        .unwrap();
    let ttl: i64 = redis::cmd("TTL").arg(&key).query(&mut connection).unwrap();
    assert!((590..=600).contains(&ttl), "{ttl}");

    cache.invalidate(ws, user).await;
    assert_eq!(cache.get(ws, user).await, None);
}

#[tokio::test]
async fn an_unreachable_redis_is_a_prompt_miss_not_an_error() {
    let pool = taskhub_redis::connect("redis://127.0.0.1:1/0").unwrap();
    let cache = RedisPermissionCache::new(pool, Keys::new("x:"), Duration::from_secs(60));
    let started = std::time::Instant::now();
    cache.put(WorkspaceId(1), UserId(1), Role::Owner).await;
    assert_eq!(cache.get(WorkspaceId(1), UserId(1)).await, None);
    cache.invalidate(WorkspaceId(1), UserId(1)).await;
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}
