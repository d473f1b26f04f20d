//! The people of an organization, one page at a time.

use super::tx::{Tx, on_tx};
use super::types::Modules;
use super::visibility::{Granted, push_visible_to};
use super::{Db, on_db, on_writer};
use crate::domain::former_access::Departure;
use crate::domain::member::MemberSort;
use crate::domain::member::MembershipId;
use crate::domain::role::{MemberStatus, MembershipKind, Role};
use chrono::{DateTime, Utc};
use sqlx::{Database, Encode, QueryBuilder, Type};
use std::collections::HashMap;
use uuid::Uuid;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct MemberRow {
    pub id: MembershipId,
    pub user_id: Uuid,
    pub name: String,
    pub email: String,
    pub kind: MembershipKind,
    pub role: Role,
    pub status: MemberStatus,
    pub modules: Modules,
    pub all_sub_accounts: bool,
    pub created_at: DateTime<Utc>,
    pub last_active_at: Option<DateTime<Utc>>,
    pub access_ends_at: Option<DateTime<Utc>>,
}

/// Which members a list shows, in which order.
pub struct ListFilter<'a> {
    pub status: MemberStatus,
    /// Team members or partners only; both when `None`.
    pub kind: Option<MembershipKind>,
    pub search: &'a str,
    pub sort: MemberSort,
    pub descending: bool,
    /// A viewer limited to some sub-accounts: their membership id. They see
    /// themselves and the people who share a sub-account with them (everyone with
    /// access to all sub-accounts shares theirs).
    pub scope: Option<MembershipId>,
}

/// Taken first by changes that must leave an active owner (PostgreSQL; SQLite
/// has one writer): two owners cannot demote each other at once.
const LOCK_ORGANIZATION: &str = "SELECT id FROM organizations WHERE id = $1 FOR UPDATE";

/// One page (of `page_size`) of the members that pass `filter`, and how many pass it.
/// Filtering, sorting and paging read only `memberships` (and its indexes); the
/// users of the page's rows are joined afterwards. `known` are the
/// organization's counters when the caller has already read them.
pub async fn list(
    db: &Db,
    organization_id: Uuid,
    filter: &ListFilter<'_>,
    known: Option<super::organizations::MemberCounts>,
    page: u32,
    page_size: u32,
) -> Result<(Vec<MemberRow>, i64), sqlx::Error> {
    let pattern = super::contains_pattern(filter.search);
    let offset = i64::from(page.max(1) - 1) * i64::from(page_size);
    // Unfiltered, the total is the organization's counter; a search or a
    // sub-account scope counts the rows that pass.
    let counted = filter.search.trim().is_empty() && filter.scope.is_none();
    let kept = if counted {
        let counts = match known {
            Some(counts) => counts,
            None => super::organizations::member_counts(db, organization_id).await?,
        };
        Some(match filter.kind {
            Some(kind) => counts.of(filter.status, kind),
            None => counts.with_status(filter.status),
        })
    } else {
        None
    };
    let total = match kept {
        Some(total) => total,
        None => count(db, organization_id, filter).await?,
    };
    let rows: Vec<MemberRow> = match db {
        // One JSON value for the page instead of a row each (see `json_rows`).
        Db::Sqlite(pool, _) => {
            let mut query = QueryBuilder::new("");
            push_page(
                &mut query,
                organization_id,
                filter,
                &pattern,
                page_size,
                offset,
            );
            query.push(
                " SELECT json_group_array(json_object('id', hex(m.id), 'user_id', hex(m.user_id),
                    'name', u.name, 'email', u.email, 'kind', m.kind, 'role', m.role,
                    'status', m.status, 'modules', m.modules, 'all_sub_accounts', m.all_sub_accounts,
                    'created_at', m.created_at, 'last_active_at', m.last_active_at,
                    'access_ends_at', m.access_ends_at) ORDER BY ",
            );
            push_order(&mut query, filter, "m.");
            query.push(
                ") FROM page JOIN memberships m ON m.id = page.id JOIN users u ON u.id = m.user_id",
            );
            let (list,): (String,) = query.build_query_as().fetch_one(pool).await?;
            super::json_rows::rows::<Listed>(&list)?
                .into_iter()
                .map(MemberRow::try_from)
                .collect::<Result<_, _>>()?
        }
        // PostgreSQL hands rows over cheaply.
        Db::Postgres(pool) => {
            let mut query = QueryBuilder::new("");
            push_page(
                &mut query,
                organization_id,
                filter,
                &pattern,
                page_size,
                offset,
            );
            query.push(
                " SELECT m.id, m.user_id, u.name, u.email, m.kind, m.role, m.status, m.modules,
                    m.all_sub_accounts, m.created_at, m.last_active_at, m.access_ends_at
                 FROM page JOIN memberships m ON m.id = page.id JOIN users u ON u.id = m.user_id
                 ORDER BY ",
            );
            push_order(&mut query, filter, "m.");
            query.build_query_as().fetch_all(pool).await?
        }
    };
    Ok((rows, total))
}

