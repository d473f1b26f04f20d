//! The Audit log module: an organization's trail, filtered, paged and exported.

use super::organizations::member_context;
use crate::auth::client::Client;
use crate::auth::session::Session;
use crate::db::{self, audit::OrgEventRow};
use crate::domain::audit::{AuditAction, AuditEntry, AuditQuery, PersonRef, change_lines};
use crate::domain::csv;
use crate::domain::page::{PAGE_SIZE, Page};
use crate::domain::policy::Action;
use crate::error::{AppError, Checks};
use crate::state::AppState;
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::json;

/// At most this many events go into one export.
pub const EXPORT_LIMIT: i64 = 100_000;

pub async fn list(
    state: &AppState,
    current: Option<Session>,
    slug: &str,
    query: AuditQuery,
) -> Result<Page<AuditEntry>, AppError> {
    let ctx = member_context(state, current, slug, Action::ViewAuditLog).await?;
    let filter = filter(&query)?;
    let page = query.page.max(1);
    let size = i64::from(PAGE_SIZE);
    let (rows, total) = db::audit::for_organization(
        &state.db,
        ctx.organization.id,
        &filter,
        size,
        i64::from(page - 1) * size,
        true,
    )
    .await?;
    Ok(Page {
        items: rows.into_iter().map(entry).collect::<Result<_, _>>()?,
        total: total.max(0) as u64,
        page,
        page_size: PAGE_SIZE,
    })
}

/// The events that pass the filters (every page, up to [`EXPORT_LIMIT`]) as CSV.
/// The export itself is recorded.
pub async fn export(
    state: &AppState,
    client: &Client,
    current: Option<Session>,
    slug: &str,
    query: AuditQuery,
) -> Result<String, AppError> {
    let ctx = member_context(state, current, slug, Action::ViewAuditLog).await?;
    let filter = filter(&query)?;
    let (rows, _) = db::audit::for_organization(
        &state.db,
        ctx.organization.id,
        &filter,
        EXPORT_LIMIT,
        0,
        false,
    )
    .await?;
    let entries = rows.into_iter().map(entry).collect::<Result<Vec<_>, _>>()?;
    ctx.record(
        state,
        client,
        AuditAction::AuditLogExported,
        None,
        json!({
            "events": entries.len(),
            "filters": {
                "person": query.person, "action": query.action.map(AuditAction::as_str),
                "from": query.from, "to": query.to,
            },
        }),
    )
    .await?;
    Ok(to_csv(&entries))
}

/// One event as the log shows it. Details that are not JSON are an error, logged,
/// not an event shown without its changes.
fn entry(row: OrgEventRow) -> Result<AuditEntry, AppError> {
    let action = row.action;
    let details: serde_json::Value = serde_json::from_str(&row.details).map_err(|error| {
        tracing::error!(event = %row.id, %error, "audit event details do not decode");
        AppError::Internal
    })?;
    let actor = match (row.actor_name, row.actor_email) {
        (Some(name), Some(email)) => Some(PersonRef { name, email }),
        _ => None,
    };
    let target = match (row.target_name, row.target_email) {
        (Some(name), Some(email)) => Some(PersonRef { name, email }),
        _ => row.subject.map(|email| PersonRef {
            name: String::new(),
            email,
        }),
    };
    Ok(AuditEntry {
        at: row.created_at.into(),
        action,
        actor,
        target,
        changes: change_lines(&details),
    })
}

/// The query as the database filters it; its days become instants, from the
/// start of `from` to the end of `to` (UTC).
fn filter(query: &AuditQuery) -> Result<db::audit::OrgFilter<'_>, AppError> {
    let mut checks = Checks::new();
    let from = checks.take("from", day(&query.from)).flatten();
    let to = checks.take("to", day(&query.to)).flatten();
    if let (Some(from), Some(to)) = (from, to)
        && to < from
    {
        checks.add("to", "The last day is before the first day.");
    }
    checks.finish()?;
    let start = |d: NaiveDate| d.and_hms_opt(0, 0, 0).map(|t| t.and_utc());
    Ok(db::audit::OrgFilter {
        action: query.action,
        from: from.and_then(start),
        until: to.and_then(|d| d.succ_opt()).and_then(start),
        person: &query.person,
    })
}

fn day(value: &str) -> Result<Option<NaiveDate>, String> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| format!("\"{value}\" is not a date: use the form 2026-12-31."))
}

/// The entries as CSV: time, action, actor, target, changes.
pub fn to_csv(entries: &[AuditEntry]) -> String {
    let mut out = String::from("time,action,actor_name,actor_email,target,changes\n");
    for e in entries {
        let changes: Vec<String> = e
            .changes
            .iter()
            .map(|c| match &c.before {
                Some(before) => format!("{}: {before} -> {}", c.field, c.after),
                None => format!("{}: {}", c.field, c.after),
            })
            .collect();
        let fields = [
            DateTime::<Utc>::from_timestamp(e.at.0, 0)
                .map(|at| at.to_rfc3339())
                .unwrap_or_default(),
            e.action.as_str().to_string(),
            e.actor.as_ref().map(|a| a.name.clone()).unwrap_or_default(),
            e.actor
                .as_ref()
                .map(|a| a.email.clone())
                .unwrap_or_default(),
            e.target
                .as_ref()
                .map(PersonRef::display)
                .unwrap_or_default(),
            changes.join("; "),
        ];
        csv::push_record(&mut out, &fields);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_parse_and_a_reversed_period_is_refused() {
        let query = |from: &str, to: &str| AuditQuery {
            from: from.into(),
            to: to.into(),
            ..Default::default()
        };
        let day = query("2026-11-02", "2026-11-02");
        let one = filter(&day).unwrap();
        assert_eq!(one.from.unwrap().to_rfc3339(), "2026-11-02T00:00:00+00:00");
        assert_eq!(one.until.unwrap().to_rfc3339(), "2026-11-03T00:00:00+00:00");
        let open = query("", "");
        let all = filter(&open).unwrap();
        assert_eq!((all.from, all.until), (None, None));
        let err = filter(&query("2026-11-05", "2026-11-01")).unwrap_err();
        assert!(
            err.message_for("to")
                .unwrap()
                .contains("before the first day")
        );
        let err = filter(&query("yesterday", "")).unwrap_err();
        assert!(err.message_for("from").unwrap().contains("not a date"));
    }
}
