//! The outbox: mail is written in the same breath as the change that causes
//! it, then delivered by a background worker with retries.

use super::tx::{Tx, on_tx};
use super::{Db, new_id, now, on_db, on_writer};
use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

/// A message to queue.
pub struct NewMail<'a> {
    pub to: &'a str,
    pub subject: &'a str,
    pub text_body: &'a str,
    pub html_body: &'a str,
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct MailRow {
    pub id: Uuid,
    pub to_address: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    pub status: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub transport: Option<String>,
    pub created_at: DateTime<Utc>,
}

const COLUMNS: &str = "id, to_address, subject, text_body, html_body, status, attempts, last_error, transport, created_at";

const INSERT: &str = "INSERT INTO outbox (id, to_address, subject, text_body, html_body, status, next_attempt_at, created_at)
     VALUES ($1, $2, $3, $4, $5, 'queued', $6, $6)";

/// Queues a mail in the transaction of the change that causes it.
pub async fn enqueue_in(tx: &mut Tx, mail: &NewMail<'_>) -> Result<Uuid, sqlx::Error> {
    let id = new_id();
    let at = now();
    on_tx!(tx, conn => sqlx::query(INSERT)
    .bind(id).bind(mail.to).bind(mail.subject).bind(mail.text_body).bind(mail.html_body).bind(at)
    .execute(&mut *conn).await.map(|_| ()))?;
    Ok(id)
}

/// Queues many mails in the transaction of the change that causes them, a few
/// hundred rows per statement.
pub async fn enqueue_many_in(tx: &mut Tx, mails: &[NewMail<'_>]) -> Result<(), sqlx::Error> {
    let at = now();
    for part in mails.chunks(400) {
        on_tx!(tx, conn => {
            let mut insert = sqlx::QueryBuilder::new(
                "INSERT INTO outbox (id, to_address, subject, text_body, html_body, status, next_attempt_at, created_at) ",
            );
            insert.push_values(part, |mut b, mail| {
                b.push_bind(new_id()).push_bind(mail.to).push_bind(mail.subject)
                    .push_bind(mail.text_body).push_bind(mail.html_body).push_bind("queued")
                    .push_bind(at).push_bind(at);
            });
            insert.build().execute(&mut *conn).await.map(|_| ())
        })?;
    }
    Ok(())
}

/// Claims up to `limit` due messages for `lease`: queued ones whose time has
/// come, and ones a crashed worker left in `sending` past their lease. On
/// PostgreSQL, `FOR UPDATE SKIP LOCKED` keeps two instances from taking the
/// same row; SQLite has a single writer.
pub async fn claim_due(db: &Db, limit: i64, lease: Duration) -> Result<Vec<MailRow>, sqlx::Error> {
    let at = now();
    let lock = if matches!(db, Db::Postgres(_)) {
        "FOR UPDATE SKIP LOCKED"
    } else {
        ""
    };
    let sql = format!(
        "UPDATE outbox SET status = 'sending', locked_until = $2, attempts = attempts + 1
         WHERE id IN (
            SELECT id FROM outbox
            WHERE (status = 'queued' AND next_attempt_at <= $1) OR (status = 'sending' AND locked_until <= $1)
            ORDER BY next_attempt_at LIMIT $3 {lock})
         RETURNING {COLUMNS}"
    );
    on_writer!(db, pool => sqlx::query_as(&sql).bind(at).bind(at + lease).bind(limit).fetch_all(pool).await)
}

pub async fn mark_sent(db: &Db, id: Uuid, transport: &str) -> Result<(), sqlx::Error> {
    on_writer!(db, pool => sqlx::query(
        "UPDATE outbox SET status = 'sent', sent_at = $1, transport = $2, locked_until = NULL, last_error = NULL WHERE id = $3",
    ).bind(now()).bind(transport).bind(id).execute(pool).await.map(|_| ()))?;
    Ok(())
}

/// Records a failed attempt: retried at `retry_at`, or failed for good when `None`.
pub async fn mark_failed(
    db: &Db,
    id: Uuid,
    error: &str,
    retry_at: Option<DateTime<Utc>>,
) -> Result<(), sqlx::Error> {
    let (status, next) = match retry_at {
        Some(at) => ("queued", at),
        None => ("failed", now()),
    };
    on_writer!(db, pool => sqlx::query(
        "UPDATE outbox SET status = $1, next_attempt_at = $2, last_error = $3, locked_until = NULL WHERE id = $4",
    ).bind(status).bind(next).bind(error).bind(id).execute(pool).await.map(|_| ()))?;
    Ok(())
}

/// The newest messages, newest first (the development mailbox).
pub async fn recent(db: &Db, limit: i64) -> Result<Vec<MailRow>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM outbox ORDER BY created_at DESC, id DESC LIMIT $1");
    on_db!(db, pool => sqlx::query_as(&sql).bind(limit).fetch_all(pool).await)
}

pub async fn find(db: &Db, id: Uuid) -> Result<Option<MailRow>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM outbox WHERE id = $1");
    on_db!(db, pool => sqlx::query_as(&sql).bind(id).fetch_optional(pool).await)
}

/// Mail not yet sent: how much, since when, and how late the earliest due one is.
#[derive(Clone, Copy, Debug, Default, sqlx::FromRow)]
pub struct Backlog {
    pub waiting: i64,
    pub oldest_created_at: Option<DateTime<Utc>>,
    /// The earliest `next_attempt_at` that has come (none when nothing is due).
    pub earliest_due_at: Option<DateTime<Utc>>,
}

/// The backlog, by the `outbox_due` index (status first).
pub async fn backlog(db: &Db, now: DateTime<Utc>) -> Result<Backlog, sqlx::Error> {
    on_db!(db, pool => sqlx::query_as(
        "SELECT COUNT(*) AS waiting, MIN(created_at) AS oldest_created_at,
                MIN(CASE WHEN next_attempt_at <= $1 THEN next_attempt_at END) AS earliest_due_at
         FROM outbox WHERE status IN ('queued', 'sending')",
    ).bind(now).fetch_one(pool).await)
}
