//! The mails of partnerships between organizations: a request received (to the
//! addressed person and the receiving organization's deciders), an invitation
//! to create an organization (to an address that addresses none), accepted and
//! rejected (to the sending side), and a partnership deleted by the other side.

use super::Rendered;
use super::templates::compose;

/// To the addressed person and each owner, admin and billing admin of the
/// receiving organization.
pub fn received(name: &str, sender: &str, from: &str, to: &str, link: &str) -> Rendered {
    compose(
        format!("{from} asks to partner with {to}"),
        vec![
            format!("Hello {name},"),
            format!(
                "{sender} of {from} asks for a partnership between {from} and {to} on Consort. Partner organizations see each other's people in Contacts and can share files and folders."
            ),
            "Any owner, admin or billing admin of your organization can accept it, or reject and ignore it."
                .to_string(),
        ],
        Some(("Review the request", link)),
    )
}

/// To an address that addresses no organization: create one (by signing up,
/// or from My organizations for an account that has no team), and the request
/// will be waiting there.
pub fn invite_to_create(sender: &str, from: &str, link: &str, log_in: &str) -> Rendered {
    compose(
        format!("{from} would like to partner with your organization on Consort"),
        vec![
            "Hello,".to_string(),
            format!(
                "{sender} of {from} asks for a partnership with your organization on Consort, where organizations manage their people and work with partner organizations."
            ),
            "Create your organization with this email address and the request will be waiting for you under Partners.".to_string(),
            format!(
                "Already have a Consort account with this address, as a partner of other organizations? Log in at {log_in} and choose Create an organization on My organizations."
            ),
            "If you did not expect this, ignore this email: nothing happens unless you sign up.".to_string(),
        ],
        Some(("Create your organization", link)),
    )
}

/// To the sending organization's deciders and the person who sent it.
pub fn accepted(name: &str, partner: &str, own: &str, actor: &str, link: &str) -> Rendered {
    compose(
        format!("{partner} accepted the partnership with {own}"),
        vec![
            format!("Hello {name},"),
            format!(
                "{actor} of {partner} accepted the request to partner with {own}. Your organizations now see each other's people in Contacts."
            ),
        ],
        Some(("Open Partners", link)),
    )
}

/// To the sending organization's deciders and the person who sent it.
pub fn rejected(name: &str, partner: &str, own: &str, link: &str) -> Rendered {
    compose(
        format!("{partner} rejected the partnership request from {own}"),
        vec![
            format!("Hello {name},"),
            format!("{partner} rejected and ignored the request to partner with {own}."),
            format!(
                "A new request to {partner} is possible once both organizations have deleted this one."
            ),
        ],
        Some(("Open Partners", link)),
    )
}

/// To the deciders of the side that still held it: the other side deleted a
/// partnership (or a request) between the two.
pub fn deleted(name: &str, other: &str, own: &str, was_partner: bool, link: &str) -> Rendered {
    let what = if was_partner {
        format!("{other} ended its partnership with {own}. Its people have left your Contacts.")
    } else {
        format!("{other} deleted the request between {other} and {own}.")
    };
    compose(
        format!("{other} deleted the relationship with {own}"),
        vec![format!("Hello {name},"), what],
        Some(("Open Partners", link)),
    )
}

/// To the deciders of a partner (or an organization with a request waiting):
/// the other organization was deleted, so the relationship ended.
pub fn organization_deleted(
    name: &str,
    gone: &str,
    own: &str,
    was_partner: bool,
    link: &str,
) -> Rendered {
    let what = if was_partner {
        format!(
            "{gone} was deleted from Consort, so its partnership with {own} has ended. Its people have left your Contacts."
        )
    } else {
        format!(
            "{gone} was deleted from Consort, so the request between {gone} and {own} has ended."
        )
    };
    compose(
        format!("{gone} was deleted: the relationship with {own} ended"),
        vec![format!("Hello {name},"), what],
        Some(("Open Partners", link)),
    )
}
