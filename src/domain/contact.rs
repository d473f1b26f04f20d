//! The Contacts module: the organization's people and, for its team, the
//! people of every organization it partners with.

use super::page::Page;
use super::role::{MembershipKind, Role};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Whose person a contact is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Affiliation {
    /// One of the organization's own people, with their place in it.
    Own { kind: MembershipKind, role: Role },
    /// A team member of a partner organization: a member of that
    /// organization, not a user of this one.
    Partner { organization: String },
}

impl Affiliation {
    /// What the directory says under the name: "Team member · Admin",
    /// "Member · Globex".
    pub fn label(&self) -> String {
        match self {
            Affiliation::Own { kind, role } => format!("{} · {}", kind.label(), role.label()),
            Affiliation::Partner { organization } => format!("Member · {organization}"),
        }
    }
}

/// A person in the Contacts module.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub name: String,
    pub email: String,
    pub affiliation: Affiliation,
}

/// What a Contacts page asks for.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactQuery {
    pub search: String,
    /// Only this organization's people (the own one or a partner's).
    pub organization: Option<Uuid>,
    /// 1-based.
    pub page: u32,
}

/// An organization whose people the directory holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactSource {
    pub id: Uuid,
    pub name: String,
    /// Whether this is the organization being viewed.
    pub own: bool,
    /// How many of its people the directory lists (before a search).
    pub people: u64,
}

/// One page of the directory and the organizations it can be filtered by:
/// the own organization first, then the partners by name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contacts {
    pub people: Page<Contact>,
    pub sources: Vec<ContactSource>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partner_people_are_members_of_their_organization_not_users() {
        let own = Affiliation::Own {
            kind: MembershipKind::Team,
            role: Role::Admin,
        };
        assert_eq!(own.label(), "Team member · Admin");
        let partner = Affiliation::Partner {
            organization: "Globex".into(),
        };
        assert_eq!(partner.label(), "Member · Globex");
    }
}
