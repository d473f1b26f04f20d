//! The Contacts module: the organization's active people, as a directory. A
//! viewer limited to some sub-accounts sees the people who share one with them.

use super::organizations::member_context;
use crate::auth::session::Session;
use crate::db;
use crate::domain::member::{Contact, MemberSort};
use crate::domain::page::{PAGE_SIZE, Page};
use crate::domain::policy::Action;
use crate::domain::role::MemberStatus;
use crate::error::AppError;
use crate::state::AppState;

pub async fn list(
    state: &AppState,
    current: Option<Session>,
    slug: &str,
    search: &str,
    page: u32,
) -> Result<Page<Contact>, AppError> {
    let ctx = member_context(state, current, slug, Action::ViewContacts).await?;
    let page = page.max(1);
    let filter = db::members::ListFilter {
        status: MemberStatus::Active,
        kind: None,
        search,
        sort: MemberSort::Name,
        descending: false,
        scope: ctx.membership.sub_account_scope,
    };
    let (rows, total) =
        db::members::list(&state.db, ctx.organization.id, &filter, page, PAGE_SIZE).await?;
    Ok(Page {
        items: rows
            .into_iter()
            .map(|row| Contact {
                kind: row.kind,
                role: row.role,
                name: row.name,
                email: row.email,
            })
            .collect(),
        total: total.max(0) as u64,
        page,
        page_size: PAGE_SIZE,
    })
}
