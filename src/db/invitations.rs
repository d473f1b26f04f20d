//! Invitations: stored in bulk in one transaction with their mail and audit
//! events, listed per organization, resent, cancelled and accepted atomically.
//! Every query about an existing invitation names its organization, so an id
//! copied from another organization finds nothing.

use super::tx::{Tx, on_tx};
use super::types::Modules;
use super::visibility::{Granted, push_visible_to};
use super::{Db, is_unique_violation, new_id, now, on_db, on_writer};
use crate::domain::audit::AuditAction;
use crate::domain::invitation::{Delivery, InvitationQuery, InvitationState, InvitationStatus};
use crate::domain::member::MembershipId;
use crate::domain::page::PAGE_SIZE;
use crate::domain::role::{MembershipKind, Role};
use chrono::{DateTime, Utc};
use sqlx::{Database, Encode, QueryBuilder, Type};
use uuid::Uuid;

/// One invitation to store, with its mail.
pub struct NewInvitation {
    pub email: String,
    pub email_key: String,
    pub kind: MembershipKind,
    /// For a partner: when the membership's access will end.
    pub access_ends_at: Option<DateTime<Utc>>,
    pub role: Role,
    pub modules: String,
    /// `None`: every sub-account.
    pub sub_accounts: Option<Vec<Uuid>>,
    /// The access is a former member's, restored.
    pub restored: bool,
    pub token_hash: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
}

/// What a batch shares.
pub struct Batch<'a> {
    pub organization_id: Uuid,
    pub inviter_user_id: Uuid,
    pub expires_at: DateTime<Utc>,
    pub ip: Option<&'a str>,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Someone invited one of the addresses a moment ago.
    #[error("an address was invited concurrently")]
    AlreadyInvited,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Rows per multi-row INSERT (well under both backends' bind limits).
const CHUNK: usize = 400;

/// Stores every invitation, its mail in the outbox and its audit event, in one
/// transaction: all of them or none.
pub async fn store_batch(
    db: &Db,
    batch: &Batch<'_>,
    invitations: &[NewInvitation],
) -> Result<(), StoreError> {
    let at = now();
    let ids: Vec<(Uuid, Uuid)> = invitations.iter().map(|_| (new_id(), new_id())).collect();
    let result: Result<(), sqlx::Error> = on_writer!(db, pool => async {
        let mut tx = pool.begin().await?;
        for (rows, ids) in invitations.chunks(CHUNK).zip(ids.chunks(CHUNK)) {
            let mut mail = QueryBuilder::new(
                "INSERT INTO outbox (id, to_address, subject, text_body, html_body, status, next_attempt_at, created_at) ",
            );
            mail.push_values(rows.iter().zip(ids), |mut b, (row, (_, mail_id))| {
                b.push_bind(*mail_id).push_bind(&row.email).push_bind(&row.subject)
                    .push_bind(&row.text_body).push_bind(&row.html_body).push_bind("queued")
                    .push_bind(at).push_bind(at);
            });
            mail.build().execute(&mut *tx).await?;

            let mut inv = QueryBuilder::new(
                "INSERT INTO invitations (id, organization_id, email, email_key, kind, role, modules, all_sub_accounts,
                 inviter_user_id, token_hash, status, mail_id, send_count, sent_at, expires_at, created_at, access_ends_at, restores_former) ",
            );
            inv.push_values(rows.iter().zip(ids), |mut b, (row, (id, mail_id))| {
                b.push_bind(*id).push_bind(batch.organization_id).push_bind(&row.email)
                    .push_bind(&row.email_key).push_bind(row.kind).push_bind(row.role)
                    .push_bind(&row.modules).push_bind(row.sub_accounts.is_none())
                    .push_bind(batch.inviter_user_id).push_bind(&row.token_hash).push_bind(InvitationStatus::Pending)
                    .push_bind(*mail_id).push_bind(1_i64).push_bind(at).push_bind(batch.expires_at).push_bind(at)
                    .push_bind(row.access_ends_at).push_bind(row.restored);
            });
            inv.build().execute(&mut *tx).await?;

            let limited: Vec<(Uuid, Uuid)> = rows.iter().zip(ids)
                .flat_map(|(row, (id, _))| row.sub_accounts.iter().flatten().map(move |s| (*id, *s)))
                .collect();
            for part in limited.chunks(CHUNK) {
                let mut subs = QueryBuilder::new("INSERT INTO invitation_sub_accounts (invitation_id, sub_account_id) ");
                subs.push_values(part, |mut b, (id, sub)| {
                    b.push_bind(*id).push_bind(*sub);
                });
                subs.build().execute(&mut *tx).await?;
            }

            let mut audit = QueryBuilder::new(
                "INSERT INTO audit_events (id, organization_id, actor_user_id, action, subject, ip, details, created_at) ",
            );
            audit.push_values(rows.iter().zip(ids), |mut b, (row, (id, _))| {
                let details = serde_json::json!({
                    "invitation_id": id, "role": row.role, "kind": row.kind, "access_ends_at": row.access_ends_at.map(|end| end.to_rfc3339()), "modules": row.modules,
                    "sub_accounts": row.sub_accounts, "restored": row.restored,
                }).to_string();
                b.push_bind(new_id()).push_bind(batch.organization_id).push_bind(batch.inviter_user_id)
                    .push_bind(AuditAction::InvitationSent.as_str()).push_bind(&row.email_key)
                    .push_bind(batch.ip).push_bind(details).push_bind(at);
            });
            audit.build().execute(&mut *tx).await?;
        }
        tx.commit().await
    }.await);
    match result {
        Ok(()) => Ok(()),
        Err(e) if is_unique_violation(&e) => Err(StoreError::AlreadyInvited),
        Err(e) => Err(e.into()),
    }
}

