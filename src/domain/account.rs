//! What the signed-in pages show about a person and their organizations.

use super::module::Module;
use super::role::{MemberStatus, MembershipKind, Role};
use super::time::Timestamp;
use serde::{Deserialize, Serialize};

/// The signed-in person.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Viewer {
    pub name: String,
    pub email: String,
    pub member_since: Timestamp,
}

/// What a sign-up link will create, shown before the person confirms.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignUpPreview {
    pub name: String,
    pub email: String,
    pub organization: String,
}

/// One organization the person belongs to (the organization switcher).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganizationSummary {
    pub name: String,
    pub slug: String,
    pub kind: MembershipKind,
    pub role: Role,
    pub status: MemberStatus,
    /// A partner's last day, when their access has an end.
    pub access_until: Option<Timestamp>,
    /// The modules the person can use there (the switcher keeps the page
    /// when the other organization allows it).
    pub modules: Vec<Module>,
}

/// An organization named with its address (a link).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganizationLink {
    pub name: String,
    pub slug: String,
}

/// What My organizations shows: the person's organizations and the
/// invitations waiting for their address.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyOrganizations {
    pub viewer: Viewer,
    pub organizations: Vec<OrganizationSummary>,
    pub invitations: Vec<WaitingInvitation>,
    /// The person's requests for partner access still waiting for an answer.
    pub requests: Vec<super::access_request::SentRequest>,
}

/// An open invitation to the signed-in person's address.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaitingInvitation {
    pub id: uuid::Uuid,
    pub organization: String,
    pub inviter: Option<String>,
    pub kind: MembershipKind,
    pub role: Role,
    /// For a partner: the last day of the access offered.
    pub access_until: Option<Timestamp>,
    pub expires_at: Timestamp,
}

/// An organization as its members see it on its home page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganizationOverview {
    pub name: String,
    pub slug: String,
    pub created_at: Timestamp,
    pub your_role: Role,
    pub your_kind: MembershipKind,
    /// The modules the viewer may open here: the navigation shows only these.
    pub your_modules: Vec<Module>,
    pub team_members: i64,
    pub partners: i64,
    /// Partnership requests from other organizations waiting for an answer.
    pub partnerships_waiting: i64,
    pub invitation_lifetime_secs: i64,
}

impl OrganizationOverview {
    pub fn member_count(&self) -> i64 {
        self.team_members + self.partners
    }
}

/// Everything the signed-in frame of an organization needs: who you are, where
/// you are, and where else you could be.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganizationShell {
    pub viewer: Viewer,
    pub organization: OrganizationOverview,
    pub organizations: Vec<OrganizationSummary>,
}

/// One line of an account's security activity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Activity {
    pub what: String,
    pub ip: Option<String>,
    pub at: Timestamp,
}

/// Describes an invitation lifetime in words: "7 days", "48 hours", "1 hour".
pub fn describe_lifetime(secs: i64) -> String {
    let hours = secs / 3600;
    if hours >= 24 && hours % 24 == 0 && hours != 48 {
        let days = hours / 24;
        format!("{days} day{}", if days == 1 { "" } else { "s" })
    } else {
        format!("{hours} hour{}", if hours == 1 { "" } else { "s" })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lifetimes_read_naturally() {
        assert_eq!(describe_lifetime(7 * 86400), "7 days");
        assert_eq!(describe_lifetime(48 * 3600), "48 hours");
        assert_eq!(describe_lifetime(86400), "1 day");
        assert_eq!(describe_lifetime(3600), "1 hour");
        assert_eq!(describe_lifetime(5 * 3600), "5 hours");
    }
}
