//! Attempt limits: a slot is claimed before the work it guards, atomically, so
//! N concurrent attempts spend N of the budget. Counted over a sliding window
//! from rows every instance sharing the database sees.

use super::tx::{Tx, on_tx};
use super::{Db, new_id, on_writer};
use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

/// The outcome of a claim.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Claim {
    /// A slot was taken: the attempt may go ahead. Its id gives it back.
    Taken(Uuid),
    /// Every slot of the window is in use; the oldest frees at this time.
    Full { frees_at: DateTime<Utc> },
}

/// Claims one of `limit` slots of `key` in the window of `window` before `now`,
/// in a transaction of its own (the attempt it guards is not a change: a log-in).
pub async fn claim(
    db: &Db,
    key: &str,
    limit: i64,
    window: Duration,
    now: DateTime<Utc>,
) -> Result<Claim, sqlx::Error> {
    let mut tx = db.begin().await?;
    let claim = claim_in(&mut tx, key, limit, window, now).await?;
    if matches!(claim, Claim::Taken(_)) {
        tx.commit().await?;
    }
    Ok(claim)
}

/// Claims a slot inside the transaction of the change it guards: it is spent
/// only if the change commits. The key's row is locked for the count and the
/// insert (a row lock in PostgreSQL; SQLite's transactions begin with the write
/// lock), so concurrent claims queue.
pub async fn claim_in(
    tx: &mut Tx,
    key: &str,
    limit: i64,
    window: Duration,
    now: DateTime<Utc>,
) -> Result<Claim, sqlx::Error> {
    let since = now - window;
    on_tx!(tx, conn => {
        sqlx::query("INSERT INTO limit_keys (key) VALUES ($1) ON CONFLICT (key) DO UPDATE SET key = excluded.key")
            .bind(key).execute(&mut *conn).await?;
        let (used, oldest): (i64, Option<DateTime<Utc>>) = sqlx::query_as(
            "SELECT COUNT(*), MIN(at) FROM limit_attempts WHERE key = $1 AND at > $2",
        ).bind(key).bind(since).fetch_one(&mut *conn).await?;
        if used >= limit {
            return Ok(Claim::Full { frees_at: oldest.unwrap_or(now) + window });
        }
        let id = new_id();
        sqlx::query("INSERT INTO limit_attempts (id, key, at) VALUES ($1, $2, $3)")
            .bind(id).bind(key).bind(now).execute(&mut *conn).await?;
        Ok(Claim::Taken(id))
    })
}

/// Gives a slot back in the transaction of the change that made it not count
/// (the session a right password starts).
pub async fn release_in(tx: &mut Tx, slot: Uuid) -> Result<(), sqlx::Error> {
    on_tx!(tx, conn => sqlx::query("DELETE FROM limit_attempts WHERE id = $1")
        .bind(slot).execute(&mut *conn).await.map(|_| ()))
}

/// Gives a slot back (the attempt turned out not to count).
pub async fn release(db: &Db, slot: Uuid) -> Result<(), sqlx::Error> {
    on_writer!(db, pool => sqlx::query("DELETE FROM limit_attempts WHERE id = $1")
        .bind(slot).execute(pool).await.map(|_| ()))
}

/// Forgets attempts older than `before`, and keys with none left.
pub async fn prune(db: &Db, before: DateTime<Utc>) -> Result<u64, sqlx::Error> {
    on_writer!(db, pool => {
        let n = sqlx::query("DELETE FROM limit_attempts WHERE at <= $1")
            .bind(before).execute(pool).await?.rows_affected();
        sqlx::query("DELETE FROM limit_keys WHERE NOT EXISTS (SELECT 1 FROM limit_attempts a WHERE a.key = limit_keys.key)")
            .execute(pool).await?;
        Ok(n)
    })
}
