//! Users: accounts with an email, a name and a password hash.

use super::tx::{Tx, on_tx};
use super::{Db, now, on_db};
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// A user row. The password hash stays on the server: this type is never serialised.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct UserRow {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    pub password_hash: String,
    pub created_at: DateTime<Utc>,
}

const COLUMNS: &str = "id, email, name, password_hash, created_at";

pub async fn find_by_email_key(db: &Db, email_key: &str) -> Result<Option<UserRow>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM users WHERE email_key = $1");
    on_db!(db, pool => sqlx::query_as(&sql).bind(email_key).fetch_optional(pool).await)
}

pub async fn find(db: &Db, id: Uuid) -> Result<Option<UserRow>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM users WHERE id = $1");
    on_db!(db, pool => sqlx::query_as(&sql).bind(id).fetch_optional(pool).await)
}

/// Renames the person, and keeps the sort key of their memberships in step.
pub async fn update_name(tx: &mut Tx, id: Uuid, name: &str) -> Result<(), sqlx::Error> {
    on_tx!(tx, conn => {
        sqlx::query("UPDATE users SET name = $1, updated_at = $2 WHERE id = $3")
            .bind(name).bind(now()).bind(id).execute(&mut *conn).await?;
        sqlx::query("UPDATE memberships SET name_key = $1 WHERE user_id = $2")
            .bind(name_key(name)).bind(id).execute(&mut *conn).await?;
        Ok(())
    })
}

/// How a name sorts and is searched: lower-cased.
pub fn name_key(name: &str) -> String {
    name.to_lowercase()
}
