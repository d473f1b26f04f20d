//! Partner organizations (seed 004): an owner, admin or billing admin of one
//! organization asks another to partner by typing the email of someone there;
//! any owner, admin or billing admin of the other accepts, rejects or deletes,
//! by the table of DESIGN.md ([`crate::domain::partnership::apply`]). Every
//! change is one transaction with its timeline line, audit event and mails.

use super::organizations::{MemberContext, member_context};
use crate::auth::client::Client;
use crate::auth::rate_limit::{self, Limit};
use crate::auth::session::Session;
use crate::db::{self, partnerships::ListedRow, partnerships::PartnershipRow, tx::Tx};
use crate::domain::audit::AuditAction;
use crate::domain::email::EmailAddress;
use crate::domain::page::{PAGE_SIZE, Page};
use crate::domain::partnership::{
    After, Blocked, LIST_PAGE_SIZE, ListPages, Listed, Move, PartnershipEvent, PartnershipStatus,
    PartnershipView, Partnerships, Refusal, SendOutcome, Side, TimelineEntry, may_send,
    timeline_csv,
};
use crate::domain::policy::{self, Action, Actor, Target};
use crate::error::AppError;
use crate::mail::partnerships as mails;
use crate::state::AppState;
use chrono::Duration;
use serde_json::json;
use uuid::Uuid;

/// Requests an organization may send in an hour (each may mail an address
/// outside Consort): plenty for people, too few for a spammer.
pub const SENDS: Limit = Limit::new("partnership-request", 30, Duration::hours(1));

/// A relationship that is not the organization's, or no longer in its lists.
const NO_RELATIONSHIP: &str = "This relationship is not in your organization's lists.";

/// A move from a page loaded before the relationship changed.
const CHANGED: &str = "This relationship changed since the page was loaded, so nothing was done. Reload to see where it stands now.";

/// One page of each of the organization's four lists, as its Partners page
/// shows them.
pub async fn list(
    state: &AppState,
    current: Option<Session>,
    slug: &str,
    pages: ListPages,
) -> Result<Partnerships, AppError> {
    let ctx = member_context(state, current, slug, Action::ViewPartnerships).await?;
    let own = ctx.organization.id;
    let actor = Actor {
        user_id: Some(ctx.user_id),
        membership: Some(ctx.membership),
    };
    let may_act = policy::allowed(
        &actor,
        Action::ManagePartnerships,
        &Target::Organization(own),
    )
    .is_ok();
    let counts = db::partnerships::counts_of(&state.db, own).await?;
    let size = LIST_PAGE_SIZE;
    let limits = Listed::ALL.map(|which| {
        // An empty list reads nothing.
        let limit = if counts.of(which) > 0 {
            i64::from(size)
        } else {
            0
        };
        (limit, i64::from(pages.of(which) - 1) * i64::from(size))
    });
    let mut lists = Listed::ALL.map(|which| Page {
        items: Vec::new(),
        total: counts.of(which).max(0) as u64,
        page: pages.of(which),
        page_size: size,
    });
    let rows = if limits.iter().any(|(limit, _)| *limit > 0) {
        db::partnerships::pages_of(&state.db, own, limits).await?
    } else {
        Vec::new()
    };
    for row in rows {
        let list = usize::try_from(row.list)
            .ok()
            .and_then(|i| lists.get_mut(i));
        if let (Some(list), Some(view)) = (list, view_of(row, own)) {
            list.items.push(view);
        }
    }
    let [received, sent, partners, rejected] = lists;
    Ok(Partnerships {
        received,
        sent,
        partners,
        rejected,
        may_act,
    })
}

/// One relationship as the side `own` sees it. The other organization's name
/// stays hidden while the sender's request waits: it would tell the sender
/// whether the address has an organization, and which.
fn view_of(listed: ListedRow, own: Uuid) -> Option<PartnershipView> {
    let ListedRow { row, .. } = &listed;
    let side = row.side_of(own)?;
    let (organization, address, sent_by) = match side {
        Side::Requester => (
            (row.status != PartnershipStatus::Pending)
                .then(|| listed.recipient_name.clone())
                .flatten(),
            Some(row.recipient_email.clone()),
            listed.sender_name.clone(),
        ),
        Side::Recipient => (
            listed.requester_name.clone(),
            None,
            listed
                .sender_name
                .as_ref()
                .zip(listed.sender_email.as_ref())
                .map(|(name, email)| format!("{name} ({email})")),
        ),
    };
    Some(PartnershipView {
        id: row.id,
        version: row.version,
        side,
        status: row.status,
        organization,
        address,
        sent_by,
        sent_at: listed.created_at.into(),
        answered_by: listed.answerer_name.clone(),
        answered_at: listed.answered_at.map(Into::into),
    })
}

