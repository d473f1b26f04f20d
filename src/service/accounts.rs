//! Sign-up, log-in, log-out and the profile.

use super::{authorize, authorize_own};
use crate::auth::client::Client;
use crate::auth::rate_limit::{self, Limit};
use crate::auth::session::{self, Session};
use crate::auth::{password, token};
use crate::db::{self, organizations::CreateAccountError};
use crate::domain::account::{Activity, SignUpPreview};
use crate::domain::audit::AuditAction;
use crate::domain::email::EmailAddress;
use crate::domain::organization::{check_name, check_person_name, slugify};
use crate::domain::policy::{Action, Actor, Target};
use crate::domain::role::MemberStatus;
use crate::error::{AppError, Checks};
use crate::mail::templates;
use crate::state::AppState;
use chrono::Duration;
use serde_json::json;
use uuid::Uuid;

pub struct SignUp {
    pub name: String,
    pub email: String,
    pub password: String,
    pub organization: String,
}

/// A new session, and where to go now.
#[derive(Debug)]
pub struct SignedIn {
    pub session: Session,
    pub token: String,
    pub landing: String,
}

/// How long a sign-up link works.
pub const SIGN_UP_LIFETIME: Duration = Duration::hours(24);
/// Sign-up mails per address per hour; more requests are answered the same way
/// but send nothing, so the form cannot be used to flood someone's inbox.
const SIGN_UP_MAILS: Limit = Limit::new("sign-up-mail", 3, Duration::hours(1));

/// Takes a sign-up: checks the form, then, whatever the address, answers the
/// same "check your email". The rest runs after the answer (so its timing says
/// nothing either): a new address gets a link that creates the account and the
/// organization when followed; the address of an existing account gets an email
/// saying someone tried to sign up, with log-in and reset links.
pub async fn request_sign_up(
    state: &AppState,
    client: &Client,
    input: SignUp,
) -> Result<(), AppError> {
    authorize(&Actor::anonymous(), Action::SignUp, Target::Nobody)?;
    let mut checks = Checks::new();
    let name = checks.take("name", check_person_name(&input.name));
    let email = checks.take("email", EmailAddress::parse(&input.email));
    checks.take("password", password::check_strength(&input.password));
    let organization = checks.take("organization", check_name(&input.organization));
    checks.finish()?;
    let (Some(name), Some(email), Some(organization)) = (name, email, organization) else {
        return Err(AppError::Internal);
    };
    let state = state.clone();
    let ip = client.ip().map(str::to_owned);
    let password = input.password;
    tokio::spawn(async move {
        let request = PendingSignUp {
            name,
            email,
            organization,
            password,
            ip,
        };
        if let Err(error) = send_sign_up_mail(&state, request).await {
            tracing::error!(%error, "sign-up mail could not be queued");
        }
    });
    Ok(())
}

struct PendingSignUp {
    name: String,
    email: EmailAddress,
    organization: String,
    password: String,
    ip: Option<String>,
}

