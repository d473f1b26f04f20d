//! The database: SQLite (embedded, the default) or PostgreSQL, chosen at run time
//! by the URL. One file per area turns rows into domain values; SQL text is shared
//! between the two where it can be (`$1` placeholders everywhere).

pub mod access_ends;
pub mod access_requests;
pub mod account_closing;
pub mod address_standing;
pub mod audit;
pub mod billing;
pub mod contacts;
pub mod former_members;
pub mod invitations;
mod json_rows;
pub mod limits;
pub mod members;
pub mod organizations;
pub mod outbox;
pub mod partnerships;
pub mod resets;
pub mod seats;
pub mod sessions;
pub mod signups;
pub mod sub_accounts;
pub mod tx;
pub mod types;
pub mod users;
mod visibility;

use chrono::{DateTime, SubsecRound, Utc};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlitePool};
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

#[derive(Clone, Debug)]
pub enum Db {
    /// Reads share the pool; every write goes through the [`Writer`].
    Sqlite(SqlitePool, Writer),
    Postgres(PgPool),
}

/// SQLite's one writer: a pool of a single connection. SQLite lets one
/// connection write at a time, so changes wait for this connection, in the
/// order they asked (sqlx's fair queue), instead of retrying on SQLite's busy
/// timeout, whose growing sleeps (up to 100 ms each) made the slow tail of
/// concurrent changes and left the lock idle while they slept.
#[derive(Clone, Debug)]
pub struct Writer(pub(crate) SqlitePool);

/// Runs the same expression against whichever pool `db` holds. The expression is
/// compiled once per backend, so generic sqlx code (query builders, transactions)
/// is written once.
macro_rules! on_db {
    ($db:expr, $pool:ident => $body:expr) => {
        match $db {
            $crate::db::Db::Sqlite($pool, _) => $body,
            $crate::db::Db::Postgres($pool) => $body,
        }
    };
}
pub(crate) use on_db;

/// [`on_db!`] for a write outside a transaction: on SQLite, `$pool` is the
/// [`Writer`].
macro_rules! on_writer {
    ($db:expr, $pool:ident => $body:expr) => {
        match $db {
            $crate::db::Db::Sqlite(_, $crate::db::Writer($pool)) => $body,
            $crate::db::Db::Postgres($pool) => $body,
        }
    };
}
pub(crate) use on_writer;

/// Why the database could not be opened, in one line a person can act on.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error(
        "unsupported DATABASE_URL {0:?}: use sqlite://path/to/file.db or postgres://user@host/database"
    )]
    UnsupportedUrl(String),
    #[error(
        "the directory {0:?} for the SQLite database does not exist: create it or point DATABASE_URL elsewhere"
    )]
    MissingDirectory(String),
    #[error("cannot open the database at {url}: {source}")]
    Open { url: String, source: sqlx::Error },
    #[error("cannot apply the database migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

pub const DEFAULT_SQLITE_DIR: &str = "data";

/// How long an SQLite change waits for the write lock before it fails.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// The connection pool at one moment.
#[derive(Clone, Copy, Debug)]
pub struct PoolStatus {
    pub in_use: u32,
    pub idle: u32,
    pub max: u32,
}

impl Db {
    pub fn pool_status(&self) -> PoolStatus {
        on_db!(self, pool => {
            let idle = pool.num_idle() as u32;
            PoolStatus {
                in_use: pool.size().saturating_sub(idle),
                idle,
                max: pool.options().get_max_connections(),
            }
        })
    }

    /// Opens (creating an SQLite file if missing) and migrates.
    pub async fn connect(url: &str) -> Result<Db, ConnectError> {
        let db = if let Some(path) = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
        {
            let (readers, writer) = open_sqlite(url, path).await?;
            Db::Sqlite(readers, writer)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Db::Postgres(open_postgres(url).await?)
        } else {
            return Err(ConnectError::UnsupportedUrl(redact(url)));
        };
        db.migrate().await?;
        Ok(db)
    }

    pub async fn migrate(&self) -> Result<(), sqlx::migrate::MigrateError> {
        match self {
            Db::Sqlite(_, Writer(pool)) => sqlx::migrate!("./migrations/sqlite").run(pool).await,
            Db::Postgres(pool) => sqlx::migrate!("./migrations/postgres").run(pool).await,
        }
    }

    pub fn backend(&self) -> &'static str {
        match self {
            Db::Sqlite(..) => "sqlite",
            Db::Postgres(_) => "postgres",
        }
    }

    /// A trivial round trip, for health checks.
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        on_db!(self, pool => sqlx::query("SELECT 1").execute(pool).await.map(|_| ()))
    }

    pub async fn close(&self) {
        if let Db::Sqlite(_, Writer(writer)) = self {
            writer.close().await;
        }
        on_db!(self, pool => pool.close().await)
    }
}

