//! The Contacts directory: an organization's active people and the active team
//! members of its accepted partner organizations, in one name order.
//!
//! Each organization's people are a range of an index that is already in name
//! order (`memberships_org_status_name` for the own organization,
//! `memberships_org_status_kind_name` for partners), so a page is cut from the
//! first `offset + size` entries of each range and merged; only the page's rows
//! are joined with their users. A search reads every entry of those ranges
//! once and counts the hits in the same pass.

use super::visibility::{Granted, push_visible_to};
use super::{Db, on_db};
use crate::domain::member::MembershipId;
use crate::domain::role::{MembershipKind, Role};
use sqlx::{Database, Encode, QueryBuilder, Type};
use uuid::Uuid;

/// An organization whose people the directory holds, with how many it lists.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct SourceRow {
    pub id: Uuid,
    pub name: String,
    pub people: i64,
}

/// The accepted partners of `$1`, one id per row (two ranges of the partial
/// indexes on live relationships).
const PARTNERS: &str = "SELECT recipient_id AS id FROM partnerships
     WHERE requester_id = $1 AND status = 'accepted' AND ended_at IS NULL
     UNION ALL
     SELECT requester_id AS id FROM partnerships
     WHERE recipient_id = $1 AND status = 'accepted' AND ended_at IS NULL";

/// The organizations whose people the directory holds: the organization itself
/// first, with all its active people, then (when `with_partners`) its accepted
/// partner organizations by name, each with its active team members. The
/// numbers are the kept counts, so nothing is counted here.
pub async fn sources(
    db: &Db,
    organization_id: Uuid,
    with_partners: bool,
) -> Result<Vec<SourceRow>, sqlx::Error> {
    let mut sql = String::from(
        "SELECT o.id, o.name,
                CAST(COALESCE(c.team_active + c.partner_active, 0) AS BIGINT) AS people, 0 AS rank
         FROM organizations o LEFT JOIN member_counts c ON c.organization_id = o.id
         WHERE o.id = $1",
    );
    if with_partners {
        sql.push_str(&format!(
            " UNION ALL
             SELECT o.id, o.name, CAST(COALESCE(c.team_active, 0) AS BIGINT) AS people, 1 AS rank
             FROM ({PARTNERS}) p
             JOIN organizations o ON o.id = p.id
             LEFT JOIN member_counts c ON c.organization_id = o.id"
        ));
    }
    sql.push_str(" ORDER BY rank, name, id");
    on_db!(db, pool => sqlx::query_as(&sql).bind(organization_id).fetch_all(pool).await)
}

/// Whose people a page draws from.
pub struct Sources<'a> {
    /// The organization being viewed, when its people are included.
    pub own: Option<Uuid>,
    /// A viewer limited to some sub-accounts sees, of the own people, those who
    /// share one with them (see [`super::visibility`]).
    pub scope: Option<MembershipId>,
    /// The partner organizations whose team members are included.
    pub partners: &'a [Uuid],
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ContactRow {
    pub id: MembershipId,
    pub organization_id: Uuid,
    pub name: String,
    pub email: String,
    pub kind: MembershipKind,
    pub role: Role,
}

#[derive(sqlx::FromRow)]
struct PageRow {
    #[sqlx(flatten)]
    contact: ContactRow,
    /// The number of hits, when searching.
    total: Option<i64>,
}