/// Sends a request to the organization of `email`. An address that addresses
/// no organization reads exactly like one that does: the request is recorded
/// and its owner invited to create an organization, where it will wait.
pub async fn send(
    state: &AppState,
    client: &Client,
    current: Option<Session>,
    slug: &str,
    email: &str,
) -> Result<SendOutcome, AppError> {
    let ctx = member_context(state, current, slug, Action::ManagePartnerships).await?;
    let own = ctx.organization.id;
    let address = EmailAddress::parse(email).map_err(|e| AppError::field("email", e.message()))?;
    let key = address.key();
    // Every attempt that reaches the look-up counts, answered or refused.
    drop(rate_limit::claim(&state.db, SENDS, &own.to_string()).await?);
    let addressed = db::partnerships::addressed(&state.db, &key).await?;
    if let Some(other) = &addressed {
        if other.organization_id == own {
            return Err(blocked(Blocked::OwnOrganization));
        }
        if let Some(live) = db::partnerships::between(&state.db, own, other.organization_id).await?
        {
            return refusal_for(&live, own, &other.name);
        }
    }
    let mut tx = state.db.begin().await?;
    let new = db::partnerships::NewPartnership {
        requester_id: own,
        recipient_id: addressed.as_ref().map(|o| o.organization_id),
        recipient_email: address.as_str(),
        recipient_email_key: &key,
        requested_by: ctx.user_id,
    };
    let Some(id) = db::partnerships::insert(&mut tx, &new).await? else {
        drop(tx);
        // A relationship appeared meanwhile (both sides sent at once, say).
        return match &addressed {
            Some(other) => {
                match db::partnerships::between(&state.db, own, other.organization_id).await? {
                    Some(live) => refusal_for(&live, own, &other.name),
                    None => Err(AppError::Conflict(CHANGED.into())),
                }
            }
            None => Err(blocked(Blocked::AlreadySent)),
        };
    };
    let actor = ctx.actor_name();
    db::partnerships::add_event(
        &mut tx,
        &db::partnerships::NewEvent {
            partnership_id: id,
            event: PartnershipEvent::Sent,
            side: Side::Requester,
            actor_user_id: Some(ctx.user_id),
            actor_name: actor,
            organization: &ctx.organization.name,
            requester_sees: true,
            recipient_sees: true,
        },
    )
    .await?;
    // The sender's own trail names the address, never the organization behind it.
    ctx.record_in(
        &mut tx,
        client,
        AuditAction::PartnershipRequested,
        None,
        json!({ "partnership_id": id, "address": address.as_str() }),
    )
    .await?;
    match &addressed {
        Some(other) => {
            let link = state.link(&format!("/o/{}/partners", other.slug));
            let mut to = vec![db::partnerships::Decider {
                name: other.user_name.clone(),
                email: other.email.clone(),
            }];
            for decider in db::partnerships::deciders_of(&mut tx, other.organization_id).await? {
                if !to.iter().any(|d| d.email == decider.email) {
                    to.push(decider);
                }
            }
            for person in &to {
                let mail = mails::received(
                    &person.name,
                    actor,
                    &ctx.organization.name,
                    &other.name,
                    &link,
                );
                db::outbox::enqueue_in(&mut tx, &mail.to(&person.email)).await?;
            }
        }
        None => {
            let mail = mails::invite_to_create(
                actor,
                &ctx.organization.name,
                &state.link("/signup"),
                &state.link("/login?next=/organizations"),
            );
            db::outbox::enqueue_in(&mut tx, &mail.to(address.as_str())).await?;
        }
    }
    tx.commit().await?;
    state.mailer.wake();
    Ok(SendOutcome::Sent)
}

fn blocked(why: Blocked) -> AppError {
    AppError::field("email", why.message())
}

/// Why a new request is refused, given the live relationship between the two
/// organizations; a pending request from the other side is offered instead.
fn refusal_for(live: &PartnershipRow, own: Uuid, name: &str) -> Result<SendOutcome, AppError> {
    let side = live.side_of(own).ok_or(AppError::Internal)?;
    match may_send(live.relationship(), side) {
        Ok(()) => Err(AppError::Conflict(CHANGED.into())),
        Err(Blocked::TheyAsked) => Ok(SendOutcome::TheyAsked {
            id: live.id,
            version: live.version,
            organization: name.to_string(),
        }),
        Err(why) => Err(blocked(why)),
    }
}

