//! Partners' access end dates, as the job reads them: the active memberships
//! whose end has come (to deactivate) or comes within the reminder window (to
//! remind), claimed a batch at a time. The claim is the change itself (status,
//! or `access_reminded_at`), so a batch is taken once: by one instance (PostgreSQL
//! skips rows another transaction holds), and never again after a restart.

use super::tx::{Tx, on_tx};
use super::{Db, on_db};
use chrono::{DateTime, Utc};
use sqlx::QueryBuilder;
use uuid::Uuid;

/// A partner whose access ended or ends soon, with what the mails need.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct DueRow {
    pub membership_id: Uuid,
    pub organization_id: Uuid,
    pub user_id: Uuid,
    pub name: String,
    pub email: String,
    pub organization_name: String,
    pub organization_slug: String,
    /// The end date (none for access ended by inactivity).
    pub access_ends_at: Option<DateTime<Utc>>,
    pub last_active_at: Option<DateTime<Utc>>,
}

/// An owner or admin of an organization, whom the digests go to.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct AdminRow {
    pub organization_id: Uuid,
    pub name: String,
    pub email: String,
}

const ENDED_SQLITE: &str =
    "UPDATE memberships SET status = 'deactivated', version = version + 1, updated_at = $1
     WHERE id IN (SELECT id FROM memberships
                  WHERE access_ends_at IS NOT NULL AND status = 'active' AND access_ends_at <= $1
                  ORDER BY access_ends_at LIMIT $2)
     RETURNING id";
const ENDED_POSTGRES: &str =
    "UPDATE memberships SET status = 'deactivated', version = version + 1, updated_at = $1
     WHERE id IN (SELECT id FROM memberships
                  WHERE access_ends_at IS NOT NULL AND status = 'active' AND access_ends_at <= $1
                  ORDER BY access_ends_at LIMIT $2 FOR UPDATE SKIP LOCKED)
       AND status = 'active'
     RETURNING id";

const REMIND_SQLITE: &str = "UPDATE memberships SET access_reminded_at = $1
     WHERE id IN (SELECT id FROM memberships
                  WHERE access_ends_at IS NOT NULL AND status = 'active'
                    AND access_ends_at > $1 AND access_ends_at <= $2 AND access_reminded_at IS NULL
                  ORDER BY access_ends_at LIMIT $3)
     RETURNING id";
const REMIND_POSTGRES: &str = "UPDATE memberships SET access_reminded_at = $1
     WHERE id IN (SELECT id FROM memberships
                  WHERE access_ends_at IS NOT NULL AND status = 'active'
                    AND access_ends_at > $1 AND access_ends_at <= $2 AND access_reminded_at IS NULL
                  ORDER BY access_ends_at LIMIT $3 FOR UPDATE SKIP LOCKED)
       AND access_reminded_at IS NULL
     RETURNING id";

