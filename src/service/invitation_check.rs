//! The verdict on every address before anything is sent: each row ends in
//! exactly one outcome. Pure: the caller loads what the organization already has.

use crate::domain::access_end;
use crate::domain::email::EmailAddress;
use crate::domain::former_access::FormerAccess;
use crate::domain::invitation::{CheckReport, CheckedRow, DraftRow, Outcome};
use crate::domain::module::{self, Module};
use crate::domain::policy::{OWN_SUB_ACCOUNTS_ONLY, may_grant_role, may_grant_sub_accounts};
use crate::domain::role::{MembershipKind, Role};
pub use crate::domain::sub_account::SubAccountIndex;
use crate::domain::time::Timestamp;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;
use uuid::Uuid;

/// One row as read from the dialog or the CSV file, before judgement. Each
/// field holds its value or why it is unusable.
#[derive(Clone, Debug)]
pub struct Candidate {
    pub row: usize,
    pub input: String,
    pub email: Result<EmailAddress, String>,
    pub kind: Result<MembershipKind, String>,
    /// A partner's last day of access as given (`YYYY-MM-DD`), empty for none.
    pub access_until: String,
    pub role: Result<Role, String>,
    pub modules: Result<Vec<Module>, String>,
    /// `None`: every sub-account.
    pub sub_accounts: Result<Option<Vec<Uuid>>, String>,
    /// Restore a former member's access instead of the row's.
    pub restore: bool,
}

/// A row that will be invited.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invitee {
    pub email: EmailAddress,
    pub kind: MembershipKind,
    /// When a partner's access will end.
    pub access_ends_at: Option<Timestamp>,
    pub role: Role,
    pub modules: Vec<Module>,
    pub sub_accounts: Option<Vec<Uuid>>,
    /// The access is a former member's, restored.
    pub restored: bool,
}

/// What the organization already holds, and who is inviting.
pub struct Context<'a> {
    pub inviter_role: Role,
    /// The sub-accounts the inviter may give (`None`: every one).
    pub inviter_sub_accounts: Option<&'a [Uuid]>,
    pub member_keys: &'a HashSet<String>,
    pub pending: &'a HashMap<String, Uuid>,
    /// Submitted addresses of people who are team members of another organization.
    pub team_elsewhere: &'a HashSet<String>,
    /// Submitted addresses of people who were removed or left within 90 days.
    pub former: &'a HashMap<String, FormerAccess>,
    /// The time of the check, for end dates.
    pub now: Timestamp,
}

/// Rows typed or pasted in the dialog, numbered from 1.
pub fn from_drafts(rows: Vec<DraftRow>, index: &SubAccountIndex) -> Vec<Candidate> {
    rows.into_iter()
        .enumerate()
        .map(|(i, row)| {
            let email = single_address(&row.input);
            Candidate {
                row: i + 1,
                input: row.input.trim().to_string(),
                email,
                kind: Ok(row.kind),
                access_until: row.access_until.trim().to_string(),
                role: Ok(row.role),
                modules: Ok(row.modules),
                sub_accounts: match row.sub_accounts {
                    None => Ok(None),
                    Some(ids) => index.resolve_ids(&ids).map(Some),
                },
                restore: row.restore,
            }
        })
        .collect()
}

/// One address, plain or as `Name <address>` (the name may hold commas).
pub fn single_address(input: &str) -> Result<EmailAddress, String> {
    let input = input.trim();
    let address = match (input.rfind('<'), input.rfind('>')) {
        (Some(open), Some(close)) if open < close => &input[open + 1..close],
        _ => input,
    };
    EmailAddress::parse(address).map_err(|e| e.message().to_string())
}

