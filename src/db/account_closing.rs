//! Closing an account: its memberships and sessions end, its address leaves the
//! audit trail, and the user row stays as an anonymous "Closed account", so the
//! audit trail and the seat history of its organizations keep their rows.

use super::tx::{Tx, on_tx};
use super::{Db, on_db};
use crate::domain::account::OrganizationLink;
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// The name a closed account is shown with.
pub const CLOSED_NAME: &str = "Closed account";

const OWNED_ALONE: &str =
    "SELECT o.name, o.slug FROM memberships m JOIN organizations o ON o.id = m.organization_id
     WHERE m.user_id = $1 AND m.role = 'owner' AND m.status = 'active'
       AND NOT EXISTS (SELECT 1 FROM memberships x
                       WHERE x.organization_id = m.organization_id AND x.role = 'owner'
                         AND x.status = 'active' AND x.user_id <> $1)
     ORDER BY o.name";

/// The organizations `user_id` is the last active owner of.
pub async fn owned_alone(db: &Db, user_id: Uuid) -> Result<Vec<OrganizationLink>, sqlx::Error> {
    let rows: Vec<(String, String)> =
        on_db!(db, pool => sqlx::query_as(OWNED_ALONE).bind(user_id).fetch_all(pool).await)?;
    Ok(rows.into_iter().map(link).collect())
}

fn link((name, slug): (String, String)) -> OrganizationLink {
    OrganizationLink { name, slug }
}

#[derive(Debug, thiserror::Error)]
pub enum CloseError {
    /// Someone else stopped being an owner meanwhile: the person is now the
    /// last owner of these organizations.
    #[error("the last owner of an organization")]
    LastOwner(Vec<OrganizationLink>),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// The account of a closed user: who it was is gone, its id stays.
pub struct Closing<'a> {
    pub user_id: Uuid,
    pub email: &'a str,
    pub email_key: &'a str,
    pub at: DateTime<Utc>,
}

/// Closes the account in the transaction of the request: ends every seat and
/// membership, every session and reset link, removes the address from the audit
/// trail (and the IP addresses of the person's own actions), and anonymises the
/// user row. Returns the organizations the person was a member of.
pub async fn close(tx: &mut Tx, closing: &Closing<'_>) -> Result<Vec<Uuid>, CloseError> {
    let Closing {
        user_id,
        email,
        email_key,
        at,
    } = *closing;
    let anonymous = format!("closed-{}@closed.invalid", user_id.simple());
    on_tx!(tx, conn => {
        let memberships: Vec<(Uuid, Uuid)> = sqlx::query_as(
            "SELECT id, organization_id FROM memberships WHERE user_id = $1",
        ).bind(user_id).fetch_all(&mut *conn).await?;
        for (id, _) in &memberships {
            sqlx::query(super::seats::CLOSE).bind(at).bind(*id).execute(&mut *conn).await?;
        }
        sqlx::query("DELETE FROM memberships WHERE user_id = $1")
            .bind(user_id).execute(&mut *conn).await?;
        // A closed account is never reinstated.
        sqlx::query(super::former_members::FORGET_USER)
            .bind(user_id).execute(&mut *conn).await?;
        // Checked after the deletion, in the same transaction: a co-owner who
        // stepped down meanwhile cannot leave an organization without owners.
        let mut orphaned = Vec::new();
        for (_, organization_id) in &memberships {
            let (owners,): (i64,) = sqlx::query_as(
                "SELECT COUNT(*) FROM memberships WHERE organization_id = $1 AND role = 'owner' AND status = 'active'",
            ).bind(*organization_id).fetch_one(&mut *conn).await?;
            if owners == 0 {
                let found: (String, String) = sqlx::query_as("SELECT name, slug FROM organizations WHERE id = $1")
                    .bind(*organization_id).fetch_one(&mut *conn).await?;
                orphaned.push(link(found));
            }
        }
        if !orphaned.is_empty() {
            return Err(CloseError::LastOwner(orphaned));
        }
        sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user_id).execute(&mut *conn).await?;
        sqlx::query("DELETE FROM password_resets WHERE user_id = $1").bind(user_id).execute(&mut *conn).await?;
        sqlx::query("UPDATE audit_events SET subject = NULL WHERE subject = $1")
            .bind(email_key).execute(&mut *conn).await?;
        sqlx::query("UPDATE audit_events SET ip = NULL WHERE actor_user_id = $1")
            .bind(user_id).execute(&mut *conn).await?;
        sqlx::query(
            "UPDATE audit_events SET details = REPLACE(REPLACE(details, $2, $3), $4, $3)
             WHERE actor_user_id = $1 OR target_user_id = $1",
        ).bind(user_id).bind(email).bind(&anonymous).bind(email_key).execute(&mut *conn).await?;
        sqlx::query(
            "UPDATE users SET name = $2, email = $3, email_key = $3, password_hash = '!closed',
                              email_verified_at = NULL, updated_at = $4
             WHERE id = $1",
        ).bind(user_id).bind(CLOSED_NAME).bind(&anonymous).bind(at).execute(&mut *conn).await?;
        Ok(memberships.into_iter().map(|(_, org)| org).collect())
    })
}
