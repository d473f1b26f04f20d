//! Forgotten passwords (reset by email link) and password changes.

use super::{authorize, authorize_own};
use crate::auth::client::Client;
use crate::auth::rate_limit::{self, Limit, PASSWORD_CHECKS};
use crate::auth::session::{self, Session};
use crate::auth::{password, token};
use crate::db;
use crate::db::tx::Tx;
use crate::domain::audit::AuditAction;
use crate::domain::email::EmailAddress;
use crate::domain::policy::{Action, Actor, Target};
use crate::error::AppError;
use crate::mail::templates;
use crate::state::AppState;
use chrono::Duration;

pub const RESET_LIFETIME: Duration = Duration::hours(1);
/// Reset emails per address per hour; more requests are answered the same way but send nothing.
const RESET_MAILS: Limit = Limit::new("reset-mail", 3, Duration::hours(1));

/// Takes a request for a reset link. The answer is the same, and comes as
/// quickly, whether or not an account has this address: the work (looking the
/// address up, the link, the mail) runs after the answer.
pub async fn request_reset(state: &AppState, client: &Client, email: &str) -> Result<(), AppError> {
    authorize(
        &Actor::anonymous(),
        Action::RequestPasswordReset,
        Target::Nobody,
    )?;
    let email = EmailAddress::parse(email).map_err(|e| AppError::field("email", e.message()))?;
    let state = state.clone();
    let ip = client.ip().map(str::to_owned);
    tokio::spawn(async move {
        if let Err(error) = send_reset_mail(&state, &email, ip.as_deref()).await {
            tracing::error!(%error, "password reset mail could not be queued");
        }
    });
    Ok(())
}

/// The work behind a reset request: the limit's slot, the link, its mail and
/// the audit event, in one transaction.
async fn send_reset_mail(
    state: &AppState,
    email: &EmailAddress,
    ip: Option<&str>,
) -> Result<(), AppError> {
    let email_key = email.key();
    let user = db::users::find_by_email_key(&state.db, &email_key).await?;
    let mut tx = state.db.begin().await?;
    let slot = rate_limit::claim_in(&mut tx, RESET_MAILS, &email_key).await;
    if let Some(user) = &user {
        if slot.is_ok() {
            let (token, hash) = token::generate();
            let at = db::now();
            let expires_at = at + RESET_LIFETIME;
            db::resets::insert(&mut tx, user.id, &hash, at, expires_at).await?;
            let link = state.link(&format!("/reset-password?token={token}"));
            let mail = templates::password_reset(&user.name, &link, expires_at);
            state.mailer.queue_in(&mut tx, &user.email, &mail).await?;
        } else {
            tracing::info!(user = %user.id, "password reset mail withheld: hourly limit reached");
        }
    }
    db::audit::record_in(
        &mut tx,
        AuditAction::PasswordResetRequested,
        db::audit::Event {
            target_user_id: user.as_ref().map(|u| u.id),
            subject: Some(&email_key),
            ip,
            ..Default::default()
        },
    )
    .await?;
    tx.commit().await?;
    state.mailer.wake();
    Ok(())
}

pub const LINK_INVALID: &str =
    "This reset link is not valid. Check that you copied the whole link, or ask for a new one.";
pub const LINK_USED: &str =
    "This reset link has already been used. Ask for a new one if you still need it.";
pub const LINK_EXPIRED: &str =
    "This reset link has expired: links work for one hour. Ask for a new one.";

/// Whether a reset link can still be used, with the reason when not.
pub async fn check_reset(
    state: &AppState,
    token_input: &str,
) -> Result<db::resets::ResetRow, AppError> {
    authorize(&Actor::anonymous(), Action::ResetPassword, Target::Nobody)?;
    if !token::looks_valid(token_input) {
        return Err(AppError::NotFound(LINK_INVALID.into()));
    }
    let row = db::resets::find_by_hash(&state.db, &token::hash(token_input))
        .await?
        .ok_or_else(|| AppError::NotFound(LINK_INVALID.into()))?;
    if row.used_at.is_some() {
        return Err(AppError::Conflict(LINK_USED.into()));
    }
    if row.expires_at <= db::now() {
        return Err(AppError::Conflict(LINK_EXPIRED.into()));
    }
    Ok(row)
}

