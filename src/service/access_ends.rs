//! The access-end job: partners whose access end has come are deactivated
//! (their sessions stop working there at once: every request reads the
//! membership), with an email to them and a digest to their organization's
//! admins and an audit event each; a week before, both sides are reminded.
//! Organizations may also end partners' access after a number of days
//! without activity (Settings); the same job applies it.
//! It also forgets former memberships older than the reinstating window.
//! Each batch is one transaction with its mails and events. Several instances
//! may run it at once: a membership is claimed by the change itself.

use crate::db::{self, access_ends::DueRow, audit::Event, outbox::NewMail, tx::Tx};
use crate::domain::access_end::{self, REMINDER_DAYS};
use crate::domain::audit::AuditAction;
use crate::domain::former_access::REINSTATE_DAYS;
use crate::domain::time::date;
use crate::error::AppError;
use crate::mail::{Rendered, access_ends as mails};
use crate::state::AppState;
use chrono::{DateTime, Duration, Utc};
use serde_json::json;
use std::collections::BTreeMap;
use uuid::Uuid;

/// Memberships handled per transaction.
const BATCH: i64 = 1_000;

/// What one run did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub ended: usize,
    pub reminded: usize,
    /// Partners deactivated by their organization's inactivity policy.
    pub inactive: usize,
    /// Former memberships past the reinstating window, deleted.
    pub forgotten: u64,
}

/// Ends and reminds everything due at `at` (the clock is a parameter so tests
/// can move it).
pub async fn run_due(state: &AppState, at: DateTime<Utc>) -> Result<Report, AppError> {
    let mut report = Report::default();
    loop {
        let mut tx = state.db.begin().await?;
        let due = db::access_ends::end_due(&mut tx, at, BATCH).await?;
        if due.is_empty() {
            break;
        }
        report.ended += due.len();
        ended(state, &mut tx, &due).await?;
        tx.commit().await?;
        state.mailer.wake();
    }
    let until = at + Duration::days(REMINDER_DAYS);
    loop {
        let mut tx = state.db.begin().await?;
        let due = db::access_ends::remind_due(&mut tx, at, until, BATCH).await?;
        if due.is_empty() {
            break;
        }
        report.reminded += due.len();
        ending_soon(state, &mut tx, &due).await?;
        tx.commit().await?;
        state.mailer.wake();
    }
    // Organizations that end partners' access after inactivity, one at a time.
    for policy in db::access_ends::inactivity_policies(&state.db).await? {
        let cutoff = at - Duration::days(policy.days);
        // The days count from when the policy was turned on, too.
        if policy.since >= cutoff {
            continue;
        }
        loop {
            let mut tx = state.db.begin().await?;
            let due =
                db::access_ends::end_inactive(&mut tx, policy.organization_id, cutoff, at, BATCH)
                    .await?;
            if due.is_empty() {
                break;
            }
            report.inactive += due.len();
            inactive(state, &mut tx, &due, policy.days).await?;
            tx.commit().await?;
            state.mailer.wake();
        }
    }
    // The same job forgets former access that can no longer be restored.
    report.forgotten =
        db::former_members::prune(&state.db, at - Duration::days(REINSTATE_DAYS)).await?;
    Ok(report)
}

fn last_day(row: &DueRow) -> String {
    row.access_ends_at
        .map(|end| date(access_end::last_day(end.into())))
        .unwrap_or_default()
}

fn last_active(row: &DueRow) -> String {
    row.last_active_at
        .map(date)
        .unwrap_or_else(|| "never".into())
}

async fn inactive(
    state: &AppState,
    tx: &mut Tx,
    due: &[DueRow],
    days: i64,
) -> Result<(), AppError> {
    let mut mails: Vec<(String, Rendered)> = due
        .iter()
        .map(|row| {
            let mail = mails::inactive(&row.name, &row.organization_name, days);
            (row.email.clone(), mail)
        })
        .collect();
    mails.extend(
        digests(
            tx,
            due,
            |row| format!("last active {}", last_active(row)),
            |admin, org, partners| {
                let link = state.link(&format!("/o/{}/members/deactivated", org.organization_slug));
                mails::inactive_digest(admin, &org.organization_name, days, partners, &link)
            },
        )
        .await?,
    );
    queue(tx, &mails).await?;
    record_ended(tx, due, AuditAction::MemberInactivityEnded, |row| {
        json!({ "email": row.email, "days_without_activity": days, "last_active": last_active(row) })
    })
    .await
}

