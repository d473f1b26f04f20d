//! The one rule for what a viewer limited to some sub-accounts may see of the
//! organization's people and invitations: what has every sub-account, what
//! shares one with the viewer, and (of members) the viewer themselves.

use crate::domain::member::MembershipId;
use sqlx::{Database, Encode, QueryBuilder, Type};

/// What a row grants access to, and where its sub-accounts are listed.
#[derive(Clone, Copy, Debug)]
pub enum Granted {
    /// A row of `memberships` under the given alias.
    Membership(&'static str),
    /// A row of `invitations` under the given alias.
    Invitation(&'static str),
}

/// Pushes the condition "the viewer (membership `viewer`) may see this row".
pub fn push_visible_to<'a, DB: Database>(
    query: &mut QueryBuilder<'a, DB>,
    row: Granted,
    viewer: MembershipId,
) where
    MembershipId: Encode<'a, DB> + Type<DB>,
{
    let (alias, links, link) = match row {
        Granted::Membership(alias) => (alias, "membership_sub_accounts", "membership_id"),
        Granted::Invitation(alias) => (alias, "invitation_sub_accounts", "invitation_id"),
    };
    query.push("(");
    if let Granted::Membership(_) = row {
        query
            .push(alias)
            .push(".id = ")
            .push_bind(viewer)
            .push(" OR ");
    }
    query
        .push(alias)
        .push(".all_sub_accounts = TRUE OR EXISTS (SELECT 1 FROM ")
        .push(links)
        .push(" theirs JOIN membership_sub_accounts mine ON mine.sub_account_id = theirs.sub_account_id WHERE theirs.")
        .push(link)
        .push(" = ")
        .push(alias)
        .push(".id AND mine.membership_id = ")
        .push_bind(viewer)
        .push("))");
}
