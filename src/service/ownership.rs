//! Who holds an organization: making another member owner, leaving it, and
//! deleting it.

use super::organizations::member_context;
use crate::auth::client::Client;
use crate::auth::session::Session;
use crate::db::{
    self,
    members::{Change, ChangeError, TransferError},
};
use crate::domain::audit::AuditAction;
use crate::domain::former_access::Departure;
use crate::domain::member::MemberSort;
use crate::domain::policy::Action;
use crate::domain::role::{MemberStatus, Role};
use crate::error::AppError;
use crate::mail::templates::{self, MemberNotice};
use crate::state::AppState;
use serde_json::json;
use uuid::Uuid;

/// The active members told by mail that their organization was deleted.
const NOTIFY_LIMIT: u32 = 10_000;

const NO_MEMBER: &str = "This person is not a member of this organization.";
const LAST_OWNER_LEAVING: &str = "You are the organization's last active owner: make someone else owner before you leave, or delete the organization.";

/// Makes the active member `user_id` an owner (with every module and
/// sub-account); with `step_down`, the actor becomes an admin at the same time.
pub async fn transfer(
    state: &AppState,
    client: &Client,
    current: Option<Session>,
    slug: &str,
    user_id: Uuid,
    version: i64,
    step_down: bool,
) -> Result<(), AppError> {
    let ctx = member_context(state, current, slug, Action::TransferOwnership).await?;
    if user_id == ctx.user_id {
        return Err(AppError::Conflict("You are an owner already.".into()));
    }
    let org = ctx.organization.id;
    let (Some(from), Some(to)) = (
        db::members::find(&state.db, org, ctx.user_id).await?,
        db::members::find(&state.db, org, user_id).await?,
    ) else {
        return Err(AppError::NotFound(NO_MEMBER.into()));
    };
    if to.role == Role::Owner && !step_down {
        return Err(AppError::Conflict(format!(
            "{} is an owner already.",
            to.name
        )));
    }
    let mail = ctx.notice(state, MemberNotice::MadeOwner, &to.name);
    let mut tx = state.db.begin().await?;
    db::members::transfer_ownership(&mut tx, org, from.id, to.id, version, step_down)
        .await
        .map_err(|e| match e {
            TransferError::Stale => AppError::Conflict(format!(
                "{} was changed by someone else since you opened the page. Reload, then try again.",
                to.name
            )),
            TransferError::Inactive => AppError::Conflict(format!(
                "{} is deactivated: reactivate them before making them owner.",
                to.name
            )),
            TransferError::NotOwner => {
                AppError::Forbidden("You are no longer an owner of this organization.".into())
            }
            TransferError::Db(e) => e.into(),
        })?;
    state.mailer.queue_in(&mut tx, &to.email, &mail).await?;
    ctx.record_in(
        &mut tx,
        client,
        AuditAction::OwnershipTransferred,
        Some(user_id),
        json!({
            "email": to.email,
            "role": {
                "before": to.role.label(),
                "after": Role::Owner.label(),
            },
            "stepped_down": step_down,
        }),
    )
    .await?;
    tx.commit().await?;
    state.mailer.wake();
    Ok(())
}

/// The signed-in member leaves the organization (never its last active owner).
pub async fn leave(
    state: &AppState,
    client: &Client,
    current: Option<Session>,
    slug: &str,
) -> Result<(), AppError> {
    let ctx = member_context(state, current, slug, Action::LeaveOrganization).await?;
    let own = db::members::find(&state.db, ctx.organization.id, ctx.user_id)
        .await?
        .ok_or(AppError::Internal)?;
    let mut tx = state.db.begin().await?;
    db::members::change(
        &mut tx,
        ctx.organization.id,
        own.id,
        own.version,
        &Change::Remove(Departure::Left),
    )
    .await
    .map_err(|e| match e {
        ChangeError::LastOwner => AppError::Conflict(LAST_OWNER_LEAVING.into()),
        ChangeError::Stale => AppError::Conflict(
            "Your membership was changed meanwhile. Reload, then try again.".into(),
        ),
        ChangeError::Db(e) => e.into(),
        // Leaving changes no kind.
        ChangeError::TeamElsewhere => AppError::Internal,
    })?;
    ctx.record_in(
        &mut tx,
        client,
        AuditAction::MemberLeft,
        Some(ctx.user_id),
        json!({ "email": own.email, "role": own.role, "kind": own.kind }),
    )
    .await?;
    // The organization's owners and admins are told, in the same transaction.
    let org = &ctx.organization;
    let admins = db::access_ends::admins_of(&mut tx, &[org.id]).await?;
    let link = state.link(&format!("/o/{}/members", org.slug));
    let mails: Vec<_> = admins
        .iter()
        .map(|admin| {
            let mail = templates::member_left(
                &admin.name,
                &own.name,
                &own.email,
                own.kind,
                &org.name,
                &link,
            );
            (admin.email.clone(), mail)
        })
        .collect();
    let outgoing: Vec<_> = mails.iter().map(|(to, mail)| mail.to(to)).collect();
    db::outbox::enqueue_many_in(&mut tx, &outgoing).await?;
    tx.commit().await?;
    state.mailer.wake();
    Ok(())
}

/// Deletes the organization and everything in it, once the owner has typed its
/// name exactly.
pub async fn delete(
    state: &AppState,
    client: &Client,
    current: Option<Session>,
    slug: &str,
    confirm_name: &str,
) -> Result<(), AppError> {
    let ctx = member_context(state, current, slug, Action::DeleteOrganization).await?;
    let name = &ctx.organization.name;
    if confirm_name.trim() != name {
        return Err(AppError::field(
            "confirm_name",
            format!("Type the organization's name exactly as shown, \"{name}\", to delete it."),
        ));
    }
    let (people, _) = db::members::list(
        &state.db,
        ctx.organization.id,
        &db::members::ListFilter {
            status: MemberStatus::Active,
            kind: None,
            search: "",
            sort: MemberSort::Joined,
            descending: false,
            scope: None,
        },
        None,
        1,
        NOTIFY_LIMIT,
    )
    .await?;
    let actor = ctx.actor_name();
    let mails: Vec<_> = people
        .iter()
        .filter(|p| p.user_id != ctx.user_id)
        .map(|p| {
            let mail = ctx.notice(state, MemberNotice::OrganizationDeleted, &p.name);
            (p.email.as_str(), mail)
        })
        .collect();
    let mut tx = state.db.begin().await?;
    // Its partner organizations see the relationships end (timeline, email).
    super::partnerships::end_all(&mut tx, state, &ctx, actor).await?;
    if !db::organizations::delete(&mut tx, ctx.organization.id).await? {
        return Err(AppError::NotFound(
            "This organization has been deleted already.".into(),
        ));
    }
    for (to, mail) in &mails {
        state.mailer.queue_in(&mut tx, to, mail).await?;
    }
    // The organization's own trail went with it; this event stays with the person.
    db::audit::record_in(
        &mut tx,
        AuditAction::OrganizationDeleted,
        db::audit::Event {
            actor_user_id: Some(ctx.user_id),
            target_user_id: Some(ctx.user_id),
            subject: Some(name),
            ip: client.ip(),
            details: json!({ "organization_id": ctx.organization.id, "name": name, "slug": ctx.organization.slug }),
            ..Default::default()
        },
    )
    .await?;
    tx.commit().await?;
    state.mailer.wake();
    Ok(())
}
