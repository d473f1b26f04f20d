//! The audit trail: who did what, in which organization, to whom, when.

use super::tx::{Tx, on_tx};
use super::{Db, new_id, now, on_db, on_writer};
use crate::domain::audit::AuditAction;
use chrono::{DateTime, Utc};
use sqlx::{Database, Encode, QueryBuilder, Type};
use uuid::Uuid;

/// One event to record.
#[derive(Clone, Debug, Default)]
pub struct Event<'a> {
    pub organization_id: Option<Uuid>,
    pub actor_user_id: Option<Uuid>,
    pub target_user_id: Option<Uuid>,
    /// What the event is about when there is no user id (an attempted email, say).
    pub subject: Option<&'a str>,
    pub ip: Option<&'a str>,
    pub details: serde_json::Value,
}

const INSERT: &str = "INSERT INTO audit_events (id, organization_id, actor_user_id, action, target_user_id, subject, ip, details, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";

fn details_text(event: &Event<'_>) -> String {
    if event.details.is_null() {
        "{}".to_string()
    } else {
        event.details.to_string()
    }
}

/// Records an event on its own (attempts that change nothing else: a failed log-in).
pub async fn record(db: &Db, action: AuditAction, event: Event<'_>) -> Result<(), sqlx::Error> {
    let details = details_text(&event);
    on_writer!(db, pool => sqlx::query(INSERT)
    .bind(new_id()).bind(event.organization_id).bind(event.actor_user_id).bind(action)
    .bind(event.target_user_id).bind(event.subject).bind(event.ip).bind(details).bind(now())
    .execute(pool).await.map(|_| ()))?;
    Ok(())
}

/// Records an event in the transaction of the change it describes.
pub async fn record_in(
    tx: &mut Tx,
    action: AuditAction,
    event: Event<'_>,
) -> Result<(), sqlx::Error> {
    let details = details_text(&event);
    on_tx!(tx, conn => sqlx::query(INSERT)
    .bind(new_id()).bind(event.organization_id).bind(event.actor_user_id).bind(action)
    .bind(event.target_user_id).bind(event.subject).bind(event.ip).bind(details).bind(now())
    .execute(&mut *conn).await.map(|_| ()))?;
    Ok(())
}

