//! Invitations: what an admin asks for, how each address is judged before
//! anything is sent, and what the Invitations tab and the acceptance page show.

use super::former_access::FormerAccess;
use super::module::Module;
use super::role::{MembershipKind, Role};
use super::sub_account::SubAccount;
use super::time::Timestamp;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The most rows one check or send may hold (typed, pasted or uploaded).
pub const MAX_ROWS: usize = 10_000;
/// The largest CSV file accepted, in bytes.
pub const MAX_CSV_BYTES: usize = 1_048_576;
/// How often one invitation may be resent in 24 hours.
pub const RESENDS_PER_DAY: i64 = 3;
/// The CSV header, in order. Only `email` is required; `kind` is `team` or
/// `partner`, `access_until` a partner's last day (`YYYY-MM-DD`).
pub const CSV_HEADER: [&str; 6] = [
    "email",
    "role",
    "modules",
    "sub_accounts",
    "kind",
    "access_until",
];

/// Invitation lifetimes an organization can choose, in seconds (1 hour to 30 days).
pub const LIFETIME_CHOICES: [i64; 9] = [
    3_600,
    6 * 3_600,
    12 * 3_600,
    24 * 3_600,
    48 * 3_600,
    3 * 86_400,
    7 * 86_400,
    14 * 86_400,
    30 * 86_400,
];
pub const DEFAULT_LIFETIME: i64 = 7 * 86_400;

/// Where an invitation stands. An expired one is still `Pending`: expiry is
/// read from its time, not stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InvitationStatus {
    Pending,
    Accepted,
    Cancelled,
    /// The invitee said no (from My organizations).
    Declined,
}

impl InvitationStatus {
    pub const ALL: [InvitationStatus; 4] = [
        InvitationStatus::Pending,
        InvitationStatus::Accepted,
        InvitationStatus::Cancelled,
        InvitationStatus::Declined,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            InvitationStatus::Pending => "pending",
            InvitationStatus::Accepted => "accepted",
            InvitationStatus::Cancelled => "cancelled",
            InvitationStatus::Declined => "declined",
        }
    }

    pub fn parse(value: &str) -> Option<InvitationStatus> {
        InvitationStatus::ALL
            .into_iter()
            .find(|s| s.as_str() == value)
    }
}

/// One address to invite, as the dialog sends it: the raw input (checked on the
/// server) and the access it should get.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftRow {
    pub input: String,
    /// Team member or partner.
    pub kind: MembershipKind,
    /// For a partner: the last day of access (`YYYY-MM-DD`), checked on the
    /// server; empty for none.
    pub access_until: String,
    pub role: Role,
    pub modules: Vec<Module>,
    /// `None`: every sub-account. `Some(ids)`: only these.
    pub sub_accounts: Option<Vec<Uuid>>,
    /// Give a former member (removed or left within 90 days) the role, modules
    /// and sub-accounts they had instead of the ones above.
    #[serde(default)]
    pub restore: bool,
}

/// What the dialog asks the server to check or send.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum InviteSource {
    /// Addresses typed or pasted, each with its own access.
    Rows(Vec<DraftRow>),
    /// A CSV file's text (`email,role,modules,sub_accounts,kind`).
    Csv(CsvSource),
}

/// An uploaded CSV file and how to read its rows' kinds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CsvSource {
    pub text: String,
    /// The kind of rows whose `kind` cell is empty (or that have no such column).
    pub kind: MembershipKind,
    /// Rows (line numbers, as the check reports them) switched to partner in the
    /// dialog after a check.
    pub partner_rows: Vec<usize>,
    /// Rows of former members whose former access is restored.
    #[serde(default)]
    pub restore_rows: Vec<usize>,
}

impl CsvSource {
    pub fn new(text: String, kind: MembershipKind) -> CsvSource {
        CsvSource {
            text,
            kind,
            partner_rows: Vec::new(),
            restore_rows: Vec::new(),
        }
    }
}

/// The verdict on one address.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Outcome {
    WillInvite,
    /// Not a usable row or address; the message says why.
    Invalid(String),
    /// The same address appeared earlier in this list, at this row.
    Duplicate {
        first_row: usize,
    },
    AlreadyMember,
    /// A pending invitation exists: the admin can resend it instead.
    AlreadyInvited {
        invitation_id: Uuid,
    },
    Disposable,
    /// Invited as a team member, but already a team member of another
    /// organization: a person is a team member of one organization only.
    TeamElsewhere,
    /// The inviter may not give this access; the message says why.
    NotAllowed(String),
}

