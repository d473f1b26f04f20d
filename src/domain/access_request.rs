//! Requests for partner access: a signed-in person asks an organization, with
//! the partner request code its admins handed out, to become a partner there;
//! an admin edits the proposed access, then approves or declines.

use super::module::Module;
use super::role::Role;
use super::time::Timestamp;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Where a request stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AccessRequestStatus {
    Pending,
    Approved,
    Declined,
}

impl AccessRequestStatus {
    pub const ALL: [AccessRequestStatus; 3] = [
        AccessRequestStatus::Pending,
        AccessRequestStatus::Approved,
        AccessRequestStatus::Declined,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AccessRequestStatus::Pending => "pending",
            AccessRequestStatus::Approved => "approved",
            AccessRequestStatus::Declined => "declined",
        }
    }

    pub fn parse(value: &str) -> Option<AccessRequestStatus> {
        AccessRequestStatus::ALL
            .into_iter()
            .find(|s| s.as_str() == value)
    }
}

/// The characters a code is made of: no 0/O, 1/I/L or U, so it survives being
/// read aloud or copied by hand.
pub const CODE_ALPHABET: &[u8; 30] = b"ABCDEFGHJKMNPQRSTVWXYZ23456789";

/// Characters in a code (30^10, about 49 bits); shown as two groups of five.
pub const CODE_LEN: usize = 10;

/// The longest message a request may carry.
pub const MESSAGE_MAX: usize = 1000;

/// The same answer for an unknown organization and a wrong code, so neither
/// can be told from the other.
pub const NO_MATCH: &str =
    "No organization matches this name and code. Check both with the organization's admins.";

/// A code from a random number: its last [`CODE_LEN`] digits in base 30 (the
/// remainder's bias is under one part in 30,000).
pub fn code_from(mut random: u64) -> String {
    let base = CODE_ALPHABET.len() as u64;
    (0..CODE_LEN)
        .map(|_| {
            let digit = (random % base) as usize;
            random /= base;
            char::from(CODE_ALPHABET[digit])
        })
        .collect()
}

/// A typed code in its stored form: upper case, without spaces or dashes; `None`
/// when it cannot be a code at all.
pub fn normalize_code(typed: &str) -> Option<String> {
    let code: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (code.len() == CODE_LEN && code.bytes().all(|b| CODE_ALPHABET.contains(&b))).then_some(code)
}

/// A stored code as people read it: `ABCDE-FGHJK`.
pub fn display_code(code: &str) -> String {
    if code.len() == CODE_LEN && code.is_ascii() {
        format!("{}-{}", &code[..5], &code[5..])
    } else {
        code.to_string()
    }
}

/// What a person sends when asking for access.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessProposal {
    /// The organization's address (its slug) or its name.
    pub organization: String,
    pub code: String,
    pub role: Role,
    /// Module names (`Module::as_str`), checked on the server.
    pub modules: Vec<String>,
    /// Every sub-account, or only those the admin chooses.
    pub all_sub_accounts: bool,
    pub message: String,
}

impl Default for AccessProposal {
    /// Role user, no modules, the sub-accounts the admins choose, no message.
    fn default() -> Self {
        AccessProposal {
            organization: String::new(),
            code: String::new(),
            role: Role::User,
            modules: Vec::new(),
            all_sub_accounts: false,
            message: String::new(),
        }
    }
}

/// The access an admin grants when approving.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessGrant {
    pub role: Role,
    /// Module names (`Module::as_str`), checked on the server.
    pub modules: Vec<String>,
    /// `None`: every sub-account. `Some(ids)`: only these.
    pub sub_accounts: Option<Vec<Uuid>>,
    /// The last day of access (`YYYY-MM-DD`), or empty for none.
    pub access_until: String,
}

/// A waiting request, as the organization's admins see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessRequestView {
    pub id: Uuid,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub modules: Vec<Module>,
    pub all_sub_accounts: bool,
    pub message: String,
    pub requested_at: Timestamp,
}

/// The Access requests tab: the waiting requests and what an approval can grant.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessRequests {
    pub requests: Vec<AccessRequestView>,
    /// The open sub-accounts the viewer may give access to.
    pub sub_accounts: Vec<super::sub_account::SubAccount>,
    /// The viewer's role (nobody grants a role above their own).
    pub your_role: Role,
}

/// A request the signed-in person sent that is still waiting (My organizations).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentRequest {
    pub organization: String,
    pub role: Role,
    pub requested_at: Timestamp,
}

/// The proposal's role: anything but owner (ownership is transferred, never asked for).
pub fn check_role(role: Role) -> Result<Role, &'static str> {
    match role {
        Role::Owner => Err("Ownership cannot be requested: ask for admin or a lower role."),
        other => Ok(other),
    }
}

/// The message, trimmed, within [`MESSAGE_MAX`] characters.
pub fn check_message(message: &str) -> Result<String, String> {
    let message = message.trim();
    if message.chars().count() > MESSAGE_MAX {
        return Err(format!(
            "Keep the message under {MESSAGE_MAX} characters ({} now).",
            message.chars().count()
        ));
    }
    Ok(message.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_readable_and_typed_forgivingly() {
        let code = code_from(u64::MAX - 12_345);
        assert_ne!(code, code_from(7));
        assert_eq!(code.len(), CODE_LEN);
        assert!(!code.contains(['0', 'O', '1', 'I', 'L', 'U']));
        let shown = display_code(&code);
        assert_eq!(shown.len(), CODE_LEN + 1);
        assert_eq!(normalize_code(&shown.to_lowercase()), Some(code.clone()));
        assert_eq!(
            normalize_code(&format!(" {} ", shown.replace('-', " "))),
            Some(code)
        );
        assert_eq!(
            normalize_code("ABCDE-FGHI1"),
            None,
            "I and 1 are not in codes"
        );
        assert_eq!(normalize_code("ABCD"), None);
        assert_eq!(normalize_code(""), None);
    }

    #[test]
    fn statuses_round_trip() {
        for status in AccessRequestStatus::ALL {
            assert_eq!(AccessRequestStatus::parse(status.as_str()), Some(status));
        }
        assert_eq!(AccessRequestStatus::parse("Pending"), None);
    }

    #[test]
    fn proposals_are_checked() {
        assert!(check_role(Role::Owner).is_err());
        assert_eq!(check_role(Role::Admin), Ok(Role::Admin));
        assert_eq!(check_message("  hi  ").unwrap(), "hi");
        assert!(check_message(&"x".repeat(MESSAGE_MAX + 1)).is_err());
    }
}
