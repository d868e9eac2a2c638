//! The connection pool and the seam where driver errors become domain errors.

use std::future::Future;
use std::time::Duration;

use std::pin::Pin;

use sea_orm::{
    ConnectOptions, Database, DatabaseConnection, DatabaseTransaction, DbErr, PaginatorTrait,
    RuntimeErr, SelectorTrait, TransactionError, TransactionTrait,
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
pub(crate) async fn transaction<T, F>(db: &DatabaseConnection, body: F) -> Result<T, PortError>
where
    T: Send,
    F: for<'c> FnOnce(&'c DatabaseTransaction) -> TransactionBody<'c, T> + Send,
{
    call(async {
        db.transaction(body).await.map_err(|err| match err {
            TransactionError::Connection(err) | TransactionError::Transaction(err) => err,
        })
    })
    .await
}

/// Unique-key violations become `Conflict`; anything that says "the server
/// is not reachable" becomes `Unavailable`; the rest is `Unexpected`.
pub(crate) fn to_port_error(err: DbErr) -> PortError {
    if let Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) = err.sql_err() {
        return PortError::Conflict;
    }
    if let DbErr::RecordNotFound(_) = err {
        return PortError::NotFound;
    }
    if is_unavailable(&err) {
        return PortError::unavailable(err);
    }
    PortError::unexpected(err)
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
