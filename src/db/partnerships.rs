//! Partnerships between organizations and their timelines. One row per
//! relationship; the schema keeps one live row per pair of organizations,
//! whichever direction. Changes run in the caller's transaction, with its
//! audit events and mails.

use super::tx::{Tx, on_tx};
use super::{Db, is_unique_violation, new_id, now, on_db};
use crate::domain::partnership::{Listed, PartnershipEvent, PartnershipStatus, Relationship, Side};
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// The organization an address addresses: the one where its verified owner is
/// an active team member.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Addressed {
    pub organization_id: Uuid,
    pub name: String,
    pub slug: String,
    pub user_name: String,
    pub email: String,
}

pub async fn addressed(db: &Db, email_key: &str) -> Result<Option<Addressed>, sqlx::Error> {
    on_db!(db, pool => sqlx::query_as(
        "SELECT o.id AS organization_id, o.name, o.slug, u.name AS user_name, u.email
         FROM users u
         JOIN memberships m ON m.user_id = u.id AND m.kind = 'team' AND m.status = 'active'
         JOIN organizations o ON o.id = m.organization_id
         WHERE u.email_key = $1 AND u.email_verified_at IS NOT NULL",
    ).bind(email_key).fetch_optional(pool).await)
}

/// A live relationship.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct PartnershipRow {
    pub id: Uuid,
    pub requester_id: Option<Uuid>,
    pub recipient_id: Option<Uuid>,
    pub recipient_email: String,
    pub requested_by: Option<Uuid>,
    pub status: PartnershipStatus,
    pub requester_holds: bool,
    pub recipient_holds: bool,
    pub version: i64,
}

impl PartnershipRow {
    pub fn relationship(&self) -> Relationship {
        Relationship {
            status: self.status,
            requester_holds: self.requester_holds,
            recipient_holds: self.recipient_holds,
        }
    }

    /// Which side `organization_id` is, if it is one.
    pub fn side_of(&self, organization_id: Uuid) -> Option<Side> {
        if self.requester_id == Some(organization_id) {
            Some(Side::Requester)
        } else if self.recipient_id == Some(organization_id) {
            Some(Side::Recipient)
        } else {
            None
        }
    }

    pub fn organization(&self, side: Side) -> Option<Uuid> {
        match side {
            Side::Requester => self.requester_id,
            Side::Recipient => self.recipient_id,
        }
    }
}

const COLUMNS: &str = "id, requester_id, recipient_id, recipient_email, requested_by, status,
    requester_holds, recipient_holds, version";

/// The live relationship between two organizations, whichever sent it.
pub async fn between(db: &Db, a: Uuid, b: Uuid) -> Result<Option<PartnershipRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {COLUMNS} FROM partnerships WHERE ended_at IS NULL
           AND ((requester_id = $1 AND recipient_id = $2) OR (requester_id = $2 AND recipient_id = $1))"
    );
    on_db!(db, pool => sqlx::query_as(&sql).bind(a).bind(b).fetch_optional(pool).await)
}

/// The live relationship `id`, read in the change's transaction.
pub async fn find_in(tx: &mut Tx, id: Uuid) -> Result<Option<PartnershipRow>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM partnerships WHERE id = $1 AND ended_at IS NULL");
    on_tx!(tx, conn => sqlx::query_as(&sql).bind(id).fetch_optional(&mut *conn).await)
}

/// A request as it is sent.
pub struct NewPartnership<'a> {
    pub requester_id: Uuid,
    /// `None`: the address addresses no organization (yet).
    pub recipient_id: Option<Uuid>,
    pub recipient_email: &'a str,
    pub recipient_email_key: &'a str,
    pub requested_by: Uuid,
}

