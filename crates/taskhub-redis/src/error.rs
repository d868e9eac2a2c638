//! The seam where Redis errors become the domain's `PortError`.

use taskhub_domain::PortError;

/// Failing to get a pooled connection always means Redis cannot be reached
/// (timeout, refused, DNS): `Unavailable`.
pub(crate) fn pool_error(err: deadpool_redis::PoolError) -> PortError {
    PortError::unavailable(err)
}

/// Connection-level failures are `Unavailable`; a reply we did not expect
/// (wrong type, script error) is a bug: `Unexpected`.
pub(crate) fn command_error(err: redis::RedisError) -> PortError {
    if err.is_io_error()
        || err.is_timeout()
        || err.is_connection_refusal()
        || err.is_connection_dropped()
        || err.is_unrecoverable_error()
    {
        PortError::unavailable(err)
    } else {
        PortError::unexpected(err)
    }
}
