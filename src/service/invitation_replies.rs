//! My organizations: the person's organizations and the invitations waiting for
//! their address, which they accept or decline there. Only invitations addressed to the account's own email are
//! found: another person's invitation id reads as unknown.

use super::acceptance::{join_existing, link_error, problem, record};
use super::authorize_own;
use crate::auth::client::Client;
use crate::auth::session::Session;
use crate::db::{self, invitations::InvitationRow, users::UserRow};
use crate::domain::access_end::last_day;
use crate::domain::access_request::SentRequest;
use crate::domain::account::{MyOrganizations, OrganizationSummary, Viewer, WaitingInvitation};
use crate::domain::audit::AuditAction;
use crate::domain::invitation::LinkProblem;
use crate::domain::policy::Action;
use crate::error::AppError;
use crate::mail::templates;
use crate::state::AppState;
use serde_json::json;
use uuid::Uuid;

/// Everything My organizations shows, in four reads by index.
pub async fn overview(
    state: &AppState,
    current: Option<Session>,
) -> Result<MyOrganizations, AppError> {
    let user = signed_in(state, current, Action::ViewAccount).await?;
    let organizations = db::organizations::for_user(&state.db, user.id)
        .await?
        .into_iter()
        .map(OrganizationSummary::from)
        .collect();
    let invitations = db::invitations::waiting_for(&state.db, &user.email.to_lowercase())
        .await?
        .into_iter()
        .filter(|row| problem(row).is_none())
        .map(|row| WaitingInvitation {
            id: row.id,
            organization: row.organization_name,
            inviter: row.inviter_name,
            kind: row.kind,
            role: row.role,
            access_until: row.access_ends_at.map(|end| last_day(end.into())),
            expires_at: row.expires_at.into(),
        })
        .collect();
    let requests = db::access_requests::sent_by(&state.db, user.id)
        .await?
        .into_iter()
        .map(|row| SentRequest {
            organization: row.organization_name,
            role: row.role,
            requested_at: row.created_at.into(),
        })
        .collect();
    Ok(MyOrganizations {
        viewer: Viewer {
            name: user.name,
            email: user.email,
            member_since: user.created_at.into(),
        },
        organizations,
        invitations,
        requests,
    })
}

/// Accepts, from My organizations, an invitation addressed to the signed-in
/// person's own email (their account proves the address, as the link would).
/// Returns where to go: the organization.
pub async fn accept_waiting(
    state: &AppState,
    client: &Client,
    current: Option<Session>,
    id: Uuid,
) -> Result<String, AppError> {
    let (user, row) = addressed_to_me(state, current, id).await?;
    join_existing(state, client, &row, user.id).await
}

/// Declines an open invitation addressed to the signed-in person: it is marked
/// declined, the inviter is told by email and the organization's audit trail
/// records it, in one transaction. The organization may invite them again.
pub async fn decline(
    state: &AppState,
    client: &Client,
    current: Option<Session>,
    id: Uuid,
) -> Result<(), AppError> {
    let (user, row) = addressed_to_me(state, current, id).await?;
    let mut tx = state.db.begin().await?;
    if !db::invitations::decline(&mut tx, row.id, &row.email_key).await? {
        drop(tx);
        return Err(now_closed(state, &row).await);
    }
    record(
        &mut tx,
        client,
        &row,
        user.id,
        AuditAction::InvitationDeclined,
        json!({ "invitation_id": row.id, "role": row.role, "kind": row.kind }),
    )
    .await?;
    if let (Some(name), Some(email)) = (&row.inviter_name, &row.inviter_email) {
        let link = state.link(&format!("/o/{}/members/invitations", row.organization_slug));
        let mail = templates::invitation_declined(name, &row.email, &row.organization_name, &link);
        db::outbox::enqueue_in(&mut tx, &mail.to(email)).await?;
    }
    tx.commit().await?;
    state.mailer.wake();
    Ok(())
}

/// The signed-in person's account and the open invitation `id` addressed to
/// their email, or why it cannot be answered.
async fn addressed_to_me(
    state: &AppState,
    current: Option<Session>,
    id: Uuid,
) -> Result<(UserRow, InvitationRow), AppError> {
    let user = signed_in(state, current, Action::RespondToInvitation).await?;
    let row = db::invitations::find_addressed_to(&state.db, id, &user.email.to_lowercase())
        .await?
        .ok_or_else(|| link_error(LinkProblem::Unknown))?;
    match problem(&row) {
        Some(problem) => Err(link_error(problem)),
        None => Ok((user, row)),
    }
}

async fn signed_in(
    state: &AppState,
    current: Option<Session>,
    action: Action,
) -> Result<UserRow, AppError> {
    let own = authorize_own(current, action)?;
    db::users::find(&state.db, own)
        .await?
        .ok_or(AppError::Unauthenticated)
}

/// What an invitation that was open a moment ago is now.
async fn now_closed(state: &AppState, row: &InvitationRow) -> AppError {
    match db::invitations::find_addressed_to(&state.db, row.id, &row.email_key).await {
        Ok(Some(now)) => link_error(problem(&now).unwrap_or(LinkProblem::Used)),
        Ok(None) => link_error(LinkProblem::Unknown),
        Err(e) => e.into(),
    }
}
