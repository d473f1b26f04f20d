//! Reinstating: the access a person had in an organization before they were
//! removed or left, kept for [`REINSTATE_DAYS`] so an admin who invites them
//! again can restore it exactly (as GitHub does).

use super::module::Module;
use super::role::{MembershipKind, Role};
use super::time::{Timestamp, date};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// How long former access can be restored, in days.
pub const REINSTATE_DAYS: i64 = 90;

/// How a membership ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Departure {
    /// An owner or admin removed them.
    Removed,
    /// They left.
    Left,
}

impl Departure {
    pub fn as_str(self) -> &'static str {
        match self {
            Departure::Removed => "removed",
            Departure::Left => "left",
        }
    }

    pub fn parse(value: &str) -> Option<Departure> {
        [Departure::Removed, Departure::Left]
            .into_iter()
            .find(|d| d.as_str() == value)
    }

    fn verb(self) -> &'static str {
        match self {
            Departure::Removed => "Removed",
            Departure::Left => "Left",
        }
    }
}

/// What a former member had when they went.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormerAccess {
    pub departure: Departure,
    pub departed_at: Timestamp,
    pub kind: MembershipKind,
    pub role: Role,
    pub modules: Vec<Module>,
    /// `None`: every sub-account. `Some`: the ones that still exist, by id.
    pub sub_accounts: Option<Vec<Uuid>>,
    /// The names of those sub-accounts, in the same order.
    pub sub_account_names: Vec<String>,
}

impl FormerAccess {
    /// "Left on 3 November 2026"
    pub fn departed(&self) -> String {
        format!("{} on {}", self.departure.verb(), date(self.departed_at))
    }

    /// "Admin · modules: Contacts, Billing · sub-accounts: North Branch"
    pub fn summary(&self) -> String {
        let modules = if self.modules.is_empty() {
            "no modules".to_string()
        } else {
            format!(
                "modules: {}",
                super::module::labels(&self.modules).join(", ")
            )
        };
        let subs = match &self.sub_accounts {
            None => "all sub-accounts".to_string(),
            Some(_) if self.sub_account_names.is_empty() => "no sub-accounts".to_string(),
            Some(_) => format!("sub-accounts: {}", self.sub_account_names.join(", ")),
        };
        format!("{} · {modules} · {subs}", self.role.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn departures_round_trip_and_describe_themselves() {
        for d in [Departure::Removed, Departure::Left] {
            assert_eq!(Departure::parse(d.as_str()), Some(d));
        }
        assert_eq!(Departure::parse("fired"), None);
        let former = FormerAccess {
            departure: Departure::Left,
            departed_at: Timestamp(1_793_664_000),
            kind: MembershipKind::Partner,
            role: Role::BillingAdmin,
            modules: vec![Module::Contacts, Module::Billing],
            sub_accounts: Some(vec![Uuid::from_u128(1)]),
            sub_account_names: vec!["North Branch".into()],
        };
        assert_eq!(former.departed(), "Left on 3 November 2026");
        assert_eq!(
            former.summary(),
            "Billing admin · modules: Contacts, Billing · sub-accounts: North Branch"
        );
    }
}
