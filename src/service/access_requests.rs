//! Requests for partner access (as Shopify's collaborator requests): the
//! organization's admins hand out a partner request code; a signed-in person
//! asks with the organization's address or name and that code, proposing a
//! role, modules and sub-accounts; an admin edits the access, then approves (a
//! partner membership is created) or declines. Every change is one transaction
//! with its audit event and mails.

use super::authorize_own;
use super::member_target::{checked_modules, checked_sub_accounts, grantable_sub_accounts};
use super::organizations::{MemberContext, member_context};
use crate::auth::client::Client;
use crate::auth::rate_limit::{self, Limit};
use crate::auth::session::Session;
use crate::auth::token;
use crate::db::{self, access_requests::RequestRow, tx::Tx};
use crate::domain::access_end::{self, last_day};
use crate::domain::access_request::{
    AccessGrant, AccessProposal, AccessRequestStatus, AccessRequestView, AccessRequests, NO_MATCH,
    check_message, check_role, code_from, display_code, normalize_code,
};
use crate::domain::audit::AuditAction;
use crate::domain::module;
use crate::domain::policy::{Action, may_grant_role};
use crate::domain::role::MemberStatus;
use crate::domain::sub_account::SubAccount;
use crate::error::{AppError, Checks};
use crate::mail::access_requests as mails;
use crate::state::AppState;
use chrono::Duration;
use serde_json::json;
use uuid::Uuid;

/// Requests a person may send (right or wrong) in an hour: enough to fix a
/// typo, far too few to guess a code.
pub const REQUESTS: Limit = Limit::new("access-request", 10, Duration::hours(1));

const NO_REQUEST: &str = "This request does not exist in this organization.";

/// Replaces the organization's partner request code with a new one (the old
/// one stops working) and returns it as people read it.
pub async fn new_code(
    state: &AppState,
    client: &Client,
    current: Option<Session>,
    slug: &str,
) -> Result<String, AppError> {
    let ctx = member_context(state, current, slug, Action::ManageSettings).await?;
    let (_, before) = db::organizations::partner_settings(&state.db, ctx.organization.id).await?;
    // 30^10 codes: a draw that is taken already is as good as impossible; retry anyway.
    for _ in 0..4 {
        let code = code_from(token::random_u64());
        let mut tx = state.db.begin().await?;
        if !db::access_requests::set_code(&mut tx, ctx.organization.id, &code).await? {
            continue;
        }
        let what = if before.is_some() {
            "replaced (the old code no longer works)"
        } else {
            "created"
        };
        ctx.record_in(
            &mut tx,
            client,
            AuditAction::PartnerRequestCodeChanged,
            None,
            json!({ "partner_request_code": what }),
        )
        .await?;
        tx.commit().await?;
        return Ok(display_code(&code));
    }
    Err(AppError::Conflict(
        "A new code could not be drawn. Try again.".into(),
    ))
}

