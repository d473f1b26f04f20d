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
use crate::domain::member::MembershipId;
use crate::domain::member::{AccessChange, MemberDetail, MemberQuery, MemberView};
use crate::domain::module;
use crate::domain::page::{PAGE_SIZE, Page};
use crate::domain::policy::{
    Action, OWN_SUB_ACCOUNTS_ONLY, may_change_member, may_grant_sub_accounts,
};
use crate::domain::role::{MemberStatus, MembershipKind, Role};
use crate::domain::sub_account::SubAccount;
use crate::error::{AppError, Checks};
use crate::mail::templates::MemberNotice;
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
    let filter = db::members::ListFilter {
        status: query.status,
        kind: query.kind,
        search: &query.search,
        sort: query.sort,
        descending: query.descending,
        scope: ctx.membership.sub_account_scope,
    };
    let (rows, total) =
        db::members::list(&state.db, ctx.organization.id, &filter, page, PAGE_SIZE).await?;
    let limited: Vec<MembershipId> = rows
        .iter()
        .filter(|r| !r.all_sub_accounts)
        .map(|r| r.id)
        .collect();
    let mut names = db::members::sub_account_names(&state.db, &limited).await?;
    let items = rows
        .into_iter()
        .map(|row| MemberView {
            user_id: row.user_id,
            name: row.name,
            email: row.email,
            kind: row.kind,
            role: row.role,
            status: row.status,
            modules: module::effective(row.role, &row.modules.0),
            sub_accounts: (!row.all_sub_accounts)
                .then(|| names.remove(&row.id).unwrap_or_default()),
            joined_at: row.created_at.into(),
            last_active: row.last_active_at.map(Into::into),
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
    let role = row.role;
    let granted = row.modules.0;
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
        kind: row.kind,
        role,
        status: row.status,
        effective_modules: module::effective(role, &granted),
        granted,
        sub_accounts: limited,
        version: row.version,
        joined_at: row.created_at.into(),
        effective_sub_accounts,
        is_you: row.user_id == ctx.user_id,
    })
}

