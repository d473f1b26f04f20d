//! Sub-accounts: the parts of an organization (branches, clients, projects)
//! that an invitation or a membership can be limited to.

use super::time::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
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
    /// Partners' access ends after this many days without activity (none: never).
    pub partner_inactivity_days: Option<i64>,
    /// The code people use to ask for partner access (`ABCDE-FGHJK`); none
    /// until an admin creates one.
    pub partner_request_code: Option<String>,
    pub sub_accounts: Vec<SubAccount>,
}

/// The key under which names are unique in an organization (case-insensitive).
pub fn name_key(name: &str) -> String {
    name.trim().to_lowercase()
}

/// The organization's sub-accounts, by id and by name.
pub struct SubAccountIndex {
    by_id: HashMap<Uuid, SubAccount>,
    by_name: HashMap<String, Uuid>,
}

impl SubAccountIndex {
    pub fn new(sub_accounts: Vec<SubAccount>) -> SubAccountIndex {
        let by_name = sub_accounts
            .iter()
            .map(|s| (name_key(&s.name), s.id))
            .collect();
        let by_id = sub_accounts.into_iter().map(|s| (s.id, s)).collect();
        SubAccountIndex { by_id, by_name }
    }

    /// Resolves chosen ids: each must be an open sub-account of this organization.
    pub fn resolve_ids(&self, ids: &[Uuid]) -> Result<Vec<Uuid>, String> {
        let mut out = Vec::new();
        for id in ids {
            match self.by_id.get(id) {
                None => {
                    return Err(
                        "One of the chosen sub-accounts does not belong to this organization."
                            .into(),
                    );
                }
                Some(s) if s.archived => {
                    return Err(format!("The sub-account \"{}\" is archived.", s.name));
                }
                Some(s) if !out.contains(&s.id) => out.push(s.id),
                Some(_) => {}
            }
        }
        Ok(out)
    }

    /// Resolves a CSV cell of names separated by `;` (empty: every sub-account).
    pub fn resolve_names(&self, cell: &str) -> Result<Option<Vec<Uuid>>, String> {
        let names: Vec<&str> = cell
            .split([';', '|'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        if names.is_empty() {
            return Ok(None);
        }
        let mut ids = Vec::new();
        for name in names {
            let id = self.by_name.get(&name_key(name)).ok_or_else(|| {
                format!("Unknown sub-account \"{name}\": it is not one of this organization's sub-accounts.")
            })?;
            ids.push(*id);
        }
        self.resolve_ids(&ids).map(Some)
    }
}