/// The work behind a sign-up form: the limit's slot, then either the link and
/// its mail or, for a known address, a warning mail and an audit event; each
/// in one transaction.
async fn send_sign_up_mail(state: &AppState, request: PendingSignUp) -> Result<(), AppError> {
    let email_key = request.email.key();
    // Hashed either way, before the write lock, so both paths cost the same.
    let hash = state.hasher.hash(&request.password).await;
    let known = db::users::find_by_email_key(&state.db, &email_key).await?;
    let mut tx = state.db.begin().await?;
    // The slot is claimed with the work; a full window sends nothing.
    if rate_limit::claim_in(&mut tx, SIGN_UP_MAILS, &email_key)
        .await
        .is_err()
    {
        tracing::info!("sign-up mail withheld: hourly limit for the address reached");
        return Ok(());
    }
    if let Some(user) = known {
        let mail = templates::sign_up_attempted(
            &user.name,
            &state.link("/login"),
            &state.link("/forgot-password"),
        );
        state.mailer.queue_in(&mut tx, &user.email, &mail).await?;
        db::audit::record_in(
            &mut tx,
            AuditAction::SignUpAttempted,
            db::audit::Event {
                target_user_id: Some(user.id),
                subject: Some(&email_key),
                ip: request.ip.as_deref(),
                ..Default::default()
            },
        )
        .await?;
        tx.commit().await?;
        state.mailer.wake();
        return Ok(());
    }
    let (token, token_hash) = token::generate();
    let at = db::now();
    let expires_at = at + SIGN_UP_LIFETIME;
    db::signups::insert(
        &mut tx,
        &db::signups::NewSignUp {
            email: request.email.as_str(),
            email_key: &email_key,
            name: &request.name,
            organization_name: &request.organization,
            password_hash: &hash,
            token_hash: &token_hash,
            now: at,
            expires_at,
        },
    )
    .await?;
    let link = state.link(&format!("/signup/confirm?token={token}"));
    let mail = templates::confirm_sign_up(&request.name, &request.organization, &link, expires_at);
    state
        .mailer
        .queue_in(&mut tx, request.email.as_str(), &mail)
        .await?;
    tx.commit().await?;
    state.mailer.wake();
    Ok(())
}

pub const SIGN_UP_LINK_INVALID: &str =
    "This sign-up link is not valid. Check that you copied the whole link, or sign up again.";
pub const SIGN_UP_LINK_USED: &str =
    "This sign-up link has already been used. Log in with the email and password you chose.";
pub const SIGN_UP_LINK_EXPIRED: &str =
    "This sign-up link has expired: links work for 24 hours. Sign up again to get a new one.";
pub const ALREADY_REGISTERED: &str =
    "An account with this email exists now. Log in, or reset your password if you forgot it.";

/// The waiting sign-up a link belongs to, if it can still be used.
async fn waiting_sign_up(
    state: &AppState,
    token_input: &str,
) -> Result<db::signups::SignUpRow, AppError> {
    if !token::looks_valid(token_input) {
        return Err(AppError::NotFound(SIGN_UP_LINK_INVALID.into()));
    }
    let row = db::signups::find_by_hash(&state.db, &token::hash(token_input))
        .await?
        .ok_or_else(|| AppError::NotFound(SIGN_UP_LINK_INVALID.into()))?;
    if row.used_at.is_some() {
        return Err(AppError::Conflict(SIGN_UP_LINK_USED.into()));
    }
    if row.expires_at <= db::now() {
        return Err(AppError::Conflict(SIGN_UP_LINK_EXPIRED.into()));
    }
    Ok(row)
}

/// What a sign-up link will create, for its page.
pub async fn sign_up_preview(
    state: &AppState,
    token_input: &str,
) -> Result<SignUpPreview, AppError> {
    authorize(&Actor::anonymous(), Action::SignUp, Target::Nobody)?;
    let row = waiting_sign_up(state, token_input).await?;
    Ok(SignUpPreview {
        name: row.name,
        email: row.email,
        organization: row.organization_name,
    })
}

