//! The names of audited events. Stored as text; never renamed once shipped.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    SignedUp,
    OrganizationCreated,
    LoggedIn,
    LoginFailed,
    LoggedOut,
    PasswordChanged,
    PasswordResetRequested,
    PasswordReset,
    ProfileUpdated,
    InvitationSent,
    InvitationResent,
    InvitationCancelled,
    InvitationAccepted,
    SubAccountCreated,
    SubAccountRenamed,
    SubAccountArchived,
    SubAccountRestored,
    InvitationLifetimeChanged,
    MemberAccessChanged,
    MemberDeactivated,
    MemberReactivated,
    MemberRemoved,
}

impl AuditAction {
    pub const ALL: [AuditAction; 22] = [
        AuditAction::SignedUp,
        AuditAction::OrganizationCreated,
        AuditAction::LoggedIn,
        AuditAction::LoginFailed,
        AuditAction::LoggedOut,
        AuditAction::PasswordChanged,
        AuditAction::PasswordResetRequested,
        AuditAction::PasswordReset,
        AuditAction::ProfileUpdated,
        AuditAction::InvitationSent,
        AuditAction::InvitationResent,
        AuditAction::InvitationCancelled,
        AuditAction::InvitationAccepted,
        AuditAction::SubAccountCreated,
        AuditAction::SubAccountRenamed,
        AuditAction::SubAccountArchived,
        AuditAction::SubAccountRestored,
        AuditAction::InvitationLifetimeChanged,
        AuditAction::MemberAccessChanged,
        AuditAction::MemberDeactivated,
        AuditAction::MemberReactivated,
        AuditAction::MemberRemoved,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::SignedUp => "user.signed_up",
            AuditAction::OrganizationCreated => "organization.created",
            AuditAction::LoggedIn => "session.logged_in",
            AuditAction::LoginFailed => "session.login_failed",
            AuditAction::LoggedOut => "session.logged_out",
            AuditAction::PasswordChanged => "user.password_changed",
            AuditAction::PasswordResetRequested => "user.password_reset_requested",
            AuditAction::PasswordReset => "user.password_reset",
            AuditAction::ProfileUpdated => "user.profile_updated",
            AuditAction::InvitationSent => "invitation.sent",
            AuditAction::InvitationResent => "invitation.resent",
            AuditAction::InvitationCancelled => "invitation.cancelled",
            AuditAction::InvitationAccepted => "invitation.accepted",
            AuditAction::SubAccountCreated => "sub_account.created",
            AuditAction::SubAccountRenamed => "sub_account.renamed",
            AuditAction::SubAccountArchived => "sub_account.archived",
            AuditAction::SubAccountRestored => "sub_account.restored",
            AuditAction::InvitationLifetimeChanged => "organization.invitation_lifetime_changed",
            AuditAction::MemberAccessChanged => "member.access_changed",
            AuditAction::MemberDeactivated => "member.deactivated",
            AuditAction::MemberReactivated => "member.reactivated",
            AuditAction::MemberRemoved => "member.removed",
        }
    }

    /// How the event reads in a person's activity list.
    pub fn describe(self) -> &'static str {
        match self {
            AuditAction::SignedUp => "Created the account",
            AuditAction::OrganizationCreated => "Created an organization",
            AuditAction::LoggedIn => "Logged in",
            AuditAction::LoginFailed => "Failed log-in attempt",
            AuditAction::LoggedOut => "Logged out",
            AuditAction::PasswordChanged => "Changed the password",
            AuditAction::PasswordResetRequested => "Asked for a password reset link",
            AuditAction::PasswordReset => "Reset the password with an emailed link",
            AuditAction::ProfileUpdated => "Updated the profile",
            AuditAction::InvitationSent => "Sent an invitation",
            AuditAction::InvitationResent => "Resent an invitation",
            AuditAction::InvitationCancelled => "Cancelled an invitation",
            AuditAction::InvitationAccepted => "Accepted an invitation",
            AuditAction::SubAccountCreated => "Created a sub-account",
            AuditAction::SubAccountRenamed => "Renamed a sub-account",
            AuditAction::SubAccountArchived => "Archived a sub-account",
            AuditAction::SubAccountRestored => "Restored a sub-account",
            AuditAction::InvitationLifetimeChanged => "Changed the invitation lifetime",
            AuditAction::MemberAccessChanged => "Changed a member's role or permissions",
            AuditAction::MemberDeactivated => "Deactivated a member",
            AuditAction::MemberReactivated => "Reactivated a member",
            AuditAction::MemberRemoved => "Removed a member",
        }
    }

    pub fn parse(value: &str) -> Option<AuditAction> {
        AuditAction::ALL.into_iter().find(|a| a.as_str() == value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_round_trip() {
        let mut seen = std::collections::HashSet::new();
        for action in AuditAction::ALL {
            assert!(seen.insert(action.as_str()));
            assert_eq!(AuditAction::parse(action.as_str()), Some(action));
        }
    }
}