/// `WITH page AS (…)`: the ids of the page's memberships, from `memberships`
/// and its indexes alone.
fn push_page<'a, DB: Database>(
    query: &mut QueryBuilder<'a, DB>,
    organization_id: Uuid,
    filter: &ListFilter<'_>,
    pattern: &str,
    page_size: u32,
    offset: i64,
) where
    Uuid: Encode<'a, DB> + Type<DB>,
    String: Encode<'a, DB> + Type<DB>,
    i64: Encode<'a, DB> + Type<DB>,
    MemberStatus: Encode<'a, DB> + Type<DB>,
    MembershipKind: Encode<'a, DB> + Type<DB>,
{
    query.push("WITH page AS (SELECT id FROM memberships WHERE ");
    push_filter(query, organization_id, filter, pattern);
    query.push(" ORDER BY ");
    push_order(query, filter, "");
    query
        .push(" LIMIT ")
        .push_bind(i64::from(page_size))
        .push(" OFFSET ")
        .push_bind(offset)
        .push(")");
}

/// One member of [`list`]'s JSON page (SQLite).
#[derive(serde::Deserialize)]
struct Listed {
    id: String,
    user_id: String,
    name: String,
    email: String,
    kind: MembershipKind,
    role: Role,
    status: MemberStatus,
    modules: String,
    all_sub_accounts: i64,
    created_at: String,
    last_active_at: Option<String>,
    access_ends_at: Option<String>,
}

impl TryFrom<Listed> for MemberRow {
    type Error = sqlx::Error;

    fn try_from(row: Listed) -> Result<Self, sqlx::Error> {
        use super::json_rows::{maybe_timestamp, modules, timestamp, uuid};
        Ok(MemberRow {
            id: MembershipId(uuid(&row.id)?),
            user_id: uuid(&row.user_id)?,
            name: row.name,
            email: row.email,
            kind: row.kind,
            role: row.role,
            status: row.status,
            modules: modules(&row.modules)?,
            all_sub_accounts: row.all_sub_accounts != 0,
            created_at: timestamp(&row.created_at)?,
            last_active_at: maybe_timestamp(row.last_active_at.as_deref())?,
            access_ends_at: maybe_timestamp(row.access_ends_at.as_deref())?,
        })
    }
}

/// How many members pass `filter`, counted (a search, or a sub-account scope;
/// the unfiltered totals are the organization's kept counters).
pub async fn count(
    db: &Db,
    organization_id: Uuid,
    filter: &ListFilter<'_>,
) -> Result<i64, sqlx::Error> {
    let pattern = super::contains_pattern(filter.search);
    on_db!(db, pool => {
        let mut count = QueryBuilder::new("SELECT COUNT(*) FROM memberships WHERE ");
        push_filter(&mut count, organization_id, filter, &pattern);
        let (total,): (i64,) = count.build_query_as().fetch_one(pool).await?;
        Ok(total)
    })
}

/// The conditions of a members list, on `memberships` unaliased.
fn push_filter<'a, DB: Database>(
    query: &mut QueryBuilder<'a, DB>,
    organization_id: Uuid,
    filter: &ListFilter<'_>,
    pattern: &str,
) where
    Uuid: Encode<'a, DB> + Type<DB>,
    String: Encode<'a, DB> + Type<DB>,
    MemberStatus: Encode<'a, DB> + Type<DB>,
    MembershipKind: Encode<'a, DB> + Type<DB>,
{
    query
        .push("organization_id = ")
        .push_bind(organization_id)
        .push(" AND status = ")
        .push_bind(filter.status);
    if let Some(kind) = filter.kind {
        query.push(" AND kind = ").push_bind(kind);
    }
    if !filter.search.trim().is_empty() {
        query.push(" AND ");
        super::push_name_or_email_like(query, "", pattern);
    }
    if let Some(viewer) = filter.scope {
        query.push(" AND ");
        push_visible_to(query, Granted::Membership("memberships"), viewer);
    }
}