/// Accepts, rejects or deletes the relationship `id` as it was at `version`
/// (what the page showed): a change meanwhile refuses the move.
pub async fn act(
    state: &AppState,
    client: &Client,
    current: Option<Session>,
    slug: &str,
    id: Uuid,
    version: i64,
    mv: Move,
) -> Result<(), AppError> {
    let ctx = member_context(state, current, slug, Action::ManagePartnerships).await?;
    let own = ctx.organization.id;
    let mut tx = state.db.begin().await?;
    let row = db::partnerships::find_in(&mut tx, id)
        .await?
        .ok_or_else(|| AppError::NotFound(NO_RELATIONSHIP.into()))?;
    let side = row
        .side_of(own)
        .filter(|side| row.relationship().holds(*side))
        .ok_or_else(|| AppError::NotFound(NO_RELATIONSHIP.into()))?;
    if row.version != version {
        return Err(AppError::Conflict(CHANGED.into()));
    }
    let before = row.relationship();
    let after = crate::domain::partnership::apply(before, side, mv)
        .map_err(|refusal: Refusal| AppError::Conflict(refusal.message().into()))?;
    let answers = match mv {
        Move::Accept | Move::Reject => true,
        Move::Delete => side == Side::Recipient && before.status != PartnershipStatus::Rejected,
    };
    let live = match after {
        After::Live(rel) => Some(rel),
        After::Gone => None,
    };
    let answered_by = answers.then_some(ctx.user_id);
    if !db::partnerships::change(&mut tx, id, version, live, answered_by).await? {
        return Err(AppError::Conflict(CHANGED.into()));
    }
    let actor = ctx.actor_name();
    db::partnerships::add_event(
        &mut tx,
        &db::partnerships::NewEvent {
            partnership_id: id,
            event: mv.event(),
            side,
            actor_user_id: Some(ctx.user_id),
            actor_name: actor,
            organization: &ctx.organization.name,
            requester_sees: before.sees(Side::Requester, side),
            recipient_sees: before.sees(Side::Recipient, side),
        },
    )
    .await?;
    let other = db::partnerships::organization(&mut tx, row.organization(side.other())).await?;
    let other = other.as_ref();
    // What the actor's own trail may name: the address while its request waits.
    let named = match (side, before.status, other) {
        (Side::Requester, PartnershipStatus::Pending, _) | (_, _, None) => {
            row.recipient_email.clone()
        }
        (_, _, Some(other)) => other.name.clone(),
    };
    let action = match mv {
        Move::Accept => AuditAction::PartnershipAccepted,
        Move::Reject => AuditAction::PartnershipRejected,
        Move::Delete => AuditAction::PartnershipDeleted,
    };
    ctx.record_in(
        &mut tx,
        client,
        action,
        None,
        json!({ "partnership_id": id, "organization": named,
                "status": { "before": before.status.as_str(),
                            "after": live.map(|r| r.status.as_str()).unwrap_or("deleted") } }),
    )
    .await?;
    if let Some(other) = other {
        notify(
            &mut tx,
            state,
            &ctx,
            &row,
            side,
            mv,
            before.status,
            other,
            actor,
        )
        .await?;
    }
    tx.commit().await?;
    state.mailer.wake();
    Ok(())
}

/// The mails of a move: the sending side hears of an answer; a side that
/// still held a pending or accepted relationship hears that the other deleted it.
#[allow(clippy::too_many_arguments)]
async fn notify(
    tx: &mut Tx,
    state: &AppState,
    ctx: &MemberContext,
    row: &PartnershipRow,
    side: Side,
    mv: Move,
    before: PartnershipStatus,
    other: &db::partnerships::OrganizationRef,
    actor: &str,
) -> Result<(), AppError> {
    let link = state.link(&format!("/o/{}/partners", other.slug));
    let own = &ctx.organization.name;
    let mut to = db::partnerships::deciders_of(tx, other.id).await?;
    if side == Side::Recipient
        && let Some(sender) = db::partnerships::person(tx, row.requested_by).await?
        && !to.iter().any(|d| d.email == sender.email)
    {
        to.push(sender);
    }
    for person in &to {
        let mail = match mv {
            Move::Accept => mails::accepted(&person.name, own, &other.name, actor, &link),
            Move::Reject => mails::rejected(&person.name, own, &other.name, &link),
            Move::Delete if before != PartnershipStatus::Rejected => mails::deleted(
                &person.name,
                own,
                &other.name,
                before == PartnershipStatus::Accepted,
                &link,
            ),
            Move::Delete => return Ok(()),
        };
        db::outbox::enqueue_in(tx, &mail.to(&person.email)).await?;
    }
    Ok(())
}

