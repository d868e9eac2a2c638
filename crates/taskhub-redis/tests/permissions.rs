//! `RedisPermissionCache`: a cache whose invalidation blocks stale fills,
//! and a silent miss when Redis does not answer.

use std::time::Duration;

use taskhub_domain::PortError;
use taskhub_domain::ids::{UserId, WorkspaceId};
use taskhub_domain::membership::PermissionCache;
use taskhub_domain::rbac::Role;
use taskhub_redis::{Keys, RedisPermissionCache};
use taskhub_test_support::TestRedis;

fn cache(redis: &TestRedis) -> RedisPermissionCache {
    let pool = taskhub_redis::connect(&redis.url()).unwrap();
    RedisPermissionCache::new(pool, Keys::new(redis.prefix()), Duration::from_secs(600))
}

#[tokio::test]
async fn roles_are_cached_with_the_ttl() {
    let redis = TestRedis::new();
    let cache = cache(&redis);
    let (ws, user) = (WorkspaceId(3), UserId(7));
    assert_eq!(cache.get(ws, user).await, None);
    cache.put(ws, user, Role::Admin).await;
    assert_eq!(cache.get(ws, user).await, Some(Role::Admin));
    // A fill never overwrites.
    cache.put(ws, user, Role::Guest).await;
    assert_eq!(cache.get(ws, user).await, Some(Role::Admin));

    let key = format!("{}perm:ws:3:user:7", redis.prefix());
    let mut connection = redis::Client::open(redis.url())
        .unwrap()
        .get_connection()
        .unwrap();
    let ttl: i64 = redis::cmd("TTL").arg(&key).query(&mut connection).unwrap();
    assert!((590..=600).contains(&ttl), "{ttl}");
}

#[tokio::test]
async fn after_an_invalidation_a_stale_fill_cannot_put_the_old_role_back() {
    let redis = TestRedis::new();
    let cache = cache(&redis);
    let (ws, user) = (WorkspaceId(3), UserId(7));
    cache.put(ws, user, Role::Admin).await;
    cache.invalidate(ws, user).await.unwrap();
    assert_eq!(cache.get(ws, user).await, None);
    // A request that read ADMIN from MySQL before the demotion fills late:
    cache.put(ws, user, Role::Admin).await;
    assert_eq!(cache.get(ws, user).await, None, "the stale role came back");
}

#[tokio::test]
async fn an_unreachable_redis_is_a_prompt_miss_for_reads_and_an_error_for_invalidation() {
    let pool = taskhub_redis::connect("redis://127.0.0.1:1/0").unwrap();
    let cache = RedisPermissionCache::new(pool, Keys::new("x:"), Duration::from_secs(60));
    let started = std::time::Instant::now();
    cache.put(WorkspaceId(1), UserId(1), Role::Owner).await;
    assert_eq!(cache.get(WorkspaceId(1), UserId(1)).await, None);
    let invalidated = cache.invalidate(WorkspaceId(1), UserId(1)).await;
    assert!(matches!(invalidated, Err(PortError::Unavailable(_))));
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}
