//! Members as the Members page lists them.

use super::module::Module;
use super::role::{MemberStatus, MembershipKind, Role};
use super::time::Timestamp;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberView {
    pub user_id: Uuid,
    pub name: String,
    pub email: String,
    pub kind: MembershipKind,
    pub role: Role,
    pub status: MemberStatus,
    /// What the member can use: the role's modules plus grants.
    pub modules: Vec<Module>,
    pub joined_at: Timestamp,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberQuery {
    pub status: MemberStatus,
    /// Part of the name or the address.
    pub search: String,
    /// 1-based.
    pub page: u32,
}
