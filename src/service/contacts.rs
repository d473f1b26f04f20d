//! The Contacts module: the organization's active people and, for its team
//! members, the team members of every accepted partner organization. A viewer
//! limited to some sub-accounts sees, of the own people, those who share one
//! with them; partner organizations' people are not the organization's, so
//! sub-accounts do not limit them.

use super::organizations::member_context;
use crate::auth::session::Session;
use crate::db;
use crate::domain::contact::{Affiliation, Contact, ContactQuery, ContactSource, Contacts};
use crate::domain::member::MemberSort;
use crate::domain::page::{PAGE_SIZE, Page};
use crate::domain::policy::{Action, sees_partner_people};
use crate::domain::role::MemberStatus;
use crate::error::AppError;
use crate::state::AppState;

/// What a filter on an organization the directory does not hold says (a
/// forged id, or a partnership that ended since the page was loaded).
pub const NOT_A_SOURCE: &str =
    "That organization is not among your contacts: it may no longer be a partner. Reload the page.";

pub async fn list(
    state: &AppState,
    current: Option<Session>,
    slug: &str,
    query: ContactQuery,
) -> Result<Contacts, AppError> {
    let ctx = member_context(state, current, slug, Action::ViewContacts).await?;
    let own = ctx.organization.id;
    let with_partners = sees_partner_people(ctx.membership.kind);
    let rows = db::contacts::sources(&state.db, own, with_partners).await?;
    let sources: Vec<ContactSource> = rows
        .into_iter()
        .map(|row| ContactSource {
            own: row.id == own,
            id: row.id,
            name: row.name,
            people: row.people.max(0) as u64,
        })
        .collect();
    let chosen: Vec<&ContactSource> = match query.organization {
        None => sources.iter().collect(),
        Some(id) => vec![
            sources
                .iter()
                .find(|source| source.id == id)
                .ok_or_else(|| AppError::NotFound(NOT_A_SOURCE.into()))?,
        ],
    };
    let includes_own = chosen.iter().any(|source| source.own);
    let partners: Vec<_> = chosen
        .iter()
        .filter(|source| !source.own)
        .map(|source| source.id)
        .collect();
    let scope = ctx.membership.sub_account_scope;
    let page = query.page.max(1);
    let (rows, counted) = db::contacts::page(
        &state.db,
        &db::contacts::Sources {
            own: includes_own.then_some(own),
            scope,
            partners: &partners,
        },
        &query.search,
        page,
        PAGE_SIZE,
    )
    .await?;
    let total = match counted {
        Some(total) => total.max(0) as u64,
        // The kept counts, except the own people a sub-account-limited viewer
        // sees, which are counted.
        None => {
            let mut total = 0;
            for source in &chosen {
                total += match (source.own, scope) {
                    (true, Some(viewer)) => {
                        let visible = db::members::ListFilter {
                            status: MemberStatus::Active,
                            kind: None,
                            search: "",
                            sort: MemberSort::Name,
                            descending: false,
                            scope: Some(viewer),
                        };
                        db::members::count(&state.db, own, &visible).await?.max(0) as u64
                    }
                    _ => source.people,
                };
            }
            total
        }
    };
    let name_of = |id| {
        sources
            .iter()
            .find(|source| source.id == id)
            .map(|source| source.name.clone())
            .unwrap_or_default()
    };
    let items = rows
        .into_iter()
        .map(|row| Contact {
            affiliation: if row.organization_id == own {
                Affiliation::Own {
                    kind: row.kind,
                    role: row.role,
                }
            } else {
                Affiliation::Partner {
                    organization: name_of(row.organization_id),
                }
            },
            name: row.name,
            email: row.email,
        })
        .collect();
    Ok(Contacts {
        people: Page {
            items,
            total,
            page,
            page_size: PAGE_SIZE,
        },
        sources,
    })
}
