//! Opening and accepting an invitation link. The token is the authority: only
//! its hash is stored, it works once, and only for the invited address.

use super::accounts::SignedIn;
use super::authorize;
use crate::auth::client::Client;
use crate::auth::session::{self, Session};
use crate::auth::{password, token};
use crate::db::tx::Tx;
use crate::db::{
    self,
    invitations::{AcceptError, Acceptor, InvitationRow},
};
use crate::domain::audit::AuditAction;
use crate::domain::invitation::{AcceptStep, InvitationPreview, InvitationStatus, LinkProblem};
use crate::domain::organization::check_person_name;
use crate::domain::policy::{Action, Actor, Target};
use crate::error::{AppError, Checks};
use crate::state::AppState;
use serde_json::json;
use uuid::Uuid;

/// The open invitation behind a token, or why the link cannot be used.
async fn open_invitation(
    state: &AppState,
    token_text: &str,
) -> Result<Result<InvitationRow, LinkProblem>, AppError> {
    if !token::looks_valid(token_text) {
        return Ok(Err(LinkProblem::Unknown));
    }
    let Some(row) =
        db::invitations::find_by_token_hash(&state.db, &token::hash(token_text)).await?
    else {
        return Ok(Err(LinkProblem::Unknown));
    };
    Ok(match problem(&row) {
        Some(problem) => Err(problem),
        None => Ok(row),
    })
}

pub(super) fn problem(row: &InvitationRow) -> Option<LinkProblem> {
    match row.status {
        InvitationStatus::Accepted => Some(LinkProblem::Used),
        InvitationStatus::Cancelled => Some(LinkProblem::Cancelled),
        InvitationStatus::Declined => Some(LinkProblem::Declined),
        InvitationStatus::Pending if row.expires_at <= db::now() => Some(LinkProblem::Expired),
        InvitationStatus::Pending if row.access_ends_at.is_some_and(|end| end <= db::now()) => {
            Some(LinkProblem::AccessEnded)
        }
        InvitationStatus::Pending => None,
    }
}

pub(super) fn link_error(problem: LinkProblem) -> AppError {
    let message = format!("{}. {}", problem.title(), problem.message());
    match problem {
        LinkProblem::Unknown => AppError::NotFound(message),
        _ => AppError::Conflict(message),
    }
}

/// What the acceptance page shows: the invitation and the visitor's next step,
/// or the problem with the link.
pub async fn preview(
    state: &AppState,
    current: Option<Session>,
    token_text: &str,
) -> Result<Result<InvitationPreview, LinkProblem>, AppError> {
    authorize(
        &Actor::anonymous(),
        Action::ViewInvitationLink,
        Target::Nobody,
    )?;
    let row = match open_invitation(state, token_text).await? {
        Ok(row) => row,
        Err(problem) => return Ok(Err(problem)),
    };
    let next = match current {
        Some(session) => {
            let user = db::users::find(&state.db, session.user_id)
                .await?
                .ok_or(AppError::Unauthenticated)?;
            if user.email.to_lowercase() == row.email_key {
                AcceptStep::Accept
            } else {
                AcceptStep::WrongAccount {
                    signed_in_as: user.email,
                }
            }
        }
        None => match db::users::find_by_email_key(&state.db, &row.email_key).await? {
            Some(_) => AcceptStep::LogIn,
            None => AcceptStep::CreateAccount,
        },
    };
    Ok(Ok(InvitationPreview {
        kind: row.kind,
        role: row.role,
        organization: row.organization_name,
        inviter: row.inviter_name,
        email: row.email,
        expires_at: row.expires_at.into(),
        access_until: row
            .access_ends_at
            .map(|end| crate::domain::access_end::last_day(end.into())),
        next,
    }))
}