/// Sets a new password with a reset link. Every session of the account ends.
pub async fn reset_password(
    state: &AppState,
    client: &Client,
    token_input: &str,
    new_password: &str,
) -> Result<(), AppError> {
    let row = check_reset(state, token_input).await?;
    password::check_strength(new_password).map_err(|m| AppError::field("password", m))?;
    let hash = state.hasher.hash(new_password).await;
    let user = db::users::find(&state.db, row.user_id)
        .await?
        .ok_or_else(|| AppError::NotFound(LINK_INVALID.into()))?;
    let at = db::now();
    let mut tx = state.db.begin().await?;
    if !db::resets::consume_and_set_password(&mut tx, row.id, row.user_id, &hash, at).await? {
        return Err(AppError::Conflict(LINK_USED.into()));
    }
    db::audit::record_in(
        &mut tx,
        AuditAction::PasswordReset,
        db::audit::Event {
            actor_user_id: Some(row.user_id),
            target_user_id: Some(row.user_id),
            ip: client.ip(),
            ..Default::default()
        },
    )
    .await?;
    notify_changed(state, &mut tx, &user, at).await?;
    tx.commit().await?;
    state.mailer.wake();
    Ok(())
}

/// Changes the password of the signed-in person after checking the current one.
/// Every session ends; the browser that asked gets a fresh one.
pub async fn change_password(
    state: &AppState,
    client: &Client,
    current: Option<Session>,
    current_password: &str,
    new_password: &str,
) -> Result<(Session, String), AppError> {
    let user_id = authorize_own(current, Action::ChangePassword)?;
    let user = db::users::find(&state.db, user_id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    check_own_password(state, client, &user, current_password, "current_password").await?;
    password::check_strength(new_password).map_err(|m| AppError::field("new_password", m))?;
    if new_password == current_password {
        return Err(AppError::field(
            "new_password",
            "Choose a password different from the current one.",
        ));
    }
    let hash = state.hasher.hash(new_password).await;
    let at = db::now();
    let mut tx = state.db.begin().await?;
    db::resets::set_password_and_end_sessions(&mut tx, user_id, &hash, at).await?;
    let fresh = session::start_in(&mut tx, user_id, client, state.timeouts()).await?;
    db::audit::record_in(
        &mut tx,
        AuditAction::PasswordChanged,
        db::audit::Event {
            actor_user_id: Some(user_id),
            target_user_id: Some(user_id),
            ip: client.ip(),
            ..Default::default()
        },
    )
    .await?;
    notify_changed(state, &mut tx, &user, at).await?;
    tx.commit().await?;
    state.mailer.wake();
    Ok(fresh)
}

/// Checks the signed-in person's own password before a change that needs it;
/// a wrong one is refused on the form field `field`. A stolen session must not
/// guess the password without bound: each check claims a slot first, a right
/// password gives it back.
pub(super) async fn check_own_password(
    state: &AppState,
    client: &Client,
    user: &db::users::UserRow,
    input: &str,
    field: &str,
) -> Result<(), AppError> {
    let slot = rate_limit::claim(&state.db, PASSWORD_CHECKS, &user.id.to_string()).await?;
    if !state.hasher.verify(input, Some(&user.password_hash)).await {
        db::audit::record(
            &state.db,
            AuditAction::PasswordCheckFailed,
            db::audit::Event {
                actor_user_id: Some(user.id),
                target_user_id: Some(user.id),
                ip: client.ip(),
                ..Default::default()
            },
        )
        .await?;
        let message = match field {
            "current_password" => "Your current password is not correct.",
            _ => "Your password is not correct.",
        };
        return Err(AppError::field(field, message));
    }
    slot.release(&state.db).await?;
    Ok(())
}

/// Queues, in the change's transaction, the mail that tells the person their
/// password changed.
async fn notify_changed(
    state: &AppState,
    tx: &mut Tx,
    user: &db::users::UserRow,
    at: chrono::DateTime<chrono::Utc>,
) -> Result<(), AppError> {
    let mail = templates::password_changed(&user.name, at, &state.link("/login"));
    state.mailer.queue_in(tx, &user.email, &mail).await?;
    Ok(())
}
