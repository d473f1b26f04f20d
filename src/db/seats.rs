//! Seat history: the stretches of time people held an active membership. Every
//! write that starts or ends an active membership runs one of these statements
//! inside its own transaction, so the history cannot drift from the memberships.

use super::{Db, on_db};
use crate::domain::invitation::InvitationStatus;
use crate::domain::role::MembershipKind;
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// Opens a seat for membership `$3` at `$2` with id `$1`, unless one is open.
pub const OPEN: &str = "INSERT INTO seat_periods (id, organization_id, user_id, kind, started_at)
     SELECT $1, m.organization_id, m.user_id, m.kind, $2 FROM memberships m
     WHERE m.id = $3 AND NOT EXISTS (
         SELECT 1 FROM seat_periods p
         WHERE p.organization_id = m.organization_id AND p.user_id = m.user_id AND p.ended_at IS NULL)";

/// Ends the open seat of membership `$2` at `$1` (run before the membership is deleted).
pub const CLOSE: &str = "UPDATE seat_periods SET ended_at = $1
     WHERE ended_at IS NULL
       AND organization_id = (SELECT organization_id FROM memberships WHERE id = $2)
       AND user_id = (SELECT user_id FROM memberships WHERE id = $2)";

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct PeriodRow {
    pub user_id: Uuid,
    pub kind: MembershipKind,
    pub started_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
}

/// The seat periods of the organization that overlap `[from, to)`.
pub async fn overlapping(
    db: &Db,
    organization_id: Uuid,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<PeriodRow>, sqlx::Error> {
    on_db!(db, pool => sqlx::query_as(
        "SELECT user_id, kind, started_at, ended_at FROM seat_periods
         WHERE organization_id = $1 AND started_at < $2 AND (ended_at IS NULL OR ended_at > $3)",
    ).bind(organization_id).bind(to).bind(from).fetch_all(pool).await)
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct PendingRow {
    pub id: Uuid,
    pub created_at: DateTime<Utc>,
    /// When it stopped being pending: accepted, cancelled, or expired (if past).
    pub ended_at: Option<DateTime<Utc>>,
}

/// The invitations of the organization that were pending at some time in `[from, to)`.
pub async fn pending_invitations(
    db: &Db,
    organization_id: Uuid,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<PendingRow>, sqlx::Error> {
    let now = super::now();
    type Row = (
        Uuid,
        DateTime<Utc>,
        InvitationStatus,
        Option<DateTime<Utc>>,
        Option<DateTime<Utc>>,
        DateTime<Utc>,
    );
    let rows: Vec<Row> = on_db!(db, pool => sqlx::query_as(
            "SELECT id, created_at, status, accepted_at, COALESCE(cancelled_at, declined_at) AS closed_at, expires_at FROM invitations
             WHERE organization_id = $1 AND created_at < $2
               AND NOT (status = 'accepted' AND accepted_at <= $3)
               AND NOT (status = 'cancelled' AND (cancelled_at <= $3 OR expires_at <= $3))
               AND NOT (status = 'declined' AND (declined_at <= $3 OR expires_at <= $3))
               AND NOT (status = 'pending' AND expires_at <= $3)",
        ).bind(organization_id).bind(to).bind(from).fetch_all(pool).await)?;
    Ok(rows
        .into_iter()
        .map(
            |(id, created_at, status, accepted, cancelled, expires)| PendingRow {
                id,
                created_at,
                ended_at: match status {
                    InvitationStatus::Accepted => accepted,
                    InvitationStatus::Cancelled | InvitationStatus::Declined => {
                        cancelled.map(|at| at.min(expires))
                    }
                    InvitationStatus::Pending => (expires <= now).then_some(expires),
                },
            },
        )
        .collect())
}
