//! The mails of partners' access end dates: changed by an admin, ending soon,
//! ended — to the partner and, as one digest per organization, to its admins.

use super::Rendered;
use super::templates::compose;

/// A partner whose access ends or ended, as a digest lists them.
pub struct Partner<'a> {
    pub name: &'a str,
    pub email: &'a str,
    /// "last day 31 March 2027", "last active 3 November 2026"
    pub when: String,
}

/// To the partner: an admin set, changed or removed the end of their access.
pub fn changed(
    name: &str,
    organization: &str,
    actor: &str,
    last_day: Option<&str>,
    link: &str,
) -> Rendered {
    let (subject, what) = match last_day {
        Some(day) => (
            format!("Your access to {organization} now ends after {day}"),
            format!(
                "{actor} set the last day of your partner access to {organization} on Consort to {day}. You can work there until the end of that day (UTC)."
            ),
        ),
        None => (
            format!("Your access to {organization} no longer has an end date"),
            format!(
                "{actor} removed the end date of your partner access to {organization} on Consort."
            ),
        ),
    };
    compose(
        subject,
        vec![format!("Hello {name},"), what],
        Some(("Open the organization", link)),
    )
}

/// To the partner, a week before the end.
pub fn ending_soon(name: &str, organization: &str, last_day: &str, link: &str) -> Rendered {
    compose(
        format!("Your access to {organization} ends after {last_day}"),
        vec![
            format!("Hello {name},"),
            format!(
                "Your partner access to {organization} on Consort ends after {last_day} (UTC). If you need it longer, ask one of its administrators to extend it."
            ),
        ],
        Some(("Open the organization", link)),
    )
}

/// To each admin, a week before: the partners whose access ends soon.
pub fn ending_soon_digest(
    admin: &str,
    organization: &str,
    partners: &[Partner<'_>],
    link: &str,
) -> Rendered {
    digest(
        admin,
        partners,
        format!(
            "{organization}: partner access ends soon ({})",
            partners.len()
        ),
        format!(
            "The access of {} to {organization} ends within a week:",
            count(partners.len())
        ),
        "To extend an access, open the partner in Members and choose Extend. Nothing needs doing if the end is wanted.",
        ("Open Members", link),
    )
}

/// To the partner, when the access has ended.
pub fn ended(name: &str, organization: &str, last_day: &str) -> Rendered {
    compose(
        format!("Your access to {organization} has ended"),
        vec![
            format!("Hello {name},"),
            format!(
                "Your partner access to {organization} on Consort ended after {last_day}, as its administrators had set. Your account and your other organizations are not affected; an administrator of {organization} can reactivate you."
            ),
        ],
        None,
    )
}

/// To each admin, when access ended: who was deactivated.
pub fn ended_digest(
    admin: &str,
    organization: &str,
    partners: &[Partner<'_>],
    link: &str,
) -> Rendered {
    digest(
        admin,
        partners,
        format!("{organization}: partner access ended ({})", partners.len()),
        format!(
            "The access of {} to {organization} ended on its end date; they are now deactivated:",
            count(partners.len())
        ),
        "Reactivate someone from Members → Deactivated users, with a new end date or none.",
        ("Open deactivated users", link),
    )
}

/// To the partner, when their access ended after `days` without activity.
pub fn inactive(name: &str, organization: &str, days: i64) -> Rendered {
    compose(
        format!("Your access to {organization} ended after {days} days without activity"),
        vec![
            format!("Hello {name},"),
            format!(
                "Your partner access to {organization} on Consort ended because you had not used it for {days} days, as its administrators have set. Your account and your other organizations are not affected; an administrator of {organization} can reactivate you."
            ),
        ],
        None,
    )
}

/// To each admin, when partners' access ended after inactivity.
pub fn inactive_digest(
    admin: &str,
    organization: &str,
    days: i64,
    partners: &[Partner<'_>],
    link: &str,
) -> Rendered {
    digest(
        admin,
        partners,
        format!(
            "{organization}: partner access ended after {days} days without activity ({})",
            partners.len()
        ),
        format!(
            "The access of {} to {organization} ended after {days} days without activity, as your Settings say; they are now deactivated:",
            count(partners.len())
        ),
        "Reactivate someone from Members → Deactivated users; the days count again from then. Settings → Partners changes or turns off the policy.",
        ("Open deactivated users", link),
    )
}

/// A digest to one admin: what happened, the partners, what to do.
fn digest(
    admin: &str,
    partners: &[Partner<'_>],
    subject: String,
    intro: String,
    outro: &str,
    action: (&str, &str),
) -> Rendered {
    let mut lines = vec![format!("Hello {admin},"), intro];
    lines.extend(list(partners));
    lines.push(outro.into());
    compose(subject, lines, Some(action))
}

fn count(n: usize) -> String {
    if n == 1 {
        "1 partner".into()
    } else {
        format!("{n} partners")
    }
}

/// One line per partner; long lists are cut with the number left out.
fn list(partners: &[Partner<'_>]) -> Vec<String> {
    const SHOWN: usize = 50;
    let mut lines: Vec<String> = partners
        .iter()
        .take(SHOWN)
        .map(|p| format!("• {} <{}>, {}", p.name, p.email, p.when))
        .collect();
    if partners.len() > SHOWN {
        lines.push(format!("… and {} more.", partners.len() - SHOWN));
    }
    lines
}
