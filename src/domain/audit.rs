//! The names of audited events. Stored as text; never renamed once shipped.

use super::time::Timestamp;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    SignedUp,
    SignUpAttempted,
    OrganizationCreated,
    LoggedIn,
    LoginFailed,
    LoggedOut,
    PasswordChanged,
    PasswordCheckFailed,
    PasswordResetRequested,
    PasswordReset,
    ProfileUpdated,
    InvitationSent,
    InvitationResent,
    InvitationCancelled,
    InvitationAccepted,
    InvitationDeclined,
    AccountClosed,
    SubAccountCreated,
    SubAccountRenamed,
    SubAccountArchived,
    SubAccountRestored,
    InvitationLifetimeChanged,
    PartnerInactivityChanged,
    MemberAccessChanged,
    MemberKindChanged,
    MemberAccessEndChanged,
    MemberAccessEnded,
    MemberInactivityEnded,
    MemberDeactivated,
    MemberReactivated,
    MemberRemoved,
    MemberLeft,
    OwnershipTransferred,
    OrganizationDeleted,
    BillingDetailsChanged,
    AuditLogExported,
    PartnerRequestCodeChanged,
    AccessRequested,
    AccessRequestApproved,
    AccessRequestDeclined,
    PartnershipRequested,
    PartnershipAccepted,
    PartnershipRejected,
    PartnershipDeleted,
    PartnershipTimelineExported,
}

