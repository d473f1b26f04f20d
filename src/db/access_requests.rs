//! Requests for partner access and the organizations' request codes. Each
//! change runs in the caller's transaction, with its audit event and mail.

use super::tx::{Tx, on_tx};
use super::types::Modules;
use super::{Db, is_unique_violation, new_id, now, on_db};
use crate::domain::access_request::AccessRequestStatus;
use crate::domain::role::Role;
use chrono::{DateTime, Utc};
use sqlx::QueryBuilder;
use uuid::Uuid;

/// The organization a request code belongs to.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct CodeOwner {
    pub id: Uuid,
    pub name: String,
    pub slug: String,
}

/// The organization holding `code`, through its unique index.
pub async fn organization_by_code(db: &Db, code: &str) -> Result<Option<CodeOwner>, sqlx::Error> {
    on_db!(db, pool => sqlx::query_as(
        "SELECT id, name, slug FROM organizations WHERE partner_request_code = $1",
    ).bind(code).fetch_optional(pool).await)
}

/// Gives the organization `code` in place of its old one. False when another
/// organization holds it already (the caller draws another).
pub async fn set_code(tx: &mut Tx, organization_id: Uuid, code: &str) -> Result<bool, sqlx::Error> {
    let result = on_tx!(tx, conn => sqlx::query(
        "UPDATE organizations SET partner_request_code = $1 WHERE id = $2",
    ).bind(code).bind(organization_id).execute(&mut *conn).await.map(|_| ()));
    match result {
        Ok(_) => Ok(true),
        Err(e) if is_unique_violation(&e) => Ok(false),
        Err(e) => Err(e),
    }
}

/// A new request, as the person proposes it.
pub struct NewRequest<'a> {
    pub organization_id: Uuid,
    pub user_id: Uuid,
    pub role: Role,
    pub modules: &'a str,
    pub all_sub_accounts: bool,
    pub message: &'a str,
}

/// Stores a pending request; `None` when the person already has one waiting
/// in this organization (the schema allows one).
pub async fn create(tx: &mut Tx, new: &NewRequest<'_>) -> Result<Option<Uuid>, sqlx::Error> {
    let id = new_id();
    let result = on_tx!(tx, conn => sqlx::query(
        "INSERT INTO access_requests (id, organization_id, user_id, role, modules, all_sub_accounts, message, status, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', $8)",
    ).bind(id).bind(new.organization_id).bind(new.user_id).bind(new.role).bind(new.modules)
    .bind(new.all_sub_accounts).bind(new.message).bind(now()).execute(&mut *conn).await.map(|_| ()));
    match result {
        Ok(_) => Ok(Some(id)),
        Err(e) if is_unique_violation(&e) => Ok(None),
        Err(e) => Err(e),
    }
}

/// A request with the person who sent it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct RequestRow {
    pub id: Uuid,
    pub user_id: Uuid,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub modules: Modules,
    pub all_sub_accounts: bool,
    pub message: String,
    pub status: AccessRequestStatus,
    pub created_at: DateTime<Utc>,
}

const SELECT: &str =
    "SELECT r.id, r.user_id, u.name, u.email, r.role, r.modules, r.all_sub_accounts,
        r.message, r.status, r.created_at
     FROM access_requests r JOIN users u ON u.id = r.user_id";

/// At most this many waiting requests are listed at once (oldest first).
pub const PENDING_LIMIT: i64 = 100;

/// The organization's waiting requests, oldest first, by index.
pub async fn pending(db: &Db, organization_id: Uuid) -> Result<Vec<RequestRow>, sqlx::Error> {
    let sql = format!(
        "{SELECT} WHERE r.organization_id = $1 AND r.status = 'pending'
         ORDER BY r.created_at, r.id LIMIT {PENDING_LIMIT}"
    );
    on_db!(db, pool => sqlx::query_as(&sql).bind(organization_id).fetch_all(pool).await)
}

