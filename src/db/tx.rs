//! One transaction for one change: the change, its audit event(s) and its
//! mail(s) are written through the same [`Tx`] and commit together or not at
//! all. Dropping a `Tx` without [`Tx::commit`] rolls it back.

use super::Db;
use sqlx::{Postgres, Sqlite, Transaction};

pub enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

/// Runs the same expression against the connection of whichever transaction
/// `tx` (a `&mut Tx`) holds; `$conn` is a `&mut` connection to pass as `&mut *$conn`.
macro_rules! on_tx {
    ($tx:expr, $conn:ident => $body:expr) => {
        match $tx {
            $crate::db::tx::Tx::Sqlite(transaction) => {
                let $conn = &mut **transaction;
                $body
            }
            $crate::db::tx::Tx::Postgres(transaction) => {
                let $conn = &mut **transaction;
                $body
            }
        }
    };
}
pub(crate) use on_tx;

impl Db {
    /// Starts a change. On SQLite it waits for the [`Writer`](super::Writer)
    /// and takes the write lock at once (`BEGIN IMMEDIATE`), so a transaction
    /// that reads before it writes never fails to upgrade.
    ///
    /// How many changes wait to begin, and how long each waited, are metrics
    /// (`consort_db_changes_waiting`, `consort_db_change_wait_seconds`).
    pub async fn begin(&self) -> Result<Tx, sqlx::Error> {
        let waiting = metrics::gauge!("consort_db_changes_waiting");
        waiting.increment(1);
        let started = std::time::Instant::now();
        let tx = match self {
            Db::Sqlite(_, super::Writer(pool)) => {
                pool.begin_with("BEGIN IMMEDIATE").await.map(Tx::Sqlite)
            }
            Db::Postgres(pool) => pool.begin().await.map(Tx::Postgres),
        };
        waiting.decrement(1);
        metrics::histogram!("consort_db_change_wait_seconds")
            .record(started.elapsed().as_secs_f64());
        tx
    }
}

impl Tx {
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        match self {
            Tx::Sqlite(tx) => tx.commit().await,
            Tx::Postgres(tx) => tx.commit().await,
        }
    }

    /// PostgreSQL needs explicit row locks where SQLite's single writer suffices.
    pub fn is_postgres(&self) -> bool {
        matches!(self, Tx::Postgres(_))
    }
}
