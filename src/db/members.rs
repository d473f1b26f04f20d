//! The people of an organization, one page at a time.

use super::{Db, on_db};
use crate::domain::page::PAGE_SIZE;
use chrono::{DateTime, Utc};
use uuid::Uuid;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct MemberRow {
    pub user_id: Uuid,
    pub name: String,
    pub email: String,
    pub kind: String,
    pub role: String,
    pub status: String,
    pub modules: String,
    pub created_at: DateTime<Utc>,
}

/// One page of the members with `status`, by name, and how many match.
pub async fn list(
    db: &Db,
    organization_id: Uuid,
    status: &str,
    search: &str,
    page: u32,
) -> Result<(Vec<MemberRow>, i64), sqlx::Error> {
    let pattern = super::contains_pattern(search);
    let searching = !search.trim().is_empty();
    let filter = if searching {
        "m.organization_id = $1 AND m.status = $2
         AND (u.email_key LIKE $3 ESCAPE '\\' OR LOWER(u.name) LIKE $3 ESCAPE '\\')"
    } else {
        // No search: skip the per-row LIKE; `$3 = $3` keeps the numbering.
        "m.organization_id = $1 AND m.status = $2 AND $3 = $3"
    };
    let count_sql = format!(
        "SELECT COUNT(*) FROM memberships m JOIN users u ON u.id = m.user_id WHERE {filter}"
    );
    let list_sql = format!(
        "SELECT m.user_id, u.name, u.email, m.kind, m.role, m.status, m.modules, m.created_at
         FROM memberships m JOIN users u ON u.id = m.user_id WHERE {filter}
         ORDER BY LOWER(u.name), u.id LIMIT $4 OFFSET $5"
    );
    let offset = i64::from(page.max(1) - 1) * i64::from(PAGE_SIZE);
    on_db!(db, pool => {
        let (total,): (i64,) = sqlx::query_as(&count_sql)
            .bind(organization_id).bind(status).bind(&pattern).fetch_one(pool).await?;
        let rows = sqlx::query_as(&list_sql)
            .bind(organization_id).bind(status).bind(&pattern)
            .bind(i64::from(PAGE_SIZE)).bind(offset).fetch_all(pool).await?;
        Ok((rows, total))
    })
}

/// One membership of the organization with its person.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct MembershipRow {
    pub id: Uuid,
    pub user_id: Uuid,
    pub name: String,
    pub email: String,
    pub kind: String,
    pub role: String,
    pub status: String,
    pub modules: String,
    pub all_sub_accounts: bool,
    pub version: i64,
    pub created_at: DateTime<Utc>,
}

/// The membership of `user_id` in this organization (none for another organization's member).
pub async fn find(
    db: &Db,
    organization_id: Uuid,
    user_id: Uuid,
) -> Result<Option<MembershipRow>, sqlx::Error> {
    on_db!(db, pool => sqlx::query_as(
        "SELECT m.id, m.user_id, u.name, u.email, m.kind, m.role, m.status, m.modules, m.all_sub_accounts,
                m.version, m.created_at
         FROM memberships m JOIN users u ON u.id = m.user_id
         WHERE m.organization_id = $1 AND m.user_id = $2",
    ).bind(organization_id).bind(user_id).fetch_optional(pool).await)
}

pub async fn sub_account_ids(db: &Db, membership_id: Uuid) -> Result<Vec<Uuid>, sqlx::Error> {
    let rows: Vec<(Uuid,)> = on_db!(db, pool => sqlx::query_as(
        "SELECT sub_account_id FROM membership_sub_accounts WHERE membership_id = $1",
    ).bind(membership_id).fetch_all(pool).await)?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// What a change to a membership does.
pub enum Change<'a> {
    Access {
        role: &'a str,
        modules: &'a str,
        sub_accounts: Option<&'a [Uuid]>,
    },
    Status(&'a str),
    Remove,
}

#[derive(Debug, thiserror::Error)]
pub enum ChangeError {
    /// Someone changed the membership since `version` was read (or it is gone).
    #[error("the membership changed meanwhile")]
    Stale,
    /// The change would leave the organization without an active owner.
    #[error("the last active owner")]
    LastOwner,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Applies `change` if the membership still has `version`, in a transaction
/// that also checks an active owner remains. On PostgreSQL the organization's
/// row is locked first, so two owners cannot demote each other at once; SQLite
/// has one writer.
pub async fn change(
    db: &Db,
    organization_id: Uuid,
    membership_id: Uuid,
    version: i64,
    change: &Change<'_>,
) -> Result<(), ChangeError> {
    let at = super::now();
    let lock = matches!(db, Db::Postgres(_));
    on_db!(db, pool => {
        let mut tx = pool.begin().await?;
        if lock {
            sqlx::query("SELECT id FROM organizations WHERE id = $1 FOR UPDATE")
                .bind(organization_id).execute(&mut *tx).await?;
        }
        let changed = match change {
            Change::Access { role, modules, sub_accounts } => {
                let n = sqlx::query(
                    "UPDATE memberships SET role = $1, modules = $2, all_sub_accounts = $3, version = version + 1, updated_at = $4
                     WHERE id = $5 AND organization_id = $6 AND version = $7",
                ).bind(*role).bind(*modules).bind(sub_accounts.is_none()).bind(at)
                .bind(membership_id).bind(organization_id).bind(version)
                .execute(&mut *tx).await?.rows_affected();
                if n == 1 {
                    sqlx::query("DELETE FROM membership_sub_accounts WHERE membership_id = $1")
                        .bind(membership_id).execute(&mut *tx).await?;
                    for sub in sub_accounts.iter().flat_map(|s| s.iter()) {
                        sqlx::query("INSERT INTO membership_sub_accounts (membership_id, sub_account_id) VALUES ($1, $2)")
                            .bind(membership_id).bind(*sub).execute(&mut *tx).await?;
                    }
                }
                n
            }
            Change::Status(status) => sqlx::query(
                "UPDATE memberships SET status = $1, version = version + 1, updated_at = $2
                 WHERE id = $3 AND organization_id = $4 AND version = $5",
            ).bind(*status).bind(at).bind(membership_id).bind(organization_id).bind(version)
            .execute(&mut *tx).await?.rows_affected(),
            Change::Remove => sqlx::query(
                "DELETE FROM memberships WHERE id = $1 AND organization_id = $2 AND version = $3",
            ).bind(membership_id).bind(organization_id).bind(version)
            .execute(&mut *tx).await?.rows_affected(),
        };
        if changed != 1 {
            return Err(ChangeError::Stale);
        }
        let (owners,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM memberships WHERE organization_id = $1 AND role = 'owner' AND status = 'active'",
        ).bind(organization_id).fetch_one(&mut *tx).await?;
        if owners == 0 {
            return Err(ChangeError::LastOwner);
        }
        tx.commit().await?;
        Ok(())
    })
}
