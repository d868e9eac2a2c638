//! The invitation job queue on Redis Streams.
//!
//! - Jobs are entries of a stream read through one consumer group, so each
//!   job goes to one worker; several workers can run at once.
//! - At-least-once: an entry stays in the group's pending list until the
//!   worker acknowledges it. If a worker dies mid-job, another one claims the
//!   entry (`XAUTOCLAIM`) once it has been idle for the visibility timeout.
//! - Retries wait in a sorted set scored by due time and are moved back into
//!   the stream when due; jobs that exhaust their attempts go to a list with
//!   their last error (the dead letters).
//!
//! Acknowledging and rescheduling are each one Lua script over keys that
//! share the `{invitations}` hash tag, so they are atomic (also on Cluster).

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use async_trait::async_trait;
use redis::{Script, Value};
use taskhub_domain::PortError;
use taskhub_domain::ids::{InviteId, WorkspaceId};
use taskhub_domain::invite::{InvitationJob, InvitationQueue};

use crate::error::{command_error, pool_error};
use crate::keys::Keys;
use crate::pool::RedisPool;

const GROUP: &str = "workers";
/// How long `next` blocks on an empty stream: short, so a worker notices
/// shutdown promptly, and well under the connection's reply timeout (1 s),
/// which also applies to blocking commands.
const BLOCK: Duration = Duration::from_millis(500);

/// KEYS: stream, delayed. ARGV: now (ms), max jobs to move.
const PROMOTE_DUE: &str = r"
local due = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
for _, member in ipairs(due) do
  local job = cjson.decode(member)
  redis.call('XADD', KEYS[1], '*', 'job_id', job.job_id, 'workspace_id', job.workspace_id,
    'invite_id', job.invite_id, 'attempt', job.attempt)
  redis.call('ZREM', KEYS[2], member)
end
return #due
";

/// KEYS: stream, delayed. ARGV: group, entry id, due (ms), job JSON.
const RETRY: &str = r"
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
redis.call('XDEL', KEYS[1], ARGV[2])
return 1
";

/// KEYS: stream, dead. ARGV: group, entry id, dead letter JSON.
const DEAD_LETTER: &str = r"
redis.call('LPUSH', KEYS[2], ARGV[3])
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
redis.call('XDEL', KEYS[1], ARGV[2])
return 1
";

/// KEYS: stream. ARGV: group, entry id.
const COMPLETE: &str = r"
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
redis.call('XDEL', KEYS[1], ARGV[2])
return 1
";

pub struct RedisInvitationQueue {
    pool: RedisPool,
    keys: Keys,
    /// This process's name in the consumer group.
    consumer: String,
    /// Idle time after which another worker may take over a pending job.
    visibility_timeout: Duration,
    group_ready: AtomicBool,
    promote_due: Script,
    retry: Script,
    dead_letter: Script,
    complete: Script,
}

impl RedisInvitationQueue {
    pub fn new(pool: RedisPool, keys: Keys, visibility_timeout: Duration) -> Self {
        Self {
            pool,
            keys,
            consumer: format!("worker-{}", uuid::Uuid::new_v4().simple()),
            visibility_timeout,
            group_ready: AtomicBool::new(false),
            promote_due: Script::new(PROMOTE_DUE),
            retry: Script::new(RETRY),
            dead_letter: Script::new(DEAD_LETTER),
            complete: Script::new(COMPLETE),
        }
    }

    async fn connection(&self) -> Result<deadpool_redis::Connection, PortError> {
        self.pool.get().await.map_err(pool_error)
    }

    /// Creates the consumer group (from the start of the stream, so jobs
    /// enqueued before any worker ran are delivered too).
    async fn ensure_group(&self, conn: &mut deadpool_redis::Connection) -> Result<(), PortError> {
        if self.group_ready.load(Ordering::Relaxed) {
            return Ok(());
        }
        let created: redis::RedisResult<()> = redis::cmd("XGROUP")
            .arg("CREATE")
            .arg(self.keys.queue_stream())
            .arg(GROUP)
            .arg("0")
            .arg("MKSTREAM")
            .query_async(conn)
            .await;
        match created {
            Ok(()) => {}
            Err(err) if err.code() == Some("BUSYGROUP") => {}
            Err(err) => return Err(command_error(err)),
        }
        self.group_ready.store(true, Ordering::Relaxed);
        Ok(())
    }

    /// Remembers to recreate the group if Redis lost it (e.g. a restart of a
    /// Redis that keeps nothing on disk).
    fn forget_group_on(&self, err: &redis::RedisError) {
        if err.code() == Some("NOGROUP") {
            self.group_ready.store(false, Ordering::Relaxed);
        }
    }

    async fn reclaim_stale(
        &self,
        conn: &mut deadpool_redis::Connection,
    ) -> redis::RedisResult<Option<InvitationJob>> {
        let reply: Value = redis::cmd("XAUTOCLAIM")
            .arg(self.keys.queue_stream())
            .arg(GROUP)
            .arg(&self.consumer)
            .arg(self.visibility_timeout.as_millis() as u64)
            .arg("0-0")
            .arg("COUNT")
            .arg(1)
            .query_async(conn)
            .await?;
        // [next cursor, [[id, [field, value, ...]], ...], [deleted ids]]
        let Value::Array(parts) = reply else {
            return Ok(None);
        };
        Ok(parts.get(1).and_then(first_entry))
    }