/// Stores a pending request; `None` when a live relationship between the two
/// organizations (or a waiting request to this address) exists already.
pub async fn insert(tx: &mut Tx, new: &NewPartnership<'_>) -> Result<Option<Uuid>, sqlx::Error> {
    let id = new_id();
    let result = on_tx!(tx, conn => sqlx::query(
        "INSERT INTO partnerships (id, requester_id, recipient_id, recipient_email, recipient_email_key,
                                   requested_by, status, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7)",
    ).bind(id).bind(new.requester_id).bind(new.recipient_id).bind(new.recipient_email)
    .bind(new.recipient_email_key).bind(new.requested_by).bind(now())
    .execute(&mut *conn).await.map(|_| ()));
    match result {
        Ok(()) => Ok(Some(id)),
        Err(e) if is_unique_violation(&e) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Writes a move's result if the row is still at `version` (a change meanwhile
/// wins: false, nothing written). `answered_by` is set when the move answers
/// the request (accept, reject, or a delete by the recipient); `after: None`
/// ends the relationship.
pub async fn change(
    tx: &mut Tx,
    id: Uuid,
    version: i64,
    after: Option<Relationship>,
    answered_by: Option<Uuid>,
) -> Result<bool, sqlx::Error> {
    let at = now();
    let n = on_tx!(tx, conn => match after {
        Some(rel) => {
            let answered = if answered_by.is_some() {
                ", answered_at = $6, answered_by = $7"
            } else {
                ""
            };
            let sql = format!(
                "UPDATE partnerships SET status = $1, requester_holds = $2, recipient_holds = $3,
                        version = version + 1{answered}
                 WHERE id = $4 AND version = $5 AND ended_at IS NULL"
            );
            let mut query = sqlx::query(&sql).bind(rel.status).bind(rel.requester_holds)
                .bind(rel.recipient_holds).bind(id).bind(version);
            if let Some(by) = answered_by {
                query = query.bind(at).bind(by);
            }
            query.execute(&mut *conn).await?.rows_affected()
        }
        None => sqlx::query(
            "UPDATE partnerships SET requester_holds = FALSE, recipient_holds = FALSE,
                    version = version + 1, ended_at = $1
             WHERE id = $2 AND version = $3 AND ended_at IS NULL",
        ).bind(at).bind(id).bind(version).execute(&mut *conn).await?.rows_affected(),
    });
    Ok(n == 1)
}

/// A line of a relationship's timeline.
pub struct NewEvent<'a> {
    pub partnership_id: Uuid,
    pub event: PartnershipEvent,
    pub side: Side,
    pub actor_user_id: Option<Uuid>,
    pub actor_name: &'a str,
    pub organization: &'a str,
    /// Which sides may read it: each its own events, and the other side's
    /// while it held the relationship.
    pub requester_sees: bool,
    pub recipient_sees: bool,
}

pub async fn add_event(tx: &mut Tx, event: &NewEvent<'_>) -> Result<(), sqlx::Error> {
    on_tx!(tx, conn => sqlx::query(
        "INSERT INTO partnership_events (id, partnership_id, event, side, actor_user_id, actor_name,
                                         organization, requester_sees, recipient_sees, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    ).bind(new_id()).bind(event.partnership_id).bind(event.event).bind(event.side)
    .bind(event.actor_user_id).bind(event.actor_name).bind(event.organization)
    .bind(event.requester_sees).bind(event.recipient_sees).bind(now())
    .execute(&mut *conn).await.map(|_| ()))
}

/// A relationship as one side lists it, with the names the page shows.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ListedRow {
    /// Which list it was read for (an index into `Listed::ALL`).
    pub list: i64,
    #[sqlx(flatten)]
    pub row: PartnershipRow,
    pub requester_name: Option<String>,
    pub recipient_name: Option<String>,
    pub sender_name: Option<String>,
    pub sender_email: Option<String>,
    pub answerer_name: Option<String>,
    pub created_at: DateTime<Utc>,
    pub answered_at: Option<DateTime<Utc>>,
}

/// The condition of one of an organization's lists (`$1`: the organization).
fn list_condition(which: Listed) -> &'static str {
    match which {
        Listed::Received => "p.recipient_id = $1 AND p.recipient_holds AND p.status = 'pending'",
        Listed::Sent => "p.requester_id = $1 AND p.requester_holds AND p.status = 'pending'",
        Listed::Partner => "p.status = 'accepted' AND (p.requester_id = $1 OR p.recipient_id = $1)",
        Listed::Rejected => {
            "p.status = 'rejected'
             AND ((p.requester_id = $1 AND p.requester_holds) OR (p.recipient_id = $1 AND p.recipient_holds))"
        }
    }
}

