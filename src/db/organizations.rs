//! Organizations and memberships: a new organization with its owner (for an
//! existing account, or in sign-up's one transaction with the new user).

use super::tx::{Tx, on_tx};
use super::types::Modules;
use super::{Db, is_unique_violation, new_id, now, on_db};
use crate::domain::account::OrganizationSummary;
use crate::domain::member::MembershipId;
use crate::domain::module;
use crate::domain::organization::slug_candidate;
use crate::domain::policy::MembershipFacts;
use crate::domain::role::{MemberStatus, MembershipKind, Role};
use chrono::{DateTime, Utc};
use uuid::Uuid;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct OrganizationRow {
    pub id: Uuid,
    pub name: String,
    pub slug: String,
    pub invitation_lifetime_secs: i64,
    pub created_at: DateTime<Utc>,
}

#[derive(Clone, Debug, sqlx::FromRow)]
struct MembershipRow {
    id: MembershipId,
    organization_id: Uuid,
    kind: MembershipKind,
    role: Role,
    status: MemberStatus,
    modules: Modules,
    all_sub_accounts: bool,
}

impl From<MembershipRow> for MembershipFacts {
    fn from(row: MembershipRow) -> Self {
        MembershipFacts {
            organization_id: row.organization_id,
            kind: row.kind,
            role: row.role,
            status: row.status,
            modules: module::effective(row.role, &row.modules.0)
                .into_iter()
                .collect(),
            sub_account_scope: (!row.all_sub_accounts).then_some(row.id),
        }
    }
}

/// What sign-up stores: a sign-up request whose link was followed.
pub struct NewAccount<'a> {
    /// The waiting sign-up this account comes from; it is used up in the same
    /// transaction, so one link makes one account.
    pub signup_request_id: Uuid,
    pub email: &'a str,
    pub email_key: &'a str,
    pub name: &'a str,
    pub password_hash: &'a str,
    pub organization_name: &'a str,
    pub slug_base: &'a str,
}

pub struct CreatedAccount {
    pub user_id: Uuid,
    pub organization_id: Uuid,
    pub slug: String,
}

#[derive(Debug, thiserror::Error)]
pub enum CreateAccountError {
    #[error("email already registered")]
    EmailTaken,
    #[error("the sign-up link was used or expired")]
    LinkUsed,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

const SLUG_ATTEMPTS: u32 = 50;

/// Uses the sign-up link and creates the user (whose address the link proved),
/// the organization (with the first free slug) and the owner membership, in the
/// sign-up's transaction: all or none.
pub async fn create_account(
    tx: &mut Tx,
    new: &NewAccount<'_>,
) -> Result<CreatedAccount, CreateAccountError> {
    let user_id = new_id();
    let at = now();
    on_tx!(tx, conn => {
        let used = sqlx::query(
            "UPDATE signup_requests SET used_at = $1 WHERE id = $2 AND used_at IS NULL AND expires_at > $1",
        ).bind(at).bind(new.signup_request_id).execute(&mut *conn).await?.rows_affected();
        if used != 1 {
            return Err(CreateAccountError::LinkUsed);
        }
        let inserted = sqlx::query(
            "INSERT INTO users (id, email, email_key, name, password_hash, created_at, updated_at, email_verified_at)
             VALUES ($1, $2, $3, $4, $5, $6, $6, $6)",
        )
        .bind(user_id).bind(new.email).bind(new.email_key).bind(new.name).bind(new.password_hash).bind(at)
        .execute(&mut *conn)
        .await;
        match inserted {
            Err(e) if is_unique_violation(&e) => return Err(CreateAccountError::EmailTaken),
            other => other?,
        };
        Ok::<(), CreateAccountError>(())
    })?;
    let created = create(
        tx,
        &NewOrganization {
            owner_id: user_id,
            owner_name: new.name,
            owner_email_key: new.email_key,
            name: new.organization_name,
            slug_base: new.slug_base,
        },
    )
    .await
    .map_err(|e| match e {
        CreateOrganizationError::Db(e) => CreateAccountError::Db(e),
        // The account was created a moment ago, in this transaction.
        CreateOrganizationError::TeamElsewhere => CreateAccountError::Db(sqlx::Error::Protocol(
            "a new account is already a team member".into(),
        )),
    })?;
    Ok(CreatedAccount {
        user_id,
        organization_id: created.id,
        slug: created.slug,
    })
}

/// A new organization and its first owner, who has an account already.
pub struct NewOrganization<'a> {
    pub owner_id: Uuid,
    pub owner_name: &'a str,
    pub owner_email_key: &'a str,
    pub name: &'a str,
    pub slug_base: &'a str,
}