/// Ends every relationship of an organization that is being deleted, in the
/// deletion's transaction: each gets its timeline line, and the other side,
/// where it held a request or a partnership, is told by email.
pub async fn end_all(
    tx: &mut Tx,
    state: &AppState,
    ctx: &MemberContext,
    actor: &str,
) -> Result<(), AppError> {
    let gone = &ctx.organization;
    for row in db::partnerships::live_of(tx, gone.id).await? {
        let Some(side) = row.side_of(gone.id) else {
            continue;
        };
        let before = row.relationship();
        let other_holds = before.holds(side.other());
        if !db::partnerships::change(tx, row.id, row.version, None, None).await? {
            return Err(AppError::Conflict(CHANGED.into()));
        }
        db::partnerships::add_event(
            tx,
            &db::partnerships::NewEvent {
                partnership_id: row.id,
                event: PartnershipEvent::Ended,
                side,
                actor_user_id: Some(ctx.user_id),
                actor_name: actor,
                organization: &gone.name,
                requester_sees: before.sees(Side::Requester, side),
                recipient_sees: before.sees(Side::Recipient, side),
            },
        )
        .await?;
        let other = db::partnerships::organization(tx, row.organization(side.other())).await?;
        let Some(other) = other.filter(|_| other_holds) else {
            continue;
        };
        if before.status == PartnershipStatus::Rejected {
            continue;
        }
        let link = state.link(&format!("/o/{}/partners", other.slug));
        for person in db::partnerships::deciders_of(tx, other.id).await? {
            let mail = mails::organization_deleted(
                &person.name,
                &gone.name,
                &other.name,
                before.status == PartnershipStatus::Accepted,
                &link,
            );
            db::outbox::enqueue_in(tx, &mail.to(&person.email)).await?;
        }
    }
    Ok(())
}

/// The most lines a timeline export holds.
pub const EXPORT_LIMIT: i64 = 10_000;

/// The organization's partnership timeline, a page at a time.
pub async fn timeline(
    state: &AppState,
    current: Option<Session>,
    slug: &str,
    page: u32,
) -> Result<Page<TimelineEntry>, AppError> {
    let ctx = member_context(state, current, slug, Action::ViewPartnershipTimeline).await?;
    let page = page.max(1);
    let offset = i64::from(page - 1) * i64::from(PAGE_SIZE);
    let (rows, total) =
        db::partnerships::timeline_of(&state.db, ctx.organization.id, i64::from(PAGE_SIZE), offset)
            .await?;
    Ok(Page {
        items: rows
            .into_iter()
            .map(|row| entry(row, ctx.organization.id))
            .collect(),
        total: total.max(0) as u64,
        page,
        page_size: PAGE_SIZE,
    })
}

/// The whole timeline (up to [`EXPORT_LIMIT`] lines) as CSV; the export is
/// recorded in the audit trail.
pub async fn export_timeline(
    state: &AppState,
    client: &Client,
    current: Option<Session>,
    slug: &str,
) -> Result<String, AppError> {
    let ctx = member_context(state, current, slug, Action::ViewPartnershipTimeline).await?;
    let (rows, _) =
        db::partnerships::timeline_of(&state.db, ctx.organization.id, EXPORT_LIMIT, 0).await?;
    let entries: Vec<_> = rows
        .into_iter()
        .map(|row| entry(row, ctx.organization.id))
        .collect();
    ctx.record(
        state,
        client,
        AuditAction::PartnershipTimelineExported,
        None,
        json!({ "lines": entries.len() }),
    )
    .await?;
    Ok(timeline_csv(&entries))
}

/// A line as the organization `own` may read it: while its own request has
/// not been answered, the other side is only the address it typed.
fn entry(row: db::partnerships::EventRow, own: Uuid) -> TimelineEntry {
    const DELETED: &str = "A deleted organization";
    let viewer = if row.requester_id == Some(own) {
        Side::Requester
    } else {
        Side::Recipient
    };
    let unanswered = viewer == Side::Requester && row.answered_at.is_none();
    let relationship = match viewer {
        Side::Requester if unanswered => row.recipient_email.clone(),
        Side::Requester => row.recipient_name.unwrap_or_else(|| DELETED.into()),
        Side::Recipient => row.requester_name.unwrap_or_else(|| DELETED.into()),
    };
    let ours = row.side == viewer;
    let (organization, by) = if !ours && unanswered {
        (format!("The organization at {}", row.recipient_email), None)
    } else {
        // An organization's deletion is its own doing, not its owner's.
        let by = (row.event != PartnershipEvent::Ended).then_some(row.actor_name);
        (row.organization, by)
    };
    TimelineEntry {
        at: row.at.into(),
        relationship,
        event: row.event,
        organization,
        by,
        ours,
    }
}
