//! Sub-accounts of an organization. Every query names the organization, so an id
//! copied from another organization finds nothing.

use super::tx::{Tx, on_tx};
use super::{Db, is_unique_violation, new_id, now, on_db};
use crate::domain::sub_account::SubAccount;
use chrono::{DateTime, Utc};
use uuid::Uuid;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct SubAccountRow {
    pub id: Uuid,
    pub name: String,
    pub archived_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl From<SubAccountRow> for SubAccount {
    fn from(row: SubAccountRow) -> Self {
        SubAccount {
            id: row.id,
            name: row.name,
            archived: row.archived_at.is_some(),
            created_at: row.created_at.into(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("a sub-account with this name exists")]
    NameTaken,
    #[error("no such sub-account")]
    NotFound,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Every sub-account, open ones first, by name.
pub async fn list(db: &Db, organization_id: Uuid) -> Result<Vec<SubAccountRow>, sqlx::Error> {
    on_db!(db, pool => sqlx::query_as(
        "SELECT id, name, archived_at, created_at FROM sub_accounts WHERE organization_id = $1
         ORDER BY CASE WHEN archived_at IS NULL THEN 0 ELSE 1 END, name_key",
    ).bind(organization_id).fetch_all(pool).await)
}

pub async fn create(
    tx: &mut Tx,
    organization_id: Uuid,
    name: &str,
    name_key: &str,
) -> Result<Uuid, WriteError> {
    let id = new_id();
    let at = now();
    let result = on_tx!(tx, conn => sqlx::query(
        "INSERT INTO sub_accounts (id, organization_id, name, name_key, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)",
    ).bind(id).bind(organization_id).bind(name).bind(name_key).bind(at).execute(&mut *conn).await.map(|_| ()));
    match result {
        Ok(_) => Ok(id),
        Err(e) if is_unique_violation(&e) => Err(WriteError::NameTaken),
        Err(e) => Err(e.into()),
    }
}

pub async fn find(
    db: &Db,
    organization_id: Uuid,
    id: Uuid,
) -> Result<Option<SubAccountRow>, sqlx::Error> {
    on_db!(db, pool => sqlx::query_as(
        "SELECT id, name, archived_at, created_at FROM sub_accounts WHERE organization_id = $1 AND id = $2",
    ).bind(organization_id).bind(id).fetch_optional(pool).await)
}

pub async fn rename(
    tx: &mut Tx,
    organization_id: Uuid,
    id: Uuid,
    name: &str,
    name_key: &str,
) -> Result<(), WriteError> {
    let result = on_tx!(tx, conn => sqlx::query(
        "UPDATE sub_accounts SET name = $1, name_key = $2, updated_at = $3 WHERE organization_id = $4 AND id = $5",
    ).bind(name).bind(name_key).bind(now()).bind(organization_id).bind(id).execute(&mut *conn).await.map(|r| r.rows_affected()));
    match result {
        Ok(0) => Err(WriteError::NotFound),
        Ok(_) => Ok(()),
        Err(e) if is_unique_violation(&e) => Err(WriteError::NameTaken),
        Err(e) => Err(e.into()),
    }
}

/// Archives (or restores) a sub-account: archived ones cannot be chosen for new
/// invitations or grants.
pub async fn set_archived(
    tx: &mut Tx,
    organization_id: Uuid,
    id: Uuid,
    archived: bool,
) -> Result<(), WriteError> {
    let at = now();
    let archived_at = archived.then_some(at);
    let n = on_tx!(tx, conn => sqlx::query(
        "UPDATE sub_accounts SET archived_at = $1, updated_at = $2 WHERE organization_id = $3 AND id = $4",
    ).bind(archived_at).bind(at).bind(organization_id).bind(id).execute(&mut *conn).await.map(|r| r.rows_affected()))?;
    if n == 0 {
        Err(WriteError::NotFound)
    } else {
        Ok(())
    }
}
