//! Server-side sessions. Only a hash of the token is stored.

use super::tx::{Tx, on_tx};
use super::{Db, new_id, on_db, on_writer};
use chrono::{DateTime, Utc};
use uuid::Uuid;

pub struct NewSession<'a> {
    pub user_id: Uuid,
    pub token_hash: &'a str,
    pub now: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub ip: Option<&'a str>,
    pub user_agent: Option<&'a str>,
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct SessionRow {
    pub id: Uuid,
    pub user_id: Uuid,
    pub last_seen_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

const INSERT: &str = "INSERT INTO sessions (id, user_id, token_hash, created_at, last_seen_at, expires_at, ip, user_agent)
     VALUES ($1, $2, $3, $4, $4, $5, $6, $7)";

/// Starts a session in the transaction of the change that signs the person in.
pub async fn insert_in(tx: &mut Tx, new: &NewSession<'_>) -> Result<Uuid, sqlx::Error> {
    let id = new_id();
    on_tx!(tx, conn => sqlx::query(INSERT)
    .bind(id).bind(new.user_id).bind(new.token_hash).bind(new.now).bind(new.expires_at)
    .bind(new.ip).bind(new.user_agent)
    .execute(&mut *conn).await.map(|_| ()))?;
    Ok(id)
}

pub async fn find_by_hash(db: &Db, token_hash: &str) -> Result<Option<SessionRow>, sqlx::Error> {
    on_db!(db, pool => sqlx::query_as(
        "SELECT id, user_id, last_seen_at, expires_at FROM sessions WHERE token_hash = $1",
    ).bind(token_hash).fetch_optional(pool).await)
}

pub async fn touch(db: &Db, id: Uuid, at: DateTime<Utc>) -> Result<(), sqlx::Error> {
    on_writer!(db, pool => sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id = $2")
        .bind(at).bind(id).execute(pool).await.map(|_| ()))
}

/// Ends a session in the transaction of the change that ends it (a log-out).
pub async fn delete_in(tx: &mut Tx, id: Uuid) -> Result<(), sqlx::Error> {
    on_tx!(tx, conn => sqlx::query("DELETE FROM sessions WHERE id = $1").bind(id).execute(&mut *conn).await.map(|_| ()))
}

pub async fn delete(db: &Db, id: Uuid) -> Result<(), sqlx::Error> {
    on_writer!(db, pool => sqlx::query("DELETE FROM sessions WHERE id = $1").bind(id).execute(pool).await.map(|_| ()))
}

/// Removes sessions past their absolute expiry.
pub async fn delete_expired(db: &Db, now: DateTime<Utc>) -> Result<u64, sqlx::Error> {
    on_writer!(db, pool => sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
        .bind(now).execute(pool).await.map(|r| r.rows_affected()))
}