pub struct CreatedOrganization {
    pub id: Uuid,
    pub slug: String,
}

#[derive(Debug, thiserror::Error)]
pub enum CreateOrganizationError {
    /// The owner is a team member of another organization: a person is a team
    /// member of one at most (`memberships_one_team`).
    #[error("the owner is a team member elsewhere")]
    TeamElsewhere,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Creates an organization (with the first free slug), its owner's team
/// membership and their seat, in the caller's transaction.
pub async fn create(
    tx: &mut Tx,
    new: &NewOrganization<'_>,
) -> Result<CreatedOrganization, CreateOrganizationError> {
    let organization_id = new_id();
    let at = now();
    on_tx!(tx, conn => {
        let mut slug = None;
        for attempt in 0..SLUG_ATTEMPTS {
            let candidate = slug_candidate(new.slug_base, attempt);
            let free: Option<(Uuid,)> = sqlx::query_as("SELECT id FROM organizations WHERE slug = $1")
                .bind(&candidate).fetch_optional(&mut *conn).await?;
            if free.is_none() {
                slug = Some(candidate);
                break;
            }
        }
        let slug = slug.unwrap_or_else(|| format!("{}-{}", new.slug_base, &organization_id.simple().to_string()[24..]));
        sqlx::query("INSERT INTO organizations (id, name, slug, created_at) VALUES ($1, $2, $3, $4)")
            .bind(organization_id).bind(new.name).bind(&slug).bind(at)
            .execute(&mut *conn).await?;
        let membership_id = new_id();
        sqlx::query(
            "INSERT INTO memberships (id, organization_id, user_id, kind, role, status, name_key, email_key, created_at, updated_at, last_active_at)
             VALUES ($1, $2, $3, 'team', 'owner', 'active', $4, $5, $6, $6, $6)",
        )
        .bind(membership_id).bind(organization_id).bind(new.owner_id)
        .bind(super::users::name_key(new.owner_name)).bind(new.owner_email_key).bind(at)
        .execute(&mut *conn).await
        .map_err(|e| if super::broke_one_team(&e) {
            CreateOrganizationError::TeamElsewhere
        } else {
            CreateOrganizationError::Db(e)
        })?;
        sqlx::query(super::seats::OPEN).bind(new_id()).bind(at).bind(membership_id)
            .execute(&mut *conn).await?;
        Ok(CreatedOrganization { id: organization_id, slug })
    })
}

/// The name of the organization where the user is a team member (of any
/// status), if any: one at most (`memberships_one_team`).
pub async fn team_of(db: &Db, user_id: Uuid) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(String,)> = on_db!(db, pool => sqlx::query_as(
        "SELECT o.name FROM memberships m JOIN organizations o ON o.id = m.organization_id
         WHERE m.user_id = $1 AND m.kind = 'team'",
    ).bind(user_id).fetch_optional(pool).await)?;
    Ok(row.map(|(name,)| name))
}

pub async fn find_by_slug(db: &Db, slug: &str) -> Result<Option<OrganizationRow>, sqlx::Error> {
    on_db!(db, pool => sqlx::query_as(
        "SELECT id, name, slug, invitation_lifetime_secs, created_at FROM organizations WHERE slug = $1",
    ).bind(slug).fetch_optional(pool).await)
}

