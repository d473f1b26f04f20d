//! The text of every email, in plain text and HTML.

use super::Rendered;
use crate::domain::html::escape_html;
use crate::domain::role::MembershipKind;
use chrono::{DateTime, Utc};

pub use crate::domain::time::date_time as format_time;

fn html_page(paragraphs: &[String], action: Option<(&str, &str)>) -> String {
    let mut body = String::from(
        "<!doctype html><html><body style=\"font-family:system-ui,sans-serif;color:#1f2937;line-height:1.5\">",
    );
    for p in paragraphs {
        body.push_str(&format!("<p>{}</p>", escape_html(p)));
    }
    if let Some((label, href)) = action {
        body.push_str(&format!(
            "<p><a href=\"{}\" style=\"display:inline-block;background:#4338ca;color:#fff;padding:10px 16px;border-radius:6px;text-decoration:none\">{}</a></p><p style=\"font-size:13px;color:#6b7280\">Or paste this link into your browser: {}</p>",
            escape_html(href),
            escape_html(label),
            escape_html(href)
        ));
    }
    body.push_str("<p style=\"font-size:13px;color:#6b7280\">— Consort</p></body></html>");
    body
}

/// A message of paragraphs and an optional button, in text and HTML.
pub(super) fn compose(
    subject: String,
    lines: Vec<String>,
    action: Option<(&str, &str)>,
) -> Rendered {
    let mut text = lines.join("\n\n");
    if let Some((_, link)) = action {
        text.push_str(&format!("\n\n{link}"));
    }
    text.push_str("\n\n— Consort\n");
    Rendered {
        subject,
        text,
        html: html_page(&lines, action),
    }
}

pub fn password_reset(name: &str, link: &str, expires_at: DateTime<Utc>) -> Rendered {
    let lines = vec![
        format!("Hello {name},"),
        "Someone asked to reset the password of your Consort account. If it was you, choose a new password with the link below.".to_string(),
        format!("The link works once and expires on {}.", format_time(expires_at)),
        "If you did not ask for this, ignore this email: your password stays as it is.".to_string(),
    ];
    Rendered {
        subject: "Reset your Consort password".into(),
        text: format!(
            "{}\n\n{}\n\n{}\n\n{}\n\n{link}\n\n— Consort\n",
            lines[0], lines[1], lines[2], lines[3]
        ),
        html: html_page(&lines, Some(("Choose a new password", link))),
    }
}

pub fn password_changed(name: &str, at: DateTime<Utc>, login_link: &str) -> Rendered {
    let lines = vec![
        format!("Hello {name},"),
        format!(
            "The password of your Consort account was changed on {}. Every session was signed out.",
            format_time(at)
        ),
        "If this was not you, reset your password now and tell your organization's administrator."
            .to_string(),
    ];
    Rendered {
        subject: "Your Consort password was changed".into(),
        text: format!(
            "{}\n\n{}\n\n{}\n\n{login_link}\n\n— Consort\n",
            lines[0], lines[1], lines[2]
        ),
        html: html_page(&lines, Some(("Log in", login_link))),
    }
}

/// To a person with an account who created another organization (from My
/// organizations): not a welcome to Consort, which they know.
pub fn organization_created(name: &str, organization: &str, link: &str) -> Rendered {
    compose(
        format!("{organization} is ready on Consort"),
        vec![
            format!("Hello {name},"),
            format!(
                "You created {organization} and are its owner. Invite its people when you are ready; partnership requests sent to your address while you had no organization wait under Partners."
            ),
        ],
        Some(("Open your organization", link)),
    )
}

pub fn welcome(name: &str, organization: &str, link: &str) -> Rendered {
    let lines = vec![
        format!("Welcome to Consort, {name}!"),
        format!(
            "Your organization {organization} is ready. You are its owner: invite your team and partners when you are ready."
        ),
    ];
    Rendered {
        subject: format!("Welcome to Consort — {organization} is ready"),
        text: format!("{}\n\n{}\n\n{link}\n\n— Consort\n", lines[0], lines[1]),
        html: html_page(&lines, Some(("Open your organization", link))),
    }
}

/// What an invitation mail says.
pub struct Invitation<'a> {
    pub organization: &'a str,
    pub inviter: &'a str,
    pub role: &'a str,
    pub partner: bool,
    /// A partner's last day of access ("31 March 2027"), when it ends.
    pub access_until: Option<String>,
    /// The invitation restores the access the person had before they went.
    pub restored: bool,
    pub link: &'a str,
    pub expires_at: DateTime<Utc>,
}

