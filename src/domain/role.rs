//! Roles, membership kinds and statuses.

use serde::{Deserialize, Serialize};

/// What a member may do in an organization. Ordered from most to least powerful.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Owner,
    Admin,
    BillingAdmin,
    User,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Owner, Role::Admin, Role::BillingAdmin, Role::User];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Admin => "admin",
            Role::BillingAdmin => "billing_admin",
            Role::User => "user",
        }
    }

    pub fn parse(value: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == value)
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Owner => "Owner",
            Role::Admin => "Admin",
            Role::BillingAdmin => "Billing admin",
            Role::User => "User",
        }
    }

    /// Higher is more powerful; used for "never grant above your own role".
    pub fn rank(self) -> u8 {
        match self {
            Role::Owner => 3,
            Role::Admin => 2,
            Role::BillingAdmin => 1,
            Role::User => 0,
        }
    }
}

/// A team member belongs to one organization; a partner may belong to many.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MembershipKind {
    Team,
    Partner,
}

impl MembershipKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MembershipKind::Team => "team",
            MembershipKind::Partner => "partner",
        }
    }

    pub fn parse(value: &str) -> Option<MembershipKind> {
        match value {
            "team" => Some(MembershipKind::Team),
            "partner" => Some(MembershipKind::Partner),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            MembershipKind::Team => "Team member",
            MembershipKind::Partner => "Partner",
        }
    }

    /// The label in running text: "team member", "partner".
    pub fn noun(self) -> &'static str {
        match self {
            MembershipKind::Team => "team member",
            MembershipKind::Partner => "partner",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MemberStatus {
    Active,
    Deactivated,
}

impl MemberStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            MemberStatus::Active => "active",
            MemberStatus::Deactivated => "deactivated",
        }
    }

    pub fn parse(value: &str) -> Option<MemberStatus> {
        match value {
            "active" => Some(MemberStatus::Active),
            "deactivated" => Some(MemberStatus::Deactivated),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_and_rank() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("root"), None);
        assert!(Role::Owner.rank() > Role::Admin.rank());
        assert!(Role::Admin.rank() > Role::BillingAdmin.rank());
        assert!(Role::BillingAdmin.rank() > Role::User.rank());
    }

    #[test]
    fn kinds_and_statuses_round_trip() {
        for kind in [MembershipKind::Team, MembershipKind::Partner] {
            assert_eq!(MembershipKind::parse(kind.as_str()), Some(kind));
        }
        for status in [MemberStatus::Active, MemberStatus::Deactivated] {
            assert_eq!(MemberStatus::parse(status.as_str()), Some(status));
        }
        assert_eq!(MemberStatus::parse("removed"), None);
    }
}
