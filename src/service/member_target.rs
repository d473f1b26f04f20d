//! The member an action is about, and whether the actor may change them: found
//! within the actor's organization (and sub-accounts), the owner rule, the
//! sub-account reach, and what a refused change says. Shared by every service
//! that changes a member.

use super::organizations::{MemberContext, member_context};
use crate::auth::session::Session;
use crate::db::{self, members::ChangeError};
use crate::domain::module::{self, Module};
use crate::domain::policy::OWN_SUB_ACCOUNTS_ONLY;
use crate::domain::policy::{Action, may_change_member, may_grant_sub_accounts};
use crate::domain::role::Role;
use crate::domain::sub_account::{SubAccount, SubAccountIndex};
use crate::error::{AppError, Checks};
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

/// The modules named in `names` that `role` may be given; what is wrong goes to
/// `checks` under `modules`.
pub fn checked_modules(checks: &mut Checks, role: Role, names: &[String]) -> Vec<Module> {
    let granted = checks
        .take("modules", module::parse_list(&names.join(";")))
        .unwrap_or_default();
    if let Some(module) = granted.iter().find(|m| !module::grantable(role, **m)) {
        checks.add(
            "modules",
            format!(
                "The {} module is for admins only: it cannot be given to the role {}.",
                module.label(),
                role.label()
            ),
        );
    }
    granted
}

/// Sub-accounts chosen for someone, checked: open sub-accounts of the
/// organization, within the actor's own.
pub struct SubAccountChoice {
    /// `None`: every sub-account (or the choice was refused: see the checks).
    pub ids: Option<Vec<Uuid>>,
    /// The sub-accounts the actor may reach (`None`: all of them).
    pub own: Option<Vec<Uuid>>,
    /// The organization's sub-accounts, read once when some were chosen.
    organization: Vec<SubAccount>,
}

impl SubAccountChoice {
    /// "All", or the chosen sub-accounts' names, as the audit trail shows them.
    pub fn names(&self) -> serde_json::Value {
        match &self.ids {
            None => serde_json::json!("All"),
            Some(ids) => serde_json::json!(
                self.organization
                    .iter()
                    .filter(|s| ids.contains(&s.id))
                    .map(|s| s.name.as_str())
                    .collect::<Vec<_>>()
            ),
        }
    }
}

/// Checks `chosen` (`None`: every sub-account) for the actor of `ctx`; what is
/// wrong goes to `checks` under `sub_accounts`.
pub async fn checked_sub_accounts(
    state: &AppState,
    ctx: &MemberContext,
    checks: &mut Checks,
    chosen: Option<&[Uuid]>,
) -> Result<SubAccountChoice, AppError> {
    let organization: Vec<SubAccount> = match chosen {
        None => Vec::new(),
        Some(_) => db::sub_accounts::list(&state.db, ctx.organization.id)
            .await?
            .into_iter()
            .map(SubAccount::from)
            .collect(),
    };
    let ids = chosen.and_then(|ids| {
        checks.take(
            "sub_accounts",
            SubAccountIndex::new(organization.clone()).resolve_ids(ids),
        )
    });
    let own = grantable_sub_accounts(state, ctx).await?;
    if !may_grant_sub_accounts(own.as_deref(), chosen) {
        checks.add("sub_accounts", OWN_SUB_ACCOUNTS_ONLY);
    }
    Ok(SubAccountChoice {
        ids,
        own,
        organization,
    })
}