/// One audit event per partner whose access ended, in their organization.
async fn record_ended(
    tx: &mut Tx,
    due: &[DueRow],
    action: AuditAction,
    details: impl Fn(&DueRow) -> serde_json::Value,
) -> Result<(), AppError> {
    let events: Vec<Event<'_>> = due
        .iter()
        .map(|row| Event {
            organization_id: Some(row.organization_id),
            target_user_id: Some(row.user_id),
            details: details(row),
            ..Event::default()
        })
        .collect();
    db::audit::record_many_in(tx, action, &events).await?;
    Ok(())
}

fn with_last_day(row: &DueRow) -> String {
    format!("last day {}", last_day(row))
}

async fn ended(state: &AppState, tx: &mut Tx, due: &[DueRow]) -> Result<(), AppError> {
    let mut mails: Vec<(String, Rendered)> = due
        .iter()
        .map(|row| {
            let mail = mails::ended(&row.name, &row.organization_name, &last_day(row));
            (row.email.clone(), mail)
        })
        .collect();
    mails.extend(
        digests(tx, due, with_last_day, |admin, org, partners| {
            let link = state.link(&format!("/o/{}/members/deactivated", org.organization_slug));
            mails::ended_digest(admin, &org.organization_name, partners, &link)
        })
        .await?,
    );
    queue(tx, &mails).await?;
    record_ended(
        tx,
        due,
        AuditAction::MemberAccessEnded,
        |row| json!({ "email": row.email, "last_day": last_day(row) }),
    )
    .await
}

async fn ending_soon(state: &AppState, tx: &mut Tx, due: &[DueRow]) -> Result<(), AppError> {
    let mut mails: Vec<(String, Rendered)> = due
        .iter()
        .map(|row| {
            let link = state.link(&format!("/o/{}", row.organization_slug));
            let mail = mails::ending_soon(&row.name, &row.organization_name, &last_day(row), &link);
            (row.email.clone(), mail)
        })
        .collect();
    mails.extend(
        digests(tx, due, with_last_day, |admin, org, partners| {
            let link = state.link(&format!("/o/{}/members", org.organization_slug));
            mails::ending_soon_digest(admin, &org.organization_name, partners, &link)
        })
        .await?,
    );
    queue(tx, &mails).await
}

/// One mail to each active owner and admin of every organization in `due`,
/// listing that organization's partners.
async fn digests(
    tx: &mut Tx,
    due: &[DueRow],
    when: impl Fn(&DueRow) -> String,
    render: impl Fn(&str, &DueRow, &[mails::Partner<'_>]) -> Rendered,
) -> Result<Vec<(String, Rendered)>, AppError> {
    let mut by_org: BTreeMap<Uuid, Vec<&DueRow>> = BTreeMap::new();
    for row in due {
        by_org.entry(row.organization_id).or_default().push(row);
    }
    let orgs: Vec<Uuid> = by_org.keys().copied().collect();
    let admins = db::access_ends::admins_of(tx, &orgs).await?;
    let mut out = Vec::new();
    for admin in &admins {
        let Some(rows) = by_org.get(&admin.organization_id) else {
            continue;
        };
        let partners: Vec<mails::Partner<'_>> = rows
            .iter()
            .map(|row| mails::Partner {
                name: &row.name,
                email: &row.email,
                when: when(row),
            })
            .collect();
        out.push((admin.email.clone(), render(&admin.name, rows[0], &partners)));
    }
    Ok(out)
}

async fn queue(tx: &mut Tx, mails: &[(String, Rendered)]) -> Result<(), AppError> {
    let rows: Vec<NewMail<'_>> = mails.iter().map(|(to, mail)| mail.to(to)).collect();
    db::outbox::enqueue_many_in(tx, &rows).await?;
    Ok(())
}

/// Runs the job every `every`, from now on, until the process ends.
pub fn spawn(state: AppState, every: std::time::Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(every);
        loop {
            ticks.tick().await;
            let now = db::now();
            match run_due(&state, now).await {
                Ok(report)
                    if report.ended + report.reminded + report.inactive > 0
                        || report.forgotten > 0 =>
                {
                    tracing::info!(
                        ended = report.ended,
                        inactive = report.inactive,
                        reminded = report.reminded,
                        forgotten = report.forgotten,
                        "partner access ends handled"
                    );
                }
                Ok(_) => {}
                Err(error) => tracing::error!(%error, "the access-end job failed"),
            }
            metrics::gauge!("consort_job_last_run_timestamp_seconds", "job" => "access_ends")
                .set(now.timestamp() as f64);
        }
    })
}
