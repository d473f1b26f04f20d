//! Attempt limits: a slot is claimed before the work it guards, atomically, so
//! N concurrent attempts spend N of the budget. Counted over a sliding window
//! from rows every instance sharing the database sees.

use super::{Db, new_id, on_db};
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

/// Claims one of `limit` slots of `key` in the window of `window` before `now`.
/// The key's row is locked for the count and the insert (a row lock in
/// PostgreSQL, the write lock in SQLite), so concurrent claims queue.
pub async fn claim(
    db: &Db,
    key: &str,
    limit: i64,
    window: Duration,
    now: DateTime<Utc>,
) -> Result<Claim, sqlx::Error> {
    let since = now - window;
    on_db!(db, pool => {
        let mut tx = pool.begin().await?;
        // The write comes first: in SQLite it takes the write lock at once (a
        // deferred transaction that read first could not upgrade under contention).
        sqlx::query("INSERT INTO limit_keys (key) VALUES ($1) ON CONFLICT (key) DO UPDATE SET key = excluded.key")
            .bind(key).execute(&mut *tx).await?;
        let (used, oldest): (i64, Option<DateTime<Utc>>) = sqlx::query_as(
            "SELECT COUNT(*), MIN(at) FROM limit_attempts WHERE key = $1 AND at > $2",
        ).bind(key).bind(since).fetch_one(&mut *tx).await?;
        if used >= limit {
            tx.rollback().await?;
            return Ok(Claim::Full { frees_at: oldest.unwrap_or(now) + window });
        }
        let id = new_id();
        sqlx::query("INSERT INTO limit_attempts (id, key, at) VALUES ($1, $2, $3)")
            .bind(id).bind(key).bind(now).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(Claim::Taken(id))
    })
}

/// Gives a slot back (the attempt turned out not to count: a right password).
pub async fn release(db: &Db, slot: Uuid) -> Result<(), sqlx::Error> {
    on_db!(db, pool => sqlx::query("DELETE FROM limit_attempts WHERE id = $1")
        .bind(slot).execute(pool).await.map(|_| ()))
}

/// Forgets attempts older than `before`, and keys with none left.
pub async fn prune(db: &Db, before: DateTime<Utc>) -> Result<u64, sqlx::Error> {
    on_db!(db, pool => {
        let n = sqlx::query("DELETE FROM limit_attempts WHERE at <= $1")
            .bind(before).execute(pool).await?.rows_affected();
        sqlx::query("DELETE FROM limit_keys WHERE NOT EXISTS (SELECT 1 FROM limit_attempts a WHERE a.key = limit_keys.key)")
            .execute(pool).await?;
        Ok(n)
    })
}
