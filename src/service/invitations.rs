//! Inviting people: check a list or a CSV file, send the valid part in one
//! transaction, list, resend and cancel open invitations.

use super::invitation_check::{self, Context, Invitee, SubAccountIndex};
use super::invitation_csv;
use super::organizations::{MemberContext, member_context};
use crate::auth::client::Client;
use crate::auth::rate_limit::{self, Limit};
use crate::auth::session::Session;
use crate::auth::token;
use crate::db::{self, invitations::StoreError};
use crate::domain::audit::AuditAction;
use crate::domain::email::EmailAddress;
use crate::domain::former_access::REINSTATE_DAYS;
use crate::domain::invitation::{
    CheckReport, Delivery, InvitationQuery, InvitationState, InvitationStatus, InvitationView,
    InviteOptions, InviteSource, MAX_ROWS, RESENDS_PER_DAY, SendResult,
};
use crate::domain::module;
use crate::domain::page::{PAGE_SIZE, Page};
use crate::domain::policy::{Action, may_grant_role};
use crate::domain::role::{MembershipKind, Role};
use crate::domain::sub_account::SubAccount;
use crate::domain::time::date;
use crate::error::AppError;
use crate::mail::templates;
use crate::state::AppState;
use chrono::{DateTime, Duration, Utc};
use serde_json::json;
use std::collections::HashSet;
use uuid::Uuid;

pub async fn options(
    state: &AppState,
    current: Option<Session>,
    slug: &str,
) -> Result<InviteOptions, AppError> {
    let ctx = member_context(state, current, slug, Action::InviteMembers).await?;
    let own = super::members::grantable_sub_accounts(state, &ctx).await?;
    let sub_accounts = db::sub_accounts::list(&state.db, ctx.organization.id)
        .await?
        .into_iter()
        .map(SubAccount::from)
        .filter(|s| !s.archived && own.as_ref().is_none_or(|own| own.contains(&s.id)))
        .collect();
    Ok(InviteOptions {
        roles: Role::ALL
            .into_iter()
            .filter(|r| may_grant_role(ctx.membership.role, *r))
            .collect(),
        sub_accounts,
        lifetime_secs: ctx.organization.invitation_lifetime_secs,
    })
}

/// Judges every address; nothing is stored.
pub async fn check(
    state: &AppState,
    current: Option<Session>,
    slug: &str,
    source: InviteSource,
) -> Result<CheckReport, AppError> {
    let ctx = member_context(state, current, slug, Action::InviteMembers).await?;
    Ok(evaluate(state, &ctx, source).await?.0)
}

/// Checks again and stores every invitation that passes, with its mail, in one
/// transaction. Rows that do not pass are reported, not stored.
pub async fn send(
    state: &AppState,
    client: &Client,
    current: Option<Session>,
    slug: &str,
    source: InviteSource,
) -> Result<SendResult, AppError> {
    let ctx = member_context(state, current, slug, Action::InviteMembers).await?;
    let (report, invitees) = evaluate(state, &ctx, source).await?;
    if invitees.is_empty() {
        return Err(AppError::field(
            "addresses",
            "No address in the list can be invited: see the reason next to each one.",
        ));
    }
    let inviter = ctx.actor_name();
    let expires_at = expiry(&ctx);
    let org = &ctx.organization;
    let rows: Vec<db::invitations::NewInvitation> = invitees
        .iter()
        .map(|invitee| {
            let (token, token_hash) = token::generate();
            let mail = templates::invitation(&templates::Invitation {
                organization: &org.name,
                inviter,
                role: invitee.role.label(),
                partner: invitee.kind == MembershipKind::Partner,
                access_until: invitee
                    .access_ends_at
                    .map(|end| date(crate::domain::access_end::last_day(end))),
                restored: invitee.restored,
                link: &acceptance_link(state, &token),
                expires_at,
            });
            new_invitation(invitee, token_hash, mail)
        })
        .collect();
    db::invitations::store_batch(
        &state.db,
        &db::invitations::Batch {
            organization_id: org.id,
            inviter_user_id: ctx.user_id,
            expires_at,
            ip: client.ip(),
        },
        &rows,
    )
    .await
    .map_err(|e| match e {
        StoreError::AlreadyInvited => AppError::Conflict(
            "Someone invited one of these addresses a moment ago. Check the list again; nothing was sent."
                .into(),
        ),
        StoreError::Db(e) => e.into(),
    })?;
    state.mailer.wake();
    Ok(SendResult {
        invited: rows.len(),
        report,
    })
}