    async fn read_new(
        &self,
        conn: &mut deadpool_redis::Connection,
    ) -> redis::RedisResult<Option<InvitationJob>> {
        let reply: Value = redis::cmd("XREADGROUP")
            .arg("GROUP")
            .arg(GROUP)
            .arg(&self.consumer)
            .arg("COUNT")
            .arg(1)
            .arg("BLOCK")
            .arg(BLOCK.as_millis() as u64)
            .arg("STREAMS")
            .arg(self.keys.queue_stream())
            .arg(">")
            .query_async(conn)
            .await?;
        // nil, or [[stream, [[id, [field, value, ...]]]]] (RESP2) / a map (RESP3)
        let streams = match reply {
            Value::Array(streams) => streams,
            Value::Map(pairs) => pairs
                .into_iter()
                .map(|(name, entries)| Value::Array(vec![name, entries]))
                .collect(),
            _ => return Ok(None),
        };
        Ok(streams.first().and_then(|stream| match stream {
            Value::Array(parts) => parts.get(1).and_then(first_entry),
            _ => None,
        }))
    }

    async fn next_job(
        &self,
        conn: &mut deadpool_redis::Connection,
    ) -> redis::RedisResult<Option<InvitationJob>> {
        let _: i64 = self
            .promote_due
            .key(self.keys.queue_stream())
            .key(self.keys.queue_delayed())
            .arg(now_ms())
            .arg(100)
            .invoke_async(conn)
            .await?;
        if let Some(job) = self.reclaim_stale(conn).await? {
            return Ok(Some(job));
        }
        self.read_new(conn).await
    }
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or_default()
}

/// The first `[id, [field, value, ...]]` of a list of stream entries.
fn first_entry(entries: &Value) -> Option<InvitationJob> {
    let Value::Array(entries) = entries else {
        return None;
    };
    let Value::Array(entry) = entries.first()? else {
        return None;
    };
    let receipt = string(entry.first()?)?;
    let Value::Array(fields) = entry.get(1)? else {
        return None;
    };
    let field = |name: &str| {
        fields
            .chunks(2)
            .find(|pair| string(&pair[0]).as_deref() == Some(name))
            .and_then(|pair| pair.get(1))
            .and_then(string)
    };
    Some(InvitationJob {
        job_id: field("job_id")?,
        workspace_id: WorkspaceId(field("workspace_id")?.parse().ok()?),
        invite_id: InviteId(field("invite_id")?.parse().ok()?),
        attempt: field("attempt")?.parse().ok()?,
        receipt,
    })
}

fn string(value: &Value) -> Option<String> {
    match value {
        Value::BulkString(bytes) => String::from_utf8(bytes.clone()).ok(),
        Value::SimpleString(text) => Some(text.clone()),
        _ => None,
    }
}

/// A job as the delayed set holds it (read back by `PROMOTE_DUE`).
fn job_json(job: &InvitationJob, attempt: u32) -> String {
    serde_json::json!({
        "job_id": job.job_id,
        "workspace_id": job.workspace_id.0.to_string(),
        "invite_id": job.invite_id.0.to_string(),
        "attempt": attempt.to_string(),
    })
    .to_string()
}

#[async_trait]
impl InvitationQueue for RedisInvitationQueue {
    async fn enqueue(&self, workspace: WorkspaceId, invite: InviteId) {
        let job_id = uuid::Uuid::new_v4().simple().to_string();
        let result = async {
            let mut conn = self.connection().await?;
            redis::cmd("XADD")
                .arg(self.keys.queue_stream())
                .arg("*")
                .arg("job_id")
                .arg(&job_id)
                .arg("workspace_id")
                .arg(workspace.0)
                .arg("invite_id")
                .arg(invite.0)
                .arg("attempt")
                .arg(1)
                .query_async::<()>(&mut conn)
                .await
                .map_err(command_error)
        }
        .await;
        match result {
            Ok(()) => tracing::info!(%job_id, invite_id = %invite, "invitation email queued"),
            Err(error) => tracing::warn!(
                invite_id = %invite,
                %error,
                "could not queue the invitation email; the outbox sweep will"
            ),
        }
    }

    async fn next(&self) -> Result<Option<InvitationJob>, PortError> {
        let mut conn = self.connection().await?;
        self.ensure_group(&mut conn).await?;
        self.next_job(&mut conn).await.map_err(|err| {
            self.forget_group_on(&err);
            command_error(err)
        })
    }

    async fn complete(&self, job: &InvitationJob) -> Result<(), PortError> {
        let mut conn = self.connection().await?;
        self.complete
            .key(self.keys.queue_stream())
            .arg(GROUP)
            .arg(&job.receipt)
            .invoke_async::<i64>(&mut conn)
            .await
            .map(|_| ())
            .map_err(command_error)
    }

    async fn retry(&self, job: &InvitationJob, delay: Duration) -> Result<(), PortError> {
        let mut conn = self.connection().await?;
        self.retry
            .key(self.keys.queue_stream())
            .key(self.keys.queue_delayed())
            .arg(GROUP)
            .arg(&job.receipt)
            .arg(now_ms() + delay.as_millis() as u64)
            .arg(job_json(job, job.attempt + 1))
            .invoke_async::<i64>(&mut conn)
            .await
            .map(|_| ())
            .map_err(command_error)
    }

    async fn dead_letter(&self, job: &InvitationJob, error: &str) -> Result<(), PortError> {
        let letter = serde_json::json!({
            "job_id": job.job_id,
            "workspace_id": job.workspace_id.0,
            "invite_id": job.invite_id.0,
            "attempts": job.attempt,
            "error": error,
            "failed_at_ms": now_ms(),
        });
        let mut conn = self.connection().await?;
        self.dead_letter
            .key(self.keys.queue_stream())
            .key(self.keys.queue_dead())
            .arg(GROUP)
            .arg(&job.receipt)
            .arg(letter.to_string())
            .invoke_async::<i64>(&mut conn)
            .await
            .map(|_| ())
            .map_err(command_error)
    }
}
