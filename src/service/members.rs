//! The people of an organization: the Members list, a member's detail, and
//! changing, deactivating and removing members.

pub use super::member_target::{OUTSIDE_YOUR_SUB_ACCOUNTS, grantable_sub_accounts};
use super::member_target::{
    TEAM_ELSEWHERE, change_error, changeable, checked_modules, checked_sub_accounts, other_member,
    rule, target,
};
use super::organizations::member_context;
use crate::auth::client::Client;
use crate::auth::session::Session;
use crate::db::{self, members::Change};
use crate::domain::access_end;
use crate::domain::audit::AuditAction;
use crate::domain::former_access::Departure;
use crate::domain::member::MembershipId;
use crate::domain::member::{AccessChange, MemberDetail, MemberQuery, MemberView};
use crate::domain::module;
use crate::domain::page::{PAGE_SIZE, Page};
use crate::domain::policy::Action;
use crate::domain::role::{MemberStatus, MembershipKind};
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
    // A page render shares the counts its frame reads.
    let known = match state.memo.as_deref() {
        Some(memo) => Some(
            memo.frame_counts(&state.db, ctx.organization.id)
                .await?
                .members,
        ),
        None => None,
    };
    let (rows, total) = db::members::list(
        &state.db,
        ctx.organization.id,
        &filter,
        known,
        page,
        PAGE_SIZE,
    )
    .await?;
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
            access_until: row
                .access_ends_at
                .map(|end| access_end::last_day(end.into())),
        })
        .collect();
    Ok(Page {
        items,
        total: total.max(0) as u64,
        page,
        page_size: PAGE_SIZE,
    })
}

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
        access_until: row
            .access_ends_at
            .map(|end| access_end::last_day(end.into())),
        access_ended: row.access_ends_at.is_some_and(|end| end <= db::now()),
        effective_sub_accounts,
        is_you: row.user_id == ctx.user_id,
    })
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
    let granted = checked_modules(&mut checks, change.role, &change.modules);
    let subs =
        checked_sub_accounts(state, &ctx, &mut checks, change.sub_accounts.as_deref()).await?;
    changeable(state, &row, subs.own.as_deref()).await?;
    checks.finish()?;
    let modules = module::join_list(&granted);
    let subs_before = if row.all_sub_accounts {
        json!("All")
    } else {
        let mut names = db::members::sub_account_names(&state.db, &[row.id]).await?;
        json!(names.remove(&row.id).unwrap_or_default())
    };
    let before_modules = &row.modules.0;
    let mut tx = state.db.begin().await?;
    db::members::change(
        &mut tx,
        ctx.organization.id,
        row.id,
        change.version,
        &Change::Access {
            role: change.role,
            modules: &modules,
            sub_accounts: subs.ids.as_deref(),
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
            "modules": { "before": module::labels(before_modules), "after": module::labels(&granted) },
            "sub_accounts": { "before": subs_before, "after": subs.names() },
        }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Deactivates (the person keeps the membership but cannot open the
/// organization: every request checks it) or reactivates a member. A partner
/// is reactivated with a new last day of access (`YYYY-MM-DD`, or empty for
/// none); `None` keeps the current end, unless it has passed.
#[allow(clippy::too_many_arguments)]
pub async fn set_active(
    state: &AppState,
    client: &Client,
    current: Option<Session>,
    slug: &str,
    user_id: Uuid,
    active: bool,
    version: i64,
    access_until: Option<&str>,
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
    // A partner comes back with an end chosen now: the old one may have passed.
    let new_end = match (active, row.kind, access_until) {
        (true, MembershipKind::Partner, Some(text)) => Some(
            access_end::choose(text, db::now().into())
                .map_err(|message| AppError::field("access_until", message))?
                .map(db::at),
        ),
        (true, MembershipKind::Partner, None)
            if row.access_ends_at.is_some_and(|end| end <= db::now()) =>
        {
            return Err(AppError::field(
                "access_until",
                format!(
                    "{}'s access ended after {}: choose a new last day, or none.",
                    row.name,
                    crate::domain::time::date(access_end::last_day(
                        row.access_ends_at.unwrap_or_default().into()
                    ))
                ),
            ));
        }
        _ => None,
    };
    let actor = ctx.actor_name();
    let mail = ctx.notice(state, notice, &row.name);
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
    if let Some(end) = new_end.filter(|end| *end != row.access_ends_at) {
        super::partner_access::write_in(
            &mut tx,
            state,
            client,
            &ctx,
            actor,
            &row,
            end,
            version + 1,
        )
        .await?;
    }
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
    let mail = ctx.notice(state, MemberNotice::Removed, &row.name);
    let mut tx = state.db.begin().await?;
    db::members::change(
        &mut tx,
        ctx.organization.id,
        row.id,
        version,
        &Change::Remove(Departure::Removed),
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
    let mail = ctx.notice(state, notice, &row.name);
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