/// A page of each of the organization's lists, newest first, in one
/// statement: the four index ranges, each limited, one after the other.
/// `pages[i]` is the (limit, offset) of `Listed::ALL[i]`; each row's `list` is that `i`.
pub async fn pages_of(
    db: &Db,
    organization_id: Uuid,
    pages: [(i64, i64); 4],
) -> Result<Vec<ListedRow>, sqlx::Error> {
    // Each list's page is cut by its index range first; only those rows are
    // joined to the names they show.
    let parts: Vec<String> = Listed::ALL
        .iter()
        .enumerate()
        .map(|(i, which)| {
            format!(
                "SELECT * FROM (
                   SELECT CAST({i} AS BIGINT) AS list, p.id, p.requester_id, p.recipient_id, p.recipient_email,
                          p.requested_by, p.status, p.requester_holds, p.recipient_holds, p.version,
                          p.created_at, p.answered_at, p.answered_by
                   FROM partnerships p
                   WHERE p.ended_at IS NULL AND {}
                   ORDER BY p.created_at DESC, p.id LIMIT ${} OFFSET ${}) AS l{i}",
                list_condition(*which),
                2 + 2 * i,
                3 + 2 * i
            )
        })
        .collect();
    let sql = format!(
        "SELECT l.list, l.id, l.requester_id, l.recipient_id, l.recipient_email, l.requested_by, l.status,
                l.requester_holds, l.recipient_holds, l.version, l.created_at, l.answered_at,
                ro.name AS requester_name, co.name AS recipient_name,
                su.name AS sender_name, su.email AS sender_email, au.name AS answerer_name
         FROM ({}) AS l
         LEFT JOIN organizations ro ON ro.id = l.requester_id
         LEFT JOIN organizations co ON co.id = l.recipient_id
         LEFT JOIN users su ON su.id = l.requested_by
         LEFT JOIN users au ON au.id = l.answered_by
         ORDER BY l.list, l.created_at DESC, l.id",
        parts.join(" UNION ALL ")
    );
    on_db!(db, pool => {
        let mut query = sqlx::query_as(&sql).bind(organization_id);
        for (limit, offset) in pages {
            query = query.bind(limit).bind(offset);
        }
        query.fetch_all(pool).await
    })
}

/// How many rows each of the organization's lists holds, in one pass over its
/// live relationships (index entries, no rows decoded).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct ListCounts {
    pub received: i64,
    pub sent: i64,
    pub partners: i64,
    pub rejected: i64,
}

impl ListCounts {
    pub fn of(&self, which: Listed) -> i64 {
        match which {
            Listed::Received => self.received,
            Listed::Sent => self.sent,
            Listed::Partner => self.partners,
            Listed::Rejected => self.rejected,
        }
    }
}

pub async fn counts_of(db: &Db, organization_id: Uuid) -> Result<ListCounts, sqlx::Error> {
    on_db!(db, pool => sqlx::query_as(
        "SELECT COALESCE(SUM(CASE WHEN recipient_id = $1 AND status = 'pending' THEN 1 ELSE 0 END), 0) AS received,
                COALESCE(SUM(CASE WHEN requester_id = $1 AND status = 'pending' THEN 1 ELSE 0 END), 0) AS sent,
                COALESCE(SUM(CASE WHEN status = 'accepted' THEN 1 ELSE 0 END), 0) AS partners,
                COALESCE(SUM(CASE WHEN status = 'rejected' THEN 1 ELSE 0 END), 0) AS rejected
         FROM partnerships
         WHERE ended_at IS NULL
           AND ((requester_id = $1 AND requester_holds) OR (recipient_id = $1 AND recipient_holds))",
    ).bind(organization_id).fetch_one(pool).await)
}

/// Gives the requests waiting for `email_key` (sent before its owner had an
/// organization) to the organization they just created, when an account has
/// proven that address: only verified addresses address an organization.
pub async fn claim_waiting(
    tx: &mut Tx,
    email_key: &str,
    organization_id: Uuid,
) -> Result<u64, sqlx::Error> {
    on_tx!(tx, conn => sqlx::query(
        "UPDATE partnerships SET recipient_id = $1, version = version + 1
         WHERE recipient_email_key = $2 AND recipient_id IS NULL AND ended_at IS NULL
           AND requester_id IS NOT NULL AND requester_id <> $1
           AND EXISTS (SELECT 1 FROM users WHERE email_key = $2 AND email_verified_at IS NOT NULL)",
    ).bind(organization_id).bind(email_key).execute(&mut *conn).await.map(|r| r.rows_affected()))
}