/// Follows a sign-up link: creates the account (its address now proven), the
/// organization and the owner membership, and signs the person in.
pub async fn confirm_sign_up(
    state: &AppState,
    client: &Client,
    token_input: &str,
) -> Result<SignedIn, AppError> {
    authorize(&Actor::anonymous(), Action::SignUp, Target::Nobody)?;
    let row = waiting_sign_up(state, token_input).await?;
    let mut tx = state.db.begin().await?;
    let created = db::organizations::create_account(
        &mut tx,
        &db::organizations::NewAccount {
            signup_request_id: row.id,
            email: &row.email,
            email_key: &row.email_key,
            name: &row.name,
            password_hash: &row.password_hash,
            organization_name: &row.organization_name,
            slug_base: &slugify(&row.organization_name),
        },
    )
    .await
    .map_err(|e| match e {
        CreateAccountError::EmailTaken => AppError::Conflict(ALREADY_REGISTERED.into()),
        CreateAccountError::LinkUsed => AppError::Conflict(SIGN_UP_LINK_USED.into()),
        CreateAccountError::Db(e) => e.into(),
    })?;
    let ip = client.ip();
    db::audit::record_in(
        &mut tx,
        AuditAction::SignedUp,
        db::audit::Event {
            organization_id: Some(created.organization_id),
            actor_user_id: Some(created.user_id),
            target_user_id: Some(created.user_id),
            subject: Some(&row.email_key),
            ip,
            ..Default::default()
        },
    )
    .await?;
    db::audit::record_in(
        &mut tx,
        AuditAction::OrganizationCreated,
        db::audit::Event {
            organization_id: Some(created.organization_id),
            actor_user_id: Some(created.user_id),
            ip,
            details: json!({ "name": row.organization_name, "slug": created.slug }),
            ..Default::default()
        },
    )
    .await?;
    // Requests other organizations sent to this address before it had an
    // organization wait here now (their senders still see the address only).
    db::partnerships::claim_waiting(&mut tx, &row.email_key, created.organization_id).await?;
    let landing = format!("/o/{}", created.slug);
    let welcome = templates::welcome(&row.name, &row.organization_name, &state.link(&landing));
    state.mailer.queue_in(&mut tx, &row.email, &welcome).await?;
    let (session, token) =
        session::start_in(&mut tx, created.user_id, client, state.timeouts()).await?;
    tx.commit().await?;
    state.mailer.wake();
    Ok(SignedIn {
        session,
        token,
        landing,
    })
}

pub const WRONG_CREDENTIALS: &str = "The email or password is incorrect.";

/// Logs in. `previous` is the session the browser already had: it ends, so a
/// session id planted before log-in is worthless after it.
pub async fn log_in(
    state: &AppState,
    client: &Client,
    previous: Option<Session>,
    email: &str,
    password_input: &str,
    next: Option<&str>,
) -> Result<SignedIn, AppError> {
    authorize(&Actor::anonymous(), Action::LogIn, Target::Nobody)?;
    let email = EmailAddress::parse(email).map_err(|e| AppError::field("email", e.message()))?;
    if password_input.is_empty() {
        return Err(AppError::field("password", "Enter your password."));
    }
    let email_key = email.key();
    // Slots are claimed before the password is checked, so concurrent guesses
    // spend the budget too; a right password gives them back.
    let slots =
        rate_limit::claim_login(&state.db, &state.login_limits(), &email_key, client.ip()).await?;
    let user = db::users::find_by_email_key(&state.db, &email_key).await?;
    let ok = state
        .hasher
        .verify(
            password_input,
            user.as_ref().map(|u| u.password_hash.as_str()),
        )
        .await;
    let user = match user {
        Some(user) if ok => user,
        other => {
            db::audit::record(
                &state.db,
                AuditAction::LoginFailed,
                db::audit::Event {
                    target_user_id: other.map(|u| u.id),
                    subject: Some(&email_key),
                    ip: client.ip(),
                    ..Default::default()
                },
            )
            .await?;
            return Err(AppError::field("password", WRONG_CREDENTIALS));
        }
    };
    let mut tx = state.db.begin().await?;
    slots.release_in(&mut tx).await?;
    if let Some(previous) = previous {
        db::sessions::delete_in(&mut tx, previous.id).await?;
    }
    let (session, token) = session::start_in(&mut tx, user.id, client, state.timeouts()).await?;
    db::audit::record_in(
        &mut tx,
        AuditAction::LoggedIn,
        db::audit::Event {
            actor_user_id: Some(user.id),
            target_user_id: Some(user.id),
            subject: Some(&email_key),
            ip: client.ip(),
            ..Default::default()
        },
    )
    .await?;
    tx.commit().await?;
    let landing = match next.filter(|n| is_safe_next(n)) {
        Some(next) => next.to_string(),
        None => landing_for(state, user.id).await?,
    };
    Ok(SignedIn {
        session,
        token,
        landing,
    })
}

