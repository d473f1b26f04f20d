//! The Settings module: invitation lifetime, partner inactivity and sub-accounts.

use super::members::grantable_sub_accounts;
use super::organizations::{MemberContext, member_context};
use crate::auth::client::Client;
use crate::auth::session::Session;
use crate::db::{self, sub_accounts::WriteError};
use crate::domain::access_end::inactivity_choice;
use crate::domain::access_request::display_code;
use crate::domain::audit::AuditAction;
use crate::domain::invitation::{lifetime_label, valid_lifetime};
use crate::domain::organization::check_sub_account_name;
use crate::domain::policy::Action;
use crate::domain::sub_account::{OrganizationSettings, SubAccount, name_key};
use crate::error::AppError;
use crate::state::AppState;
use serde_json::json;
use uuid::Uuid;

pub async fn settings(
    state: &AppState,
    current: Option<Session>,
    slug: &str,
) -> Result<OrganizationSettings, AppError> {
    let ctx = member_context(state, current, slug, Action::ViewSettings).await?;
    let own = grantable_sub_accounts(state, &ctx).await?;
    let sub_accounts = db::sub_accounts::list(&state.db, ctx.organization.id)
        .await?
        .into_iter()
        .map(SubAccount::from)
        .filter(|s| own.as_ref().is_none_or(|own| own.contains(&s.id)))
        .collect();
    let (partner_inactivity_days, code) =
        db::organizations::partner_settings(&state.db, ctx.organization.id).await?;
    Ok(OrganizationSettings {
        invitation_lifetime_secs: ctx.organization.invitation_lifetime_secs,
        partner_inactivity_days,
        partner_request_code: code.as_deref().map(display_code),
        sub_accounts,
    })
}

pub async fn set_invitation_lifetime(
    state: &AppState,
    client: &Client,
    current: Option<Session>,
    slug: &str,
    secs: i64,
) -> Result<(), AppError> {
    let ctx = member_context(state, current, slug, Action::ManageSettings).await?;
    if !valid_lifetime(secs) {
        return Err(AppError::field(
            "lifetime",
            "Choose a lifetime between 1 hour and 30 days.",
        ));
    }
    let before = ctx.organization.invitation_lifetime_secs;
    if before == secs {
        return Ok(());
    }
    let mut tx = state.db.begin().await?;
    db::organizations::set_invitation_lifetime(&mut tx, ctx.organization.id, secs).await?;
    ctx.record_in(&mut tx, client, AuditAction::InvitationLifetimeChanged, None,
        json!({ "invitation_lifetime": { "before": lifetime_label(before), "after": lifetime_label(secs) } }),
    )
    .await?;
    Ok(tx.commit().await?)
}

/// Sets the partner inactivity policy: `days` as the form sends it (empty: off).
pub async fn set_partner_inactivity(
    state: &AppState,
    client: &Client,
    current: Option<Session>,
    slug: &str,
    days: &str,
) -> Result<(), AppError> {
    let ctx = member_context(state, current, slug, Action::ManageSettings).await?;
    let days = inactivity_choice(days).map_err(|m| AppError::field("days", m))?;
    let before = db::organizations::partner_inactivity(&state.db, ctx.organization.id).await?;
    if before == days {
        return Ok(());
    }
    let describe = |days: Option<i64>| match days {
        Some(days) => format!("{days} days without activity"),
        None => "never".to_string(),
    };
    let mut tx = state.db.begin().await?;
    db::organizations::set_partner_inactivity(&mut tx, ctx.organization.id, days, db::now())
        .await?;
    ctx.record_in(
        &mut tx,
        client,
        AuditAction::PartnerInactivityChanged,
        None,
        json!({ "partner_access_ends_after": { "before": describe(before), "after": describe(days) } }),
    )
    .await?;
    Ok(tx.commit().await?)
}

fn name_error(e: WriteError, name: &str) -> AppError {
    match e {
        WriteError::NameTaken => AppError::field(
            "name",
            format!("A sub-account named \"{name}\" already exists."),
        ),
        WriteError::NotFound => AppError::NotFound(NO_SUCH.into()),
        WriteError::Db(e) => e.into(),
    }
}

const NO_SUCH: &str = "This sub-account does not exist in this organization.";

/// The sub-account `id` of the actor's organization, if it is within their access.
async fn reachable(
    state: &AppState,
    ctx: &MemberContext,
    id: Uuid,
) -> Result<db::sub_accounts::SubAccountRow, AppError> {
    let own = grantable_sub_accounts(state, ctx).await?;
    db::sub_accounts::find(&state.db, ctx.organization.id, id)
        .await?
        .filter(|_| own.as_ref().is_none_or(|own| own.contains(&id)))
        .ok_or_else(|| AppError::NotFound(NO_SUCH.into()))
}

pub async fn create_sub_account(
    state: &AppState,
    client: &Client,
    current: Option<Session>,
    slug: &str,
    name: &str,
) -> Result<Uuid, AppError> {
    let ctx = member_context(state, current, slug, Action::ManageSettings).await?;
    if ctx.membership.sub_account_scope.is_some() {
        return Err(AppError::Forbidden(
            "Only members with access to every sub-account can add sub-accounts.".into(),
        ));
    }
    let name = check_sub_account_name(name).map_err(|m| AppError::field("name", m))?;
    let mut tx = state.db.begin().await?;
    let id = db::sub_accounts::create(&mut tx, ctx.organization.id, &name, &name_key(&name))
        .await
        .map_err(|e| name_error(e, &name))?;
    ctx.record_in(
        &mut tx,
        client,
        AuditAction::SubAccountCreated,
        None,
        json!({ "sub_account_id": id, "name": name }),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn rename_sub_account(
    state: &AppState,
    client: &Client,
    current: Option<Session>,
    slug: &str,
    id: Uuid,
    name: &str,
) -> Result<(), AppError> {
    let ctx = member_context(state, current, slug, Action::ManageSettings).await?;
    let name = check_sub_account_name(name).map_err(|m| AppError::field("name", m))?;
    let before = reachable(state, &ctx, id).await?;
    let mut tx = state.db.begin().await?;
    db::sub_accounts::rename(&mut tx, ctx.organization.id, id, &name, &name_key(&name))
        .await
        .map_err(|e| name_error(e, &name))?;
    ctx.record_in(
        &mut tx,
        client,
        AuditAction::SubAccountRenamed,
        None,
        json!({ "sub_account_id": id, "name": { "before": before.name, "after": name } }),
    )
    .await?;
    Ok(tx.commit().await?)
}

pub async fn set_sub_account_archived(
    state: &AppState,
    client: &Client,
    current: Option<Session>,
    slug: &str,
    id: Uuid,
    archived: bool,
) -> Result<(), AppError> {
    let ctx = member_context(state, current, slug, Action::ManageSettings).await?;
    let row = reachable(state, &ctx, id).await?;
    let mut tx = state.db.begin().await?;
    db::sub_accounts::set_archived(&mut tx, ctx.organization.id, id, archived)
        .await
        .map_err(|e| name_error(e, &row.name))?;
    let action = if archived {
        AuditAction::SubAccountArchived
    } else {
        AuditAction::SubAccountRestored
    };
    ctx.record_in(
        &mut tx,
        client,
        action,
        None,
        json!({ "sub_account_id": id, "name": row.name }),
    )
    .await?;
    Ok(tx.commit().await?)
}
