//! What one page render has already read. A page is its frame and the page
//! inside it, each loaded by its own server function; with a memo they read
//! the session and the viewer's membership once between them. Only page
//! renders (GET) carry one (`web::router`); a change always reads afresh, and
//! the policy is still asked by every server function.

use super::session::{self, Session, Timeouts};
use crate::db::Db;
use crate::db::organizations::{self, FrameCounts, OrganizationVisit};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::sync::OnceCell;
use uuid::Uuid;

type VisitCell = Arc<OnceCell<Option<OrganizationVisit>>>;
type CountsCell = Arc<OnceCell<FrameCounts>>;

#[derive(Debug, Default)]
pub struct RequestMemo {
    session: OnceCell<Option<Session>>,
    visits: Mutex<HashMap<(String, Uuid), VisitCell>>,
    counts: Mutex<HashMap<Uuid, CountsCell>>,
}

/// The cell under `key`, made empty the first time.
fn cell<K: Eq + std::hash::Hash, V: Default + Clone>(map: &Mutex<HashMap<K, V>>, key: K) -> V {
    map.lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .entry(key)
        .or_default()
        .clone()
}

impl RequestMemo {
    /// The request's session, resolved once.
    pub async fn session(
        &self,
        db: &Db,
        token: &str,
        timeouts: Timeouts,
    ) -> Result<Option<Session>, sqlx::Error> {
        self.session
            .get_or_try_init(|| session::resolve(db, token, timeouts))
            .await
            .copied()
    }

    /// The organization at `slug` and `user_id`'s membership in it, read once
    /// (two server functions asking at once share the one read).
    pub async fn visit(
        &self,
        db: &Db,
        slug: &str,
        user_id: Uuid,
    ) -> Result<Option<OrganizationVisit>, sqlx::Error> {
        cell(&self.visits, (slug.to_owned(), user_id))
            .get_or_try_init(|| organizations::visit(db, slug, user_id))
            .await
            .cloned()
    }

    /// The organization's frame counts, read once (the frame shows them, a
    /// members list takes its totals from them).
    pub async fn frame_counts(
        &self,
        db: &Db,
        organization_id: Uuid,
    ) -> Result<FrameCounts, sqlx::Error> {
        cell(&self.counts, organization_id)
            .get_or_try_init(|| organizations::frame_counts(db, organization_id))
            .await
            .copied()
    }
}

/// The session `token` belongs to: from the memo when the request has one.
pub async fn session(
    memo: Option<&RequestMemo>,
    db: &Db,
    token: &str,
    timeouts: Timeouts,
) -> Result<Option<Session>, sqlx::Error> {
    match memo {
        Some(memo) => memo.session(db, token, timeouts).await,
        None => session::resolve(db, token, timeouts).await,
    }
}

/// The organization at `slug` and `user_id`'s membership in it: from the memo
/// when the request has one.
pub async fn visit(
    memo: Option<&RequestMemo>,
    db: &Db,
    slug: &str,
    user_id: Uuid,
) -> Result<Option<OrganizationVisit>, sqlx::Error> {
    match memo {
        Some(memo) => memo.visit(db, slug, user_id).await,
        None => organizations::visit(db, slug, user_id).await,
    }
}

/// The organization's frame counts: from the memo when the request has one.
pub async fn frame_counts(
    memo: Option<&RequestMemo>,
    db: &Db,
    organization_id: Uuid,
) -> Result<FrameCounts, sqlx::Error> {
    match memo {
        Some(memo) => memo.frame_counts(db, organization_id).await,
        None => organizations::frame_counts(db, organization_id).await,
    }
}
