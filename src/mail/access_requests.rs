//! The mails of requests for partner access: a new request (to the
//! organization's owners and admins), approved and declined (to the person).

use super::Rendered;
use super::templates::compose;

/// To each owner and admin: someone asks for partner access.
pub fn received(
    admin: &str,
    name: &str,
    email: &str,
    organization: &str,
    role: &str,
    message: &str,
    link: &str,
) -> Rendered {
    let mut lines = vec![
        format!("Hello {admin},"),
        format!(
            "{name} ({email}) used your partner request code to ask for partner access to {organization} on Consort, as {role}."
        ),
    ];
    if !message.is_empty() {
        lines.push(format!("Their message: “{message}”"));
    }
    lines.push(
        "Review the access they asked for, change it if you like, then approve or decline. Nothing happens until an owner or admin answers."
            .to_string(),
    );
    compose(
        format!("{name} asks for partner access to {organization}"),
        lines,
        Some(("Review the request", link)),
    )
}

/// To the person: the request was approved; they are a partner now.
pub fn approved(name: &str, organization: &str, actor: &str, role: &str, link: &str) -> Rendered {
    compose(
        format!("You are now a partner of {organization}"),
        vec![
            format!("Hello {name},"),
            format!(
                "{actor} approved your request: you now work in {organization} on Consort as a partner, with the role {role}. Switch to it from the organization menu or from My organizations."
            ),
        ],
        Some(("Open the organization", link)),
    )
}

/// To the person: the request was declined.
pub fn declined(name: &str, organization: &str, link: &str) -> Rendered {
    compose(
        format!("Your request for access to {organization} was declined"),
        vec![
            format!("Hello {name},"),
            format!(
                "The admins of {organization} declined your request for partner access on Consort. Nothing else changed; you can ask them about it, and ask again later."
            ),
        ],
        Some(("Open My organizations", link)),
    )
}
