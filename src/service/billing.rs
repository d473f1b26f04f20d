//! The Billing module: billing details, and seat usage now and month by month,
//! computed from the seat history.

use super::organizations::member_context;
use crate::auth::client::Client;
use crate::auth::session::Session;
use crate::db;
use crate::domain::audit::AuditAction;
use crate::domain::billing::{
    self, BillingDetails, BillingOverview, SeatCounts, SeatHistory, Stretch, check_details,
};
use crate::domain::policy::Action;
use crate::domain::role::MembershipKind;
use crate::domain::time::{Timestamp, month_start, previous_month};
use crate::error::{AppError, FieldError};
use crate::state::AppState;
use chrono::{DateTime, Utc};
use serde_json::json;
use uuid::Uuid;

/// How many months the page and the export go back.
pub const MONTHS: usize = 24;

pub async fn overview(
    state: &AppState,
    current: Option<Session>,
    slug: &str,
) -> Result<BillingOverview, AppError> {
    let ctx = member_context(state, current, slug, Action::ViewBilling).await?;
    let details = db::billing::get(&state.db, ctx.organization.id).await?;
    let (now, months) = usage(state, ctx.organization.id, ctx.organization.created_at).await?;
    Ok(BillingOverview {
        details,
        now,
        months,
    })
}

pub async fn save_details(
    state: &AppState,
    client: &Client,
    current: Option<Session>,
    slug: &str,
    details: BillingDetails,
) -> Result<BillingDetails, AppError> {
    let ctx = member_context(state, current, slug, Action::ManageBilling).await?;
    let clean = check_details(&details).map_err(|errors| {
        AppError::Invalid(
            errors
                .into_iter()
                .map(|(field, message)| FieldError {
                    field: field.into(),
                    message,
                })
                .collect(),
        )
    })?;
    let before = db::billing::get(&state.db, ctx.organization.id).await?;
    let mut tx = state.db.begin().await?;
    if !db::billing::save(&mut tx, ctx.organization.id, &clean).await? {
        return Err(AppError::Conflict(
            "Someone else saved the billing details since you opened the page. Reload to see them, then try again.".into(),
        ));
    }
    let change = |a: &str, b: &str| (a != b).then(|| json!({ "before": a, "after": b }));
    ctx.record_in(
        &mut tx,
        client,
        AuditAction::BillingDetailsChanged,
        None,
        json!({
            "contact_name": change(&before.contact_name, &clean.contact_name),
            "contact_email": change(&before.contact_email, &clean.contact_email),
            "address": change(&before.address, &clean.address),
            "tax_id": change(&before.tax_id, &clean.tax_id),
        }),
    )
    .await?;
    tx.commit().await?;
    Ok(db::billing::get(&state.db, ctx.organization.id).await?)
}

/// Seats now, and in each of the last [`MONTHS`] months since the organization began.
async fn usage(
    state: &AppState,
    organization_id: Uuid,
    created_at: DateTime<Utc>,
) -> Result<(SeatCounts, Vec<billing::SeatMonth>), AppError> {
    let now = db::now();
    let first = Timestamp::from(created_at);
    let start = Timestamp::from(now).ymd();
    // From the first day of the oldest month shown.
    let (mut year, mut month) = (start.0, start.1);
    for _ in 1..MONTHS {
        (year, month) = previous_month(year, month);
    }
    let from = DateTime::<Utc>::from_timestamp(month_start(year, month).0, 0).unwrap_or(created_at);
    let from = from.max(created_at);
    let periods = db::seats::overlapping(&state.db, organization_id, from, now).await?;
    let pending = db::seats::pending_invitations(&state.db, organization_id, from, now).await?;
    let mut history = SeatHistory::default();
    for p in periods {
        let stretch = Stretch {
            holder: p.user_id.as_u128(),
            start: p.started_at.into(),
            end: p.ended_at.map(Into::into),
        };
        if p.kind == MembershipKind::Partner {
            history.partners.push(stretch);
        } else {
            history.team_members.push(stretch);
        }
    }
    history.pending_invitations = pending
        .into_iter()
        .map(|p| Stretch {
            holder: p.id.as_u128(),
            start: p.created_at.into(),
            end: p.ended_at.map(Into::into),
        })
        .collect();
    let at = Timestamp::from(now);
    let holding = |stretches: &[Stretch]| {
        stretches
            .iter()
            .filter(|s| s.start <= at && s.end.is_none_or(|e| e > at))
            .count() as u32
    };
    let seats_now = SeatCounts {
        team_members: holding(&history.team_members),
        partners: holding(&history.partners),
        pending_invitations: holding(&history.pending_invitations),
    };
    Ok((seats_now, billing::monthly(&history, first, at, MONTHS)))
}