pub fn invitation(invite: &Invitation<'_>) -> Rendered {
    let what = if invite.partner {
        match &invite.access_until {
            Some(day) => format!(
                "as a partner with the role {}, with access until {day}",
                invite.role
            ),
            None => format!("as a partner with the role {}", invite.role),
        }
    } else {
        format!("as a team member with the role {}", invite.role)
    };
    let mut joined = format!(
        "{} invited you to join {} on Consort {what}.",
        invite.inviter, invite.organization
    );
    if invite.restored {
        joined.push_str(
            " You get back the access you had there before: the same role, modules and sub-accounts.",
        );
    }
    let lines = vec![
        "Hello,".to_string(),
        joined,
        format!(
            "Accept with the link below. It works once and expires on {}.",
            format_time(invite.expires_at)
        ),
        "If you did not expect this invitation, ignore this email.".to_string(),
    ];
    Rendered {
        subject: format!(
            "{} invited you to {} on Consort",
            invite.inviter, invite.organization
        ),
        text: format!(
            "{}\n\n{}\n\n{}\n\n{}\n\n{}\n\n— Consort\n",
            lines[0], lines[1], lines[2], invite.link, lines[3]
        ),
        html: html_page(&lines, Some(("Accept the invitation", invite.link))),
    }
}

/// What happened to someone's membership, told to them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MemberNotice {
    Deactivated,
    Reactivated,
    Removed,
    MadeOwner,
    MadePartner,
    MadeTeamMember,
    OrganizationDeleted,
}

/// Tells `name` that `actor` changed their place in `organization`; `link`
/// leads to the organization when there is one to open.
pub fn member_notice(
    notice: MemberNotice,
    name: &str,
    organization: &str,
    actor: &str,
    link: &str,
) -> Rendered {
    let (subject, what, action) = match notice {
        MemberNotice::Deactivated => (
            format!("Your access to {organization} was deactivated"),
            format!(
                "{actor} deactivated your access to {organization} on Consort. You keep your account and your membership, but cannot open the organization until an administrator reactivates you."
            ),
            None,
        ),
        MemberNotice::Reactivated => (
            format!("Your access to {organization} is back"),
            format!("{actor} reactivated your access to {organization} on Consort."),
            Some("Open the organization"),
        ),
        MemberNotice::Removed => (
            format!("You were removed from {organization}"),
            format!(
                "{actor} removed you from {organization} on Consort. Your account stays; an administrator can invite you again."
            ),
            None,
        ),
        MemberNotice::MadeOwner => (
            format!("You are now an owner of {organization}"),
            format!(
                "{actor} made you an owner of {organization} on Consort. Owners can manage everything in it, hand ownership on and delete it."
            ),
            Some("Open the organization"),
        ),
        MemberNotice::MadePartner => (
            format!("You are now a partner of {organization}"),
            format!(
                "{actor} made you a partner of {organization} on Consort, with the same role and permissions. As a partner you can also be a team member of your own organization."
            ),
            Some("Open the organization"),
        ),
        MemberNotice::MadeTeamMember => (
            format!("You are now a team member of {organization}"),
            format!(
                "{actor} made you a team member of {organization} on Consort, with the same role and permissions. A person is a team member of one organization only, and a partner of any number."
            ),
            Some("Open the organization"),
        ),
        MemberNotice::OrganizationDeleted => (
            format!("{organization} was deleted"),
            format!(
                "{actor} deleted the organization {organization} on Consort, with its members, invitations and records. Your account stays."
            ),
            None,
        ),
    };
    let lines = vec![format!("Hello {name},"), what];
    let text = match action {
        Some(_) => format!("{}\n\n{}\n\n{link}\n\n— Consort\n", lines[0], lines[1]),
        None => format!("{}\n\n{}\n\n— Consort\n", lines[0], lines[1]),
    };
    Rendered {
        subject,
        text,
        html: html_page(&lines, action.map(|label| (label, link))),
    }
}

