//! The connection pool and the seam where driver errors become domain errors.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use sea_orm::{
    ConnectOptions, Database, DatabaseConnection, DatabaseTransaction, DbErr, IsolationLevel,
    PaginatorTrait, RuntimeErr, SelectorTrait, SqlErr, TransactionError, TransactionTrait,
};
use taskhub_domain::PortError;
use taskhub_domain::pagination::{Page, PageRequest};

/// How long to wait for a new TCP connection to MySQL.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);
/// How long a request waits for a free pooled connection before it gives up
/// with 503. Short, so an outage answers promptly instead of piling up.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(2);
/// The longest any single repository call (including a whole transaction)
/// may take. MySQL has no portable per-statement timeout for writes, so the
/// bound is enforced here; dropping a transaction rolls it back.
const CALL_TIMEOUT: Duration = Duration::from_secs(10);
const MAX_CONNECTIONS: u32 = 20;

#[derive(Debug, thiserror::Error)]
#[error("cannot set up the MySQL pool: {0}")]
pub struct ConnectError(#[from] DbErr);

/// Builds the pool without opening a connection yet: the API can start (and
/// report MySQL as down on /health) while MySQL is still starting.
pub async fn connect(url: &str) -> Result<DatabaseConnection, ConnectError> {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .max_connections(MAX_CONNECTIONS)
        .min_connections(0)
        .connect_timeout(CONNECT_TIMEOUT)
        .acquire_timeout(ACQUIRE_TIMEOUT)
        .idle_timeout(Duration::from_secs(300))
        // A connection killed by a MySQL restart is found out before use.
        .test_before_acquire(true)
        .connect_lazy(true)
        .sqlx_logging(false);
    Ok(Database::connect(options).await?)
}

/// Runs one repository operation with the call timeout and error mapping.
pub(crate) async fn call<T, F>(operation: F) -> Result<T, PortError>
where
    F: Future<Output = Result<T, DbErr>>,
{
    match tokio::time::timeout(CALL_TIMEOUT, operation).await {
        Ok(result) => result.map_err(to_port_error),
        Err(elapsed) => Err(PortError::unavailable(elapsed)),
    }
}

/// One page of `query`'s rows and the total over all pages (two queries:
/// `COUNT(*)` over the unpaged query, then the page itself).
pub(crate) async fn fetch_page<'db, Q>(
    db: &'db DatabaseConnection,
    query: Q,
    page: PageRequest,
) -> Result<Page<<Q::Selector as SelectorTrait>::Item>, PortError>
where
    Q: PaginatorTrait<'db, DatabaseConnection>,
{
    let paginator = query.paginate(db, page.page_size());
    call(async {
        let total = paginator.num_items().await?;
        let rows = paginator.fetch_page(page.page() - 1).await?;
        Ok(Page::new(rows, page, total))
    })
    .await
}

/// The body of a transaction: borrows the transaction, returns a boxed future.
pub(crate) type TransactionBody<'c, T> =
    Pin<Box<dyn Future<Output = Result<T, DbErr>> + Send + 'c>>;

/// Runs `body` in one transaction, with the call timeout and error mapping:
/// committed when it returns `Ok`, rolled back (and the rollback awaited,
/// so its row locks are released at once) when it returns `Err`.
///
/// Transactions run at READ COMMITTED: every write here locks the rows it
/// reads explicitly (`FOR UPDATE`, conditional `UPDATE`s), and READ
/// COMMITTED takes no gap locks, which under REPEATABLE READ make two
/// concurrent inserts into the same index range deadlock.
pub(crate) async fn transaction<T, F>(db: &DatabaseConnection, body: F) -> Result<T, PortError>
where
    T: Send,
    F: for<'c> FnOnce(&'c DatabaseTransaction) -> TransactionBody<'c, T> + Send,
{
    call(async {
        db.transaction_with_config(body, Some(IsolationLevel::ReadCommitted), None)
            .await
            .map_err(|err| match err {
                TransactionError::Connection(err) | TransactionError::Transaction(err) => err,
            })
    })
    .await
}

/// MySQL's "deadlock found" and "lock wait timeout exceeded": the statement
/// lost a race and may simply be retried.
const RETRYABLE_ERRORS: [u16; 2] = [1213, 1205];

/// Unique-key violations become `Conflict`; a missing parent row (a foreign
/// key, e.g. a workspace deleted meanwhile) `NotFound`; anything that says
/// "not reachable" or "retry" `Unavailable`; the rest is `Unexpected`.
pub(crate) fn to_port_error(err: DbErr) -> PortError {
    match err.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => return PortError::Conflict,
        Some(SqlErr::ForeignKeyConstraintViolation(_)) => return PortError::NotFound,
        _ => {}
    }
    if mysql_error_number(&err).is_some_and(|number| RETRYABLE_ERRORS.contains(&number)) {
        return PortError::unavailable(err);
    }
    if let DbErr::RecordNotFound(_) = err {
        return PortError::NotFound;
    }
    if is_unavailable(&err) {
        return PortError::unavailable(err);
    }
    PortError::unexpected(err)
}

fn mysql_error_number(err: &DbErr) -> Option<u16> {
    let (DbErr::Exec(RuntimeErr::SqlxError(inner)) | DbErr::Query(RuntimeErr::SqlxError(inner))) =
        err
    else {
        return None;
    };
    inner
        .as_database_error()?
        .try_downcast_ref::<sea_orm::sqlx::mysql::MySqlDatabaseError>()
        .map(|mysql| mysql.number())
}

fn is_unavailable(err: &DbErr) -> bool {
    use sea_orm::sqlx::Error as Sqlx;
    match err {
        DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => true,
        DbErr::Exec(RuntimeErr::SqlxError(inner)) | DbErr::Query(RuntimeErr::SqlxError(inner)) => {
            matches!(
                inner.as_ref(),
                Sqlx::Io(_)
                    | Sqlx::PoolTimedOut
                    | Sqlx::PoolClosed
                    | Sqlx::Tls(_)
                    | Sqlx::Protocol(_)
            )
        }
        _ => false,
    }
}
