//! The people of an organization as the Members page lists them.

use super::organizations::member_context;
use crate::auth::session::Session;
use crate::db;
use crate::domain::member::{MemberQuery, MemberView};
use crate::domain::module;
use crate::domain::page::{PAGE_SIZE, Page};
use crate::domain::policy::Action;
use crate::domain::role::{MemberStatus, MembershipKind, Role};
use crate::error::AppError;
use crate::state::AppState;

pub async fn list(
    state: &AppState,
    current: Option<Session>,
    slug: &str,
    query: MemberQuery,
) -> Result<Page<MemberView>, AppError> {
    let ctx = member_context(state, current, slug, Action::ViewMembers).await?;
    let page = query.page.max(1);
    let (rows, total) = db::members::list(
        &state.db,
        ctx.organization.id,
        query.status.as_str(),
        &query.search,
        page,
    )
    .await?;
    let items = rows
        .into_iter()
        .filter_map(|row| {
            let role = Role::parse(&row.role)?;
            let granted = module::parse_list(&row.modules).unwrap_or_default();
            Some(MemberView {
                user_id: row.user_id,
                name: row.name,
                email: row.email,
                kind: MembershipKind::parse(&row.kind)?,
                role,
                status: MemberStatus::parse(&row.status)?,
                modules: module::effective(role, &granted),
                joined_at: row.created_at.into(),
            })
        })
        .collect();
    Ok(Page {
        items,
        total: total.max(0) as u64,
        page,
        page_size: PAGE_SIZE,
    })
}