/// Deactivates up to `limit` memberships whose access ended by `at`, closes
/// their seats, and returns them.
pub async fn end_due(
    tx: &mut Tx,
    at: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<DueRow>, sqlx::Error> {
    let postgres = tx.is_postgres();
    let ids: Vec<(Uuid,)> = on_tx!(tx, conn => sqlx::query_as(if postgres { ENDED_POSTGRES } else { ENDED_SQLITE })
        .bind(at).bind(limit).fetch_all(&mut *conn).await)?;
    let ids: Vec<Uuid> = ids.into_iter().map(|(id,)| id).collect();
    close_seats(tx, &ids, at).await?;
    details(tx, &ids).await
}

/// Ends the open seats of the memberships `ids` at `at`.
async fn close_seats(tx: &mut Tx, ids: &[Uuid], at: DateTime<Utc>) -> Result<(), sqlx::Error> {
    for part in ids.chunks(super::KEYS_PER_QUERY) {
        on_tx!(tx, conn => {
            let mut close = QueryBuilder::new(
                "UPDATE seat_periods SET ended_at = ",
            );
            close.push_bind(at).push(
                " WHERE ended_at IS NULL AND EXISTS (SELECT 1 FROM memberships m
                   WHERE m.organization_id = seat_periods.organization_id AND m.user_id = seat_periods.user_id
                     AND m.id IN ",
            );
            push_ids(&mut close, part);
            close.push(")");
            close.build().execute(&mut *conn).await.map(|_| ())
        })?;
    }
    Ok(())
}

/// An organization's partner inactivity policy, as the job reads it.
#[derive(Clone, Copy, Debug, sqlx::FromRow)]
pub struct InactivityPolicy {
    pub organization_id: Uuid,
    pub days: i64,
    pub since: DateTime<Utc>,
}

/// The organizations that end partners' access after inactivity (by a partial index).
pub async fn inactivity_policies(db: &Db) -> Result<Vec<InactivityPolicy>, sqlx::Error> {
    on_db!(db, pool => sqlx::query_as(
        "SELECT id AS organization_id, partner_inactivity_days AS days, partner_inactivity_since AS since
         FROM organizations WHERE partner_inactivity_days IS NOT NULL AND partner_inactivity_since IS NOT NULL",
    ).fetch_all(pool).await)
}

const INACTIVE_SQLITE: &str =
    "UPDATE memberships SET status = 'deactivated', version = version + 1, updated_at = $1
     WHERE id IN (SELECT id FROM memberships
                  WHERE organization_id = $2 AND kind = 'partner' AND status = 'active'
                    AND COALESCE(last_active_at, created_at) < $3 AND COALESCE(active_since, created_at) < $3
                  LIMIT $4)
     RETURNING id";
const INACTIVE_POSTGRES: &str =
    "UPDATE memberships SET status = 'deactivated', version = version + 1, updated_at = $1
     WHERE id IN (SELECT id FROM memberships
                  WHERE organization_id = $2 AND kind = 'partner' AND status = 'active'
                    AND COALESCE(last_active_at, created_at) < $3 AND COALESCE(active_since, created_at) < $3
                  LIMIT $4 FOR UPDATE SKIP LOCKED)
       AND status = 'active'
     RETURNING id";

/// Deactivates up to `limit` active partners of the organization whose last
/// activity and activation are both before `cutoff`, closes their seats, and
/// returns them.
pub async fn end_inactive(
    tx: &mut Tx,
    organization_id: Uuid,
    cutoff: DateTime<Utc>,
    at: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<DueRow>, sqlx::Error> {
    let postgres = tx.is_postgres();
    let ids: Vec<(Uuid,)> = on_tx!(tx, conn => sqlx::query_as(if postgres { INACTIVE_POSTGRES } else { INACTIVE_SQLITE })
        .bind(at).bind(organization_id).bind(cutoff).bind(limit).fetch_all(&mut *conn).await)?;
    let ids: Vec<Uuid> = ids.into_iter().map(|(id,)| id).collect();
    close_seats(tx, &ids, at).await?;
    details(tx, &ids).await
}

/// Marks up to `limit` memberships whose access ends after `at` and by `until`
/// as reminded, and returns them.
pub async fn remind_due(
    tx: &mut Tx,
    at: DateTime<Utc>,
    until: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<DueRow>, sqlx::Error> {
    let postgres = tx.is_postgres();
    let ids: Vec<(Uuid,)> = on_tx!(tx, conn => sqlx::query_as(if postgres { REMIND_POSTGRES } else { REMIND_SQLITE })
        .bind(at).bind(until).bind(limit).fetch_all(&mut *conn).await)?;
    let ids: Vec<Uuid> = ids.into_iter().map(|(id,)| id).collect();
    details(tx, &ids).await
}

/// The people and organizations of `ids`.
async fn details(tx: &mut Tx, ids: &[Uuid]) -> Result<Vec<DueRow>, sqlx::Error> {
    let mut rows = Vec::with_capacity(ids.len());
    for part in ids.chunks(super::KEYS_PER_QUERY) {
        let found: Vec<DueRow> = on_tx!(tx, conn => {
            let mut query = QueryBuilder::new(
                "SELECT m.id AS membership_id, m.organization_id, m.user_id, u.name, u.email,
                        o.name AS organization_name, o.slug AS organization_slug, m.access_ends_at, m.last_active_at
                 FROM memberships m JOIN users u ON u.id = m.user_id
                 JOIN organizations o ON o.id = m.organization_id
                 WHERE m.id IN ",
            );
            push_ids(&mut query, part);
            query.push(" ORDER BY o.id, u.name");
            query.build_query_as().fetch_all(&mut *conn).await
        })?;
        rows.extend(found);
    }
    Ok(rows)
}

/// The active owners and admins of `organizations`.
pub async fn admins_of(tx: &mut Tx, organizations: &[Uuid]) -> Result<Vec<AdminRow>, sqlx::Error> {
    let mut rows = Vec::new();
    for part in organizations.chunks(super::KEYS_PER_QUERY) {
        let found: Vec<AdminRow> = on_tx!(tx, conn => {
            let mut query = QueryBuilder::new(
                "SELECT m.organization_id, u.name, u.email FROM memberships m JOIN users u ON u.id = m.user_id
                 WHERE m.status = 'active' AND m.role IN ('owner', 'admin') AND m.organization_id IN ",
            );
            push_ids(&mut query, part);
            query.build_query_as().fetch_all(&mut *conn).await
        })?;
        rows.extend(found);
    }
    Ok(rows)
}

fn push_ids<'a, DB: sqlx::Database>(query: &mut QueryBuilder<'a, DB>, ids: &'a [Uuid])
where
    Uuid: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
{
    query.push("(");
    let mut list = query.separated(", ");
    for id in ids {
        list.push_bind(*id);
    }
    query.push(")");
}