/// Someone a partnership mail goes to.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Decider {
    pub name: String,
    pub email: String,
}

/// The active owners, admins and billing admins of an organization: those who
/// act on its partnerships and hear about them.
pub async fn deciders_of(tx: &mut Tx, organization_id: Uuid) -> Result<Vec<Decider>, sqlx::Error> {
    on_tx!(tx, conn => sqlx::query_as(
        "SELECT u.name, u.email FROM memberships m JOIN users u ON u.id = m.user_id
         WHERE m.organization_id = $1 AND m.status = 'active'
           AND m.role IN ('owner', 'admin', 'billing_admin')
         ORDER BY u.email",
    ).bind(organization_id).fetch_all(&mut *conn).await)
}

/// An organization's name and address, for mails and the timeline.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct OrganizationRef {
    pub id: Uuid,
    pub name: String,
    pub slug: String,
}

/// The organization `id`, if it still exists (`None`: it was deleted).
pub async fn organization(
    tx: &mut Tx,
    id: Option<Uuid>,
) -> Result<Option<OrganizationRef>, sqlx::Error> {
    let Some(id) = id else {
        return Ok(None);
    };
    on_tx!(tx, conn => sqlx::query_as("SELECT id, name, slug FROM organizations WHERE id = $1")
        .bind(id).fetch_optional(&mut *conn).await)
}

/// The person who sent a request, if their account still exists.
pub async fn person(tx: &mut Tx, user_id: Option<Uuid>) -> Result<Option<Decider>, sqlx::Error> {
    on_tx!(tx, conn => sqlx::query_as("SELECT name, email FROM users WHERE id = $1")
        .bind(user_id.unwrap_or_default()).fetch_optional(&mut *conn).await)
}

/// Every live relationship of the organization, whoever holds it (when the
/// organization is deleted, they all end).
pub async fn live_of(
    tx: &mut Tx,
    organization_id: Uuid,
) -> Result<Vec<PartnershipRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {COLUMNS} FROM partnerships
         WHERE ended_at IS NULL AND (requester_id = $1 OR recipient_id = $1)"
    );
    on_tx!(tx, conn => sqlx::query_as(&sql).bind(organization_id).fetch_all(&mut *conn).await)
}

/// A timeline line with what the viewer's side needs to say it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct EventRow {
    pub event: PartnershipEvent,
    pub side: Side,
    pub actor_name: String,
    pub organization: String,
    pub at: DateTime<Utc>,
    pub requester_id: Option<Uuid>,
    pub recipient_email: String,
    pub answered_at: Option<DateTime<Utc>>,
    pub requester_name: Option<String>,
    pub recipient_name: Option<String>,
}

/// The timeline lines the organization may read, newest first, a page at a
/// time, and how many there are: its own side's events, and the other side's
/// while it held the relationship. Two index ranges (as sender, as recipient).
pub async fn timeline_of(
    db: &Db,
    organization_id: Uuid,
    limit: i64,
    offset: i64,
) -> Result<(Vec<EventRow>, i64), sqlx::Error> {
    const VISIBLE: &str = "FROM partnership_events e JOIN partnerships p ON p.id = e.partnership_id
         WHERE (p.requester_id = $1 AND e.requester_sees) OR (p.recipient_id = $1 AND e.recipient_sees)";
    const ROWS: &str = "SELECT e.event, e.side, e.actor_name, e.organization, e.at, p.requester_id, p.recipient_email,
                p.answered_at, ro.name AS requester_name, co.name AS recipient_name
         FROM partnership_events e JOIN partnerships p ON p.id = e.partnership_id
         LEFT JOIN organizations ro ON ro.id = p.requester_id
         LEFT JOIN organizations co ON co.id = p.recipient_id
         WHERE (p.requester_id = $1 AND e.requester_sees) OR (p.recipient_id = $1 AND e.recipient_sees)
         ORDER BY e.at DESC, e.id LIMIT $2 OFFSET $3";
    let count_sql = format!("SELECT COUNT(*) {VISIBLE}");
    on_db!(db, pool => {
        let rows = sqlx::query_as(ROWS).bind(organization_id).bind(limit).bind(offset)
            .fetch_all(pool).await?;
        let (total,): (i64,) = sqlx::query_as(&count_sql).bind(organization_id).fetch_one(pool).await?;
        Ok((rows, total))
    })
}
