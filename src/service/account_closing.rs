//! Closing one's own account (Account settings → Close account), with the
//! password. Refused while the person is the last owner of an organization;
//! otherwise their memberships, sessions and personal data go in one
//! transaction with the audit events and the confirmation mail.

use super::authorize_own;
use super::passwords::check_own_password;
use crate::auth::client::Client;
use crate::auth::session::Session;
use crate::db::{
    self,
    account_closing::{CloseError, Closing},
};
use crate::domain::account::OrganizationLink;
use crate::domain::audit::AuditAction;
use crate::domain::policy::Action;
use crate::error::AppError;
use crate::mail::templates;
use crate::state::AppState;

/// The organizations that keep the person from closing their account: those
/// they are the last active owner of.
pub async fn blockers(
    state: &AppState,
    current: Option<Session>,
) -> Result<Vec<OrganizationLink>, AppError> {
    let own = authorize_own(current, Action::ViewAccount)?;
    Ok(db::account_closing::owned_alone(&state.db, own).await?)
}

/// Closes the signed-in person's account after checking their password.
pub async fn close(
    state: &AppState,
    client: &Client,
    current: Option<Session>,
    password: &str,
) -> Result<(), AppError> {
    let own = authorize_own(current, Action::CloseAccount)?;
    let user = db::users::find(&state.db, own)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    // Refused before the password is checked: nothing is written.
    let alone = db::account_closing::owned_alone(&state.db, own).await?;
    if !alone.is_empty() {
        return Err(last_owner(alone));
    }
    check_own_password(state, client, &user, password, "password").await?;
    let email_key = user.email.to_lowercase();
    let at = db::now();
    let mut tx = state.db.begin().await?;
    // The confirmation goes to the address before it is forgotten.
    let mail = templates::account_closed(&user.name);
    db::outbox::enqueue_in(&mut tx, &mail.to(&user.email)).await?;
    let closing = Closing {
        user_id: own,
        email: &user.email,
        email_key: &email_key,
        at,
    };
    let organizations = match db::account_closing::close(&mut tx, &closing).await {
        Ok(organizations) => organizations,
        Err(CloseError::LastOwner(alone)) => return Err(last_owner(alone)),
        Err(CloseError::Db(e)) => return Err(e.into()),
    };
    // One event in each organization the person was in, by the anonymous account.
    for organization_id in organizations {
        db::audit::record_in(
            &mut tx,
            AuditAction::AccountClosed,
            db::audit::Event {
                organization_id: Some(organization_id),
                actor_user_id: Some(own),
                target_user_id: Some(own),
                ..Default::default()
            },
        )
        .await?;
    }
    db::audit::record_in(
        &mut tx,
        AuditAction::AccountClosed,
        db::audit::Event {
            actor_user_id: Some(own),
            target_user_id: Some(own),
            ..Default::default()
        },
    )
    .await?;
    tx.commit().await?;
    state.mailer.wake();
    Ok(())
}

fn last_owner(alone: Vec<OrganizationLink>) -> AppError {
    let names: Vec<String> = alone.into_iter().map(|o| o.name).collect();
    AppError::Conflict(format!(
        "You are the last owner of {}. Make someone else owner there, or delete the organization, before you close your account.",
        names.join(", ")
    ))
}