/// A signed-in person asks for partner access. Returns the organization's name.
/// The attempt takes its slot of [`REQUESTS`] before anything is looked up, and
/// keeps it: a wrong code and an unknown organization answer the same.
pub async fn request(
    state: &AppState,
    client: &Client,
    current: Option<Session>,
    proposal: AccessProposal,
) -> Result<String, AppError> {
    let user_id = authorize_own(current, Action::RequestAccess)?;
    let mut checks = Checks::new();
    // "acme", "Acme Ltd" or a pasted address such as https://consort.example/o/acme/members.
    let typed = proposal.organization.trim().to_lowercase();
    let slug = match typed.split_once("/o/") {
        Some((_, path)) => path.split('/').next().unwrap_or_default().to_string(),
        None => typed.clone(),
    };
    if typed.is_empty() {
        checks.add(
            "organization",
            "Enter the organization's address (as in /o/acme) or its name.",
        );
    }
    let code = checks.take(
        "code",
        normalize_code(&proposal.code).ok_or(
            "Enter the code as the organization's admins gave it: ten letters and digits, like ABCDE-FGH23.",
        ),
    );
    let role = proposal.role;
    if let Err(message) = check_role(role) {
        checks.add("role", message);
    }
    let modules = checked_modules(&mut checks, role, &proposal.modules);
    let message = checks.take("message", check_message(&proposal.message));
    checks.finish()?;
    let (code, message) = (code.unwrap_or_default(), message.unwrap_or_default());
    // Kept, whatever the answer: every attempt counts.
    drop(rate_limit::claim(&state.db, REQUESTS, &user_id.to_string()).await?);
    let owner = db::access_requests::organization_by_code(&state.db, &code)
        .await?
        .filter(|o| o.slug == slug || o.name.trim().to_lowercase() == typed)
        .ok_or_else(|| AppError::NotFound(NO_MATCH.into()))?;
    let user = db::users::find(&state.db, user_id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    if let Some(membership) = db::members::find(&state.db, owner.id, user_id).await? {
        return Err(AppError::Conflict(match membership.status {
            MemberStatus::Active => format!("You are already a member of {}.", owner.name),
            MemberStatus::Deactivated => format!(
                "You are a member of {} whose access is deactivated: ask its admins to reactivate you.",
                owner.name
            ),
        }));
    }
    let mut tx = state.db.begin().await?;
    let new = db::access_requests::NewRequest {
        organization_id: owner.id,
        user_id,
        role,
        modules: &module::join_list(&modules),
        all_sub_accounts: proposal.all_sub_accounts,
        message: &message,
    };
    let Some(id) = db::access_requests::create(&mut tx, &new).await? else {
        return Err(AppError::Conflict(format!(
            "You already asked {} for access; its admins have not answered yet.",
            owner.name
        )));
    };
    record(
        &mut tx,
        client,
        owner.id,
        user_id,
        AuditAction::AccessRequested,
        json!({ "request_id": id, "role": role.label(), "modules": module::labels(&modules),
                "sub_accounts": if proposal.all_sub_accounts { "All" } else { "Chosen by the admin" } }),
    )
    .await?;
    let link = state.link(&format!("/o/{}/members/requests", owner.slug));
    for admin in db::access_ends::admins_of(&mut tx, &[owner.id]).await? {
        let mail = mails::received(
            &admin.name,
            &user.name,
            &user.email,
            &owner.name,
            role.label(),
            &message,
            &link,
        );
        db::outbox::enqueue_in(&mut tx, &mail.to(&admin.email)).await?;
    }
    tx.commit().await?;
    state.mailer.wake();
    Ok(owner.name)
}

/// The organization's waiting requests (owners and admins), and the
/// sub-accounts an approval may grant.
pub async fn pending(
    state: &AppState,
    current: Option<Session>,
    slug: &str,
) -> Result<AccessRequests, AppError> {
    let ctx = member_context(state, current, slug, Action::ViewAccessRequests).await?;
    let requests = db::access_requests::pending(&state.db, ctx.organization.id)
        .await?
        .into_iter()
        .map(|row| AccessRequestView {
            id: row.id,
            name: row.name,
            email: row.email,
            role: row.role,
            modules: row.modules.0,
            all_sub_accounts: row.all_sub_accounts,
            message: row.message,
            requested_at: row.created_at.into(),
        })
        .collect();
    let own = grantable_sub_accounts(state, &ctx).await?;
    let sub_accounts = db::sub_accounts::list(&state.db, ctx.organization.id)
        .await?
        .into_iter()
        .map(SubAccount::from)
        .filter(|s| !s.archived && own.as_ref().is_none_or(|own| own.contains(&s.id)))
        .collect();
    Ok(AccessRequests {
        requests,
        sub_accounts,
        your_role: ctx.membership.role,
    })
}

/// Approves with the access the admin chose: the person becomes a partner.
pub async fn approve(
    state: &AppState,
    client: &Client,
    current: Option<Session>,
    slug: &str,
    id: Uuid,
    grant: AccessGrant,
) -> Result<(), AppError> {
    let ctx = member_context(state, current, slug, Action::AnswerAccessRequest).await?;
    let row = open_request(state, &ctx, id).await?;
    let mut checks = Checks::new();
    if !may_grant_role(ctx.membership.role, grant.role) {
        checks.add("role", "You cannot give a role above your own.");
    }
    let modules = checked_modules(&mut checks, grant.role, &grant.modules);
    let subs =
        checked_sub_accounts(state, &ctx, &mut checks, grant.sub_accounts.as_deref()).await?;
    let ends = checks
        .take(
            "access_until",
            access_end::choose(&grant.access_until, db::now().into()),
        )
        .flatten();
    checks.finish()?;
    let mut tx = state.db.begin().await?;
    answer(&mut tx, &ctx, &row, AccessRequestStatus::Approved).await?;
    let granted = db::access_requests::Grant {
        organization_id: ctx.organization.id,
        user_id: row.user_id,
        name_key: &db::users::name_key(&row.name),
        role: grant.role,
        modules: &module::join_list(&modules),
        sub_accounts: subs.ids.as_deref(),
        access_ends_at: ends.map(db::at),
    };
    if !db::access_requests::grant(&mut tx, &granted).await? {
        return Err(AppError::Conflict(format!(
            "{} is already a member of this organization.",
            row.name
        )));
    }
    ctx.record_in(
        &mut tx,
        client,
        AuditAction::AccessRequestApproved,
        Some(row.user_id),
        json!({
            "request_id": row.id,
            "role": { "before": row.role.label(), "after": grant.role.label() },
            "modules": { "before": module::labels(&row.modules.0), "after": module::labels(&modules) },
            "sub_accounts": subs.names(),
            "access_until": ends.map(|end| crate::domain::time::date(last_day(end))),
        }),
    )
    .await?;
    let actor = ctx.actor_name();
    let link = state.link(&format!("/o/{}", ctx.organization.slug));
    let mail = mails::approved(
        &row.name,
        &ctx.organization.name,
        actor,
        grant.role.label(),
        &link,
    );
    db::outbox::enqueue_in(&mut tx, &mail.to(&row.email)).await?;
    tx.commit().await?;
    state.mailer.wake();
    Ok(())
}

/// Declines: the person is told; they may ask again.
pub async fn decline(
    state: &AppState,
    client: &Client,
    current: Option<Session>,
    slug: &str,
    id: Uuid,
) -> Result<(), AppError> {
    let ctx = member_context(state, current, slug, Action::AnswerAccessRequest).await?;
    let row = open_request(state, &ctx, id).await?;
    let mut tx = state.db.begin().await?;
    answer(&mut tx, &ctx, &row, AccessRequestStatus::Declined).await?;
    ctx.record_in(
        &mut tx,
        client,
        AuditAction::AccessRequestDeclined,
        Some(row.user_id),
        json!({ "request_id": row.id, "role": row.role.label() }),
    )
    .await?;
    let mail = mails::declined(
        &row.name,
        &ctx.organization.name,
        &state.link("/organizations"),
    );
    db::outbox::enqueue_in(&mut tx, &mail.to(&row.email)).await?;
    tx.commit().await?;
    state.mailer.wake();
    Ok(())
}

/// The request `id` of the actor's organization, still waiting for an answer.
async fn open_request(
    state: &AppState,
    ctx: &MemberContext,
    id: Uuid,
) -> Result<RequestRow, AppError> {
    let row = db::access_requests::find(&state.db, ctx.organization.id, id)
        .await?
        .ok_or_else(|| AppError::NotFound(NO_REQUEST.into()))?;
    match row.status {
        AccessRequestStatus::Pending => Ok(row),
        done => Err(answered(done)),
    }
}

/// Claims the answer: only one admin's answer wins a race.
async fn answer(
    tx: &mut Tx,
    ctx: &MemberContext,
    row: &RequestRow,
    status: AccessRequestStatus,
) -> Result<(), AppError> {
    if db::access_requests::decide(tx, ctx.organization.id, row.id, status, ctx.user_id).await? {
        Ok(())
    } else {
        Err(AppError::Conflict(
            "Another admin answered this request a moment ago. Reload to see it.".into(),
        ))
    }
}

fn answered(status: AccessRequestStatus) -> AppError {
    AppError::Conflict(format!(
        "This request was already {}.",
        match status {
            AccessRequestStatus::Approved => "approved",
            AccessRequestStatus::Declined => "declined",
            AccessRequestStatus::Pending => "answered",
        }
    ))
}

async fn record(
    tx: &mut Tx,
    client: &Client,
    organization_id: Uuid,
    user_id: Uuid,
    action: AuditAction,
    details: serde_json::Value,
) -> Result<(), AppError> {
    db::audit::record_in(
        tx,
        action,
        db::audit::Event {
            organization_id: Some(organization_id),
            actor_user_id: Some(user_id),
            target_user_id: Some(user_id),
            ip: client.ip(),
            details,
            ..Default::default()
        },
    )
    .await?;
    Ok(())
}