/// An invitation with what the tab and the acceptance page show.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct InvitationRow {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub email: String,
    pub email_key: String,
    pub kind: MembershipKind,
    pub role: Role,
    pub modules: Modules,
    pub status: InvitationStatus,
    pub token_hash: String,
    pub send_count: i64,
    pub sent_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub access_ends_at: Option<DateTime<Utc>>,
    pub restores_former: bool,
    pub inviter_name: Option<String>,
    pub inviter_email: Option<String>,
    pub delivery: Option<Delivery>,
    pub organization_name: String,
    pub organization_slug: String,
}

const SELECT: &str = "SELECT i.id, i.organization_id, i.email, i.email_key, i.kind, i.role, i.modules, i.status,
        i.token_hash, i.send_count, i.sent_at, i.expires_at, i.access_ends_at, i.restores_former, u.name AS inviter_name, u.email AS inviter_email, m.status AS delivery,
        o.name AS organization_name, o.slug AS organization_slug
    FROM invitations i
    JOIN organizations o ON o.id = i.organization_id
    LEFT JOIN users u ON u.id = i.inviter_user_id
    LEFT JOIN outbox m ON m.id = i.mail_id";

/// One page of an organization's open invitations, newest first, and how many
/// match. The page walks the (organization, status, sent_at, id) index; the
/// count joins the outbox only when a state filter needs the delivery status.
pub async fn list(
    db: &Db,
    organization_id: Uuid,
    query: &InvitationQuery,
    scope: Option<MembershipId>,
) -> Result<(Vec<InvitationRow>, i64), sqlx::Error> {
    let pattern = super::contains_pattern(&query.search);
    let page = i64::from(query.page.max(1));
    let at = now();
    on_db!(db, pool => {
        let mut count = QueryBuilder::new("SELECT COUNT(*) FROM invitations i ");
        if query.state.is_some() {
            count.push("LEFT JOIN outbox m ON m.id = i.mail_id ");
        }
        push_filter(&mut count, organization_id, query, scope, &pattern, at);
        let (total,): (i64,) = count.build_query_as().fetch_one(pool).await?;
        let mut rows = QueryBuilder::new(SELECT);
        rows.push(" ");
        push_filter(&mut rows, organization_id, query, scope, &pattern, at);
        rows.push(" ORDER BY i.sent_at DESC, i.id DESC LIMIT ")
            .push_bind(i64::from(PAGE_SIZE))
            .push(" OFFSET ")
            .push_bind((page - 1) * i64::from(PAGE_SIZE));
        let rows = rows.build_query_as().fetch_all(pool).await?;
        Ok((rows, total))
    })
}

