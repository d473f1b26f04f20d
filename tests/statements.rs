//! How many SQL statements a page runs, and that reading a page writes
//! nothing. The statements are counted from sqlx's own statement log: this
//! binary installs the process's only subscriber, and its one test runs the
//! backends one after the other with no mail worker, so every statement logged
//! during a request is that request's.

#![cfg(feature = "ssr")]

#[allow(dead_code)]
#[path = "integration/common.rs"]
mod common;

use axum::body::{Body, to_bytes};
use common::TestEnv;
use consort::domain::invitation::{DraftRow, InviteSource};
use consort::domain::role::{MembershipKind, Role};
use std::sync::Mutex;
use tower::ServiceExt;
use tracing::field::{Field, Visit};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};

static STATEMENTS: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// Keeps the SQL of every statement sqlx logs.
struct Statements;

impl<S: tracing::Subscriber> Layer<S> for Statements {
    fn on_event(&self, event: &tracing::Event<'_>, _: Context<'_, S>) {
        if event.metadata().target() != "sqlx::query" {
            return;
        }
        struct Sql(Option<String>);
        impl Visit for Sql {
            fn record_str(&mut self, field: &Field, value: &str) {
                if field.name() == "db.statement" || (field.name() == "summary" && self.0.is_none())
                {
                    self.0 = Some(value.to_owned());
                }
            }
            fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
                if field.name() == "db.statement" {
                    self.0 = Some(format!("{value:?}"));
                }
            }
        }
        let mut sql = Sql(None);
        event.record(&mut sql);
        // sqlx logs the whole statement only when it differs from the summary.
        let text = sql.0.unwrap_or_default();
        STATEMENTS.lock().unwrap().push(text);
    }
}

/// Asserts that `path` renders `shows`, writes nothing and runs at most `max`
/// statements.
async fn reads_only(env: &TestEnv, path: &str, token: &str, shows: &str, max: usize) {
    let (statements, html) = statements_of(env, path, token).await;
    assert!(
        html.contains(shows),
        "[{}] {path} shows {shows:?}",
        env.backend
    );
    assert!(
        writes(&statements).is_empty(),
        "[{}] {path} writes: {statements:?}",
        env.backend
    );
    assert!(
        statements.len() <= max,
        "[{}] {} statements for {path}:\n{}",
        env.backend,
        statements.len(),
        statements.join("\n---\n")
    );
}

/// The statements `path` runs for the owner, and the page.
async fn statements_of(env: &TestEnv, path: &str, token: &str) -> (Vec<String>, String) {
    let request = http::Request::get(path)
        .header(http::header::HOST, "localhost:3000")
        .header(http::header::ACCEPT, "text/html")
        .header(http::header::COOKIE, format!("consort_session={token}"))
        .body(Body::empty())
        .unwrap();
    statements_of_request(env, path, request).await
}

/// The statements a server function runs when the owner calls it with the
/// JSON `body`, and its answer.
async fn statements_of_call(
    env: &TestEnv,
    path: &str,
    token: &str,
    body: serde_json::Value,
) -> (Vec<String>, String) {
    let request = http::Request::post(path)
        .header(http::header::HOST, "localhost:3000")
        .header(http::header::ORIGIN, "http://localhost:3000")
        .header(http::header::ACCEPT, "application/json")
        .header(http::header::CONTENT_TYPE, "application/json")
        .header(http::header::COOKIE, format!("consort_session={token}"))
        .body(Body::from(body.to_string()))
        .unwrap();
    statements_of_request(env, path, request).await
}

async fn statements_of_request(
    env: &TestEnv,
    path: &str,
    request: http::Request<Body>,
) -> (Vec<String>, String) {
    let router = consort::web::router::router(env.state.clone(), false);
    STATEMENTS.lock().unwrap().clear();
    let response = router.oneshot(request).await.unwrap();
    assert_eq!(
        response.status(),
        http::StatusCode::OK,
        "[{}] {path}",
        env.backend
    );
    let body = to_bytes(response.into_body(), 1 << 22).await.unwrap();
    // A connection the pool opens on the way sets itself up (SQLite's
    // PRAGMAs): that is the pool's, not the page's.
    let statements = std::mem::take(&mut *STATEMENTS.lock().unwrap())
        .into_iter()
        .filter(|sql| !sql.trim_start().starts_with("PRAGMA"))
        .collect();
    (statements, String::from_utf8_lossy(&body).into_owned())
}

fn writes(statements: &[String]) -> Vec<&String> {
    statements
        .iter()
        .filter(|s| {
            let verb = s.split_whitespace().next().unwrap_or("").to_uppercase();
            matches!(verb.as_str(), "INSERT" | "UPDATE" | "DELETE" | "BEGIN")
        })
        .collect()
}