fn new_invitation(
    invitee: &Invitee,
    token_hash: String,
    mail: crate::mail::Rendered,
) -> db::invitations::NewInvitation {
    db::invitations::NewInvitation {
        email: invitee.email.to_string(),
        email_key: invitee.email.key(),
        kind: invitee.kind,
        access_ends_at: invitee.access_ends_at.map(db::at),
        role: invitee.role,
        modules: module::join_list(&invitee.modules),
        sub_accounts: invitee.sub_accounts.clone(),
        restored: invitee.restored,
        token_hash,
        subject: mail.subject,
        text_body: mail.text,
        html_body: mail.html,
    }
}

async fn evaluate(
    state: &AppState,
    ctx: &MemberContext,
    source: InviteSource,
) -> Result<(CheckReport, Vec<Invitee>), AppError> {
    let org_id = ctx.organization.id;
    // A list refused for its length is refused before anything is read.
    if let InviteSource::Rows(rows) = &source {
        if rows.is_empty() {
            return Err(AppError::field(
                "addresses",
                "Add at least one email address.",
            ));
        }
        if rows.len() > MAX_ROWS {
            return Err(AppError::field(
                "addresses",
                "Invite at most 10,000 people at once.",
            ));
        }
    }
    let index = sub_account_index(state, org_id, &source).await?;
    let candidates = match source {
        InviteSource::Rows(rows) => invitation_check::from_drafts(rows, &index),
        InviteSource::Csv(csv) => {
            invitation_csv::parse(&csv, &index).map_err(|m| AppError::field("csv", m))?
        }
    };
    // Only the submitted addresses are looked up, by index: never every member.
    let keys: Vec<String> = candidates
        .iter()
        .filter_map(|c| c.email.as_ref().ok().map(EmailAddress::key))
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let now = db::now();
    let since = now - Duration::days(REINSTATE_DAYS);
    // Restored access meets the same rules as chosen access: the check refuses
    // a role or sub-accounts the inviter could not give. The three reads are
    // independent, so they run at once, each on its own connection.
    let (standing, former, own) = tokio::try_join!(
        async { Ok::<_, AppError>(db::address_standing::of(&state.db, org_id, &keys).await?) },
        async { Ok(db::former_members::for_keys(&state.db, org_id, &keys, since).await?) },
        super::members::grantable_sub_accounts(state, ctx),
    )?;
    Ok(invitation_check::check(
        candidates,
        &Context {
            inviter_role: ctx.membership.role,
            inviter_sub_accounts: own.as_deref(),
            member_keys: &standing.members,
            pending: &standing.pending,
            team_elsewhere: &standing.team_elsewhere,
            former: &former,
            now: now.into(),
        },
    ))
}

/// The organization's sub-accounts, by id and by name, when the source can
/// name any: a CSV file, or rows that limit access to some sub-accounts.
async fn sub_account_index(
    state: &AppState,
    organization_id: Uuid,
    source: &InviteSource,
) -> Result<SubAccountIndex, AppError> {
    let names_any = match source {
        InviteSource::Rows(rows) => rows.iter().any(|row| row.sub_accounts.is_some()),
        InviteSource::Csv(_) => true,
    };
    let sub_accounts = if names_any {
        db::sub_accounts::list(&state.db, organization_id).await?
    } else {
        Vec::new()
    };
    Ok(SubAccountIndex::new(
        sub_accounts.into_iter().map(SubAccount::from).collect(),
    ))
}

fn expiry(ctx: &MemberContext) -> DateTime<Utc> {
    db::now() + Duration::seconds(ctx.organization.invitation_lifetime_secs)
}

pub fn acceptance_link(state: &AppState, token: &str) -> String {
    state.link(&format!("/invitations/accept?token={token}"))
}

/// One page of open invitations.
pub async fn list(
    state: &AppState,
    current: Option<Session>,
    slug: &str,
    query: InvitationQuery,
) -> Result<Page<InvitationView>, AppError> {
    let ctx = member_context(state, current, slug, Action::ViewInvitations).await?;
    let scope = ctx.membership.sub_account_scope;
    let (rows, total) =
        db::invitations::list(&state.db, ctx.organization.id, &query, scope).await?;
    let at = db::now();
    Ok(Page {
        items: rows
            .into_iter()
            .map(|row| view(row, at))
            .collect::<Result<_, _>>()?,
        total: total.max(0) as u64,
        page: query.page.max(1),
        page_size: PAGE_SIZE,
    })
}