/// One page of the directory. Without a search the caller knows the total
/// (from the kept counts), and each organization's range is cut at the page's
/// end; with one, the hits are counted in the same statement.
pub async fn page(
    db: &Db,
    sources: &Sources<'_>,
    search: &str,
    page: u32,
    page_size: u32,
) -> Result<(Vec<ContactRow>, Option<i64>), sqlx::Error> {
    let searching = !search.trim().is_empty();
    let pattern = super::contains_pattern(search);
    let phrase = trigram_phrase(search);
    // SQLite reads a search of three characters or more from its trigram
    // index (migration 0014); PostgreSQL's planner takes its trigram indexes
    // for the `LIKE` itself.
    let found = match (&phrase, db) {
        (Some(phrase), Db::Sqlite(..)) => Some(Search::Trigrams(phrase)),
        _ => searching.then_some(Search::Like(&pattern)),
    };
    let offset = i64::from(page.max(1) - 1) * i64::from(page_size);
    let lateral = matches!(db, Db::Postgres(_));
    // Without a search, no organization contributes more than the page's end.
    let cut = (!searching).then_some(offset + i64::from(page_size));
    on_db!(db, pool => {
        let mut query = QueryBuilder::new("WITH hits AS (");
        push_hits(&mut query, sources, found, cut, lateral);
        query.push("), page AS (SELECT id, name_key");
        if searching {
            query.push(", COUNT(*) OVER () AS total");
        } else {
            query.push(", CAST(NULL AS BIGINT) AS total");
        }
        query
            .push(" FROM hits ORDER BY name_key, id LIMIT ")
            .push_bind(i64::from(page_size))
            .push(" OFFSET ")
            .push_bind(offset)
            .push(
                ") SELECT m.id, m.organization_id, u.name, u.email, m.kind, m.role, page.total
                 FROM page JOIN memberships m ON m.id = page.id JOIN users u ON u.id = m.user_id
                 ORDER BY page.name_key, page.id",
            );
        // A search is planned for its own text (an unnamed statement): a
        // cached generic plan cannot know that the text is rare enough for
        // PostgreSQL's trigram indexes.
        let rows: Vec<PageRow> = query
            .build_query_as()
            .persistent(!searching)
            .fetch_all(pool)
            .await?;
        let total = rows.first().and_then(|row| row.total);
        let rows: Vec<ContactRow> = rows.into_iter().map(|row| row.contact).collect();
        // A page past the last hit carries no count: count the hits alone.
        let total = match (searching, total) {
            (true, None) => {
                let mut count = QueryBuilder::new("WITH hits AS (");
                push_hits(&mut count, sources, found, None, lateral);
                count.push(") SELECT COUNT(*) FROM hits");
                let (total,): (i64,) =
                    count.build_query_as().persistent(false).fetch_one(pool).await?;
                Some(total)
            }
            (_, total) => total,
        };
        Ok((rows, total))
    })
}

/// How many partners' ranges one compound SELECT holds.
const PARTNERS_PER_GROUP: usize = 400;

/// The `(id, name_key)` of every person the page may show: the own people's
/// range and each partner's team range, each cut at `cut` entries when given
/// (each a sub-select that reads its index range in order and stops there).
fn push_hits<'a, DB: Database>(
    query: &mut QueryBuilder<'a, DB>,
    sources: &Sources<'_>,
    search: Option<Search<'_>>,
    cut: Option<i64>,
    lateral: bool,
) where
    Uuid: Encode<'a, DB> + Type<DB>,
    String: Encode<'a, DB> + Type<DB>,
    i64: Encode<'a, DB> + Type<DB>,
    MembershipId: Encode<'a, DB> + Type<DB>,
{
    let pattern = match search {
        Some(Search::Trigrams(phrase)) => return push_trigram_hits(query, sources, phrase),
        Some(Search::Like(pattern)) => Some(pattern),
        None => None,
    };
    let mut branches = 0;
    if let Some(own) = sources.own {
        branches += 1;
        query
            .push("SELECT * FROM (SELECT id, name_key FROM memberships WHERE organization_id = ")
            .push_bind(own)
            .push(" AND status = 'active'");
        push_search(query, "", pattern);
        if let Some(viewer) = sources.scope {
            query.push(" AND ");
            push_visible_to(query, Granted::Membership("memberships"), viewer);
        }
        push_cut(query, "", cut);
        query.push(") own_people");
    }
    if !sources.partners.is_empty() {
        if branches > 0 {
            query.push(" UNION ALL ");
        }
        branches += 1;
        match cut {
            // PostgreSQL: each partner's range, cut, in one lateral sub-select
            // (planned once, whatever the number of partners).
            Some(cut) if lateral => {
                query.push("SELECT x.id, x.name_key FROM ");
                push_values(query, sources.partners);
                query.push(
                    " partner CROSS JOIN LATERAL (SELECT p.id, p.name_key FROM memberships p
                     WHERE p.organization_id = partner.column1 AND p.status = 'active' AND p.kind = 'team'",
                );
                push_search(query, "p.", pattern);
                push_cut(query, "p.", Some(cut));
                query.push(") x");
            }
            // SQLite, which has no lateral join: one sub-select per partner,
            // merged in order, in groups (at most 500 terms make one compound
            // SELECT).
            Some(cut) => {
                for (g, group) in sources.partners.chunks(PARTNERS_PER_GROUP).enumerate() {
                    if g > 0 {
                        query.push(" UNION ALL ");
                    }
                    query.push("SELECT * FROM (");
                    for (i, partner) in group.iter().enumerate() {
                        if i > 0 {
                            query.push(" UNION ALL ");
                        }
                        query
                            .push("SELECT * FROM (SELECT id, name_key FROM memberships WHERE organization_id = ")
                            .push_bind(*partner)
                            .push(" AND status = 'active' AND kind = 'team'");
                        push_search(query, "", pattern);
                        push_cut(query, "", Some(cut));
                        query.push(format!(") p{i}"));
                    }
                    query.push(format!(") g{g}"));
                }
            }
            // Every hit is read anyway: one join on the partners' ranges.
            None => {
                query.push("SELECT x.id, x.name_key FROM ");
                push_values(query, sources.partners);
                query.push(
                    " partner JOIN memberships x ON x.organization_id = partner.column1
                     AND x.status = 'active' AND x.kind = 'team'",
                );
                push_search(query, "x.", pattern);
            }
        }
    }
    if branches == 0 {
        // Nothing to draw from (never asked for by the service): no rows.
        query.push("SELECT id, name_key FROM memberships WHERE 1 = 0");
    }
}

