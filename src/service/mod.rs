//! The application's flows, one file per area. Each takes the shared state, the
//! session and the client, asks the policy first, then works through `db`,
//! `auth` and `mail`. Server functions are thin wrappers around these, and the
//! integration tests call these same functions.

pub mod acceptance;
pub mod access_ends;
pub mod access_requests;
pub mod account_closing;
pub mod accounts;
pub mod audit_log;
pub mod billing;
pub mod contacts;
pub mod invitation_check;
pub mod invitation_csv;
pub mod invitation_replies;
pub mod invitations;
pub mod member_target;
pub mod members;
pub mod new_organization;
pub mod organizations;
pub mod ownership;
pub mod partner_access;
pub mod partnerships;
pub mod passwords;
pub mod settings;

use crate::auth::{actor, session::Session};
use crate::domain::policy::{self, Action, Actor, Denied, Target};
use crate::error::AppError;
use uuid::Uuid;

/// Asks the policy about `action` on the signed-in person's own account;
/// returns their user id.
pub fn authorize_own(current: Option<Session>, action: Action) -> Result<Uuid, AppError> {
    let own = current.map(|s| s.user_id).unwrap_or_default();
    authorize(&actor::for_account(current), action, Target::Account(own))?;
    Ok(own)
}

/// Asks the policy; a refusal becomes the error the person sees.
pub fn authorize(actor: &Actor, action: Action, target: Target) -> Result<(), AppError> {
    policy::allowed(actor, action, &target).map_err(|denied| match denied {
        Denied::NotSignedIn => AppError::Unauthenticated,
        Denied::NotAMember => AppError::NotFound("There is no organization at this address, or you are not a member of it.".into()),
        Denied::Deactivated => AppError::Forbidden("Your access to this organization has been deactivated. Ask one of its administrators to reactivate you.".into()),
        Denied::MissingModule(module) => AppError::Forbidden(format!("Your access to this organization does not include the {} module. Ask one of its administrators if you need it.", module.label())),
        Denied::Forbidden => AppError::Forbidden("You do not have permission to do this.".into()),
    })
}