/// `WHERE` and the conditions of an invitations list (`i`, and the outbox as
/// `m` when a state is asked for).
fn push_filter<'a, DB: Database>(
    query: &mut QueryBuilder<'a, DB>,
    organization_id: Uuid,
    filter: &InvitationQuery,
    scope: Option<MembershipId>,
    pattern: &str,
    at: DateTime<Utc>,
) where
    Uuid: Encode<'a, DB> + Type<DB>,
    String: Encode<'a, DB> + Type<DB>,
    DateTime<Utc>: Encode<'a, DB> + Type<DB>,
    InvitationStatus: Encode<'a, DB> + Type<DB>,
{
    query
        .push("WHERE i.organization_id = ")
        .push_bind(organization_id)
        .push(" AND i.status = ")
        .push_bind(InvitationStatus::Pending);
    if !filter.search.trim().is_empty() {
        query
            .push(" AND i.email_key LIKE ")
            .push_bind(pattern.to_owned())
            .push(" ESCAPE '\\'");
    }
    match filter.state {
        None => {}
        Some(InvitationState::DeliveryFailed) => {
            query.push(" AND m.status = 'failed'");
        }
        Some(InvitationState::Expired) => {
            query
                .push(" AND (m.status IS NULL OR m.status <> 'failed') AND i.expires_at <= ")
                .push_bind(at);
        }
        Some(InvitationState::Pending) => {
            query
                .push(" AND (m.status IS NULL OR m.status <> 'failed') AND i.expires_at > ")
                .push_bind(at);
        }
    }
    if let Some(viewer) = scope {
        query.push(" AND ");
        push_visible_to(query, Granted::Invitation("i"), viewer);
    }
}

/// Whether the viewer with membership `viewer` (limited to some sub-accounts)
/// may see the invitation `id`.
pub async fn visible_to(db: &Db, id: Uuid, viewer: MembershipId) -> Result<bool, sqlx::Error> {
    let (n,): (i64,) = on_db!(db, pool => {
        let mut query = QueryBuilder::new("SELECT COUNT(*) FROM invitations i WHERE i.id = ");
        query.push_bind(id).push(" AND ");
        push_visible_to(&mut query, Granted::Invitation("i"), viewer);
        query.build_query_as().fetch_one(pool).await
    })?;
    Ok(n > 0)
}

/// An invitation of this organization, whatever its status.
pub async fn find(
    db: &Db,
    organization_id: Uuid,
    id: Uuid,
) -> Result<Option<InvitationRow>, sqlx::Error> {
    let sql = format!("{SELECT} WHERE i.organization_id = $1 AND i.id = $2");
    on_db!(db, pool => sqlx::query_as(&sql).bind(organization_id).bind(id).fetch_optional(pool).await)
}

pub async fn find_by_token_hash(
    db: &Db,
    token_hash: &str,
) -> Result<Option<InvitationRow>, sqlx::Error> {
    let sql = format!("{SELECT} WHERE i.token_hash = $1");
    on_db!(db, pool => sqlx::query_as(&sql).bind(token_hash).fetch_optional(pool).await)
}

/// The open invitations (pending, not expired) waiting for the address `email_key`,
/// newest first, through the `invitations_pending_email` index.
pub async fn waiting_for(db: &Db, email_key: &str) -> Result<Vec<InvitationRow>, sqlx::Error> {
    let sql = format!(
        "{SELECT} WHERE i.email_key = $1 AND i.status = 'pending' AND i.expires_at > $2
         ORDER BY i.sent_at DESC, i.id DESC LIMIT {WAITING_LIMIT}"
    );
    on_db!(db, pool => sqlx::query_as(&sql).bind(email_key).bind(now()).fetch_all(pool).await)
}