/// The members page (its frame and its list) reads the session and the
/// membership once, counts nothing, and writes only when "last active" is a
/// grain old.
#[tokio::test]
async fn the_members_page_reads_each_thing_once_and_writes_nothing() {
    tracing::subscriber::set_global_default(tracing_subscriber::registry().with(Statements))
        .expect("the only subscriber");
    common::on_each_backend(async |env: &TestEnv| {
        let owner = env
            .sign_up("Ola Owner", "ola@example.com", "Statements Ltd")
            .await;
        let slug = common::slug_of(&owner);
        let path = format!("/o/{slug}/members");

        let (statements, html) = statements_of(env, &path, &owner.token).await;
        assert!(
            html.contains("Ola Owner"),
            "[{}] the list is rendered",
            env.backend
        );
        assert!(
            writes(&statements).is_empty(),
            "[{}] a page view writes nothing:\n{}",
            env.backend,
            statements.join("\n---\n")
        );
        // The session, the organization with the membership and the viewer,
        // the counts (the frame's, which the list shares), the switcher's
        // organizations, the page.
        let counts: Vec<_> = statements
            .iter()
            .filter(|s| s.contains("FROM member_counts"))
            .collect();
        assert_eq!(counts.len(), 1, "[{}] {counts:?}", env.backend);
        assert!(
            statements.len() <= 5,
            "[{}] {} statements for the members page:\n{}",
            env.backend,
            statements.len(),
            statements.join("\n---\n")
        );
        // The frame counts the partnership requests waiting for an answer: a
        // range of the partial index on received pending requests, not members.
        let counted: Vec<_> = statements
            .iter()
            .filter(|s| {
                s.replace("COUNT(*) FROM partnerships", "")
                    .contains("COUNT(")
            })
            .collect();
        assert!(
            counted.is_empty(),
            "[{}] the unfiltered members page counts rows: {counted:?}",
            env.backend
        );

        // "Last active" an hour old: the next view writes it, once.
        let hour_ago = consort::db::now() - chrono::Duration::hours(1);
        match env.db() {
            consort::db::Db::Sqlite(pool, _) => {
                sqlx::query("UPDATE memberships SET last_active_at = $1")
                    .bind(hour_ago)
                    .execute(pool)
                    .await
                    .unwrap();
            }
            consort::db::Db::Postgres(pool) => {
                sqlx::query("UPDATE memberships SET last_active_at = $1")
                    .bind(hour_ago)
                    .execute(pool)
                    .await
                    .unwrap();
            }
        }
        let (statements, _) = statements_of(env, &path, &owner.token).await;
        let written = writes(&statements);
        assert_eq!(written.len(), 1, "[{}] {written:?}", env.backend);
        assert!(
            written[0].contains("last_active_at"),
            "[{}] {written:?}",
            env.backend
        );
        let (statements, _) = statements_of(env, &path, &owner.token).await;
        assert!(
            writes(&statements).is_empty(),
            "[{}] {statements:?}",
            env.backend
        );

        // Members → Access requests: the frame, the waiting requests by index
        // and the sub-accounts an approval can grant.
        let requests = format!("/o/{slug}/members/requests");
        reads_only(env, &requests, &owner.token, "No requests are waiting.", 6).await;
        // Partners: the frame, the four lists' counts in one pass and their
        // pages in one statement (none when all are empty).
        let partners = format!("/o/{slug}/partners");
        reads_only(
            env,
            &partners,
            &owner.token,
            "No partner organizations yet.",
            6,
        )
        .await;
        // Contacts: the frame, the organizations it draws from (with their kept
        // counts) and the page, cut by index ranges, in one statement each.
        let contacts = format!("/o/{slug}/contacts");
        reads_only(env, &contacts, &owner.token, "Team member · Owner", 6).await;

        // The invite dialog: checking an address reads the session, the
        // organization with the membership, what the organization has to do
        // with the address (one statement) and its former members; no
        // sub-accounts when no row names any.
        let source = InviteSource::Rows(vec![DraftRow {
            input: "new.person@example.com".into(),
            kind: MembershipKind::Team,
            access_until: String::new(),
            role: Role::User,
            modules: vec![],
            sub_accounts: None,
            restore: false,
        }]);
        let call = serde_json::json!({ "slug": slug, "source": source });
        let (statements, answer) =
            statements_of_call(env, "/api/check_invitations", &owner.token, call.clone()).await;
        assert!(
            answer.contains("new.person@example.com"),
            "[{}] {answer}",
            env.backend
        );
        assert!(
            writes(&statements).is_empty(),
            "[{}] a check writes nothing: {statements:?}",
            env.backend
        );
        assert!(
            statements.len() <= 4,
            "[{}] {} statements to check one address:\n{}",
            env.backend,
            statements.len(),
            statements.join("\n---\n")
        );
        // Sending reads the same once, then stores the mail, the invitation
        // and the audit event, one statement each, in one transaction.
        let (statements, answer) =
            statements_of_call(env, "/api/send_invitations", &owner.token, call).await;
        assert!(
            answer.contains("\"invited\":1"),
            "[{}] {answer}",
            env.backend
        );
        let inserts = statements
            .iter()
            .filter(|s| s.trim_start().to_uppercase().starts_with("INSERT"))
            .count();
        assert_eq!(inserts, 3, "[{}] {statements:?}", env.backend);
        let reads = statements
            .iter()
            .take_while(|s| writes(std::slice::from_ref(*s)).is_empty())
            .count();
        assert!(
            reads <= 4,
            "[{}] {reads} reads before sending one invitation:\n{}",
            env.backend,
            statements.join("\n---\n")
        );
    })
    .await;
}