/// The order of a page, on the columns of `prefix` ("" or an alias and a dot).
/// Unprefixed, the rank of a role is the text of the `memberships_org_status_role`
/// index, so the index serves the sort.
fn push_order<DB: Database>(
    query: &mut QueryBuilder<'_, DB>,
    filter: &ListFilter<'_>,
    prefix: &'static str,
) {
    let direction = if filter.descending { " DESC" } else { " ASC" };
    match filter.sort {
        MemberSort::Name => query
            .push(prefix).push("name_key").push(direction)
            .push(", ").push(prefix).push("id").push(direction),
        MemberSort::Role => query
            .push("(CASE ").push(prefix)
            .push("role WHEN 'owner' THEN 0 WHEN 'admin' THEN 1 WHEN 'billing_admin' THEN 2 ELSE 3 END)")
            .push(direction)
            .push(", ").push(prefix).push("name_key, ").push(prefix).push("id"),
        MemberSort::Joined => query
            .push(prefix).push("created_at").push(direction)
            .push(", ").push(prefix).push("id").push(direction),
    };
}

/// The names of the sub-accounts each of `memberships` is limited to.
pub async fn sub_account_names(
    db: &Db,
    memberships: &[MembershipId],
) -> Result<HashMap<MembershipId, Vec<String>>, sqlx::Error> {
    let mut names: HashMap<MembershipId, Vec<String>> = HashMap::new();
    if memberships.is_empty() {
        return Ok(names);
    }
    let rows: Vec<(MembershipId, String)> = on_db!(db, pool => {
        let mut query = QueryBuilder::new(
            "SELECT ms.membership_id, s.name FROM membership_sub_accounts ms
             JOIN sub_accounts s ON s.id = ms.sub_account_id
             WHERE s.archived_at IS NULL AND ms.membership_id IN (",
        );
        let mut ids = query.separated(", ");
        for id in memberships {
            ids.push_bind(*id);
        }
        query.push(") ORDER BY s.name_key");
        query.build_query_as().fetch_all(pool).await
    })?;
    for (membership, name) in rows {
        names.entry(membership).or_default().push(name);
    }
    Ok(names)
}

/// Notes that the member opened the organization, at most once per `every`.
pub async fn touch(
    db: &Db,
    organization_id: Uuid,
    user_id: Uuid,
    every: chrono::Duration,
) -> Result<(), sqlx::Error> {
    let at = super::now();
    on_writer!(db, pool => sqlx::query(
        "UPDATE memberships SET last_active_at = $1
         WHERE organization_id = $2 AND user_id = $3 AND (last_active_at IS NULL OR last_active_at < $4)",
    ).bind(at).bind(organization_id).bind(user_id).bind(at - every).execute(pool).await.map(|_| ()))
}

/// One membership of the organization with its person.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct MembershipRow {
    pub id: MembershipId,
    pub user_id: Uuid,
    pub name: String,
    pub email: String,
    pub kind: MembershipKind,
    pub role: Role,
    pub status: MemberStatus,
    pub modules: Modules,
    pub all_sub_accounts: bool,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub access_ends_at: Option<DateTime<Utc>>,
}

/// The membership of `user_id` in this organization (none for another organization's member).
pub async fn find(
    db: &Db,
    organization_id: Uuid,
    user_id: Uuid,
) -> Result<Option<MembershipRow>, sqlx::Error> {
    on_db!(db, pool => sqlx::query_as(
        "SELECT m.id, m.user_id, u.name, u.email, m.kind, m.role, m.status, m.modules, m.all_sub_accounts,
                m.version, m.created_at, m.access_ends_at
         FROM memberships m JOIN users u ON u.id = m.user_id
         WHERE m.organization_id = $1 AND m.user_id = $2",
    ).bind(organization_id).bind(user_id).fetch_optional(pool).await)
}

pub async fn sub_account_ids(
    db: &Db,
    membership_id: MembershipId,
) -> Result<Vec<Uuid>, sqlx::Error> {
    let rows: Vec<(Uuid,)> = on_db!(db, pool => sqlx::query_as(
        "SELECT sub_account_id FROM membership_sub_accounts WHERE membership_id = $1",
    ).bind(membership_id).fetch_all(pool).await)?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// What a change to a membership does.
pub enum Change<'a> {
    Access {
        role: Role,
        modules: &'a str,
        sub_accounts: Option<&'a [Uuid]>,
    },
    Status(MemberStatus),
    /// Team member or partner; the seat history follows.
    Kind(MembershipKind),
    /// A partner's access end (none: no end); a new end gets a new reminder.
    AccessEnd(Option<DateTime<Utc>>),
    /// The membership ends; its access is kept as former access (reinstating).
    Remove(Departure),
}