impl Outcome {
    /// A short label for reports and chips.
    pub fn label(&self) -> &'static str {
        match self {
            Outcome::WillInvite => "Will be invited",
            Outcome::Invalid(_) => "Invalid",
            Outcome::Duplicate { .. } => "Duplicate in this list",
            Outcome::AlreadyMember => "Already a member",
            Outcome::AlreadyInvited { .. } => "Already invited",
            Outcome::Disposable => "Disposable address",
            Outcome::TeamElsewhere => "Team member of another organization",
            Outcome::NotAllowed(_) => "Not allowed",
        }
    }

    /// The full explanation.
    pub fn explain(&self) -> String {
        match self {
            Outcome::WillInvite => "An invitation will be sent.".into(),
            Outcome::Invalid(why) | Outcome::NotAllowed(why) => why.clone(),
            Outcome::Duplicate { first_row } => {
                format!("This address already appears in row {first_row}.")
            }
            Outcome::AlreadyMember => "This person is already a member of the organization.".into(),
            Outcome::AlreadyInvited { .. } => {
                "An invitation to this address is pending: resend it from the Invitations tab."
                    .into()
            }
            Outcome::Disposable => {
                "This is a disposable (throwaway) address: invite a permanent one.".into()
            }
            Outcome::TeamElsewhere => {
                "Team member of another organization — invite as partner instead: a person can be a team member of only one organization, and a partner of any number."
                    .into()
            }
        }
    }

    pub fn is_ok(&self) -> bool {
        matches!(self, Outcome::WillInvite)
    }
}

/// One row of a check: its number (1-based, as in the list or the CSV file,
/// header included), what was given and the verdict.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckedRow {
    pub row: usize,
    pub input: String,
    /// The address, when it is one.
    pub email: Option<String>,
    pub kind: Option<MembershipKind>,
    pub role: Option<Role>,
    pub outcome: Outcome,
    /// A former member's access (removed or left within 90 days), which the
    /// admin may restore.
    pub former: Option<FormerAccess>,
    /// Whether the row restores `former` (its role is then the former one).
    pub restored: bool,
}

/// The whole check: every row, in order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckReport {
    pub rows: Vec<CheckedRow>,
}

impl CheckReport {
    pub fn will_invite(&self) -> usize {
        self.rows.iter().filter(|r| r.outcome.is_ok()).count()
    }

    pub fn skipped(&self) -> usize {
        self.rows.len() - self.will_invite()
    }

    /// The report as CSV (row, email, role, outcome, details), for download.
    pub fn to_csv(&self) -> String {
        let mut out = String::from("row,email,kind,role,outcome,details\n");
        for row in &self.rows {
            let email = row.email.clone().unwrap_or_else(|| row.input.clone());
            let fields = [
                row.row.to_string(),
                email,
                row.kind.map(|k| k.as_str().to_string()).unwrap_or_default(),
                row.role.map(|r| r.as_str().to_string()).unwrap_or_default(),
                row.outcome.label().to_string(),
                if row.restored {
                    format!(
                        "{} Their former role, modules and sub-accounts are restored.",
                        row.outcome.explain()
                    )
                } else {
                    row.outcome.explain()
                },
            ];
            super::csv::push_record(&mut out, &fields);
        }
        out
    }
}

/// What the invite dialog needs: the roles the inviter may give and the
/// sub-accounts that can be chosen.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteOptions {
    pub roles: Vec<Role>,
    pub sub_accounts: Vec<SubAccount>,
    pub lifetime_secs: i64,
}

/// What the send stored: the check it acted on and how many were invited.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SendResult {
    pub report: CheckReport,
    pub invited: usize,
}

/// How an invitation looks in the Invitations tab.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum InvitationState {
    Pending,
    Expired,
    /// The mail could not be delivered after every retry.
    DeliveryFailed,
}

impl InvitationState {
    pub fn label(self) -> &'static str {
        match self {
            InvitationState::Pending => "Pending",
            InvitationState::Expired => "Expired",
            InvitationState::DeliveryFailed => "Delivery failed",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            InvitationState::Pending => "pending",
            InvitationState::Expired => "expired",
            InvitationState::DeliveryFailed => "failed",
        }
    }

    pub fn parse(value: &str) -> Option<InvitationState> {
        [
            InvitationState::Pending,
            InvitationState::Expired,
            InvitationState::DeliveryFailed,
        ]
        .into_iter()
        .find(|s| s.as_str() == value)
    }
}

/// Where the mail of an invitation is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Delivery {
    Queued,
    Sent,
    Failed,
}

impl Delivery {
    /// How the invitation's mail stands, from its outbox status: a mail being
    /// sent is still queued as far as the admin can tell.
    pub fn as_str(self) -> &'static str {
        match self {
            Delivery::Queued => "queued",
            Delivery::Sent => "sent",
            Delivery::Failed => "failed",
        }
    }

    pub fn parse(outbox_status: &str) -> Option<Delivery> {
        match outbox_status {
            "queued" | "sending" => Some(Delivery::Queued),
            "sent" => Some(Delivery::Sent),
            "failed" => Some(Delivery::Failed),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Delivery::Queued => "Queued",
            Delivery::Sent => "Sent",
            Delivery::Failed => "Failed",
        }
    }
}

/// One open invitation as listed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationView {
    pub id: Uuid,
    pub email: String,
    pub kind: MembershipKind,
    pub role: Role,
    pub modules: Vec<Module>,
    pub inviter: Option<String>,
    pub sent_at: Timestamp,
    pub expires_at: Timestamp,
    /// For a partner: the last day of access the membership will have.
    pub access_until: Option<Timestamp>,
    pub send_count: i64,
    pub state: InvitationState,
    pub delivery: Delivery,
}