/// Judges every candidate, in order; returns the report and the invitees.
pub fn check(candidates: Vec<Candidate>, context: &Context<'_>) -> (CheckReport, Vec<Invitee>) {
    let mut first_row: HashMap<String, usize> = HashMap::new();
    let mut rows = Vec::with_capacity(candidates.len());
    let mut invitees = Vec::new();
    for mut candidate in candidates {
        let email_text = candidate.email.as_ref().ok().map(|e| e.to_string());
        let former = candidate
            .email
            .as_ref()
            .ok()
            .and_then(|e| context.former.get(&e.key()));
        // Restoring replaces the row's access before it is judged, so the
        // former access meets the same rules as any other.
        let restored = candidate.restore && former.is_some();
        if let Some(former) = former.filter(|_| restored) {
            candidate.role = Ok(former.role);
            candidate.modules = Ok(former.modules.clone());
            candidate.sub_accounts = Ok(former.sub_accounts.clone());
        }
        let role = candidate.role.as_ref().ok().copied();
        let kind = candidate.kind.as_ref().ok().copied();
        let outcome = match judge(&candidate, context, &mut first_row) {
            Ok(invitee) => {
                invitees.push(Invitee {
                    restored,
                    ..invitee
                });
                Outcome::WillInvite
            }
            Err(outcome) => outcome,
        };
        rows.push(CheckedRow {
            row: candidate.row,
            input: candidate.input,
            email: email_text,
            kind,
            role,
            outcome,
            former: former.cloned(),
            restored,
        });
    }
    (CheckReport { rows }, invitees)
}

fn judge(
    candidate: &Candidate,
    context: &Context<'_>,
    first_row: &mut HashMap<String, usize>,
) -> Result<Invitee, Outcome> {
    let email = candidate.email.clone().map_err(Outcome::Invalid)?;
    let kind = candidate.kind.clone().map_err(Outcome::Invalid)?;
    let access_ends_at =
        access_end::choose(&candidate.access_until, context.now).map_err(Outcome::Invalid)?;
    if access_ends_at.is_some() && kind == MembershipKind::Team {
        return Err(Outcome::Invalid(
            "Only partners have an access end date: invite as a partner, or leave the date empty."
                .into(),
        ));
    }
    let role = candidate.role.clone().map_err(Outcome::Invalid)?;
    let modules = candidate.modules.clone().map_err(Outcome::Invalid)?;
    let sub_accounts = candidate.sub_accounts.clone().map_err(Outcome::Invalid)?;
    let key = email.key();
    if let Some(first) = first_row.get(&key) {
        return Err(Outcome::Duplicate { first_row: *first });
    }
    first_row.insert(key.clone(), candidate.row);
    if !may_grant_role(context.inviter_role, role) {
        return Err(Outcome::NotAllowed(format!(
            "As {} you cannot invite someone as {}.",
            with_article(context.inviter_role.label()),
            role.label()
        )));
    }
    if let Some(module) = modules.iter().find(|m| !module::grantable(role, **m)) {
        return Err(Outcome::NotAllowed(format!(
            "The {} module is for admins only: it cannot be given to the role {}.",
            module.label(),
            role.label()
        )));
    }
    if !may_grant_sub_accounts(context.inviter_sub_accounts, sub_accounts.as_deref()) {
        return Err(Outcome::NotAllowed(OWN_SUB_ACCOUNTS_ONLY.into()));
    }
    if context.member_keys.contains(&key) {
        return Err(Outcome::AlreadyMember);
    }
    if let Some(id) = context.pending.get(&key) {
        return Err(Outcome::AlreadyInvited { invitation_id: *id });
    }
    if kind == MembershipKind::Team && context.team_elsewhere.contains(&key) {
        return Err(Outcome::TeamElsewhere);
    }
    if is_disposable(&key) {
        return Err(Outcome::Disposable);
    }
    Ok(Invitee {
        email,
        kind,
        access_ends_at,
        role,
        modules,
        sub_accounts,
        // Set by `check`, which decided whether the former access applies.
        restored: false,
    })
}

fn with_article(label: &str) -> String {
    let vowel = label.starts_with(['A', 'E', 'I', 'O', 'U']);
    format!(
        "{} {}",
        if vowel { "an" } else { "a" },
        label.to_lowercase()
    )
}

/// The maintained list of disposable mail domains (the `mailchecker` project).
static DISPOSABLE: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| mailchecker::blacklist().into_iter().collect());

