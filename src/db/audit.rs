//! The audit trail: who did what, in which organization, to whom, when.

use super::{Db, new_id, now, on_db};
use crate::domain::audit::AuditAction;
use chrono::{DateTime, Utc};
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

pub async fn record(db: &Db, action: AuditAction, event: Event<'_>) -> Result<(), sqlx::Error> {
    let details = if event.details.is_null() {
        "{}".to_string()
    } else {
        event.details.to_string()
    };
    on_db!(db, pool => sqlx::query(
        "INSERT INTO audit_events (id, organization_id, actor_user_id, action, target_user_id, subject, ip, details, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(new_id()).bind(event.organization_id).bind(event.actor_user_id).bind(action.as_str())
    .bind(event.target_user_id).bind(event.subject).bind(event.ip).bind(details).bind(now())
    .execute(pool).await.map(|_| ()))?;
    Ok(())
}

/// Which column a count is about.
#[derive(Clone, Copy, Debug)]
pub enum CountBy {
    /// The subject (an attempted email, say).
    Subject,
    /// The client address.
    Ip,
}

/// How many `action` events with `value` in the `by` column happened since `since`.
pub async fn count_since(
    db: &Db,
    action: AuditAction,
    by: CountBy,
    value: &str,
    since: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    let sql = match by {
        CountBy::Subject => {
            "SELECT COUNT(*) FROM audit_events WHERE action = $1 AND subject = $2 AND created_at > $3"
        }
        CountBy::Ip => {
            "SELECT COUNT(*) FROM audit_events WHERE action = $1 AND ip = $2 AND created_at > $3"
        }
    };
    let (n,): (i64,) = on_db!(db, pool => sqlx::query_as(sql)
        .bind(action.as_str()).bind(value).bind(since).fetch_one(pool).await)?;
    Ok(n)
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct EventRow {
    pub action: String,
    pub organization_id: Option<Uuid>,
    pub actor_user_id: Option<Uuid>,
    pub target_user_id: Option<Uuid>,
    pub subject: Option<String>,
    pub ip: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// The newest events that concern a user (as actor or target), newest first.
pub async fn for_user(db: &Db, user_id: Uuid, limit: i64) -> Result<Vec<EventRow>, sqlx::Error> {
    on_db!(db, pool => sqlx::query_as(
        "SELECT action, organization_id, actor_user_id, target_user_id, subject, ip, created_at FROM audit_events
         WHERE actor_user_id = $1 OR target_user_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2",
    ).bind(user_id).bind(limit).fetch_all(pool).await)
}