/// An organization found by slug, with the user's membership in it (whatever
/// its status; none for an outsider), when they were last active there, and
/// who they are.
#[derive(Clone, Debug)]
pub struct OrganizationVisit {
    pub organization: OrganizationRow,
    pub membership: Option<MembershipFacts>,
    pub last_active_at: Option<DateTime<Utc>>,
    /// None only when the user row is gone.
    pub visitor: Option<Visitor>,
}

/// The visiting user, as the frame shows them and notices sign for them.
#[derive(Clone, Debug)]
pub struct Visitor {
    pub name: String,
    pub email: String,
    pub created_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct VisitRow {
    #[sqlx(flatten)]
    organization: OrganizationRow,
    membership_id: Option<MembershipId>,
    kind: Option<MembershipKind>,
    role: Option<Role>,
    status: Option<MemberStatus>,
    modules: Option<Modules>,
    all_sub_accounts: Option<bool>,
    last_active_at: Option<DateTime<Utc>>,
    access_ends_at: Option<DateTime<Utc>>,
    visitor_name: Option<String>,
    visitor_email: Option<String>,
    visitor_since: Option<DateTime<Utc>>,
}

/// The organization with this slug, `user_id`'s membership in it and the
/// user, in one statement (three index lookups).
pub async fn visit(
    db: &Db,
    slug: &str,
    user_id: Uuid,
) -> Result<Option<OrganizationVisit>, sqlx::Error> {
    let row: Option<VisitRow> = on_db!(db, pool => sqlx::query_as(
        "SELECT o.id, o.name, o.slug, o.invitation_lifetime_secs, o.created_at,
                m.id AS membership_id, m.kind, m.role, m.status, m.modules, m.all_sub_accounts,
                m.last_active_at, m.access_ends_at,
                u.name AS visitor_name, u.email AS visitor_email, u.created_at AS visitor_since
         FROM organizations o
         LEFT JOIN memberships m ON m.organization_id = o.id AND m.user_id = $2
         LEFT JOIN users u ON u.id = $2
         WHERE o.slug = $1",
    ).bind(slug).bind(user_id).fetch_optional(pool).await)?;
    let at = now();
    Ok(row.map(|row| {
        let membership = match (row.membership_id, row.kind, row.role, row.status) {
            (Some(id), Some(kind), Some(role), Some(status)) => {
                Some(MembershipFacts::from(MembershipRow {
                    id,
                    organization_id: row.organization.id,
                    kind,
                    role,
                    status: effective_status(status, row.access_ends_at, at),
                    modules: row.modules.unwrap_or_default(),
                    all_sub_accounts: row.all_sub_accounts.unwrap_or(true),
                }))
            }
            _ => None,
        };
        let visitor = match (row.visitor_name, row.visitor_email, row.visitor_since) {
            (Some(name), Some(email), Some(created_at)) => Some(Visitor {
                name,
                email,
                created_at,
            }),
            _ => None,
        };
        OrganizationVisit {
            organization: row.organization,
            membership,
            last_active_at: row.last_active_at,
            visitor,
        }
    }))
}

/// A membership whose access end has passed counts as deactivated at once,
/// before the job that deactivates it has run.
fn effective_status(
    status: MemberStatus,
    access_ends_at: Option<DateTime<Utc>>,
    at: DateTime<Utc>,
) -> MemberStatus {
    match access_ends_at {
        Some(end) if end <= at => MemberStatus::Deactivated,
        _ => status,
    }
}

/// An organization the user belongs to, as listed in the organization switcher.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct UserOrganizationRow {
    pub name: String,
    pub slug: String,
    pub kind: MembershipKind,
    pub role: Role,
    pub status: MemberStatus,
    pub access_ends_at: Option<DateTime<Utc>>,
    pub last_active_at: Option<DateTime<Utc>>,
    /// The modules granted beyond the role's own.
    pub modules: Modules,
}

impl From<UserOrganizationRow> for OrganizationSummary {
    fn from(row: UserOrganizationRow) -> OrganizationSummary {
        OrganizationSummary {
            access_until: row
                .access_ends_at
                .map(|end| crate::domain::access_end::last_day(end.into())),
            modules: module::effective(row.role, &row.modules.0),
            name: row.name,
            slug: row.slug,
            kind: row.kind,
            role: row.role,
            status: row.status,
        }
    }
}