/// The member `user_id` of the actor's organization, if the actor may see them
/// (a viewer limited to some sub-accounts sees only who shares one).
async fn target(
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
async fn changeable(
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

fn rule(actor: Role, current: &db::members::MembershipRow, new: Role) -> Result<Role, AppError> {
    let current = current.role;
    may_change_member(actor, current, new).map_err(|r| AppError::Forbidden(r.message().into()))?;
    Ok(current)
}

fn change_error(e: ChangeError) -> AppError {
    match e {
        ChangeError::Stale => AppError::Conflict(STALE.into()),
        ChangeError::LastOwner => AppError::Conflict(LAST_OWNER.into()),
        ChangeError::TeamElsewhere => AppError::field("kind", TEAM_ELSEWHERE),
        ChangeError::Db(e) => e.into(),
    }
}

const TEAM_ELSEWHERE: &str = "This person is a team member of another organization, and a person can be a team member of only one. They stay a partner here.";

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
    let granted = checks
        .take("modules", module::parse_list(&change.modules.join(";")))
        .unwrap_or_default();
    if let Some(module) = granted
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
    // Read once: to check the chosen sub-accounts, then to name them in the trail.
    let organization_subs: Vec<SubAccount> = match &change.sub_accounts {
        None => Vec::new(),
        Some(_) => db::sub_accounts::list(&state.db, ctx.organization.id)
            .await?
            .into_iter()
            .map(SubAccount::from)
            .collect(),
    };
    let sub_accounts = match &change.sub_accounts {
        None => None,
        Some(ids) => checks.take(
            "sub_accounts",
            SubAccountIndex::new(organization_subs.clone()).resolve_ids(ids),
        ),
    };
    let own = grantable_sub_accounts(state, &ctx).await?;
    changeable(state, &row, own.as_deref()).await?;
    if !may_grant_sub_accounts(own.as_deref(), change.sub_accounts.as_deref()) {
        checks.add("sub_accounts", OWN_SUB_ACCOUNTS_ONLY);
    }
    checks.finish()?;
    let modules = module::join_list(&granted);
    let subs_before = if row.all_sub_accounts {
        json!("All")
    } else {
        let mut names = db::members::sub_account_names(&state.db, &[row.id]).await?;
        json!(names.remove(&row.id).unwrap_or_default())
    };
    let labels = |list: &[module::Module]| list.iter().map(|m| m.label()).collect::<Vec<_>>();
    let before_modules = &row.modules.0;
    let subs_after = match &sub_accounts {
        None => json!("All"),
        Some(ids) => json!(
            organization_subs
                .iter()
                .filter(|s| ids.contains(&s.id))
                .map(|s| s.name.as_str())
                .collect::<Vec<_>>()
        ),
    };
    let mut tx = state.db.begin().await?;
    db::members::change(
        &mut tx,
        ctx.organization.id,
        row.id,
        change.version,
        &Change::Access {
            role: change.role,
            modules: &modules,
            sub_accounts: sub_accounts.as_deref(),
        },
    )
    .await
    .map_err(change_error)?;
    ctx.record_in(
        &mut tx,
        client,
        AuditAction::MemberAccessChanged,
        Some(user_id),
        json!({
            "role": { "before": before.label(), "after": change.role.label() },
            "modules": { "before": labels(before_modules), "after": labels(&granted) },
            "sub_accounts": { "before": subs_before, "after": subs_after },
        }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
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
    rule(ctx.membership.role, &row, row.role)?;
    let own = grantable_sub_accounts(state, &ctx).await?;
    changeable(state, &row, own.as_deref()).await?;
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
    if row.status == status {
        return Err(AppError::Conflict(format!(
            "{} is {} already.",
            row.name,
            if active { "active" } else { "deactivated" }
        )));
    }
    let (action, notice) = if active {
        (AuditAction::MemberReactivated, MemberNotice::Reactivated)
    } else {
        (AuditAction::MemberDeactivated, MemberNotice::Deactivated)
    };
    let mail = ctx.notice(state, notice, &row.name).await?;
    let mut tx = state.db.begin().await?;
    db::members::change(
        &mut tx,
        ctx.organization.id,
        row.id,
        version,
        &Change::Status(status),
    )
    .await
    .map_err(change_error)?;
    state.mailer.queue_in(&mut tx, &row.email, &mail).await?;
    ctx.record_in(
        &mut tx,
        client,
        action,
        Some(user_id),
        json!({ "email": row.email }),
    )
    .await?;
    tx.commit().await?;
    state.mailer.wake();
    Ok(())
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
    let mail = ctx.notice(state, MemberNotice::Removed, &row.name).await?;
    let mut tx = state.db.begin().await?;
    db::members::change(
        &mut tx,
        ctx.organization.id,
        row.id,
        version,
        &Change::Remove,
    )
    .await
    .map_err(change_error)?;
    state.mailer.queue_in(&mut tx, &row.email, &mail).await?;
    ctx.record_in(
        &mut tx,
        client,
        AuditAction::MemberRemoved,
        Some(user_id),
        json!({ "email": row.email, "role": row.role, "kind": row.kind }),
    )
    .await?;
    tx.commit().await?;
    state.mailer.wake();
    Ok(())
}

/// Makes another member a partner or a team member, keeping their role and
/// permissions. A person is a team member of one organization only: the check
/// reads their team membership first, and the schema refuses a race.
pub async fn change_kind(
    state: &AppState,
    client: &Client,
    current: Option<Session>,
    slug: &str,
    user_id: Uuid,
    kind: MembershipKind,
    version: i64,
) -> Result<(), AppError> {
    let (ctx, row) = other_member(
        state,
        current,
        slug,
        user_id,
        "You cannot change your own kind of membership.",
    )
    .await?;
    if row.kind == kind {
        return Err(AppError::field(
            "kind",
            format!("{} is a {} already.", row.name, kind.noun()),
        ));
    }
    if kind == MembershipKind::Team
        && db::organizations::team_organization(&state.db, user_id)
            .await?
            .is_some_and(|team| team != ctx.organization.id)
    {
        return Err(AppError::field("kind", TEAM_ELSEWHERE));
    }
    let notice = match kind {
        MembershipKind::Team => MemberNotice::MadeTeamMember,
        MembershipKind::Partner => MemberNotice::MadePartner,
    };
    let mail = ctx.notice(state, notice, &row.name).await?;
    let mut tx = state.db.begin().await?;
    db::members::change(
        &mut tx,
        ctx.organization.id,
        row.id,
        version,
        &Change::Kind(kind),
    )
    .await
    .map_err(change_error)?;
    state.mailer.queue_in(&mut tx, &row.email, &mail).await?;
    ctx.record_in(
        &mut tx,
        client,
        AuditAction::MemberKindChanged,
        Some(user_id),
        json!({ "kind": { "before": row.kind.label(), "after": kind.label() } }),
    )
    .await?;
    tx.commit().await?;
    state.mailer.wake();
    Ok(())
}