/// The link that finishes a sign-up: the account exists only once it is followed.
pub fn confirm_sign_up(
    name: &str,
    organization: &str,
    link: &str,
    expires_at: DateTime<Utc>,
) -> Rendered {
    let lines = vec![
        format!("Hello {name},"),
        format!(
            "Confirm your email address to create your Consort account and the organization {organization}."
        ),
        format!(
            "The link works once and expires on {}.",
            format_time(expires_at)
        ),
        "If you did not sign up, ignore this email: nothing is created without the link."
            .to_string(),
    ];
    Rendered {
        subject: "Confirm your email to finish signing up".into(),
        text: format!(
            "{}\n\n{}\n\n{}\n\n{}\n\n{link}\n\n— Consort\n",
            lines[0], lines[1], lines[2], lines[3]
        ),
        html: html_page(&lines, Some(("Confirm and create my organization", link))),
    }
}

/// Someone used the address of an existing account on the sign-up form.
pub fn sign_up_attempted(name: &str, login_link: &str, reset_link: &str) -> Rendered {
    let lines = vec![
        format!("Hello {name},"),
        "Someone tried to sign up for Consort with this email address, which already has an account.".to_string(),
        format!("If it was you, log in instead: {login_link}"),
        format!("Forgot your password? Choose a new one: {reset_link}"),
        "If it was not you, ignore this email: nothing was changed.".to_string(),
    ];
    Rendered {
        subject: "Someone tried to sign up with your email".into(),
        text: format!(
            "{}\n\n{}\n\n{}\n\n{}\n\n{}\n\n— Consort\n",
            lines[0], lines[1], lines[2], lines[3], lines[4]
        ),
        html: html_page(&lines, Some(("Log in", login_link))),
    }
}

/// To the person who sent an invitation: the invitee declined it.
pub fn invitation_declined(
    inviter: &str,
    invitee: &str,
    organization: &str,
    link: &str,
) -> Rendered {
    compose(
        format!("{invitee} declined your invitation to {organization}"),
        vec![
            format!("Hello {inviter},"),
            format!(
                "{invitee} declined your invitation to join {organization} on Consort. Nothing else changed. You can invite them again at any time."
            ),
        ],
        Some(("Open Members", link)),
    )
}

/// To each owner and admin: a member left the organization.
pub fn member_left(
    admin: &str,
    name: &str,
    email: &str,
    kind: MembershipKind,
    organization: &str,
    link: &str,
) -> Rendered {
    compose(
        format!("{name} left {organization}"),
        vec![
            format!("Hello {admin},"),
            format!(
                "{name} ({email}) left {organization} on Consort and no longer has access to it as a {}. To give them access again, invite them again.",
                kind.noun()
            ),
        ],
        Some(("Open Members", link)),
    )
}

/// To the address of an account that was just closed.
pub fn account_closed(name: &str) -> Rendered {
    compose(
        "Your Consort account is closed".into(),
        vec![
            format!("Hello {name},"),
            "You closed your Consort account. Your memberships and sessions have ended, and your name and address were removed from the organizations' records; their audit trails now show a closed account.".into(),
            "If you did not do this, contact the organizations you worked with: an organization can invite this address again, and a new account can be created for it.".into(),
        ],
        None,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn reset_mail_states_expiry_and_escapes_html() {
        let at = Utc.with_ymd_and_hms(2026, 11, 23, 14, 5, 0).unwrap();
        let mail = password_reset("<b>Ana</b>", "http://x/reset-password?token=abc&x=1", at);
        assert!(mail.text.contains("23 November 2026 at 14:05 UTC"));
        assert!(mail.text.contains("http://x/reset-password?token=abc&x=1"));
        assert!(mail.html.contains("&lt;b&gt;Ana&lt;/b&gt;"));
        assert!(!mail.html.contains("<b>Ana"));
        assert!(mail.html.contains("token=abc&amp;x=1"));
    }

    #[test]
    fn member_notices_say_who_did_what_and_link_only_where_there_is_something_to_open() {
        let made = member_notice(
            MemberNotice::MadeOwner,
            "Ada",
            "Acme",
            "Olive",
            "http://x/o/acme",
        );
        assert_eq!(made.subject, "You are now an owner of Acme");
        assert!(made.text.contains("Olive made you an owner of Acme"));
        assert!(made.text.contains("http://x/o/acme"));
        let gone = member_notice(
            MemberNotice::Removed,
            "Ada",
            "A & B",
            "Olive",
            "http://x/o/ab",
        );
        assert!(!gone.text.contains("http://x/o/ab"));
        assert!(gone.html.contains("A &amp; B"));
    }
}