/// At most this many waiting invitations are listed for one address.
pub const WAITING_LIMIT: i64 = 200;

/// The invitation `id` if it is addressed to `email_key`, whatever its status:
/// an id of someone else's invitation finds nothing.
pub async fn find_addressed_to(
    db: &Db,
    id: Uuid,
    email_key: &str,
) -> Result<Option<InvitationRow>, sqlx::Error> {
    let sql = format!("{SELECT} WHERE i.id = $1 AND i.email_key = $2");
    on_db!(db, pool => sqlx::query_as(&sql).bind(id).bind(email_key).fetch_optional(pool).await)
}

/// Declines a pending invitation addressed to `email_key`. False when it is no
/// longer pending.
pub async fn decline(tx: &mut Tx, id: Uuid, email_key: &str) -> Result<bool, sqlx::Error> {
    let n = on_tx!(tx, conn => sqlx::query(
        "UPDATE invitations SET status = 'declined', declined_at = $1 WHERE id = $2 AND email_key = $3 AND status = 'pending'",
    ).bind(now()).bind(id).bind(email_key).execute(&mut *conn).await.map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// A new token, expiry and mail for a pending invitation, in one transaction.
/// False when it is no longer pending.
pub async fn resend(
    tx: &mut Tx,
    organization_id: Uuid,
    id: Uuid,
    token_hash: &str,
    expires_at: DateTime<Utc>,
    mail: &super::outbox::NewMail<'_>,
) -> Result<bool, sqlx::Error> {
    let at = now();
    let mail_id = super::outbox::enqueue_in(tx, mail).await?;
    let n = on_tx!(tx, conn => sqlx::query(
        "UPDATE invitations SET token_hash = $1, expires_at = $2, sent_at = $3, send_count = send_count + 1, mail_id = $4
         WHERE organization_id = $5 AND id = $6 AND status = 'pending'",
    ).bind(token_hash).bind(expires_at).bind(at).bind(mail_id).bind(organization_id).bind(id)
    .execute(&mut *conn).await?.rows_affected());
    Ok(n == 1)
}

/// Cancels a pending invitation. False when it is not pending (or not this organization's).
pub async fn cancel(tx: &mut Tx, organization_id: Uuid, id: Uuid) -> Result<bool, sqlx::Error> {
    let n = on_tx!(tx, conn => sqlx::query(
        "UPDATE invitations SET status = 'cancelled', cancelled_at = $1 WHERE organization_id = $2 AND id = $3 AND status = 'pending'",
    ).bind(now()).bind(organization_id).bind(id).execute(&mut *conn).await.map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// A membership insert that lost a race (PostgreSQL checks the rows above
/// without locking them) gives the answer the checks would have given.
fn membership_race(error: sqlx::Error) -> AcceptError {
    if super::broke_one_team(&error) {
        return AcceptError::TeamElsewhere;
    }
    match super::violated_unique(&error).as_deref() {
        Some("memberships_org_user") => AcceptError::AlreadyMember,
        Some(columns) if columns.ends_with("memberships.organization_id, memberships.user_id") => {
            AcceptError::AlreadyMember
        }
        _ => AcceptError::Db(error),
    }
}

/// Who accepts: an existing account, or a new one created in the same transaction.
pub enum Acceptor<'a> {
    Existing(Uuid),
    New {
        email: &'a str,
        email_key: &'a str,
        name: &'a str,
        password_hash: &'a str,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum AcceptError {
    /// Accepted, cancelled, expired or replaced between the check and now.
    #[error("the invitation is no longer open")]
    NotOpen,
    #[error("already a member of this organization")]
    AlreadyMember,
    #[error("already a team member of another organization")]
    TeamElsewhere,
    #[error("an account with this email exists")]
    EmailTaken,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Accepts atomically: the invitation is claimed first (only one transaction
/// can move it from pending), then the account (if new) and the membership are
/// created with the invitation's access. Returns the user id.
pub async fn accept(
    tx: &mut Tx,
    invitation: &InvitationRow,
    acceptor: &Acceptor<'_>,
) -> Result<Uuid, AcceptError> {
    let at = now();
    let user_id = match acceptor {
        Acceptor::Existing(id) => *id,
        Acceptor::New { .. } => new_id(),
    };
    let membership_id = new_id();
    on_tx!(tx, conn => {
        let claimed = sqlx::query(
            "UPDATE invitations SET status = 'accepted', accepted_at = $1
             WHERE id = $2 AND token_hash = $3 AND status = 'pending' AND expires_at > $1",
        ).bind(at).bind(invitation.id).bind(&invitation.token_hash)
        .execute(&mut *conn).await?.rows_affected();
        if claimed == 0 {
            return Err(AcceptError::NotOpen);
        }
        if let Acceptor::New { email, email_key, name, password_hash } = acceptor {
            let inserted = sqlx::query(
                "INSERT INTO users (id, email, email_key, name, password_hash, created_at, updated_at, email_verified_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $6, $6)",
            ).bind(user_id).bind(*email).bind(*email_key).bind(*name).bind(*password_hash).bind(at)
            .execute(&mut *conn).await;
            match inserted {
                Err(e) if is_unique_violation(&e) => return Err(AcceptError::EmailTaken),
                other => other?,
            };
        }
        sqlx::query("UPDATE invitations SET accepted_user_id = $1 WHERE id = $2")
            .bind(user_id).bind(invitation.id).execute(&mut *conn).await?;
        let existing: Option<(Uuid,)> = sqlx::query_as(
            "SELECT id FROM memberships WHERE organization_id = $1 AND user_id = $2",
        ).bind(invitation.organization_id).bind(user_id).fetch_optional(&mut *conn).await?;
        if existing.is_some() {
            return Err(AcceptError::AlreadyMember);
        }
        if invitation.kind == MembershipKind::Team {
            let team: Option<(Uuid,)> = sqlx::query_as(
                "SELECT id FROM memberships WHERE user_id = $1 AND kind = 'team'",
            ).bind(user_id).fetch_optional(&mut *conn).await?;
            if team.is_some() {
                return Err(AcceptError::TeamElsewhere);
            }
        }
        // Following the emailed link proves the address.
        sqlx::query("UPDATE users SET email_verified_at = $1 WHERE id = $2 AND email_verified_at IS NULL")
            .bind(at).bind(user_id).execute(&mut *conn).await?;
        let (name, email_key): (String, String) = sqlx::query_as("SELECT name, email_key FROM users WHERE id = $1")
            .bind(user_id).fetch_one(&mut *conn).await?;
        sqlx::query(
            "INSERT INTO memberships (id, organization_id, user_id, kind, role, status, modules, all_sub_accounts,
                                      name_key, email_key, created_at, updated_at, last_active_at, access_ends_at)
             SELECT $1, organization_id, $2, kind, role, 'active', modules, all_sub_accounts, $3, $4, $5, $5, $5, access_ends_at
             FROM invitations WHERE id = $6",
        ).bind(membership_id).bind(user_id).bind(super::users::name_key(&name)).bind(email_key)
        .bind(at).bind(invitation.id)
        .execute(&mut *conn).await
        .map_err(membership_race)?;
        sqlx::query(
            "INSERT INTO membership_sub_accounts (membership_id, sub_account_id)
             SELECT $1, sub_account_id FROM invitation_sub_accounts WHERE invitation_id = $2",
        ).bind(membership_id).bind(invitation.id).execute(&mut *conn).await?;
        sqlx::query(super::seats::OPEN).bind(new_id()).bind(at).bind(membership_id)
            .execute(&mut *conn).await?;
        // Back in the organization: the former access is spent.
        sqlx::query(super::former_members::FORGET).bind(invitation.organization_id).bind(user_id)
            .execute(&mut *conn).await?;
        Ok(user_id)
    })
}