/// Every organization the user has a membership in, active ones first, by name
/// (ordered here). A partner may belong to hundreds.
pub async fn for_user(db: &Db, user_id: Uuid) -> Result<Vec<UserOrganizationRow>, sqlx::Error> {
    let mut rows: Vec<UserOrganizationRow> = match db {
        // One aggregated JSON value instead of a row each: sqlx-sqlite hands rows
        // over one at a time, which was most of the cost.
        Db::Sqlite(pool, _) => {
            let (list,): (String,) = sqlx::query_as(
                "SELECT json_group_array(json_object('name', o.name, 'slug', o.slug, 'kind', m.kind,
                            'role', m.role, 'status', m.status, 'access_ends_at', m.access_ends_at,
                            'last_active_at', m.last_active_at, 'modules', m.modules))
                 FROM memberships m JOIN organizations o ON o.id = m.organization_id
                 WHERE m.user_id = $1",
            )
            .bind(user_id)
            .fetch_one(pool)
            .await?;
            let listed: Vec<Listed> = super::json_rows::rows(&list)?;
            listed
                .into_iter()
                .map(|row| {
                    Ok(UserOrganizationRow {
                        access_ends_at: super::json_rows::maybe_timestamp(row.access_ends_at.as_deref())?,
                        last_active_at: super::json_rows::maybe_timestamp(row.last_active_at.as_deref())?,
                        modules: super::json_rows::modules(&row.modules)?,
                        name: row.name,
                        slug: row.slug,
                        kind: row.kind,
                        role: row.role,
                        status: row.status,
                    })
                })
                .collect::<Result<_, sqlx::Error>>()?
        }
        // PostgreSQL hands rows over cheaply; its JSON aggregate was slower.
        Db::Postgres(pool) => sqlx::query_as(
            "SELECT o.name, o.slug, m.kind, m.role, m.status, m.access_ends_at, m.last_active_at, m.modules
                 FROM memberships m JOIN organizations o ON o.id = m.organization_id
                 WHERE m.user_id = $1",
        )
        .bind(user_id)
        .fetch_all(pool)
        .await?,
    };
    let at = now();
    for row in &mut rows {
        row.status = effective_status(row.status, row.access_ends_at, at);
    }
    rows.sort_by(|a, b| {
        (a.status != MemberStatus::Active, &a.name)
            .cmp(&(b.status != MemberStatus::Active, &b.name))
    });
    Ok(rows)
}

/// One organization of [`for_user`]'s JSON list (SQLite).
#[derive(serde::Deserialize)]
struct Listed {
    name: String,
    slug: String,
    kind: MembershipKind,
    role: Role,
    status: MemberStatus,
    access_ends_at: Option<String>,
    last_active_at: Option<String>,
    modules: String,
}

/// How many memberships an organization has, by kind and status: one row kept
/// by triggers on `memberships` (migration 0006), so nothing is counted here.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct MemberCounts {
    pub team_active: i64,
    pub team_deactivated: i64,
    pub partner_active: i64,
    pub partner_deactivated: i64,
}

impl MemberCounts {
    pub fn with_status(&self, status: MemberStatus) -> i64 {
        self.of(status, MembershipKind::Team) + self.of(status, MembershipKind::Partner)
    }

    /// Members with `status`, of `kind`.
    pub fn of(&self, status: MemberStatus, kind: MembershipKind) -> i64 {
        match (status, kind) {
            (MemberStatus::Active, MembershipKind::Team) => self.team_active,
            (MemberStatus::Active, MembershipKind::Partner) => self.partner_active,
            (MemberStatus::Deactivated, MembershipKind::Team) => self.team_deactivated,
            (MemberStatus::Deactivated, MembershipKind::Partner) => self.partner_deactivated,
        }
    }
}

pub async fn member_counts(db: &Db, organization_id: Uuid) -> Result<MemberCounts, sqlx::Error> {
    let counts: Option<MemberCounts> = on_db!(db, pool => sqlx::query_as(
        "SELECT team_active, team_deactivated, partner_active, partner_deactivated
         FROM member_counts WHERE organization_id = $1",
    ).bind(organization_id).fetch_optional(pool).await)?;
    Ok(counts.unwrap_or_default())
}

