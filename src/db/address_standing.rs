//! What an organization already has to do with addresses someone wants to
//! invite: which belong to its members, which to a team member of another
//! organization (the one-team rule), and which hold a pending invitation.
//! One statement per batch of keys, by the users' address index, the
//! memberships' user index and the one-pending-invitation index.

use super::{Db, on_db};
use sqlx::{Database, Encode, QueryBuilder, Type};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

#[derive(Debug, Default)]
pub struct Standing {
    /// Keys of the organization's members (deactivated ones too).
    pub members: HashSet<String>,
    /// Keys of team members of another organization.
    pub team_elsewhere: HashSet<String>,
    /// Keys with a pending invitation (expired ones too: they can be resent),
    /// and its id.
    pub pending: HashMap<String, Uuid>,
}

/// What a row of the statement says of its key.
const MEMBER: i32 = 1;
const TEAM_ELSEWHERE: i32 = 2;
const PENDING: i32 = 3;

/// The standing of each of `keys` in `organization_id`; keys it has nothing
/// to do with are in no set.
pub async fn of(db: &Db, organization_id: Uuid, keys: &[String]) -> Result<Standing, sqlx::Error> {
    let mut standing = Standing::default();
    for keys in keys.chunks(super::KEYS_PER_QUERY) {
        let rows: Vec<(String, i32, Option<Uuid>)> = on_db!(db, pool => {
            let mut query = statement(organization_id, keys);
            query.build_query_as().fetch_all(pool).await
        })?;
        for (key, fact, invitation) in rows {
            match (fact, invitation) {
                (MEMBER, _) => {
                    standing.members.insert(key);
                }
                (TEAM_ELSEWHERE, _) => {
                    standing.team_elsewhere.insert(key);
                }
                (PENDING, Some(id)) => {
                    standing.pending.insert(key, id);
                }
                _ => {
                    return Err(sqlx::Error::Protocol(format!(
                        "unexpected standing row {fact}"
                    )));
                }
            }
        }
    }
    Ok(standing)
}

/// A membership here makes the key a member's; a team membership elsewhere
/// makes it a team member's of another organization.
fn statement<'a, DB>(organization_id: Uuid, keys: &'a [String]) -> QueryBuilder<'a, DB>
where
    DB: Database,
    Uuid: Encode<'a, DB> + Type<DB>,
    &'a String: Encode<'a, DB> + Type<DB>,
{
    let mut query = QueryBuilder::new("SELECT u.email_key, CASE WHEN m.organization_id = ");
    query
        .push_bind(organization_id)
        .push(format!(
            " THEN {MEMBER} ELSE {TEAM_ELSEWHERE} END, NULL
             FROM users u JOIN memberships m ON m.user_id = u.id
             WHERE (m.organization_id = "
        ))
        .push_bind(organization_id)
        .push(" OR m.kind = 'team') AND u.email_key IN ");
    super::push_key_list(&mut query, keys);
    query
        .push(format!(
            " UNION ALL SELECT email_key, {PENDING}, id FROM invitations
             WHERE status = 'pending' AND organization_id = "
        ))
        .push_bind(organization_id)
        .push(" AND email_key IN ");
    super::push_key_list(&mut query, keys);
    query
}