impl AuditAction {
    pub const ALL: [AuditAction; 45] = [
        AuditAction::SignedUp,
        AuditAction::SignUpAttempted,
        AuditAction::OrganizationCreated,
        AuditAction::LoggedIn,
        AuditAction::LoginFailed,
        AuditAction::LoggedOut,
        AuditAction::PasswordChanged,
        AuditAction::PasswordCheckFailed,
        AuditAction::PasswordResetRequested,
        AuditAction::PasswordReset,
        AuditAction::ProfileUpdated,
        AuditAction::InvitationSent,
        AuditAction::InvitationResent,
        AuditAction::InvitationCancelled,
        AuditAction::InvitationAccepted,
        AuditAction::InvitationDeclined,
        AuditAction::AccountClosed,
        AuditAction::SubAccountCreated,
        AuditAction::SubAccountRenamed,
        AuditAction::SubAccountArchived,
        AuditAction::SubAccountRestored,
        AuditAction::InvitationLifetimeChanged,
        AuditAction::PartnerInactivityChanged,
        AuditAction::MemberAccessChanged,
        AuditAction::MemberKindChanged,
        AuditAction::MemberAccessEndChanged,
        AuditAction::MemberAccessEnded,
        AuditAction::MemberInactivityEnded,
        AuditAction::MemberDeactivated,
        AuditAction::MemberReactivated,
        AuditAction::MemberRemoved,
        AuditAction::MemberLeft,
        AuditAction::OwnershipTransferred,
        AuditAction::OrganizationDeleted,
        AuditAction::BillingDetailsChanged,
        AuditAction::AuditLogExported,
        AuditAction::PartnerRequestCodeChanged,
        AuditAction::AccessRequested,
        AuditAction::AccessRequestApproved,
        AuditAction::AccessRequestDeclined,
        AuditAction::PartnershipRequested,
        AuditAction::PartnershipAccepted,
        AuditAction::PartnershipRejected,
        AuditAction::PartnershipDeleted,
        AuditAction::PartnershipTimelineExported,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::SignedUp => "user.signed_up",
            AuditAction::SignUpAttempted => "user.sign_up_attempted",
            AuditAction::OrganizationCreated => "organization.created",
            AuditAction::LoggedIn => "session.logged_in",
            AuditAction::LoginFailed => "session.login_failed",
            AuditAction::LoggedOut => "session.logged_out",
            AuditAction::PasswordChanged => "user.password_changed",
            AuditAction::PasswordCheckFailed => "user.password_check_failed",
            AuditAction::PasswordResetRequested => "user.password_reset_requested",
            AuditAction::PasswordReset => "user.password_reset",
            AuditAction::ProfileUpdated => "user.profile_updated",
            AuditAction::InvitationSent => "invitation.sent",
            AuditAction::InvitationResent => "invitation.resent",
            AuditAction::InvitationCancelled => "invitation.cancelled",
            AuditAction::InvitationAccepted => "invitation.accepted",
            AuditAction::InvitationDeclined => "invitation.declined",
            AuditAction::AccountClosed => "account.closed",
            AuditAction::SubAccountCreated => "sub_account.created",
            AuditAction::SubAccountRenamed => "sub_account.renamed",
            AuditAction::SubAccountArchived => "sub_account.archived",
            AuditAction::SubAccountRestored => "sub_account.restored",
            AuditAction::InvitationLifetimeChanged => "organization.invitation_lifetime_changed",
            AuditAction::MemberAccessChanged => "member.access_changed",
            AuditAction::MemberKindChanged => "member.kind_changed",
            AuditAction::MemberAccessEndChanged => "member.access_end_changed",
            AuditAction::MemberAccessEnded => "member.access_ended",
            AuditAction::MemberInactivityEnded => "member.access_ended_inactive",
            AuditAction::PartnerInactivityChanged => "organization.partner_inactivity_changed",
            AuditAction::MemberDeactivated => "member.deactivated",
            AuditAction::MemberReactivated => "member.reactivated",
            AuditAction::MemberRemoved => "member.removed",
            AuditAction::MemberLeft => "member.left",
            AuditAction::OwnershipTransferred => "member.ownership_transferred",
            AuditAction::OrganizationDeleted => "organization.deleted",
            AuditAction::BillingDetailsChanged => "billing.details_changed",
            AuditAction::AuditLogExported => "audit_log.exported",
            AuditAction::PartnerRequestCodeChanged => "organization.partner_request_code_changed",
            AuditAction::AccessRequested => "access_request.sent",
            AuditAction::AccessRequestApproved => "access_request.approved",
            AuditAction::AccessRequestDeclined => "access_request.declined",
            AuditAction::PartnershipRequested => "partnership.requested",
            AuditAction::PartnershipAccepted => "partnership.accepted",
            AuditAction::PartnershipRejected => "partnership.rejected",
            AuditAction::PartnershipDeleted => "partnership.deleted",
            AuditAction::PartnershipTimelineExported => "partnership.timeline_exported",
        }
    }

    /// How the event reads in a person's activity list.
    pub fn describe(self) -> &'static str {
        match self {
            AuditAction::SignedUp => "Created the account",
            AuditAction::SignUpAttempted => "Someone tried to sign up with this email",
            AuditAction::OrganizationCreated => "Created an organization",
            AuditAction::LoggedIn => "Logged in",
            AuditAction::LoginFailed => "Failed log-in attempt",
            AuditAction::LoggedOut => "Logged out",
            AuditAction::PasswordChanged => "Changed the password",
            AuditAction::PasswordCheckFailed => "Entered a wrong current password",
            AuditAction::PasswordResetRequested => "Asked for a password reset link",
            AuditAction::PasswordReset => "Reset the password with an emailed link",
            AuditAction::ProfileUpdated => "Updated the profile",
            AuditAction::InvitationSent => "Sent an invitation",
            AuditAction::InvitationResent => "Resent an invitation",
            AuditAction::InvitationCancelled => "Cancelled an invitation",
            AuditAction::InvitationAccepted => "Accepted an invitation",
            AuditAction::InvitationDeclined => "Declined an invitation",
            AuditAction::AccountClosed => "Closed their account",
            AuditAction::SubAccountCreated => "Created a sub-account",
            AuditAction::SubAccountRenamed => "Renamed a sub-account",
            AuditAction::SubAccountArchived => "Archived a sub-account",
            AuditAction::SubAccountRestored => "Restored a sub-account",
            AuditAction::InvitationLifetimeChanged => "Changed the invitation lifetime",
            AuditAction::MemberAccessChanged => "Changed a member's role or permissions",
            AuditAction::MemberKindChanged => "Made a member a partner or a team member",
            AuditAction::MemberAccessEndChanged => "Changed a partner's access end date",
            AuditAction::MemberAccessEnded => "A partner's access ended on its end date",
            AuditAction::MemberInactivityEnded => "A partner's access ended after inactivity",
            AuditAction::PartnerInactivityChanged => "Changed the partner inactivity policy",
            AuditAction::MemberDeactivated => "Deactivated a member",
            AuditAction::MemberReactivated => "Reactivated a member",
            AuditAction::MemberRemoved => "Removed a member",
            AuditAction::MemberLeft => "Left the organization",
            AuditAction::OwnershipTransferred => "Made a member owner",
            AuditAction::OrganizationDeleted => "Deleted an organization",
            AuditAction::BillingDetailsChanged => "Changed the billing details",
            AuditAction::AuditLogExported => "Exported the audit log",
            AuditAction::PartnerRequestCodeChanged => "Created a new partner request code",
            AuditAction::AccessRequested => "Asked for partner access",
            AuditAction::AccessRequestApproved => "Approved a request for partner access",
            AuditAction::AccessRequestDeclined => "Declined a request for partner access",
            AuditAction::PartnershipRequested => "Asked an organization to partner",
            AuditAction::PartnershipAccepted => "Accepted a partner organization",
            AuditAction::PartnershipRejected => "Rejected a partnership request",
            AuditAction::PartnershipDeleted => "Deleted a partner organization relationship",
            AuditAction::PartnershipTimelineExported => "Exported the partnership timeline",
        }
    }

    pub fn parse(value: &str) -> Option<AuditAction> {
        AuditAction::ALL.into_iter().find(|a| a.as_str() == value)
    }
}

/// The Audit log module's filters.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditQuery {
    /// Part of the name or address of the actor or the person acted on.
    pub person: String,
    pub action: Option<AuditAction>,
    /// First day, `YYYY-MM-DD` (UTC), inclusive; empty for no limit.
    pub from: String,
    /// Last day, `YYYY-MM-DD` (UTC), inclusive; empty for no limit.
    pub to: String,
    /// 1-based.
    pub page: u32,
}

