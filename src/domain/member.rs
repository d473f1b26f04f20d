//! Members as the Members page lists them.

use super::module::Module;
use super::role::{MemberStatus, MembershipKind, Role};
use super::time::Timestamp;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The id of a membership (a person in one organization), never to be mixed up
/// with the person's user id: sub-account access hangs on memberships.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct MembershipId(pub Uuid);

impl std::fmt::Display for MembershipId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

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
    /// `None`: every sub-account; `Some`: only these, by name.
    pub sub_accounts: Option<Vec<String>>,
    pub joined_at: Timestamp,
    /// When they last opened the organization (never, if `None`).
    pub last_active: Option<Timestamp>,
    /// A partner's last day of access, when it ends.
    pub access_until: Option<Timestamp>,
}

/// The orders the Members tabs offer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MemberSort {
    #[default]
    Name,
    Role,
    Joined,
}

impl MemberSort {
    pub const ALL: [MemberSort; 3] = [MemberSort::Name, MemberSort::Role, MemberSort::Joined];

    pub fn label(self) -> &'static str {
        match self {
            MemberSort::Name => "Name",
            MemberSort::Role => "Role",
            MemberSort::Joined => "Joined",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberQuery {
    pub status: MemberStatus,
    /// Team members or partners only; both when `None`.
    pub kind: Option<MembershipKind>,
    /// Part of the name or the address.
    pub search: String,
    pub sort: MemberSort,
    /// Z to A, lowest role first, newest first.
    pub descending: bool,
    /// 1-based.
    pub page: u32,
}

/// One member as the member detail page shows them, with what they can use.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberDetail {
    pub user_id: Uuid,
    pub name: String,
    pub email: String,
    pub kind: MembershipKind,
    pub role: Role,
    pub status: MemberStatus,
    /// Modules granted on top of the role.
    pub granted: Vec<Module>,
    /// `None`: every sub-account; `Some`: only these.
    pub sub_accounts: Option<Vec<Uuid>>,
    /// Changes carry it back; a stale one is refused.
    pub version: i64,
    pub joined_at: Timestamp,
    /// A partner's last day of access, when it ends.
    pub access_until: Option<Timestamp>,
    /// Whether that day has passed.
    pub access_ended: bool,
    /// What the person can do: the role's modules plus the grants it may hold.
    pub effective_modules: Vec<Module>,
    /// The sub-accounts they see, by name (every open one when unrestricted).
    pub effective_sub_accounts: Vec<String>,
    /// Whether this is the person looking.
    pub is_you: bool,
}

/// A change of role, modules and sub-account access, made against `version`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessChange {
    pub role: Role,
    /// Module names (`Module::as_str`), checked on the server: an unknown one is
    /// refused by name, not lost in decoding.
    pub modules: Vec<String>,
    pub sub_accounts: Option<Vec<Uuid>>,
    pub version: i64,
}
