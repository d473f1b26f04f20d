//! An organization created by someone who already has an account: a partner
//! of other organizations, or a person who left their team. Sign-up creates
//! the first organization together with the account (see `accounts`).

use super::authorize_own;
use crate::auth::client::Client;
use crate::auth::rate_limit::{self, Limit};
use crate::auth::session::Session;
use crate::db::{self, organizations::CreateOrganizationError};
use crate::domain::audit::AuditAction;
use crate::domain::organization::{check_name, slugify};
use crate::domain::policy::Action;
use crate::error::AppError;
use crate::mail::templates;
use crate::state::AppState;
use chrono::Duration;
use serde_json::json;

/// Organizations a person may create in a day. Each one may claim partnership
/// requests and sends a mail; a person needs one (the one-team rule), so the
/// few more allow for mistakes after deleting one.
pub const CREATIONS: Limit = Limit::new("organization-create", 5, Duration::hours(24));

/// Creates the organization `name` with the signed-in person as its owner and
/// returns where to go: its home. In one transaction: the organization, the
/// owner's team membership and seat, the audit event, the partnership requests
/// waiting for the person's (verified) address, and the mail that says so.
pub async fn create(
    state: &AppState,
    client: &Client,
    current: Option<Session>,
    name: &str,
) -> Result<String, AppError> {
    let own = authorize_own(current, Action::CreateOrganization)?;
    let name = check_name(name).map_err(|m| AppError::field("name", m))?;
    let user = db::users::find(&state.db, own)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    if let Some(team) = db::organizations::team_of(&state.db, own).await? {
        return Err(team_elsewhere(&team));
    }
    // Every attempt that reaches the work counts.
    drop(rate_limit::claim(&state.db, CREATIONS, &own.to_string()).await?);
    let email_key = user.email.to_lowercase();
    let mut tx = state.db.begin().await?;
    let created = match db::organizations::create(
        &mut tx,
        &db::organizations::NewOrganization {
            owner_id: own,
            owner_name: &user.name,
            owner_email_key: &email_key,
            name: &name,
            slug_base: &slugify(&name),
        },
    )
    .await
    {
        Ok(created) => created,
        // Joined a team meanwhile: the index refused the second one.
        Err(CreateOrganizationError::TeamElsewhere) => {
            drop(tx);
            let team = db::organizations::team_of(&state.db, own).await?;
            return Err(team_elsewhere(
                team.as_deref().unwrap_or("another organization"),
            ));
        }
        Err(CreateOrganizationError::Db(e)) => return Err(e.into()),
    };
    // Requests other organizations sent to this address while it addressed
    // none wait here now (their senders still see the address only).
    let claimed = db::partnerships::claim_waiting(&mut tx, &email_key, created.id).await?;
    db::audit::record_in(
        &mut tx,
        AuditAction::OrganizationCreated,
        db::audit::Event {
            organization_id: Some(created.id),
            actor_user_id: Some(own),
            ip: client.ip(),
            details: json!({ "name": name, "slug": created.slug, "partnership_requests": claimed }),
            ..Default::default()
        },
    )
    .await?;
    let landing = format!("/o/{}", created.slug);
    let mail = templates::organization_created(&user.name, &name, &state.link(&landing));
    state.mailer.queue_in(&mut tx, &user.email, &mail).await?;
    tx.commit().await?;
    state.mailer.wake();
    Ok(landing)
}

/// The refusal for a team member of the organization `team`.
fn team_elsewhere(team: &str) -> AppError {
    AppError::Conflict(format!(
        "You are a team member of {team}, and a person can be a team member of only one organization. To create your own, leave {team} first."
    ))
}