/// A row as the tab shows it. A row that does not decode is an error that is
/// logged and surfaces, never a row that silently drops out of the list (while
/// the total still counts it).
fn view(
    row: db::invitations::InvitationRow,
    at: DateTime<Utc>,
) -> Result<InvitationView, AppError> {
    let delivery = row.delivery.unwrap_or(Delivery::Queued);
    let state = if delivery == Delivery::Failed {
        InvitationState::DeliveryFailed
    } else if row.expires_at <= at {
        InvitationState::Expired
    } else {
        InvitationState::Pending
    };
    Ok(InvitationView {
        id: row.id,
        email: row.email,
        kind: row.kind,
        role: row.role,
        modules: row.modules.into(),
        inviter: row.inviter_name,
        sent_at: row.sent_at.into(),
        expires_at: row.expires_at.into(),
        access_until: row
            .access_ends_at
            .map(|end| crate::domain::access_end::last_day(end.into())),
        send_count: row.send_count,
        state,
        delivery,
    })
}

/// The invitation `id` of the actor's organization, if it is within their
/// sub-accounts.
async fn reachable(
    state: &AppState,
    ctx: &MemberContext,
    id: Uuid,
) -> Result<Option<db::invitations::InvitationRow>, AppError> {
    let Some(row) = db::invitations::find(&state.db, ctx.organization.id, id).await? else {
        return Ok(None);
    };
    Ok(match ctx.membership.sub_account_scope {
        Some(viewer) if !db::invitations::visible_to(&state.db, id, viewer).await? => None,
        _ => Some(row),
    })
}

/// Resends of one invitation in 24 hours.
const RESENDS: Limit = Limit::new("invitation-resend", RESENDS_PER_DAY, Duration::hours(24));

const NOT_OPEN: &str = "This invitation is no longer open: it was accepted or cancelled.";

/// A new link (the old one stops working), a new expiry and a new mail.
pub async fn resend(
    state: &AppState,
    client: &Client,
    current: Option<Session>,
    slug: &str,
    id: Uuid,
) -> Result<(), AppError> {
    let ctx = member_context(state, current, slug, Action::ManageInvitations).await?;
    let org = &ctx.organization;
    let invitation = reachable(state, &ctx, id)
        .await?
        .filter(|i| i.status == InvitationStatus::Pending)
        .ok_or_else(|| AppError::NotFound(NOT_OPEN.into()))?;
    let subject = id.to_string();
    let inviter = ctx.actor_name();
    let expires_at = expiry(&ctx);
    let (token, token_hash) = token::generate();
    let role = invitation.role;
    let mail = templates::invitation(&templates::Invitation {
        organization: &org.name,
        inviter,
        role: role.label(),
        partner: invitation.kind == MembershipKind::Partner,
        access_until: invitation
            .access_ends_at
            .map(|end| date(crate::domain::access_end::last_day(end.into()))),
        restored: invitation.restores_former,
        link: &acceptance_link(state, &token),
        expires_at,
    });
    let mut tx = state.db.begin().await?;
    // The slot is claimed in the resend's transaction, before the work: concurrent
    // resends cannot pass the limit, and a resend that fails spends nothing.
    rate_limit::claim_in(&mut tx, RESENDS, &subject)
        .await
        .map_err(|_| {
            AppError::Conflict(format!(
                "This invitation was already resent {} times in the last 24 hours. Try again tomorrow, or check the address with the person.",
                RESENDS.max
            ))
        })?;
    let resent = db::invitations::resend(
        &mut tx,
        org.id,
        id,
        &token_hash,
        expires_at,
        &mail.to(&invitation.email),
    )
    .await?;
    if !resent {
        return Err(AppError::NotFound(NOT_OPEN.into()));
    }
    db::audit::record_in(
        &mut tx,
        AuditAction::InvitationResent,
        db::audit::Event {
            organization_id: Some(org.id),
            actor_user_id: Some(ctx.user_id),
            subject: Some(&subject),
            ip: client.ip(),
            details: json!({ "email": invitation.email, "expires_at": expires_at.to_rfc3339() }),
            ..Default::default()
        },
    )
    .await?;
    tx.commit().await?;
    state.mailer.wake();
    Ok(())
}

pub async fn cancel(
    state: &AppState,
    client: &Client,
    current: Option<Session>,
    slug: &str,
    id: Uuid,
) -> Result<(), AppError> {
    let ctx = member_context(state, current, slug, Action::ManageInvitations).await?;
    let org_id = ctx.organization.id;
    let invitation = reachable(state, &ctx, id)
        .await?
        .ok_or_else(|| AppError::NotFound(NOT_OPEN.into()))?;
    let mut tx = state.db.begin().await?;
    if !db::invitations::cancel(&mut tx, org_id, id).await? {
        return Err(AppError::NotFound(NOT_OPEN.into()));
    }
    db::audit::record_in(
        &mut tx,
        AuditAction::InvitationCancelled,
        db::audit::Event {
            organization_id: Some(org_id),
            actor_user_id: Some(ctx.user_id),
            subject: Some(&invitation.email_key),
            ip: client.ip(),
            details: json!({ "invitation_id": id, "role": invitation.role }),
            ..Default::default()
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