/// Accepts as the signed-in person, who must hold the invited address.
/// Returns where to go: the organization.
pub async fn accept(
    state: &AppState,
    client: &Client,
    current: Option<Session>,
    token_text: &str,
) -> Result<String, AppError> {
    authorize(
        &Actor::anonymous(),
        Action::AcceptInvitation,
        Target::Nobody,
    )?;
    let Some(current) = current else {
        return Err(AppError::Unauthenticated);
    };
    let row = open_invitation(state, token_text)
        .await?
        .map_err(link_error)?;
    let user = db::users::find(&state.db, current.user_id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    if user.email.to_lowercase() != row.email_key {
        return Err(AppError::Forbidden(format!(
            "This invitation is for {}, and you are signed in as {}. Log out, then open the link again.",
            row.email, user.email
        )));
    }
    join_existing(state, client, &row, user.id).await
}

/// The open invitation `row` accepted by the existing account `user_id`, with
/// its audit event, in one transaction. Returns where to go: the organization.
pub(super) async fn join_existing(
    state: &AppState,
    client: &Client,
    row: &InvitationRow,
    user_id: Uuid,
) -> Result<String, AppError> {
    let tx = state.db.begin().await?;
    let (mut tx, user_id) = claim(state, tx, row, &Acceptor::Existing(user_id)).await?;
    record(
        &mut tx,
        client,
        row,
        user_id,
        AuditAction::InvitationAccepted,
        json!({ "invitation_id": row.id, "role": row.role, "kind": row.kind }),
    )
    .await?;
    tx.commit().await?;
    Ok(format!("/o/{}", row.organization_slug))
}

/// Accepts as a new person: an account for the invited address, with the name
/// and password chosen here, then a session.
pub async fn accept_with_new_account(
    state: &AppState,
    client: &Client,
    current: Option<Session>,
    token_text: &str,
    name: &str,
    password_input: &str,
) -> Result<SignedIn, AppError> {
    authorize(
        &Actor::anonymous(),
        Action::AcceptInvitation,
        Target::Nobody,
    )?;
    if current.is_some() {
        return Err(AppError::Conflict(
            "You are signed in. Log out first to create a new account for this invitation.".into(),
        ));
    }
    let row = open_invitation(state, token_text)
        .await?
        .map_err(link_error)?;
    let mut checks = Checks::new();
    let name = checks.take("name", check_person_name(name));
    checks.take("password", password::check_strength(password_input));
    checks.finish()?;
    let name = name.ok_or(AppError::Internal)?;
    if db::users::find_by_email_key(&state.db, &row.email_key)
        .await?
        .is_some()
    {
        return Err(AppError::Conflict(ACCOUNT_EXISTS.into()));
    }
    let hash = state.hasher.hash(password_input).await;
    let tx = state.db.begin().await?;
    let (mut tx, user_id) = claim(
        state,
        tx,
        &row,
        &Acceptor::New {
            email: &row.email,
            email_key: &row.email_key,
            name: &name,
            password_hash: &hash,
        },
    )
    .await?;
    record(
        &mut tx,
        client,
        &row,
        user_id,
        AuditAction::SignedUp,
        json!({ "invitation_id": row.id }),
    )
    .await?;
    record(
        &mut tx,
        client,
        &row,
        user_id,
        AuditAction::InvitationAccepted,
        json!({ "invitation_id": row.id, "role": row.role, "kind": row.kind }),
    )
    .await?;
    let (session, token) = session::start_in(&mut tx, user_id, client, state.timeouts()).await?;
    tx.commit().await?;
    Ok(SignedIn {
        session,
        token,
        landing: format!("/o/{}", row.organization_slug),
    })
}

const ACCOUNT_EXISTS: &str =
    "An account with this email already exists. Log in as it to accept the invitation.";

/// The one atomic step, in the acceptance's transaction. A lost race reads as
/// what the link now is (looked up after the transaction is given back: on
/// SQLite it holds the write lock, and 50 concurrent accepts must not wait on it).
async fn claim(
    state: &AppState,
    mut tx: Tx,
    row: &InvitationRow,
    acceptor: &Acceptor<'_>,
) -> Result<(Tx, Uuid), AppError> {
    let refused = match db::invitations::accept(&mut tx, row, acceptor).await {
        Ok(user_id) => return Ok((tx, user_id)),
        Err(refused) => refused,
    };
    drop(tx);
    Err(match refused {
        AcceptError::NotOpen => {
            let now_is = db::invitations::find(&state.db, row.organization_id, row.id).await?;
            let problem = match now_is {
                Some(r) if r.token_hash != row.token_hash => LinkProblem::Unknown,
                Some(r) => problem(&r).unwrap_or(LinkProblem::Used),
                None => LinkProblem::Unknown,
            };
            link_error(problem)
        }
        AcceptError::AlreadyMember => AppError::Conflict(format!(
            "You are already a member of {}.",
            row.organization_name
        )),
        AcceptError::TeamElsewhere => AppError::Conflict(format!(
            "You are a team member of another organization, and a person can be a team member of only one. Ask {} to invite you as a partner instead.",
            row.inviter_name
                .as_deref()
                .unwrap_or("the person who invited you")
        )),
        AcceptError::EmailTaken => AppError::Conflict(ACCOUNT_EXISTS.into()),
        AcceptError::Db(e) => e.into(),
    })
}

/// An audit event by the invitee about themself, in the inviting organization.
pub(super) async fn record(
    tx: &mut Tx,
    client: &Client,
    row: &InvitationRow,
    user_id: Uuid,
    action: AuditAction,
    details: serde_json::Value,
) -> Result<(), AppError> {
    db::audit::record_in(
        tx,
        action,
        db::audit::Event {
            organization_id: Some(row.organization_id),
            actor_user_id: Some(user_id),
            target_user_id: Some(user_id),
            subject: Some(&row.email_key),
            ip: client.ip(),
            details,
        },
    )
    .await?;
    Ok(())
}