/// My organizations: every organization of the signed-in person and the
/// invitations waiting for them.
pub const MY_ORGANIZATIONS: &str = "/organizations";

/// Where a signed-in person starts: the active organization they used last
/// (the first by name when none was used yet), or My organizations when they
/// have none.
pub async fn landing_for(state: &AppState, user_id: Uuid) -> Result<String, AppError> {
    let orgs = db::organizations::for_user(&state.db, user_id).await?;
    Ok(orgs
        .iter()
        .rev()
        .filter(|o| o.status == MemberStatus::Active)
        .max_by_key(|o| o.last_active_at)
        .map(|o| format!("/o/{}", o.slug))
        .unwrap_or_else(|| MY_ORGANIZATIONS.to_string()))
}

/// Where the signed-in person starts (the home page sends them there).
pub async fn current_landing(state: &AppState, current: Session) -> Result<String, AppError> {
    authorize_own(Some(current), Action::ViewAccount)?;
    landing_for(state, current.user_id).await
}

/// Only same-site paths: "/o/acme", never "//evil.example" or "https://…".
pub fn is_safe_next(next: &str) -> bool {
    next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && !next.chars().any(char::is_control)
}

pub async fn log_out(
    state: &AppState,
    client: &Client,
    current: Option<Session>,
) -> Result<(), AppError> {
    authorize_own(current, Action::LogOut)?;
    let Some(current) = current else {
        return Err(AppError::Unauthenticated);
    };
    let mut tx = state.db.begin().await?;
    db::sessions::delete_in(&mut tx, current.id).await?;
    db::audit::record_in(
        &mut tx,
        AuditAction::LoggedOut,
        db::audit::Event {
            actor_user_id: Some(current.user_id),
            target_user_id: Some(current.user_id),
            ip: client.ip(),
            ..Default::default()
        },
    )
    .await?;
    Ok(tx.commit().await?)
}

pub async fn update_profile(
    state: &AppState,
    client: &Client,
    current: Option<Session>,
    name: &str,
) -> Result<String, AppError> {
    let user_id = authorize_own(current, Action::UpdateProfile)?;
    let name = check_person_name(name).map_err(|m| AppError::field("name", m))?;
    let user = db::users::find(&state.db, user_id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    if user.name != name {
        let mut tx = state.db.begin().await?;
        db::users::update_name(&mut tx, user_id, &name).await?;
        db::audit::record_in(
            &mut tx,
            AuditAction::ProfileUpdated,
            db::audit::Event {
                actor_user_id: Some(user_id),
                target_user_id: Some(user_id),
                ip: client.ip(),
                details: json!({ "name": { "before": user.name, "after": name } }),
                ..Default::default()
            },
        )
        .await?;
        tx.commit().await?;
    }
    Ok(name)
}

/// The newest security events of the signed-in person's account.
pub async fn recent_activity(
    state: &AppState,
    current: Option<Session>,
) -> Result<Vec<Activity>, AppError> {
    let user_id = authorize_own(current, Action::ViewAccount)?;
    let rows = db::audit::for_user(&state.db, user_id, 10).await?;
    Ok(rows
        .into_iter()
        .map(|row| Activity {
            what: row.action.describe().to_string(),
            ip: row.ip,
            at: row.created_at.into(),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_paths_stay_on_site() {
        assert!(is_safe_next("/o/acme"));
        assert!(!is_safe_next("//evil.example"));
        assert!(!is_safe_next("https://evil.example"));
        assert!(!is_safe_next("/\\evil.example"));
        assert!(!is_safe_next("o/acme"));
    }
}
