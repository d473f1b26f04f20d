//! Password-reset tokens: hashed, single use, expiring.

use super::tx::{Tx, on_tx};
use super::{Db, new_id, on_db};
use chrono::{DateTime, Utc};
use uuid::Uuid;

pub async fn insert(
    tx: &mut Tx,
    user_id: Uuid,
    token_hash: &str,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, conn => sqlx::query(
        "INSERT INTO password_resets (id, user_id, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
    ).bind(new_id()).bind(user_id).bind(token_hash).bind(now).bind(expires_at).execute(&mut *conn).await.map(|_| ()))?;
    Ok(())
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ResetRow {
    pub id: Uuid,
    pub user_id: Uuid,
    pub expires_at: DateTime<Utc>,
    pub used_at: Option<DateTime<Utc>>,
}

pub async fn find_by_hash(db: &Db, token_hash: &str) -> Result<Option<ResetRow>, sqlx::Error> {
    on_db!(db, pool => sqlx::query_as(
        "SELECT id, user_id, expires_at, used_at FROM password_resets WHERE token_hash = $1",
    ).bind(token_hash).fetch_optional(pool).await)
}

/// Uses the token and sets the new password. Returns false when the token was
/// used or expired meanwhile (a concurrent reset won).
/// Every other open reset token of the user dies with it, and every session.
pub async fn consume_and_set_password(
    tx: &mut Tx,
    reset_id: Uuid,
    user_id: Uuid,
    password_hash: &str,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    on_tx!(tx, conn => {
        let used = sqlx::query(
            "UPDATE password_resets SET used_at = $1 WHERE id = $2 AND used_at IS NULL AND expires_at > $1",
        ).bind(now).bind(reset_id).execute(&mut *conn).await?.rows_affected();
        if used != 1 {
            return Ok(false);
        }
        sqlx::query("UPDATE password_resets SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL")
            .bind(now).bind(user_id).execute(&mut *conn).await?;
        // The emailed link proves the address, too.
        sqlx::query(
            "UPDATE users SET password_hash = $1, updated_at = $2, email_verified_at = COALESCE(email_verified_at, $2) WHERE id = $3",
        ).bind(password_hash).bind(now).bind(user_id).execute(&mut *conn).await?;
        sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user_id).execute(&mut *conn).await?;
        Ok(true)
    })
}

/// Sets a new password and ends every session of the user.
pub async fn set_password_and_end_sessions(
    tx: &mut Tx,
    user_id: Uuid,
    password_hash: &str,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, conn => {
        sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
            .bind(password_hash).bind(now).bind(user_id).execute(&mut *conn).await?;
        sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user_id).execute(&mut *conn).await?;
        sqlx::query("UPDATE password_resets SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL")
            .bind(now).bind(user_id).execute(&mut *conn).await?;
        Ok(())
    })
}