/// The request `id` of the organization, whatever its status: an id of another
/// organization's request finds nothing.
pub async fn find(
    db: &Db,
    organization_id: Uuid,
    id: Uuid,
) -> Result<Option<RequestRow>, sqlx::Error> {
    let sql = format!("{SELECT} WHERE r.id = $1 AND r.organization_id = $2");
    on_db!(db, pool => sqlx::query_as(&sql).bind(id).bind(organization_id).fetch_optional(pool).await)
}

/// Moves a pending request to `status`. False when it was answered meanwhile
/// (only one answer wins).
pub async fn decide(
    tx: &mut Tx,
    organization_id: Uuid,
    id: Uuid,
    status: AccessRequestStatus,
    by: Uuid,
) -> Result<bool, sqlx::Error> {
    let n = on_tx!(tx, conn => sqlx::query(
        "UPDATE access_requests SET status = $1, decided_at = $2, decided_by = $3
         WHERE id = $4 AND organization_id = $5 AND status = 'pending'",
    ).bind(status).bind(now()).bind(by).bind(id).bind(organization_id)
    .execute(&mut *conn).await.map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// The partner membership an approval creates.
pub struct Grant<'a> {
    pub organization_id: Uuid,
    pub user_id: Uuid,
    pub name_key: &'a str,
    pub role: Role,
    pub modules: &'a str,
    /// `None`: every sub-account.
    pub sub_accounts: Option<&'a [Uuid]>,
    pub access_ends_at: Option<DateTime<Utc>>,
}

/// Creates the partner membership, its sub-accounts and its seat, and forgets
/// the person's former access there. False when they are a member already.
pub async fn grant(tx: &mut Tx, grant: &Grant<'_>) -> Result<bool, sqlx::Error> {
    let at = now();
    let membership_id = new_id();
    on_tx!(tx, conn => {
        let inserted = sqlx::query(
            "INSERT INTO memberships (id, organization_id, user_id, kind, role, status, modules, all_sub_accounts,
                                      name_key, email_key, created_at, updated_at, last_active_at, access_ends_at)
             SELECT $1, $2, id, 'partner', $3, 'active', $4, $5, $6, email_key, $7, $7, $7, $8
             FROM users WHERE id = $9",
        ).bind(membership_id).bind(grant.organization_id).bind(grant.role).bind(grant.modules)
        .bind(grant.sub_accounts.is_none()).bind(grant.name_key).bind(at).bind(grant.access_ends_at)
        .bind(grant.user_id)
        .execute(&mut *conn).await;
        match inserted {
            Err(e) if is_unique_violation(&e) => return Ok(false),
            other => other?,
        };
        if let Some(ids) = grant.sub_accounts.filter(|ids| !ids.is_empty()) {
            let mut query = QueryBuilder::new("INSERT INTO membership_sub_accounts (membership_id, sub_account_id) ");
            query.push_values(ids, |mut row, id| {
                row.push_bind(membership_id).push_bind(*id);
            });
            query.build().execute(&mut *conn).await?;
        }
        sqlx::query(super::seats::OPEN).bind(new_id()).bind(at).bind(membership_id)
            .execute(&mut *conn).await?;
        sqlx::query(super::former_members::FORGET).bind(grant.organization_id).bind(grant.user_id)
            .execute(&mut *conn).await?;
        Ok(true)
    })
}

/// A request the person sent that is still waiting.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct SentRow {
    pub organization_name: String,
    pub role: Role,
    pub created_at: DateTime<Utc>,
}

/// The person's waiting requests, newest first, by index.
pub async fn sent_by(db: &Db, user_id: Uuid) -> Result<Vec<SentRow>, sqlx::Error> {
    let sql = format!(
        "SELECT o.name AS organization_name, r.role, r.created_at
         FROM access_requests r JOIN organizations o ON o.id = r.organization_id
         WHERE r.user_id = $1 AND r.status = 'pending'
         ORDER BY r.created_at DESC LIMIT {PENDING_LIMIT}"
    );
    on_db!(db, pool => sqlx::query_as(&sql).bind(user_id).fetch_all(pool).await)
}