#[derive(Debug, thiserror::Error)]
pub enum ChangeError {
    /// Someone changed the membership since `version` was read (or it is gone).
    #[error("the membership changed meanwhile")]
    Stale,
    /// The change would leave the organization without an active owner.
    #[error("the last active owner")]
    LastOwner,
    /// Made a team member while a team member of another organization.
    #[error("a team member of another organization")]
    TeamElsewhere,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Applies `change` if the membership still has `version`, in the change's
/// transaction, and checks an active owner remains. On PostgreSQL the organization's
/// row is locked first, so two owners cannot demote each other at once; SQLite
/// has one writer.
pub async fn change(
    tx: &mut Tx,
    organization_id: Uuid,
    membership_id: MembershipId,
    version: i64,
    change: &Change<'_>,
) -> Result<(), ChangeError> {
    let at = super::now();
    let lock = tx.is_postgres();
    on_tx!(tx, conn => {
        if lock {
            sqlx::query(LOCK_ORGANIZATION).bind(organization_id).execute(&mut *conn).await?;
        }
        let changed = match change {
            Change::Access { role, modules, sub_accounts } => {
                let n = sqlx::query(
                    "UPDATE memberships SET role = $1, modules = $2, all_sub_accounts = $3, version = version + 1, updated_at = $4
                     WHERE id = $5 AND organization_id = $6 AND version = $7",
                ).bind(*role).bind(*modules).bind(sub_accounts.is_none()).bind(at)
                .bind(membership_id).bind(organization_id).bind(version)
                .execute(&mut *conn).await?.rows_affected();
                if n == 1 {
                    sqlx::query("DELETE FROM membership_sub_accounts WHERE membership_id = $1")
                        .bind(membership_id).execute(&mut *conn).await?;
                    for sub in sub_accounts.iter().flat_map(|s| s.iter()) {
                        sqlx::query("INSERT INTO membership_sub_accounts (membership_id, sub_account_id) VALUES ($1, $2)")
                            .bind(membership_id).bind(*sub).execute(&mut *conn).await?;
                    }
                }
                n
            }
            Change::Status(status) => {
                let n = sqlx::query(
                    "UPDATE memberships SET status = $1, active_since = $2, version = version + 1, updated_at = $2
                     WHERE id = $3 AND organization_id = $4 AND version = $5",
                ).bind(*status).bind(at).bind(membership_id).bind(organization_id).bind(version)
                .execute(&mut *conn).await?.rows_affected();
                if *status == MemberStatus::Active {
                    sqlx::query(super::seats::OPEN).bind(super::new_id()).bind(at).bind(membership_id)
                        .execute(&mut *conn).await?;
                } else {
                    sqlx::query(super::seats::CLOSE).bind(at).bind(membership_id)
                        .execute(&mut *conn).await?;
                }
                n
            }
            Change::Kind(kind) => {
                let n = match sqlx::query(
                    "UPDATE memberships SET kind = $1, version = version + 1, updated_at = $2
                     WHERE id = $3 AND organization_id = $4 AND version = $5",
                ).bind(*kind).bind(at).bind(membership_id).bind(organization_id).bind(version)
                .execute(&mut *conn).await {
                    Ok(done) => done.rows_affected(),
                    Err(e) if super::is_unique_violation(&e) => return Err(ChangeError::TeamElsewhere),
                    Err(e) => return Err(e.into()),
                };
                // An active member's seat continues under the new kind.
                let closed = sqlx::query(super::seats::CLOSE).bind(at).bind(membership_id)
                    .execute(&mut *conn).await?.rows_affected();
                if closed > 0 {
                    sqlx::query(super::seats::OPEN).bind(super::new_id()).bind(at).bind(membership_id)
                        .execute(&mut *conn).await?;
                }
                n
            }
            Change::AccessEnd(ends) => sqlx::query(
                "UPDATE memberships SET access_ends_at = $1, access_reminded_at = NULL, version = version + 1, updated_at = $2
                 WHERE id = $3 AND organization_id = $4 AND version = $5",
            ).bind(*ends).bind(at).bind(membership_id).bind(organization_id).bind(version)
            .execute(&mut *conn).await?.rows_affected(),
            Change::Remove(departure) => {
                sqlx::query(super::seats::CLOSE).bind(at).bind(membership_id)
                    .execute(&mut *conn).await?;
                let kept = sqlx::query(super::former_members::KEEP)
                    .bind(*departure).bind(at).bind(membership_id).bind(organization_id).bind(version)
                    .execute(&mut *conn).await?.rows_affected();
                if kept == 1 {
                    sqlx::query(super::former_members::FORGET_SUB_ACCOUNTS).bind(membership_id)
                        .execute(&mut *conn).await?;
                    sqlx::query(super::former_members::KEEP_SUB_ACCOUNTS).bind(membership_id)
                        .execute(&mut *conn).await?;
                }
                sqlx::query(
                    "DELETE FROM memberships WHERE id = $1 AND organization_id = $2 AND version = $3",
                ).bind(membership_id).bind(organization_id).bind(version)
                .execute(&mut *conn).await?.rows_affected()
            }
        };
        if changed != 1 {
            return Err(ChangeError::Stale);
        }
        let (owners,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM memberships WHERE organization_id = $1 AND role = 'owner' AND status = 'active'",
        ).bind(organization_id).fetch_one(&mut *conn).await?;
        if owners == 0 {
            return Err(ChangeError::LastOwner);
        }
        Ok(())
    })
}

/// Whether a viewer limited to some sub-accounts (membership `viewer`) may see
/// the member `target`: themselves, or someone sharing a sub-account with them.
pub async fn shares_sub_account(
    db: &Db,
    viewer: MembershipId,
    target: MembershipId,
) -> Result<bool, sqlx::Error> {
    let (n,): (i64,) = on_db!(db, pool => {
        let mut query = QueryBuilder::new("SELECT COUNT(*) FROM memberships WHERE id = ");
        query.push_bind(target).push(" AND ");
        push_visible_to(&mut query, Granted::Membership("memberships"), viewer);
        query.build_query_as().fetch_one(pool).await
    })?;
    Ok(n > 0)
}

#[derive(Debug, thiserror::Error)]
pub enum TransferError {
    /// The new owner's membership changed since `version` was read, or is gone.
    #[error("the membership changed meanwhile")]
    Stale,
    /// The new owner is deactivated.
    #[error("the member is deactivated")]
    Inactive,
    /// The actor is no longer an active owner.
    #[error("not an owner")]
    NotOwner,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Makes membership `to` (at `version`, active) an owner with access to
/// everything and, with `step_down`, makes `from` an admin — in the change's transaction,
/// so the organization has an owner at every moment.
pub async fn transfer_ownership(
    tx: &mut Tx,
    organization_id: Uuid,
    from: MembershipId,
    to: MembershipId,
    version: i64,
    step_down: bool,
) -> Result<(), TransferError> {
    let at = super::now();
    let lock = tx.is_postgres();
    on_tx!(tx, conn => {
        if lock {
            sqlx::query(LOCK_ORGANIZATION).bind(organization_id).execute(&mut *conn).await?;
        }
        let owner: Option<(Role, MemberStatus)> = sqlx::query_as(
            "SELECT role, status FROM memberships WHERE id = $1 AND organization_id = $2",
        ).bind(from).bind(organization_id).fetch_optional(&mut *conn).await?;
        if owner != Some((Role::Owner, MemberStatus::Active)) {
            return Err(TransferError::NotOwner);
        }
        let target: Option<(MemberStatus, i64)> = sqlx::query_as(
            "SELECT status, version FROM memberships WHERE id = $1 AND organization_id = $2",
        ).bind(to).bind(organization_id).fetch_optional(&mut *conn).await?;
        match target {
            Some((_, v)) if v != version => return Err(TransferError::Stale),
            None => return Err(TransferError::Stale),
            Some((status, _)) if status != MemberStatus::Active => return Err(TransferError::Inactive),
            Some(_) => {}
        }
        sqlx::query(
            "UPDATE memberships SET role = 'owner', modules = '', all_sub_accounts = TRUE,
                    version = version + 1, updated_at = $1
             WHERE id = $2",
        ).bind(at).bind(to).execute(&mut *conn).await?;
        sqlx::query("DELETE FROM membership_sub_accounts WHERE membership_id = $1")
            .bind(to).execute(&mut *conn).await?;
        if step_down {
            sqlx::query(
                "UPDATE memberships SET role = 'admin', version = version + 1, updated_at = $1 WHERE id = $2",
            ).bind(at).bind(from).execute(&mut *conn).await?;
        }
        Ok(())
    })
}
