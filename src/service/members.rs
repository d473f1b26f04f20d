//! The people of an organization: the Members list, a member's detail, and
//! changing, deactivating and removing members.

use super::invitation_check::SubAccountIndex;
use super::organizations::{MemberContext, member_context};
use crate::auth::client::Client;
use crate::auth::session::Session;
use crate::db::{
    self,
    members::{Change, ChangeError},
};
use crate::domain::audit::AuditAction;
use crate::domain::member::{AccessChange, MemberDetail, MemberQuery, MemberView};
use crate::domain::module;
use crate::domain::page::{PAGE_SIZE, Page};
use crate::domain::policy::{Action, may_change_member};
use crate::domain::role::{MemberStatus, MembershipKind, Role};
use crate::domain::sub_account::SubAccount;
use crate::error::{AppError, Checks};
use crate::state::AppState;
use serde_json::json;
use uuid::Uuid;

pub async fn list(
    state: &AppState,
    current: Option<Session>,
    slug: &str,
    query: MemberQuery,
) -> Result<Page<MemberView>, AppError> {
    let ctx = member_context(state, current, slug, Action::ViewMembers).await?;
    let page = query.page.max(1);
    let (rows, total) = db::members::list(
        &state.db,
        ctx.organization.id,
        query.status.as_str(),
        &query.search,
        page,
    )
    .await?;
    let items = rows
        .into_iter()
        .filter_map(|row| {
            let role = Role::parse(&row.role)?;
            let granted = module::parse_list(&row.modules).unwrap_or_default();
            Some(MemberView {
                user_id: row.user_id,
                name: row.name,
                email: row.email,
                kind: MembershipKind::parse(&row.kind)?,
                role,
                status: MemberStatus::parse(&row.status)?,
                modules: module::effective(role, &granted),
                joined_at: row.created_at.into(),
            })
        })
        .collect();
    Ok(Page {
        items,
        total: total.max(0) as u64,
        page,
        page_size: PAGE_SIZE,
    })
}

const NO_MEMBER: &str = "This person is not a member of this organization.";
const STALE: &str = "Someone else changed this member since you opened the page. Reload to see their change, then try again.";
const LAST_OWNER: &str =
    "This is the organization's last active owner: make someone else owner first.";

/// A member of the organization as the detail page shows them.
pub async fn detail(
    state: &AppState,
    current: Option<Session>,
    slug: &str,
    user_id: Uuid,
) -> Result<MemberDetail, AppError> {
    let ctx = member_context(state, current, slug, Action::ManageMembers).await?;
    let row = target(state, &ctx, user_id).await?;
    let role = Role::parse(&row.role).ok_or(AppError::Internal)?;
    let granted = module::parse_list(&row.modules).unwrap_or_default();
    let limited = if row.all_sub_accounts {
        None
    } else {
        Some(db::members::sub_account_ids(&state.db, row.id).await?)
    };
    let sub_accounts = db::sub_accounts::list(&state.db, ctx.organization.id).await?;
    let effective_sub_accounts = sub_accounts
        .iter()
        .filter(|s| s.archived_at.is_none())
        .filter(|s| limited.as_ref().is_none_or(|ids| ids.contains(&s.id)))
        .map(|s| s.name.clone())
        .collect();
    Ok(MemberDetail {
        user_id: row.user_id,
        name: row.name,
        email: row.email,
        kind: MembershipKind::parse(&row.kind).ok_or(AppError::Internal)?,
        role,
        status: MemberStatus::parse(&row.status).ok_or(AppError::Internal)?,
        effective_modules: module::effective(role, &granted),
        granted,
        sub_accounts: limited,
        version: row.version,
        joined_at: row.created_at.into(),
        effective_sub_accounts,
        is_you: row.user_id == ctx.user_id,
    })
}

async fn target(
    state: &AppState,
    ctx: &MemberContext,
    user_id: Uuid,
) -> Result<db::members::MembershipRow, AppError> {
    db::members::find(&state.db, ctx.organization.id, user_id)
        .await?
        .ok_or_else(|| AppError::NotFound(NO_MEMBER.into()))
}

fn rule(actor: Role, current: &db::members::MembershipRow, new: Role) -> Result<Role, AppError> {
    let current = Role::parse(&current.role).ok_or(AppError::Internal)?;
    may_change_member(actor, current, new).map_err(|r| AppError::Forbidden(r.message().into()))?;
    Ok(current)
}

fn change_error(e: ChangeError) -> AppError {
    match e {
        ChangeError::Stale => AppError::Conflict(STALE.into()),
        ChangeError::LastOwner => AppError::Conflict(LAST_OWNER.into()),
        ChangeError::Db(e) => e.into(),
    }
}

