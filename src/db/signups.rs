//! Sign-ups waiting for their emailed link. The account is created only when the
//! link is followed (see [`super::organizations::create_account`]).

use super::tx::{Tx, on_tx};
use super::{Db, new_id, on_db, on_writer};
use chrono::{DateTime, Utc};
use uuid::Uuid;

pub struct NewSignUp<'a> {
    pub email: &'a str,
    pub email_key: &'a str,
    pub name: &'a str,
    pub organization_name: &'a str,
    pub password_hash: &'a str,
    pub token_hash: &'a str,
    pub now: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

pub async fn insert(tx: &mut Tx, new: &NewSignUp<'_>) -> Result<Uuid, sqlx::Error> {
    let id = new_id();
    on_tx!(tx, conn => sqlx::query(
        "INSERT INTO signup_requests (id, email, email_key, name, organization_name, password_hash, token_hash, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(id).bind(new.email).bind(new.email_key).bind(new.name).bind(new.organization_name)
    .bind(new.password_hash).bind(new.token_hash).bind(new.now).bind(new.expires_at)
    .execute(&mut *conn).await.map(|_| ()))?;
    Ok(id)
}

/// A waiting sign-up. The password hash stays on the server.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct SignUpRow {
    pub id: Uuid,
    pub email: String,
    pub email_key: String,
    pub name: String,
    pub organization_name: String,
    pub password_hash: String,
    pub expires_at: DateTime<Utc>,
    pub used_at: Option<DateTime<Utc>>,
}

pub async fn find_by_hash(db: &Db, token_hash: &str) -> Result<Option<SignUpRow>, sqlx::Error> {
    on_db!(db, pool => sqlx::query_as(
        "SELECT id, email, email_key, name, organization_name, password_hash, expires_at, used_at
         FROM signup_requests WHERE token_hash = $1",
    ).bind(token_hash).fetch_optional(pool).await)
}

/// Forgets sign-ups whose links expired before `before`.
pub async fn prune(db: &Db, before: DateTime<Utc>) -> Result<u64, sqlx::Error> {
    on_writer!(db, pool => sqlx::query("DELETE FROM signup_requests WHERE expires_at <= $1")
        .bind(before).execute(pool).await.map(|r| r.rows_affected()))
}
