//! The people of an organization, one page at a time.

use super::{Db, on_db};
use crate::domain::page::PAGE_SIZE;
use chrono::{DateTime, Utc};
use uuid::Uuid;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct MemberRow {
    pub user_id: Uuid,
    pub name: String,
    pub email: String,
    pub kind: String,
    pub role: String,
    pub status: String,
    pub modules: String,
    pub created_at: DateTime<Utc>,
}

/// One page of the members with `status`, by name, and how many match.
pub async fn list(
    db: &Db,
    organization_id: Uuid,
    status: &str,
    search: &str,
    page: u32,
) -> Result<(Vec<MemberRow>, i64), sqlx::Error> {
    let pattern = super::contains_pattern(search);
    let searching = !search.trim().is_empty();
    let filter = if searching {
        "m.organization_id = $1 AND m.status = $2
         AND (u.email_key LIKE $3 ESCAPE '\\' OR LOWER(u.name) LIKE $3 ESCAPE '\\')"
    } else {
        // No search: skip the per-row LIKE; `$3 = $3` keeps the numbering.
        "m.organization_id = $1 AND m.status = $2 AND $3 = $3"
    };
    let count_sql = format!(
        "SELECT COUNT(*) FROM memberships m JOIN users u ON u.id = m.user_id WHERE {filter}"
    );
    let list_sql = format!(
        "SELECT m.user_id, u.name, u.email, m.kind, m.role, m.status, m.modules, m.created_at
         FROM memberships m JOIN users u ON u.id = m.user_id WHERE {filter}
         ORDER BY LOWER(u.name), u.id LIMIT $4 OFFSET $5"
    );
    let offset = i64::from(page.max(1) - 1) * i64::from(PAGE_SIZE);
    on_db!(db, pool => {
        let (total,): (i64,) = sqlx::query_as(&count_sql)
            .bind(organization_id).bind(status).bind(&pattern).fetch_one(pool).await?;
        let rows = sqlx::query_as(&list_sql)
            .bind(organization_id).bind(status).bind(&pattern)
            .bind(i64::from(PAGE_SIZE)).bind(offset).fetch_all(pool).await?;
        Ok((rows, total))
    })
}