/// A person as the audit log names them (the name is empty when only the
/// address is known, as for an invitation).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonRef {
    pub name: String,
    pub email: String,
}

impl PersonRef {
    /// "Ana Lopez <ana@example.com>", or the address alone.
    pub fn display(&self) -> String {
        if self.name.is_empty() {
            self.email.clone()
        } else {
            format!("{} <{}>", self.name, self.email)
        }
    }
}

/// One line of what an event changed: `field: before → after`, or a plain fact
/// (`before` empty).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeLine {
    pub field: String,
    pub before: Option<String>,
    pub after: String,
}

/// One event of an organization's audit trail.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub at: Timestamp,
    pub action: AuditAction,
    /// Who did it; `None` when the account is gone.
    pub actor: Option<PersonRef>,
    /// Whom it was done to: a person, an address, or nobody.
    pub target: Option<PersonRef>,
    pub changes: Vec<ChangeLine>,
}

/// The actions an organization's audit log records, for its filter.
pub const ORGANIZATION_ACTIONS: [AuditAction; 30] = [
    AuditAction::OrganizationCreated,
    AuditAction::InvitationSent,
    AuditAction::InvitationResent,
    AuditAction::InvitationCancelled,
    AuditAction::InvitationAccepted,
    AuditAction::InvitationDeclined,
    AuditAction::MemberAccessChanged,
    AuditAction::MemberKindChanged,
    AuditAction::MemberAccessEndChanged,
    AuditAction::MemberAccessEnded,
    AuditAction::MemberInactivityEnded,
    AuditAction::MemberDeactivated,
    AuditAction::MemberReactivated,
    AuditAction::MemberRemoved,
    AuditAction::MemberLeft,
    AuditAction::AccountClosed,
    AuditAction::OwnershipTransferred,
    AuditAction::SubAccountCreated,
    AuditAction::SubAccountRenamed,
    AuditAction::SubAccountArchived,
    AuditAction::SubAccountRestored,
    AuditAction::InvitationLifetimeChanged,
    AuditAction::PartnerInactivityChanged,
    AuditAction::PartnerRequestCodeChanged,
    AuditAction::AccessRequested,
    AuditAction::AccessRequestApproved,
    AuditAction::AccessRequestDeclined,
    AuditAction::BillingDetailsChanged,
    AuditAction::AuditLogExported,
    AuditAction::SignedUp,
];

/// Reads an event's details as lines a person can follow. `{"before": x,
/// "after": y}` objects become `before → after`; ids are left out (the log
/// names people and things by name).
pub fn change_lines(details: &serde_json::Value) -> Vec<ChangeLine> {
    let Some(map) = details.as_object() else {
        return Vec::new();
    };
    map.iter()
        .filter(|(key, _)| !key.ends_with("_id"))
        .filter_map(|(key, value)| {
            let field = key.replace('_', " ");
            match value {
                serde_json::Value::Object(pair) if pair.contains_key("after") => Some(ChangeLine {
                    field,
                    before: pair.get("before").map(plain),
                    after: plain(&pair["after"]),
                }),
                serde_json::Value::Null => None,
                other => Some(ChangeLine {
                    field,
                    before: None,
                    after: plain(other),
                }),
            }
        })
        .collect()
}

fn plain(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::Null => "—".into(),
        serde_json::Value::String(s) if s.is_empty() => "—".into(),
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Array(items) if items.is_empty() => "—".into(),
        serde_json::Value::Array(items) => items.iter().map(plain).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn details_read_as_before_and_after() {
        let details = serde_json::json!({
            "role": { "before": "user", "after": "admin" },
            "modules": { "before": "", "after": "contacts;partners" },
            "sub_accounts": { "all_before": true, "after": null },
            "email": "ana@example.com",
            "sub_account_id": "0190",
            "stepped_down": false,
            "names": ["North", "South"],
        });
        let lines = change_lines(&details);
        let line = |field: &str| lines.iter().find(|l| l.field == field).cloned();
        assert_eq!(
            line("role"),
            Some(ChangeLine {
                field: "role".into(),
                before: Some("user".into()),
                after: "admin".into()
            })
        );
        assert_eq!(line("modules").unwrap().before.as_deref(), Some("—"));
        assert_eq!(line("sub accounts").unwrap().after, "—");
        assert_eq!(line("email").unwrap().before, None);
        assert_eq!(line("stepped down").unwrap().after, "false");
        assert_eq!(line("names").unwrap().after, "North, South");
        assert!(line("sub account id").is_none());
        assert!(change_lines(&serde_json::json!("text")).is_empty());
    }

    #[test]
    fn names_are_unique_and_round_trip() {
        let mut seen = std::collections::HashSet::new();
        for action in AuditAction::ALL {
            assert!(seen.insert(action.as_str()));
            assert_eq!(AuditAction::parse(action.as_str()), Some(action));
        }
    }
}