/// How a search finds its rows.
#[derive(Clone, Copy)]
enum Search<'s> {
    /// `LIKE` with this pattern, on each organization's index range.
    Like(&'s str),
    /// SQLite's trigram index, with this FTS5 query.
    Trigrams(&'s str),
}

/// The FTS5 query for the rows whose name or address contains `search`, when
/// it is long enough for trigrams: one quoted phrase (a trigram phrase matches
/// exactly the texts that contain it), on both columns.
fn trigram_phrase(search: &str) -> Option<String> {
    let text = super::search_text(search);
    (text.chars().count() >= 3)
        .then(|| format!("{{name_key email_key}} : \"{}\"", text.replace('"', "\"\"")))
}

/// The hits of a trigram search: the index's rows, then those of the
/// directory's organizations (the own one within the viewer's scope; the
/// partners' team members).
fn push_trigram_hits<'a, DB: Database>(
    query: &mut QueryBuilder<'a, DB>,
    sources: &Sources<'_>,
    phrase: &str,
) where
    Uuid: Encode<'a, DB> + Type<DB>,
    String: Encode<'a, DB> + Type<DB>,
    MembershipId: Encode<'a, DB> + Type<DB>,
{
    query
        .push(
            "SELECT m.id, m.name_key FROM membership_search s
             JOIN membership_search_rows r ON r.rowid = s.rowid
             JOIN memberships m ON m.id = r.membership_id
             WHERE membership_search MATCH ",
        )
        .push_bind(phrase.to_owned())
        .push(" AND m.status = 'active' AND (1 = 0");
    if let Some(own) = sources.own {
        query.push(" OR (m.organization_id = ").push_bind(own);
        if let Some(viewer) = sources.scope {
            query.push(" AND ");
            push_visible_to(query, Granted::Membership("m"), viewer);
        }
        query.push(")");
    }
    if !sources.partners.is_empty() {
        query.push(" OR (m.kind = 'team' AND m.organization_id IN (");
        let mut ids = query.separated(", ");
        for partner in sources.partners {
            ids.push_bind(*partner);
        }
        query.push("))");
    }
    query.push(")");
}

/// The ids as a VALUES list, whose one column is `column1` on both databases.
fn push_values<'a, DB: Database>(query: &mut QueryBuilder<'a, DB>, ids: &[Uuid])
where
    Uuid: Encode<'a, DB> + Type<DB>,
{
    query.push("(VALUES ");
    for (i, id) in ids.iter().enumerate() {
        query
            .push(if i == 0 { "(" } else { ", (" })
            .push_bind(*id)
            .push(")");
    }
    query.push(")");
}

fn push_search<'a, DB: Database>(
    query: &mut QueryBuilder<'a, DB>,
    prefix: &'static str,
    pattern: Option<&str>,
) where
    String: Encode<'a, DB> + Type<DB>,
{
    if let Some(pattern) = pattern {
        query.push(" AND ");
        super::push_name_or_email_like(query, prefix, pattern);
    }
}

fn push_cut<'a, DB: Database>(
    query: &mut QueryBuilder<'a, DB>,
    prefix: &'static str,
    cut: Option<i64>,
) where
    i64: Encode<'a, DB> + Type<DB>,
{
    if let Some(cut) = cut {
        query
            .push(" ORDER BY ")
            .push(prefix)
            .push("name_key, ")
            .push(prefix)
            .push("id LIMIT ")
            .push_bind(cut);
    }
}
