//! Former memberships: the access a removed or departed member had, kept so an
//! admin can restore it when inviting them again. The statements that keep and
//! forget a row run inside the transaction that removes, accepts or closes.

use super::types::Modules;
use super::{Db, on_db, on_writer};
use crate::domain::former_access::{Departure, FormerAccess};
use crate::domain::role::{MembershipKind, Role};
use chrono::{DateTime, Utc};
use sqlx::QueryBuilder;
use std::collections::HashMap;
use uuid::Uuid;

/// Keeps membership `$3` (of organization `$4`, at version `$5`) as former, with
/// departure `$1` at `$2`, replacing an earlier departure. Runs before the
/// membership is deleted; a stale version keeps nothing.
pub const KEEP: &str = "INSERT INTO former_memberships
         (organization_id, user_id, kind, role, modules, all_sub_accounts, departure, departed_at)
     SELECT organization_id, user_id, kind, role, modules, all_sub_accounts, $1, $2
     FROM memberships WHERE id = $3 AND organization_id = $4 AND version = $5
     ON CONFLICT (organization_id, user_id) DO UPDATE SET
         kind = excluded.kind, role = excluded.role, modules = excluded.modules,
         all_sub_accounts = excluded.all_sub_accounts, departure = excluded.departure,
         departed_at = excluded.departed_at";

/// Replaces the kept sub-accounts with those of membership `$1` (two statements).
pub const FORGET_SUB_ACCOUNTS: &str = "DELETE FROM former_membership_sub_accounts
     WHERE organization_id = (SELECT organization_id FROM memberships WHERE id = $1)
       AND user_id = (SELECT user_id FROM memberships WHERE id = $1)";
pub const KEEP_SUB_ACCOUNTS: &str =
    "INSERT INTO former_membership_sub_accounts (organization_id, user_id, sub_account_id)
     SELECT m.organization_id, m.user_id, s.sub_account_id
     FROM membership_sub_accounts s JOIN memberships m ON m.id = s.membership_id
     WHERE s.membership_id = $1";

/// Forgets the former access of user `$2` in organization `$1` (they are back).
pub const FORGET: &str =
    "DELETE FROM former_memberships WHERE organization_id = $1 AND user_id = $2";

/// Forgets every former access of user `$1` (their account is closed).
pub const FORGET_USER: &str = "DELETE FROM former_memberships WHERE user_id = $1";

#[derive(sqlx::FromRow)]
struct FormerRow {
    email_key: String,
    kind: MembershipKind,
    role: Role,
    modules: Modules,
    all_sub_accounts: bool,
    departure: Departure,
    departed_at: DateTime<Utc>,
}

/// The former access, by address key, of those among `keys` who were removed
/// from or left the organization at or after `since`. Read by the users' email
/// index and the former rows' key, a batch of keys per statement; sub-accounts
/// that were deleted or archived since are left out.
pub async fn for_keys(
    db: &Db,
    organization_id: Uuid,
    keys: &[String],
    since: DateTime<Utc>,
) -> Result<HashMap<String, FormerAccess>, sqlx::Error> {
    let mut found = HashMap::new();
    for keys in keys.chunks(super::KEYS_PER_QUERY) {
        let rows: Vec<FormerRow> = on_db!(db, pool => {
            let mut query = QueryBuilder::new(
                "SELECT u.email_key, f.kind, f.role, f.modules, f.all_sub_accounts, f.departure, f.departed_at
                 FROM users u JOIN former_memberships f ON f.user_id = u.id AND f.organization_id = ",
            );
            query.push_bind(organization_id).push(" AND f.departed_at >= ").push_bind(since)
                .push(" WHERE u.email_key IN ");
            super::push_key_list(&mut query, keys);
            query.build_query_as().fetch_all(pool).await
        })?;
        let limited: Vec<String> = rows
            .iter()
            .filter(|r| !r.all_sub_accounts)
            .map(|r| r.email_key.clone())
            .collect();
        let mut subs = sub_accounts(db, organization_id, &limited).await?;
        for row in rows {
            let granted = subs.remove(&row.email_key).unwrap_or_default();
            let (ids, names) = granted.into_iter().unzip();
            found.insert(
                row.email_key,
                FormerAccess {
                    departure: row.departure,
                    departed_at: row.departed_at.into(),
                    kind: row.kind,
                    role: row.role,
                    modules: row.modules.into(),
                    sub_accounts: (!row.all_sub_accounts).then_some(ids),
                    sub_account_names: if row.all_sub_accounts { vec![] } else { names },
                },
            );
        }
    }
    Ok(found)
}

/// The open sub-accounts kept for each of `keys`, by name.
async fn sub_accounts(
    db: &Db,
    organization_id: Uuid,
    keys: &[String],
) -> Result<HashMap<String, Vec<(Uuid, String)>>, sqlx::Error> {
    let mut by_key: HashMap<String, Vec<(Uuid, String)>> = HashMap::new();
    if keys.is_empty() {
        return Ok(by_key);
    }
    let rows: Vec<(String, Uuid, String)> = on_db!(db, pool => {
        let mut query = QueryBuilder::new(
            "SELECT u.email_key, s.id, s.name FROM users u
             JOIN former_membership_sub_accounts f ON f.user_id = u.id AND f.organization_id = ",
        );
        query.push_bind(organization_id).push(
            " JOIN sub_accounts s ON s.id = f.sub_account_id AND s.archived_at IS NULL
             WHERE u.email_key IN ",
        );
        super::push_key_list(&mut query, keys);
        query.push(" ORDER BY s.name_key");
        query.build_query_as().fetch_all(pool).await
    })?;
    for (key, id, name) in rows {
        by_key.entry(key).or_default().push((id, name));
    }
    Ok(by_key)
}

/// Deletes the former access of everyone who went before `before`; returns how many.
pub async fn prune(db: &Db, before: DateTime<Utc>) -> Result<u64, sqlx::Error> {
    on_writer!(db, pool => sqlx::query("DELETE FROM former_memberships WHERE departed_at < $1")
        .bind(before).execute(pool).await.map(|done| done.rows_affected()))
}