/// Whether the address's domain, or a domain it belongs to, is disposable.
pub fn is_disposable(email_key: &str) -> bool {
    let Some((_, domain)) = email_key.rsplit_once('@') else {
        return false;
    };
    let mut rest = domain;
    loop {
        if DISPOSABLE.contains(rest) {
            return true;
        }
        match rest.split_once('.') {
            Some((_, parent)) if parent.contains('.') => rest = parent,
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::sub_account::SubAccount;

    fn candidate(row: usize, email: &str, role: Role) -> Candidate {
        Candidate {
            row,
            input: email.into(),
            email: EmailAddress::parse(email).map_err(|e| e.message().to_string()),
            kind: Ok(MembershipKind::Team),
            access_until: String::new(),
            role: Ok(role),
            modules: Ok(vec![]),
            sub_accounts: Ok(None),
            restore: false,
        }
    }

    #[test]
    fn every_row_gets_exactly_one_outcome() {
        let members: HashSet<String> = ["member@acme.test".to_string()].into();
        let pending_id = Uuid::from_u128(7);
        let pending: HashMap<String, Uuid> = [("invited@acme.test".to_string(), pending_id)].into();
        let elsewhere: HashSet<String> = ["team@other.test".to_string()].into();
        let context = Context {
            inviter_role: Role::Admin,
            inviter_sub_accounts: None,
            member_keys: &members,
            pending: &pending,
            team_elsewhere: &elsewhere,
            former: &HashMap::new(),
            now: Timestamp(1_796_169_600),
        };
        let mut user_with_members = candidate(8, "ben@acme.test", Role::User);
        user_with_members.modules = Ok(vec![Module::Members]);
        let candidates = vec![
            candidate(1, "ana@acme.test", Role::User),
            candidate(2, "not-an-address", Role::User),
            candidate(3, "ANA@acme.test", Role::Admin),
            candidate(4, "Member@Acme.test", Role::User),
            candidate(5, "invited@acme.test", Role::User),
            candidate(6, "temp@mailinator.com", Role::User),
            candidate(7, "boss@acme.test", Role::Owner),
            user_with_members,
            candidate(9, "team@other.test", Role::User),
            Candidate {
                kind: Ok(MembershipKind::Partner),
                ..candidate(10, "TEAM@other.test ", Role::User)
            },
            Candidate {
                kind: Err("Unknown kind \"staff\".".into()),
                ..candidate(11, "cy@acme.test", Role::User)
            },
        ];
        let (report, invitees) = check(candidates, &context);
        let outcomes: Vec<Outcome> = report.rows.iter().map(|r| r.outcome.clone()).collect();
        assert_eq!(outcomes[0], Outcome::WillInvite);
        assert!(matches!(outcomes[1], Outcome::Invalid(ref m) if m.contains('@')));
        assert_eq!(outcomes[2], Outcome::Duplicate { first_row: 1 });
        assert_eq!(outcomes[3], Outcome::AlreadyMember);
        assert_eq!(
            outcomes[4],
            Outcome::AlreadyInvited {
                invitation_id: pending_id
            }
        );
        assert_eq!(outcomes[5], Outcome::Disposable);
        assert!(
            matches!(outcomes[6], Outcome::NotAllowed(ref m) if m == "As an admin you cannot invite someone as Owner.")
        );
        assert!(matches!(outcomes[7], Outcome::NotAllowed(ref m) if m.contains("Members module")));
        assert_eq!(outcomes[8], Outcome::TeamElsewhere);
        // The same person as a partner is a duplicate of row 9 here, not refused for the kind.
        assert_eq!(outcomes[9], Outcome::Duplicate { first_row: 9 });
        assert!(matches!(outcomes[10], Outcome::Invalid(ref m) if m.contains("staff")));
        assert_eq!(invitees.len(), 1);
        assert_eq!(invitees[0].email.as_str(), "ana@acme.test");
        assert_eq!(report.rows[8].kind, Some(MembershipKind::Team));
    }

    #[test]
    fn a_team_member_elsewhere_may_be_invited_as_a_partner() {
        let none = HashSet::new();
        let elsewhere: HashSet<String> = ["team@other.test".to_string()].into();
        let context = Context {
            inviter_role: Role::Owner,
            inviter_sub_accounts: None,
            member_keys: &none,
            pending: &HashMap::new(),
            team_elsewhere: &elsewhere,
            former: &HashMap::new(),
            now: Timestamp(1_796_169_600),
        };
        let (report, invitees) = check(
            vec![
                Candidate {
                    kind: Ok(MembershipKind::Partner),
                    access_until: "2027-03-31".into(),
                    ..candidate(1, "team@other.test", Role::Admin)
                },
                Candidate {
                    access_until: "2027-03-31".into(),
                    ..candidate(2, "free@x.test", Role::User)
                },
                Candidate {
                    kind: Ok(MembershipKind::Partner),
                    access_until: "2020-01-01".into(),
                    ..candidate(3, "late@x.test", Role::User)
                },
            ],
            &context,
        );
        assert_eq!(report.rows[0].outcome, Outcome::WillInvite);
        assert_eq!(invitees[0].kind, MembershipKind::Partner);
        assert_eq!(
            invitees[0].access_ends_at,
            access_end::parse_day("2027-04-01")
        );
        assert!(
            matches!(&report.rows[1].outcome, Outcome::Invalid(m) if m.starts_with("Only partners"))
        );
        assert!(
            matches!(&report.rows[2].outcome, Outcome::Invalid(m) if m.contains("in the past"))
        );
    }

    #[test]
    fn restoring_applies_the_former_access_under_the_same_rules() {
        use crate::domain::former_access::Departure;
        let none = HashSet::new();
        let former = |role| FormerAccess {
            departure: Departure::Removed,
            departed_at: Timestamp(1_793_664_000),
            kind: MembershipKind::Team,
            role,
            modules: vec![Module::Contacts],
            sub_accounts: Some(vec![Uuid::from_u128(1)]),
            sub_account_names: vec!["North".into()],
        };
        let known: HashMap<String, FormerAccess> = [
            ("back@x.test".to_string(), former(Role::BillingAdmin)),
            ("boss@x.test".to_string(), former(Role::Owner)),
        ]
        .into();
        let context = Context {
            inviter_role: Role::Admin,
            inviter_sub_accounts: None,
            member_keys: &none,
            pending: &HashMap::new(),
            team_elsewhere: &none,
            former: &known,
            now: Timestamp(1_796_169_600),
        };
        let restore = |row, email| Candidate {
            restore: true,
            ..candidate(row, email, Role::User)
        };
        let (report, invitees) = check(
            vec![
                restore(1, "back@x.test"),
                candidate(2, "BACK@x.test", Role::User),
                restore(3, "boss@x.test"),
                restore(4, "new@x.test"),
            ],
            &context,
        );
        // Restored: the former role, modules and sub-accounts, said so in the report.
        assert!(report.rows[0].restored);
        assert_eq!(report.rows[0].role, Some(Role::BillingAdmin));
        assert_eq!(invitees[0].role, Role::BillingAdmin);
        assert_eq!(invitees[0].modules, vec![Module::Contacts]);
        assert_eq!(invitees[0].sub_accounts, Some(vec![Uuid::from_u128(1)]));
        assert!(invitees[0].restored);
        assert_eq!(report.rows[0].former, Some(former(Role::BillingAdmin)));
        // A duplicate is still a duplicate.
        assert_eq!(report.rows[1].outcome, Outcome::Duplicate { first_row: 1 });
        // An admin cannot restore an owner.
        assert!(matches!(&report.rows[2].outcome, Outcome::NotAllowed(m) if m.contains("Owner")));
        // Nothing to restore: the row's own access.
        assert!(!report.rows[3].restored);
        assert_eq!(report.rows[3].former, None);
        assert_eq!(invitees[1].role, Role::User);
        assert!(!invitees[1].restored);
    }

    #[test]
    fn disposable_domains_include_their_subdomains() {
        assert!(is_disposable("x@mailinator.com"));
        assert!(is_disposable("x@eu.mailinator.com"));
        assert!(!is_disposable("x@example.com"));
        assert!(!is_disposable("x@bücher.example"));
    }

    #[test]
    fn sub_accounts_resolve_only_within_the_organization() {
        let open = SubAccount {
            id: Uuid::from_u128(1),
            name: "North Branch".into(),
            archived: false,
            created_at: crate::domain::time::Timestamp(0),
        };
        let archived = SubAccount {
            id: Uuid::from_u128(2),
            name: "Old".into(),
            archived: true,
            ..open.clone()
        };
        let index = SubAccountIndex::new(vec![open, archived]);
        assert_eq!(
            index.resolve_names(" north branch ").unwrap(),
            Some(vec![Uuid::from_u128(1)])
        );
        assert_eq!(index.resolve_names("").unwrap(), None);
        assert!(index.resolve_names("Old").unwrap_err().contains("archived"));
        assert!(
            index
                .resolve_names("Elsewhere")
                .unwrap_err()
                .starts_with("Unknown sub-account \"Elsewhere\"")
        );
        assert!(
            index
                .resolve_ids(&[Uuid::from_u128(99)])
                .unwrap_err()
                .contains("does not belong")
        );
    }
}