async fn open_sqlite(url: &str, path: &str) -> Result<(SqlitePool, Writer), ConnectError> {
    let file = path.split('?').next().unwrap_or(path);
    if file != ":memory:" {
        let dir = Path::new(file)
            .parent()
            .filter(|d| !d.as_os_str().is_empty());
        if let Some(dir) = dir.filter(|d| !d.exists()) {
            if dir != Path::new(DEFAULT_SQLITE_DIR) {
                return Err(ConnectError::MissingDirectory(dir.display().to_string()));
            }
            std::fs::create_dir_all(dir).map_err(|e| ConnectError::Open {
                url: url.into(),
                source: sqlx::Error::Io(e),
            })?;
        }
    }
    let options = SqliteConnectOptions::from_str(url)
        .map_err(|source| ConnectError::Open {
            url: url.into(),
            source,
        })?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .busy_timeout(BUSY_TIMEOUT)
        .foreign_keys(true);
    // No ping before each statement (sqlx's default): a file cannot go away
    // under an open connection.
    let open = |pool: SqlitePoolOptions| {
        pool.test_before_acquire(false)
            .connect_with(options.clone())
    };
    let error = |source| ConnectError::Open {
        url: url.into(),
        source,
    };
    let readers = open(SqlitePoolOptions::new().max_connections(8))
        .await
        .map_err(error)?;
    // A change waits for the writer as long as SQLite would have waited for its lock.
    let writer = open(
        SqlitePoolOptions::new()
            .max_connections(1)
            .acquire_timeout(BUSY_TIMEOUT),
    )
    .await
    .map_err(error)?;
    Ok((readers, Writer(writer)))
}

async fn open_postgres(url: &str) -> Result<PgPool, ConnectError> {
    let options = PgConnectOptions::from_str(url).map_err(|source| ConnectError::Open {
        url: redact(url),
        source,
    })?;
    // No ping round trip before each statement (sqlx's default): a connection
    // the server dropped fails its next statement, and the pool replaces it.
    PgPoolOptions::new()
        .max_connections(16)
        .test_before_acquire(false)
        .acquire_timeout(Duration::from_secs(5))
        .connect_with(options)
        .await
        .map_err(|source| ConnectError::Open {
            url: redact(url),
            source,
        })
}

/// The URL without its password, for messages and logs.
pub fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        _ => url.to_string(),
    }
}

/// Pushes `(k1, k2, …)`, each key a bound parameter, for `… IN ` + this.
pub(crate) fn push_key_list<'a, DB: sqlx::Database>(
    query: &mut sqlx::QueryBuilder<'a, DB>,
    keys: &'a [String],
) where
    &'a String: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
{
    query.push("(");
    let mut list = query.separated(", ");
    for key in keys {
        list.push_bind(key);
    }
    query.push(")");
}

/// How many keys one `IN (…)` lookup binds: far below either backend's limit
/// on parameters, large enough that 10,000 addresses take 20 statements.
pub const KEYS_PER_QUERY: usize = 500;

/// The current time at the precision both backends store (microseconds), so a
/// value read back equals the value written.
pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

/// A timestamp of the domain as the database stores it.
pub fn at(at: crate::domain::time::Timestamp) -> DateTime<Utc> {
    DateTime::from_timestamp(at.0, 0).unwrap_or_default()
}

/// A new time-ordered id.
pub fn new_id() -> uuid::Uuid {
    uuid::Uuid::now_v7()
}

/// True when the error is a unique-constraint violation.
pub fn is_unique_violation(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(e) if e.is_unique_violation())
}

/// Which unique index a violation broke: PostgreSQL names the index, SQLite
/// names its columns ("memberships.user_id"). `None` for any other error.
pub fn violated_unique(error: &sqlx::Error) -> Option<String> {
    match error {
        sqlx::Error::Database(e) if e.is_unique_violation() => Some(
            e.constraint()
                .map(str::to_owned)
                .unwrap_or_else(|| e.message().to_owned()),
        ),
        _ => None,
    }
}

/// Whether `error` broke `memberships_one_team`: the person is a team member
/// of another organization. (SQLite's columns for the organization-and-user
/// index end in ", memberships.user_id", so they do not match.)
pub fn broke_one_team(error: &sqlx::Error) -> bool {
    violated_unique(error).is_some_and(|index| {
        index == "memberships_one_team" || index.ends_with(": memberships.user_id")
    })
}

/// How much of a search box's text a search uses: more than any name or
/// address a person would type, and a bound on what a hostile request can
/// make a pattern match cost.
pub const SEARCH_CHARACTERS: usize = 100;

/// The text a search looks for: trimmed, lower-cased, at most
/// [`SEARCH_CHARACTERS`] characters.
pub fn search_text(search: &str) -> String {
    search
        .trim()
        .chars()
        .take(SEARCH_CHARACTERS)
        .collect::<String>()
        .to_lowercase()
}

/// A LIKE pattern (used with a backslash as ESCAPE character) matching text
/// that contains the [`search_text`] of `search`, with `%`, `_` and backslash
/// taken literally.
pub fn contains_pattern(search: &str) -> String {
    let escaped = search_text(search)
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// Pushes "the person's address or name contains the search" for a pattern
/// of [`contains_pattern`], on the membership columns of `prefix` ("" or an
/// alias and a dot).
pub fn push_name_or_email_like<'a, DB: sqlx::Database>(
    query: &mut sqlx::QueryBuilder<'a, DB>,
    prefix: &'static str,
    pattern: &str,
) where
    String: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
{
    query
        .push("(")
        .push(prefix)
        .push("email_key LIKE ")
        .push_bind(pattern.to_owned())
        .push(" ESCAPE '\\' OR ")
        .push(prefix)
        .push("name_key LIKE ")
        .push_bind(pattern.to_owned())
        .push(" ESCAPE '\\')");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_search_pattern_is_literal_lower_case_and_bounded() {
        assert_eq!(contains_pattern("  Ana_100% \\ "), "%ana\\_100\\% \\\\%");
        let long = "é".repeat(10_000);
        assert_eq!(search_text(&long).chars().count(), SEARCH_CHARACTERS);
        assert_eq!(
            contains_pattern(&long).chars().count(),
            SEARCH_CHARACTERS + 2
        );
    }
}
