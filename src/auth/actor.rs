//! The current actor as the policy sees it.

use super::session::Session;
use crate::db::{self, Db};
use crate::domain::policy::Actor;
use uuid::Uuid;

/// The actor for a request about `organization_id`: who they are, and their
/// membership in that organization (none if they have none there).
pub async fn in_organization(
    db: &Db,
    session: Option<Session>,
    organization_id: Uuid,
) -> Result<Actor, sqlx::Error> {
    let Some(session) = session else {
        return Ok(Actor::anonymous());
    };
    let membership = db::organizations::membership(db, organization_id, session.user_id).await?;
    Ok(Actor {
        user_id: Some(session.user_id),
        membership,
    })
}

/// The actor for a request about their own account.
pub fn for_account(session: Option<Session>) -> Actor {
    session.map(|s| Actor::user(s.user_id)).unwrap_or_default()
}