/// What an organization's frame shows: its member counts (one row kept by
/// triggers, migration 0006) and the partnership requests waiting for its
/// answer (a range of the partial index on received requests), in one statement.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct FrameCounts {
    #[sqlx(flatten)]
    pub members: MemberCounts,
    pub partnerships_waiting: i64,
}

pub async fn frame_counts(db: &Db, organization_id: Uuid) -> Result<FrameCounts, sqlx::Error> {
    let counts: Option<FrameCounts> = on_db!(db, pool => sqlx::query_as(
        "SELECT team_active, team_deactivated, partner_active, partner_deactivated,
                (SELECT COUNT(*) FROM partnerships
                 WHERE recipient_id = $1 AND status = 'pending' AND ended_at IS NULL) AS partnerships_waiting
         FROM member_counts WHERE organization_id = $1",
    ).bind(organization_id).fetch_optional(pool).await)?;
    Ok(counts.unwrap_or_default())
}

/// The organization where `user_id` is a team member, if any (by the one-team index).
pub async fn team_organization(db: &Db, user_id: Uuid) -> Result<Option<Uuid>, sqlx::Error> {
    let row: Option<(Uuid,)> = on_db!(db, pool => sqlx::query_as(
        "SELECT organization_id FROM memberships WHERE user_id = $1 AND kind = 'team'",
    ).bind(user_id).fetch_optional(pool).await)?;
    Ok(row.map(|(id,)| id))
}

/// The partner inactivity policy: days (none: off).
pub async fn partner_inactivity(
    db: &Db,
    organization_id: Uuid,
) -> Result<Option<i64>, sqlx::Error> {
    Ok(partner_settings(db, organization_id).await?.0)
}

/// The partner inactivity policy (days) and the partner request code.
pub async fn partner_settings(
    db: &Db,
    organization_id: Uuid,
) -> Result<(Option<i64>, Option<String>), sqlx::Error> {
    on_db!(db, pool => sqlx::query_as(
        "SELECT partner_inactivity_days, partner_request_code FROM organizations WHERE id = $1",
    ).bind(organization_id).fetch_one(pool).await)
}

/// Sets the partner inactivity policy; the days count from `at` for everyone.
pub async fn set_partner_inactivity(
    tx: &mut Tx,
    organization_id: Uuid,
    days: Option<i64>,
    at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, conn => sqlx::query(
        "UPDATE organizations SET partner_inactivity_days = $1, partner_inactivity_since = $2 WHERE id = $3",
    ).bind(days).bind(days.map(|_| at)).bind(organization_id).execute(&mut *conn).await.map(|_| ()))
}

pub async fn set_invitation_lifetime(
    tx: &mut Tx,
    organization_id: Uuid,
    secs: i64,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, conn => sqlx::query("UPDATE organizations SET invitation_lifetime_secs = $1 WHERE id = $2")
        .bind(secs).bind(organization_id).execute(&mut *conn).await.map(|_| ()))
}

/// Deletes the organization and, through the schema's cascades, everything that
/// belongs to it: memberships, invitations, sub-accounts, billing details, seat
/// history and its audit trail.
/// Invitation mails still waiting to be sent are withdrawn: their links would lead nowhere.
pub async fn delete(tx: &mut Tx, organization_id: Uuid) -> Result<bool, sqlx::Error> {
    on_tx!(tx, conn => {
        sqlx::query(
            "UPDATE outbox SET status = 'failed', last_error = 'the organization was deleted'
             WHERE status = 'queued' AND id IN (
                 SELECT mail_id FROM invitations WHERE organization_id = $1 AND status = 'pending')",
        ).bind(organization_id).execute(&mut *conn).await?;
        let n = sqlx::query("DELETE FROM organizations WHERE id = $1")
            .bind(organization_id).execute(&mut *conn).await?.rows_affected();
        Ok(n == 1)
    })
}
