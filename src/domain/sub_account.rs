//! Sub-accounts: the parts of an organization (branches, clients, projects)
//! that an invitation or a membership can be limited to.

use super::time::Timestamp;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubAccount {
    pub id: Uuid,
    pub name: String,
    pub archived: bool,
    pub created_at: Timestamp,
}

/// The Settings page: how long invitations live, and the sub-accounts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganizationSettings {
    pub invitation_lifetime_secs: i64,
    pub sub_accounts: Vec<SubAccount>,
}

/// The key under which names are unique in an organization (case-insensitive).
pub fn name_key(name: &str) -> String {
    name.trim().to_lowercase()
}
