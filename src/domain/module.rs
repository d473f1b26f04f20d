//! The portal's modules (sections) and which roles may hold them.

use super::role::Role;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Module {
    Members,
    Partners,
    Contacts,
    Billing,
    AuditLog,
    Settings,
}

impl Module {
    pub const ALL: [Module; 6] = [
        Module::Members,
        Module::Partners,
        Module::Contacts,
        Module::Billing,
        Module::AuditLog,
        Module::Settings,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Module::Members => "members",
            Module::Partners => "partners",
            Module::Contacts => "contacts",
            Module::Billing => "billing",
            Module::AuditLog => "audit_log",
            Module::Settings => "settings",
        }
    }

    pub fn parse(value: &str) -> Option<Module> {
        Module::ALL.into_iter().find(|m| m.as_str() == value)
    }

    pub fn label(self) -> &'static str {
        match self {
            Module::Members => "Members",
            Module::Partners => "Partners",
            Module::Contacts => "Contacts",
            Module::Billing => "Billing",
            Module::AuditLog => "Audit log",
            Module::Settings => "Settings",
        }
    }

    /// Modules that only administrators hold: never granted to role `user`.
    pub fn admin_only(self) -> bool {
        matches!(
            self,
            Module::Members | Module::Billing | Module::AuditLog | Module::Settings
        )
    }
}

/// What a role holds whatever was granted. Billing admins read the members
/// (DESIGN.md) but never manage them: managing needs the admin role too.
pub fn included(role: Role) -> &'static [Module] {
    match role {
        Role::Owner | Role::Admin => &Module::ALL,
        Role::BillingAdmin => &[Module::Members, Module::Billing, Module::Partners],
        Role::User => &[],
    }
}

/// Whether `module` may be granted on top of `role`.
pub fn grantable(role: Role, module: Module) -> bool {
    match role {
        Role::Owner | Role::Admin => true,
        Role::BillingAdmin | Role::User => !module.admin_only(),
    }
}

/// The modules a member can use: the role's own, plus the grants it may hold,
/// in a stable order. Grants a role may not hold are ignored, never honoured.
pub fn effective(role: Role, granted: &[Module]) -> Vec<Module> {
    Module::ALL
        .into_iter()
        .filter(|m| included(role).contains(m) || (granted.contains(m) && grantable(role, *m)))
        .collect()
}

/// A set of modules, small enough to copy into every policy decision.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ModuleSet(u8);

impl ModuleSet {
    pub fn contains(self, module: Module) -> bool {
        self.0 & Self::bit(module) != 0
    }

    pub fn insert(&mut self, module: Module) {
        self.0 |= Self::bit(module);
    }

    /// The modules, in the order of [`Module::ALL`].
    pub fn to_vec(self) -> Vec<Module> {
        Module::ALL
            .into_iter()
            .filter(|m| self.contains(*m))
            .collect()
    }

    fn bit(module: Module) -> u8 {
        1 << (module as u8)
    }
}

impl FromIterator<Module> for ModuleSet {
    fn from_iter<I: IntoIterator<Item = Module>>(modules: I) -> Self {
        let mut set = ModuleSet::default();
        for module in modules {
            set.insert(module);
        }
        set
    }
}

/// Modules as people read them ("Contacts"), in order: audit details and summaries.
pub fn labels(modules: &[Module]) -> Vec<&'static str> {
    modules.iter().map(|m| m.label()).collect()
}

/// Modules as stored: names separated by `;` (what [`parse_list`] reads).
pub fn join_list(modules: &[Module]) -> String {
    modules
        .iter()
        .map(|m| m.as_str())
        .collect::<Vec<_>>()
        .join(";")
}

/// Parses a list such as `members;contacts` (CSV cells, form values): the
/// modules, or the first unknown name.
pub fn parse_list(value: &str) -> Result<Vec<Module>, String> {
    let mut modules = Vec::new();
    for name in value
        .split([';', ',', '|'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        let module = Module::parse(&name.to_lowercase().replace([' ', '-'], "_"))
            .ok_or_else(|| format!("Unknown module \"{name}\". Known modules: members, partners, contacts, billing, audit_log, settings."))?;
        if !modules.contains(&module) {
            modules.push(module);
        }
    }
    Ok(modules)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for module in Module::ALL {
            assert_eq!(Module::parse(module.as_str()), Some(module));
        }
        assert_eq!(Module::parse("pricing"), None);
    }

    #[test]
    fn role_user_never_gets_admin_modules() {
        let everything = Module::ALL.to_vec();
        assert_eq!(
            effective(Role::User, &everything),
            vec![Module::Partners, Module::Contacts]
        );
        assert_eq!(effective(Role::User, &[]), Vec::<Module>::new());
        for module in [
            Module::Members,
            Module::Billing,
            Module::AuditLog,
            Module::Settings,
        ] {
            assert!(!grantable(Role::User, module), "{module:?}");
        }
    }

    #[test]
    fn admins_hold_everything_and_billing_admins_billing_and_partners() {
        assert_eq!(effective(Role::Owner, &[]), Module::ALL.to_vec());
        assert_eq!(effective(Role::Admin, &[]), Module::ALL.to_vec());
        assert_eq!(
            effective(Role::BillingAdmin, &[]),
            vec![Module::Members, Module::Partners, Module::Billing]
        );
        assert_eq!(
            effective(Role::BillingAdmin, &[Module::Contacts, Module::Settings]),
            vec![
                Module::Members,
                Module::Partners,
                Module::Contacts,
                Module::Billing
            ]
        );
    }

    #[test]
    fn module_sets_hold_exactly_what_was_put_in() {
        let set: ModuleSet = [Module::Contacts, Module::AuditLog].into_iter().collect();
        assert!(set.contains(Module::Contacts) && set.contains(Module::AuditLog));
        assert!(!set.contains(Module::Members) && !set.contains(Module::Settings));
        assert_eq!(set.to_vec(), vec![Module::Contacts, Module::AuditLog]);
        let all: ModuleSet = Module::ALL.into_iter().collect();
        assert_eq!(all.to_vec(), Module::ALL.to_vec());
        assert_eq!(ModuleSet::default().to_vec(), vec![]);
    }

    #[test]
    fn lists_parse_leniently_and_name_the_unknown() {
        assert_eq!(
            parse_list(" Members ; contacts,Audit log ").unwrap(),
            vec![Module::Members, Module::Contacts, Module::AuditLog]
        );
        assert_eq!(parse_list("").unwrap(), vec![]);
        assert_eq!(
            parse_list("contacts;contacts").unwrap(),
            vec![Module::Contacts]
        );
        let err = parse_list("contacts;pricing").unwrap_err();
        assert!(err.starts_with("Unknown module \"pricing\""), "{err}");
    }
}
