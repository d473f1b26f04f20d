//! The current actor as the policy sees it.

use super::session::Session;
use crate::domain::policy::Actor;

/// The actor for a request about their own account.
pub fn for_account(session: Option<Session>) -> Actor {
    session.map(|s| Actor::user(s.user_id)).unwrap_or_default()
}
