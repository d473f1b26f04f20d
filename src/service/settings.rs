//! The Settings module: invitation lifetime and sub-accounts.

use super::organizations::member_context;
use crate::auth::client::Client;
use crate::auth::session::Session;
use crate::db::{self, sub_accounts::WriteError};
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
    let sub_accounts = db::sub_accounts::list(&state.db, ctx.organization.id)
        .await?
        .into_iter()
        .map(SubAccount::from)
        .collect();
    Ok(OrganizationSettings {
        invitation_lifetime_secs: ctx.organization.invitation_lifetime_secs,
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
    db::organizations::set_invitation_lifetime(&state.db, ctx.organization.id, secs).await?;
    audit(
        state,
        client,
        &ctx,
        AuditAction::InvitationLifetimeChanged,
        json!({ "invitation_lifetime": { "before": lifetime_label(before), "after": lifetime_label(secs) } }),
    )
    .await
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

pub async fn create_sub_account(
    state: &AppState,
    client: &Client,
    current: Option<Session>,
    slug: &str,
    name: &str,
) -> Result<Uuid, AppError> {
    let ctx = member_context(state, current, slug, Action::ManageSettings).await?;
    let name = check_sub_account_name(name).map_err(|m| AppError::field("name", m))?;
    let id = db::sub_accounts::create(&state.db, ctx.organization.id, &name, &name_key(&name))
        .await
        .map_err(|e| name_error(e, &name))?;
    audit(
        state,
        client,
        &ctx,
        AuditAction::SubAccountCreated,
        json!({ "sub_account_id": id, "name": name }),
    )
    .await?;
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
    let before = db::sub_accounts::find(&state.db, ctx.organization.id, id)
        .await?
        .ok_or_else(|| AppError::NotFound(NO_SUCH.into()))?;
    db::sub_accounts::rename(&state.db, ctx.organization.id, id, &name, &name_key(&name))
        .await
        .map_err(|e| name_error(e, &name))?;
    audit(
        state,
        client,
        &ctx,
        AuditAction::SubAccountRenamed,
        json!({ "sub_account_id": id, "name": { "before": before.name, "after": name } }),
    )
    .await
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
    let row = db::sub_accounts::find(&state.db, ctx.organization.id, id)
        .await?
        .ok_or_else(|| AppError::NotFound(NO_SUCH.into()))?;
    db::sub_accounts::set_archived(&state.db, ctx.organization.id, id, archived)
        .await
        .map_err(|e| name_error(e, &row.name))?;
    let action = if archived {
        AuditAction::SubAccountArchived
    } else {
        AuditAction::SubAccountRestored
    };
    audit(
        state,
        client,
        &ctx,
        action,
        json!({ "sub_account_id": id, "name": row.name }),
    )
    .await
}

async fn audit(
    state: &AppState,
    client: &Client,
    ctx: &super::organizations::MemberContext,
    action: AuditAction,
    details: serde_json::Value,
) -> Result<(), AppError> {
    db::audit::record(
        &state.db,
        action,
        db::audit::Event {
            organization_id: Some(ctx.organization.id),
            actor_user_id: Some(ctx.user_id),
            ip: client.ip(),
            details,
            ..Default::default()
        },
    )
    .await?;
    Ok(())
}