/// Changes a member's role, modules and sub-account access.
pub async fn update_access(
    state: &AppState,
    client: &Client,
    current: Option<Session>,
    slug: &str,
    user_id: Uuid,
    change: AccessChange,
) -> Result<(), AppError> {
    let ctx = member_context(state, current, slug, Action::ManageMembers).await?;
    let row = target(state, &ctx, user_id).await?;
    let before = rule(ctx.membership.role, &row, change.role)?;
    let mut checks = Checks::new();
    if let Some(module) = change
        .modules
        .iter()
        .find(|m| !module::grantable(change.role, **m))
    {
        checks.add(
            "modules",
            format!(
                "The {} module is for admins only: it cannot be given to the role {}.",
                module.label(),
                change.role.label()
            ),
        );
    }
    let sub_accounts = match &change.sub_accounts {
        None => None,
        Some(ids) => {
            let all = db::sub_accounts::list(&state.db, ctx.organization.id).await?;
            let index = SubAccountIndex::new(all.into_iter().map(SubAccount::from).collect());
            checks.take("sub_accounts", index.resolve_ids(ids))
        }
    };
    checks.finish()?;
    let modules = super::invitations::module_list(&change.modules);
    db::members::change(
        &state.db,
        ctx.organization.id,
        row.id,
        change.version,
        &Change::Access {
            role: change.role.as_str(),
            modules: &modules,
            sub_accounts: sub_accounts.as_deref(),
        },
    )
    .await
    .map_err(change_error)?;
    audit(
        state,
        client,
        &ctx,
        user_id,
        AuditAction::MemberAccessChanged,
        json!({
            "role": { "before": before.as_str(), "after": change.role.as_str() },
            "modules": { "before": row.modules, "after": modules },
            "sub_accounts": { "all_before": row.all_sub_accounts, "after": sub_accounts },
        }),
    )
    .await
}

/// Another member whom the actor may deactivate or remove (their role stays
/// as it is, so only the owner rule applies); `yourself` says why not oneself.
async fn other_member(
    state: &AppState,
    current: Option<Session>,
    slug: &str,
    user_id: Uuid,
    yourself: &str,
) -> Result<(MemberContext, db::members::MembershipRow), AppError> {
    let ctx = member_context(state, current, slug, Action::ManageMembers).await?;
    let row = target(state, &ctx, user_id).await?;
    if user_id == ctx.user_id {
        return Err(AppError::Forbidden(yourself.into()));
    }
    let role = Role::parse(&row.role).ok_or(AppError::Internal)?;
    rule(ctx.membership.role, &row, role)?;
    Ok((ctx, row))
}

/// Deactivates (the person keeps the membership but cannot open the
/// organization: every request checks it) or reactivates a member.
pub async fn set_active(
    state: &AppState,
    client: &Client,
    current: Option<Session>,
    slug: &str,
    user_id: Uuid,
    active: bool,
    version: i64,
) -> Result<(), AppError> {
    let (ctx, row) = other_member(
        state,
        current,
        slug,
        user_id,
        "You cannot deactivate yourself.",
    )
    .await?;
    let status = if active {
        MemberStatus::Active
    } else {
        MemberStatus::Deactivated
    };
    db::members::change(
        &state.db,
        ctx.organization.id,
        row.id,
        version,
        &Change::Status(status.as_str()),
    )
    .await
    .map_err(change_error)?;
    let action = if active {
        AuditAction::MemberReactivated
    } else {
        AuditAction::MemberDeactivated
    };
    audit(
        state,
        client,
        &ctx,
        user_id,
        action,
        json!({ "email": row.email }),
    )
    .await
}

/// Removes a member: gone from the organization; they can be invited again.
pub async fn remove(
    state: &AppState,
    client: &Client,
    current: Option<Session>,
    slug: &str,
    user_id: Uuid,
    version: i64,
) -> Result<(), AppError> {
    let (ctx, row) = other_member(
        state,
        current,
        slug,
        user_id,
        "You cannot remove yourself here: leave the organization from Account settings.",
    )
    .await?;
    db::members::change(
        &state.db,
        ctx.organization.id,
        row.id,
        version,
        &Change::Remove,
    )
    .await
    .map_err(change_error)?;
    audit(
        state,
        client,
        &ctx,
        user_id,
        AuditAction::MemberRemoved,
        json!({ "email": row.email, "role": row.role, "kind": row.kind }),
    )
    .await
}

async fn audit(
    state: &AppState,
    client: &Client,
    ctx: &MemberContext,
    target_user_id: Uuid,
    action: AuditAction,
    details: serde_json::Value,
) -> Result<(), AppError> {
    db::audit::record(
        &state.db,
        action,
        db::audit::Event {
            organization_id: Some(ctx.organization.id),
            actor_user_id: Some(ctx.user_id),
            target_user_id: Some(target_user_id),
            ip: client.ip(),
            details,
            ..Default::default()
        },
    )
    .await?;
    Ok(())
}