/// Which open invitations to list.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationQuery {
    /// Only this state; `None` lists all open ones.
    pub state: Option<InvitationState>,
    /// Part of the address.
    pub search: String,
    /// 1-based.
    pub page: u32,
}

/// What the acceptance page shows for a link.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationPreview {
    pub organization: String,
    pub inviter: Option<String>,
    pub email: String,
    pub kind: MembershipKind,
    pub role: Role,
    pub expires_at: Timestamp,
    /// For a partner: the last day of access.
    pub access_until: Option<Timestamp>,
    /// What the visitor can do with it.
    pub next: AcceptStep,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AcceptStep {
    /// No account has the address: choose a name and a password.
    CreateAccount,
    /// An account has the address: log in as it first.
    LogIn,
    /// Signed in as the invited address: accept with one click.
    Accept,
    /// Signed in as someone else.
    WrongAccount { signed_in_as: String },
}

/// Why a link cannot be used, each with its own page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LinkProblem {
    /// Forged, truncated, or replaced by a newer invitation.
    Unknown,
    Expired,
    Cancelled,
    Used,
    /// The invitee declined it.
    Declined,
    /// A partner invitation whose access end date has passed.
    AccessEnded,
}

impl LinkProblem {
    pub fn title(self) -> &'static str {
        match self {
            LinkProblem::Unknown => "This invitation link is not valid",
            LinkProblem::Expired => "This invitation has expired",
            LinkProblem::Cancelled => "This invitation was cancelled",
            LinkProblem::Used => "This invitation has already been used",
            LinkProblem::Declined => "This invitation was declined",
            LinkProblem::AccessEnded => "The access this invitation offered has ended",
        }
    }

    pub fn message(self) -> &'static str {
        match self {
            LinkProblem::Unknown => {
                "The link may be incomplete, or a newer invitation replaced it. Use the link in the most recent invitation email, or ask the person who invited you to send a new one."
            }
            LinkProblem::Expired => {
                "Invitation links work for a limited time. Ask the person who invited you to resend the invitation."
            }
            LinkProblem::Cancelled => {
                "The organization withdrew this invitation. If you think this is a mistake, contact the person who invited you."
            }
            LinkProblem::Used => {
                "Someone already accepted this invitation. If it was you, log in to open the organization."
            }
            LinkProblem::Declined => {
                "You declined it. If you changed your mind, ask the person who invited you to invite you again."
            }
            LinkProblem::AccessEnded => {
                "The invitation gave partner access until a date that has passed. Ask the person who invited you for a new invitation."
            }
        }
    }
}

/// Describes a lifetime for a select option: "48 hours", "7 days".
pub fn lifetime_label(secs: i64) -> String {
    let hours = secs / 3_600;
    match hours {
        1 => "1 hour".into(),
        h if h < 72 => format!("{h} hours"),
        h => format!("{} days", h / 24),
    }
}

/// Whether `secs` is an allowed lifetime: 1 hour to 30 days.
pub fn valid_lifetime(secs: i64) -> bool {
    (3_600..=30 * 86_400).contains(&secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_csv_quotes_and_defuses_formulas() {
        let report = CheckReport {
            rows: vec![
                CheckedRow {
                    row: 2,
                    input: "ana@x.com".into(),
                    email: Some("ana@x.com".into()),
                    kind: Some(MembershipKind::Partner),
                    role: Some(Role::Admin),
                    outcome: Outcome::WillInvite,
                    former: None,
                    restored: false,
                },
                CheckedRow {
                    row: 3,
                    input: "=HYPERLINK(\"x\")".into(),
                    email: None,
                    kind: None,
                    role: None,
                    outcome: Outcome::Invalid("Missing @, like a,b".into()),
                    former: None,
                    restored: false,
                },
            ],
        };
        let csv = report.to_csv();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines[0], "row,email,kind,role,outcome,details");
        assert_eq!(
            lines[1],
            "2,ana@x.com,partner,admin,Will be invited,An invitation will be sent."
        );
        assert_eq!(
            lines[2],
            "3,\"'=HYPERLINK(\"\"x\"\")\",,,Invalid,\"Missing @, like a,b\""
        );
        assert_eq!(report.will_invite(), 1);
        assert_eq!(report.skipped(), 1);
    }

    #[test]
    fn lifetimes_are_labelled_and_bounded() {
        assert_eq!(lifetime_label(3_600), "1 hour");
        assert_eq!(lifetime_label(48 * 3_600), "48 hours");
        assert_eq!(lifetime_label(7 * 86_400), "7 days");
        assert!(LIFETIME_CHOICES.iter().all(|s| valid_lifetime(*s)));
        assert!(LIFETIME_CHOICES.contains(&DEFAULT_LIFETIME));
        assert!(!valid_lifetime(3_599));
        assert!(!valid_lifetime(30 * 86_400 + 1));
    }
}
