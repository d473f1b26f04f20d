//! The member an action is about, and whether the actor may change them: found
//! within the actor's organization (and sub-accounts), the owner rule, the
//! sub-account reach, and what a refused change says. Shared by every service
//! that changes a member.

use super::organizations::{MemberContext, member_context};
use crate::auth::session::Session;
use crate::db::{self, members::ChangeError};
use crate::domain::policy::{Action, may_change_member, may_grant_sub_accounts};
use crate::domain::role::Role;
use crate::error::AppError;
use crate::state::AppState;
use uuid::Uuid;

const NO_MEMBER: &str = "This person is not a member of this organization.";
const STALE: &str = "Someone else changed this member since you opened the page. Reload to see their change, then try again.";
const LAST_OWNER: &str =
    "This is the organization's last active owner: make someone else owner first.";

/// The member `user_id` of the actor's organization, if the actor may see them
/// (a viewer limited to some sub-accounts sees only who shares one).
pub async fn target(
    state: &AppState,
    ctx: &MemberContext,
    user_id: Uuid,
) -> Result<db::members::MembershipRow, AppError> {
    let row = db::members::find(&state.db, ctx.organization.id, user_id)
        .await?
        .ok_or_else(|| AppError::NotFound(NO_MEMBER.into()))?;
    if let Some(viewer) = ctx.membership.sub_account_scope
        && !db::members::shares_sub_account(&state.db, viewer, row.id).await?
    {
        return Err(AppError::NotFound(NO_MEMBER.into()));
    }
    Ok(row)
}

/// A member the actor may change: one whose sub-account access lies within the
/// actor's own. An admin limited to some sub-accounts sees who shares one with
/// them, but changes, deactivates or removes only those wholly inside their reach
/// (never someone with access to all, or to a sub-account they lack).
pub async fn changeable(
    state: &AppState,
    row: &db::members::MembershipRow,
    own: Option<&[Uuid]>,
) -> Result<(), AppError> {
    if own.is_none() {
        return Ok(());
    }
    let theirs = if row.all_sub_accounts {
        None
    } else {
        Some(db::members::sub_account_ids(&state.db, row.id).await?)
    };
    if may_grant_sub_accounts(own, theirs.as_deref()) {
        Ok(())
    } else {
        Err(AppError::Forbidden(OUTSIDE_YOUR_SUB_ACCOUNTS.into()))
    }
}

pub const OUTSIDE_YOUR_SUB_ACCOUNTS: &str = "This person has access to sub-accounts you do not have: only someone with access to all of them can change, deactivate or remove them.";

/// The sub-accounts the actor may give: all (`None`), or their own.
pub async fn grantable_sub_accounts(
    state: &AppState,
    ctx: &MemberContext,
) -> Result<Option<Vec<Uuid>>, AppError> {
    Ok(match ctx.membership.sub_account_scope {
        None => None,
        Some(own) => Some(db::members::sub_account_ids(&state.db, own).await?),
    })
}

pub fn rule(
    actor: Role,
    current: &db::members::MembershipRow,
    new: Role,
) -> Result<Role, AppError> {
    let current = current.role;
    may_change_member(actor, current, new).map_err(|r| AppError::Forbidden(r.message().into()))?;
    Ok(current)
}

pub fn change_error(e: ChangeError) -> AppError {
    match e {
        ChangeError::Stale => AppError::Conflict(STALE.into()),
        ChangeError::LastOwner => AppError::Conflict(LAST_OWNER.into()),
        ChangeError::TeamElsewhere => AppError::field("kind", TEAM_ELSEWHERE),
        ChangeError::Db(e) => e.into(),
    }
}

pub const TEAM_ELSEWHERE: &str = "This person is a team member of another organization, and a person can be a team member of only one. They stay a partner here.";

/// Another member whom the actor may deactivate or remove (their role stays
/// as it is, so only the owner rule applies); `yourself` says why not oneself.
pub async fn other_member(
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
    rule(ctx.membership.role, &row, row.role)?;
    let own = grantable_sub_accounts(state, &ctx).await?;
    changeable(state, &row, own.as_deref()).await?;
    Ok((ctx, row))
}
