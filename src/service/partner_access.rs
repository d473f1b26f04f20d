//! A partner's access end date on the member page: set, change, clear, extend
//! by a month in one click. Team members have none.

use super::member_target::{change_error, other_member};
use super::organizations::MemberContext;
use crate::auth::client::Client;
use crate::auth::session::Session;
use crate::db::{self, members::Change, tx::Tx};
use crate::domain::access_end::{self, EXTENSION_DAYS};
use crate::domain::audit::AuditAction;
use crate::domain::role::MembershipKind;
use crate::domain::time::{Timestamp, date};
use crate::error::AppError;
use crate::mail::access_ends as mails;
use crate::state::AppState;
use chrono::{DateTime, Utc};
use serde_json::json;
use uuid::Uuid;

const FIELD: &str = "access_until";

/// Sets the last day of a partner's access (`YYYY-MM-DD`), or clears it (empty).
pub async fn set(
    state: &AppState,
    client: &Client,
    current: Option<Session>,
    slug: &str,
    user_id: Uuid,
    last_day: &str,
    version: i64,
) -> Result<(), AppError> {
    let (ctx, row) = partner(state, current, slug, user_id).await?;
    let ends = access_end::choose(last_day, db::now().into())
        .map_err(|message| AppError::field(FIELD, message))?
        .map(db::at);
    change(state, client, &ctx, &row, ends, version).await
}

/// Moves the last day a month on, from the current last day (or from today,
/// when there is none or it has passed).
pub async fn extend(
    state: &AppState,
    client: &Client,
    current: Option<Session>,
    slug: &str,
    user_id: Uuid,
    version: i64,
) -> Result<(), AppError> {
    let (ctx, row) = partner(state, current, slug, user_id).await?;
    let today = access_end::last_day(access_end::ends_at(db::now().into()));
    let from = row
        .access_ends_at
        .map(|end| access_end::last_day(end.into()))
        .filter(|day| *day >= today)
        .unwrap_or(today);
    let day = Timestamp(from.0 + EXTENSION_DAYS * 86_400);
    let ends = access_end::choose(&access_end::iso_day(day), db::now().into())
        .map_err(|message| AppError::field(FIELD, message))?
        .map(db::at);
    change(state, client, &ctx, &row, ends, version).await
}

/// The partner `user_id`, whom the actor may change.
async fn partner(
    state: &AppState,
    current: Option<Session>,
    slug: &str,
    user_id: Uuid,
) -> Result<(MemberContext, db::members::MembershipRow), AppError> {
    let (ctx, row) = other_member(
        state,
        current,
        slug,
        user_id,
        "You cannot change the end of your own access.",
    )
    .await?;
    if row.kind != MembershipKind::Partner {
        return Err(AppError::field(
            FIELD,
            format!(
                "Only partners have an access end date; {} is a team member. Make them a partner first.",
                row.name
            ),
        ));
    }
    Ok((ctx, row))
}

async fn change(
    state: &AppState,
    client: &Client,
    ctx: &MemberContext,
    row: &db::members::MembershipRow,
    ends: Option<DateTime<Utc>>,
    version: i64,
) -> Result<(), AppError> {
    let actor = ctx.actor_name();
    let mut tx = state.db.begin().await?;
    write_in(&mut tx, state, client, ctx, actor, row, ends, version).await?;
    tx.commit().await?;
    state.mailer.wake();
    Ok(())
}

/// Writes a new end (against `version`), its audit event and the partner's
/// mail in `tx`. Reactivation uses it too, in its own transaction.
#[allow(clippy::too_many_arguments)]
pub(super) async fn write_in(
    tx: &mut Tx,
    state: &AppState,
    client: &Client,
    ctx: &MemberContext,
    actor: &str,
    row: &db::members::MembershipRow,
    ends: Option<DateTime<Utc>>,
    version: i64,
) -> Result<(), AppError> {
    let label = |end: Option<DateTime<Utc>>| end.map(|end| date(access_end::last_day(end.into())));
    let (before, after) = (label(row.access_ends_at), label(ends));
    db::members::change(
        tx,
        ctx.organization.id,
        row.id,
        version,
        &Change::AccessEnd(ends),
    )
    .await
    .map_err(change_error)?;
    let link = state.link(&format!("/o/{}", ctx.organization.slug));
    let mail = mails::changed(
        &row.name,
        &ctx.organization.name,
        actor,
        after.as_deref(),
        &link,
    );
    state.mailer.queue_in(tx, &row.email, &mail).await?;
    ctx.record_in(
        tx,
        client,
        AuditAction::MemberAccessEndChanged,
        Some(row.user_id),
        json!({ "last_day": {
            "before": before.unwrap_or_else(|| "none".into()),
            "after": after.unwrap_or_else(|| "none".into()),
        } }),
    )
    .await?;
    Ok(())
}