/// Records many events of one action in the transaction of the change they
/// describe, a few hundred rows per statement.
pub async fn record_many_in(
    tx: &mut Tx,
    action: AuditAction,
    events: &[Event<'_>],
) -> Result<(), sqlx::Error> {
    let at = now();
    for part in events.chunks(400) {
        on_tx!(tx, conn => {
            let mut insert = QueryBuilder::new(
                "INSERT INTO audit_events (id, organization_id, actor_user_id, action, target_user_id, subject, ip, details, created_at) ",
            );
            insert.push_values(part, |mut b, event| {
                b.push_bind(new_id()).push_bind(event.organization_id).push_bind(event.actor_user_id)
                    .push_bind(action).push_bind(event.target_user_id).push_bind(event.subject)
                    .push_bind(event.ip).push_bind(details_text(event)).push_bind(at);
            });
            insert.build().execute(&mut *conn).await.map(|_| ())
        })?;
    }
    Ok(())
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct EventRow {
    pub id: Uuid,
    pub action: AuditAction,
    pub organization_id: Option<Uuid>,
    pub actor_user_id: Option<Uuid>,
    pub target_user_id: Option<Uuid>,
    pub subject: Option<String>,
    pub ip: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// The newest events that concern a user (as actor or target), newest first:
/// the newest `limit` of each side, each read by its index, then merged.
pub async fn for_user(db: &Db, user_id: Uuid, limit: i64) -> Result<Vec<EventRow>, sqlx::Error> {
    on_db!(db, pool => sqlx::query_as(
        "SELECT id, action, organization_id, actor_user_id, target_user_id, subject, ip, created_at FROM (
             SELECT * FROM (SELECT id, action, organization_id, actor_user_id, target_user_id, subject, ip, created_at
                 FROM audit_events WHERE actor_user_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2) AS acted
             UNION
             SELECT * FROM (SELECT id, action, organization_id, actor_user_id, target_user_id, subject, ip, created_at
                 FROM audit_events WHERE target_user_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2) AS concerned
         ) AS events ORDER BY created_at DESC, id DESC LIMIT $2",
    ).bind(user_id).bind(limit).fetch_all(pool).await)
}

/// Which events of an organization to list.
#[derive(Clone, Debug, Default)]
pub struct OrgFilter<'a> {
    pub action: Option<AuditAction>,
    /// Inclusive.
    pub from: Option<DateTime<Utc>>,
    /// Exclusive.
    pub until: Option<DateTime<Utc>>,
    /// Part of the actor's or the target's name or address (or the subject).
    pub person: &'a str,
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct OrgEventRow {
    pub id: Uuid,
    pub action: AuditAction,
    pub created_at: DateTime<Utc>,
    pub subject: Option<String>,
    pub details: String,
    pub actor_name: Option<String>,
    pub actor_email: Option<String>,
    pub target_name: Option<String>,
    pub target_email: Option<String>,
}

/// `FROM`, the joins to the actor and the target, and the conditions of `filter`.
fn push_filter<'a, DB: Database>(
    query: &mut QueryBuilder<'a, DB>,
    organization_id: Uuid,
    filter: &OrgFilter<'_>,
) where
    Uuid: Encode<'a, DB> + Type<DB>,
    String: Encode<'a, DB> + Type<DB>,
    DateTime<Utc>: Encode<'a, DB> + Type<DB>,
    AuditAction: Encode<'a, DB> + Type<DB>,
{
    query
        .push(
            "FROM audit_events e LEFT JOIN users a ON a.id = e.actor_user_id
             LEFT JOIN users t ON t.id = e.target_user_id WHERE e.organization_id = ",
        )
        .push_bind(organization_id);
    if let Some(action) = filter.action {
        query.push(" AND e.action = ").push_bind(action);
    }
    if let Some(from) = filter.from {
        query.push(" AND e.created_at >= ").push_bind(from);
    }
    if let Some(until) = filter.until {
        query.push(" AND e.created_at < ").push_bind(until);
    }
    if !filter.person.trim().is_empty() {
        let person = super::contains_pattern(filter.person);
        query.push(" AND (");
        let mut any = query.separated(" OR ");
        for column in [
            "a.email_key",
            "LOWER(a.name)",
            "t.email_key",
            "LOWER(t.name)",
            "LOWER(e.subject)",
        ] {
            any.push(column)
                .push_unseparated(" LIKE ")
                .push_bind_unseparated(person.clone())
                .push_unseparated(" ESCAPE '\\'");
        }
        query.push(")");
    }
}

/// The organization's events that pass `filter`, newest first: `limit` of them
/// from `offset`, and (with `count`) how many pass in all.
pub async fn for_organization(
    db: &Db,
    organization_id: Uuid,
    filter: &OrgFilter<'_>,
    limit: i64,
    offset: i64,
    count: bool,
) -> Result<(Vec<OrgEventRow>, i64), sqlx::Error> {
    on_db!(db, pool => {
        let mut rows = QueryBuilder::new(
            "SELECT e.id, e.action, e.created_at, e.subject, e.details, a.name AS actor_name,
                    a.email AS actor_email, t.name AS target_name, t.email AS target_email ",
        );
        push_filter(&mut rows, organization_id, filter);
        rows.push(" ORDER BY e.created_at DESC, e.id DESC LIMIT ")
            .push_bind(limit)
            .push(" OFFSET ")
            .push_bind(offset);
        let rows = rows.build_query_as().fetch_all(pool).await?;
        let total = if count {
            let mut query = QueryBuilder::new("SELECT COUNT(*) ");
            push_filter(&mut query, organization_id, filter);
            let (n,): (i64,) = query.build_query_as().fetch_one(pool).await?;
            n
        } else {
            0
        };
        Ok((rows, total))
    })
}
