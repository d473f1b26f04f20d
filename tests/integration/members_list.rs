//! The Members tabs: active and deactivated users, search, sort, pages, last
//! activity — and the benchmark with 10,000 members.

use crate::common::{TestEnv, on_each_backend};
use crate::invitations::organization;
use crate::members::member;
use axum::body::{Body, to_bytes};
use consort::db::Db;
use consort::domain::invitation::Outcome;
use consort::domain::member::{MemberQuery, MemberSort};
use consort::domain::role::{MemberStatus, Role};
use consort::service::{invitations, members, organizations};
use sqlx::QueryBuilder;
use std::time::{Duration, Instant};
use tower::ServiceExt;
use uuid::Uuid;

fn query(status: MemberStatus, search: &str, sort: MemberSort, descending: bool) -> MemberQuery {
    MemberQuery {
        status,
        kind: None,
        search: search.into(),
        sort,
        descending,
        page: 1,
    }
}

#[tokio::test]
async fn tabs_search_and_sort_and_show_last_activity() {
    on_each_backend(async |env| {
        let acme = organization(env, "Olive Owner", "owner@acme.test", "Acme").await;
        let (_, ann) = member(env, &acme, "ann@acme.test", Role::Admin).await;
        let (zed, _) = member(env, &acme, "zed@acme.test", Role::User).await;
        let (bill, _) = member(env, &acme, "bill@acme.test", Role::BillingAdmin).await;
        let owner = Some(acme.owner);
        // Names: the helper names every invitee "Test Member"; give them their own.
        for (id, name) in [(zed, "Zed Zimmer"), (bill, "Bill Bayer")] {
            rename(env, id, name).await;
        }
        crate::members::set_active_now(env, owner, &acme.slug, zed, false).await;
        let emails = async |q: MemberQuery| -> Vec<String> {
            members::list(&env.state, owner, &acme.slug, q)
                .await
                .unwrap()
                .items
                .into_iter()
                .map(|m| m.email)
                .collect()
        };
        use MemberSort::{Joined, Name};
        use MemberStatus::*;
        assert_eq!(
            emails(query(Active, "", Name, false)).await,
            ["bill@acme.test", "owner@acme.test", "ann@acme.test"],
            "[{}] by name: Bill Bayer, Olive Owner, Test Member",
            env.backend
        );
        assert_eq!(
            emails(query(Active, "", Name, true)).await,
            ["ann@acme.test", "owner@acme.test", "bill@acme.test"]
        );
        assert_eq!(
            emails(query(Active, "", MemberSort::Role, false)).await,
            ["owner@acme.test", "ann@acme.test", "bill@acme.test"]
        );
        assert_eq!(
            emails(query(Active, "", Joined, true)).await,
            ["bill@acme.test", "ann@acme.test", "owner@acme.test"]
        );
        assert_eq!(
            emails(query(Deactivated, "", Name, false)).await,
            ["zed@acme.test"]
        );
        assert_eq!(
            emails(query(Active, "BAYER", Name, false)).await,
            ["bill@acme.test"]
        );
        assert!(
            emails(query(Deactivated, "bill", Name, false))
                .await
                .is_empty()
        );
        // Last activity: joining counts, and so does opening the organization later.
        let last_active = async || {
            members::list(
                &env.state,
                owner,
                &acme.slug,
                query(Active, "ann@", Name, false),
            )
            .await
            .unwrap()
            .items[0]
                .last_active
        };
        assert!(
            last_active().await.is_some(),
            "[{}] joining is activity",
            env.backend
        );
        let long_ago =
            "UPDATE memberships SET last_active_at = $1 WHERE email_key = 'ann@acme.test'";
        let at = chrono::DateTime::parse_from_rfc3339("2001-01-01T00:00:00Z")
            .unwrap()
            .to_utc();
        match env.db() {
            Db::Sqlite(p, _) => sqlx::query(long_ago).bind(at).execute(p).await.map(|_| ()),
            Db::Postgres(p) => sqlx::query(long_ago).bind(at).execute(p).await.map(|_| ()),
        }
        .unwrap();
        assert_eq!(last_active().await.map(|t| t.0), Some(at.timestamp()));
        organizations::shell(&env.state, Some(ann), &acme.slug)
            .await
            .unwrap();
        assert!(last_active().await.unwrap().0 > at.timestamp());
    })
    .await;
}

/// A page carries every field as stored, whatever the name holds (SQLite hands
/// the page over as one JSON value, PostgreSQL as rows).
#[tokio::test]
async fn a_page_carries_each_member_exactly() {
    on_each_backend(async |env| {
        let acme = organization(env, "Olive Owner", "owner@acme.test", "Acme").await;
        let (ann, _) = member(env, &acme, "ann@acme.test", Role::Admin).await;
        let hostile = "Ann \"Quote\" \\ </script><b>Zoë</b> 🚀\u{7}";
        rename(env, ann, hostile).await;
        let page = members::list(
            &env.state,
            Some(acme.owner),
            &acme.slug,
            query(MemberStatus::Active, "", MemberSort::Name, false),
        )
        .await
        .unwrap();
        assert_eq!(page.total, 2, "[{}]", env.backend);
        let listed = page.items.iter().find(|m| m.user_id == ann).unwrap();
        assert_eq!(listed.name, hostile, "[{}]", env.backend);
        assert_eq!(listed.email, "ann@acme.test");
        assert_eq!(listed.role, Role::Admin);
        assert_eq!(listed.status, MemberStatus::Active);
        assert_eq!(listed.sub_accounts, None);
        let detail = members::detail(&env.state, Some(acme.owner), &acme.slug, ann)
            .await
            .unwrap();
        assert_eq!(listed.kind, detail.kind, "[{}]", env.backend);
        assert_eq!(
            listed.modules, detail.effective_modules,
            "[{}]",
            env.backend
        );
        assert_eq!(listed.joined_at, detail.joined_at, "[{}]", env.backend);
        assert!(
            listed.last_active.is_some(),
            "[{}] joining is activity",
            env.backend
        );
        let owner = page.items.iter().find(|m| m.user_id != ann).unwrap();
        assert_eq!(
            (owner.name.as_str(), owner.role),
            ("Olive Owner", Role::Owner)
        );
    })
    .await;
}

async fn rename(env: &TestEnv, user: Uuid, name: &str) {
    let mut tx = env.db().begin().await.unwrap();
    consort::db::users::update_name(&mut tx, user, name)
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

/// Adds `n` active members (partners, so none breaks the one-team rule) to the
/// organization, straight in the database.
pub async fn seed_members(env: &TestEnv, slug: &str, n: usize) {
    let org = consort::db::organizations::find_by_slug(env.db(), slug)
        .await
        .unwrap()
        .unwrap()
        .id;
    let people: Vec<(Uuid, String, String)> = (0..n)
        .map(|i| {
            (
                Uuid::now_v7(),
                format!("Person {:05}", (i * 7919) % n),
                format!("person{i}@bench.test"),
            )
        })
        .collect();
    seed_people(env, org, "partner", &people).await;
}

/// Adds `people` (user id, name, address) to the organization as active
/// members of `kind` with role user, straight in the database.
pub async fn seed_people(env: &TestEnv, org: Uuid, kind: &str, people: &[(Uuid, String, String)]) {
    let at = consort::db::now();
    macro_rules! insert {
        ($pool:expr) => {{
            let mut tx = $pool.begin().await.unwrap();
            for chunk in people.chunks(500) {
                let mut users = QueryBuilder::new(
                    "INSERT INTO users (id, email, email_key, name, password_hash, created_at, updated_at) ",
                );
                users.push_values(chunk, |mut b, (id, name, email)| {
                    b.push_bind(*id).push_bind(email).push_bind(email).push_bind(name)
                        .push_bind("x").push_bind(at).push_bind(at);
                });
                users.build().execute(&mut *tx).await.unwrap();
                let mut memberships = QueryBuilder::new(
                    "INSERT INTO memberships (id, organization_id, user_id, kind, role, status, name_key, email_key, created_at, updated_at) ",
                );
                memberships.push_values(chunk, |mut b, (id, name, email)| {
                    b.push_bind(Uuid::now_v7()).push_bind(org).push_bind(*id).push_bind(kind)
                        .push_bind("user").push_bind("active").push_bind(name.to_lowercase())
                        .push_bind(email).push_bind(at).push_bind(at);
                });
                memberships.build().execute(&mut *tx).await.unwrap();
            }
            tx.commit().await.unwrap();
        }};
    }
    match env.db() {
        Db::Sqlite(pool, _) => insert!(pool),
        Db::Postgres(pool) => {
            insert!(pool);
            sqlx::query("ANALYZE").execute(pool).await.unwrap();
        }
    }
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

/// The benchmark: a members list of 10,000 people, paged and searched on
/// the server. Prints the median time of the Members server function and of the
/// server-rendered page; asserts what is shown, never how long it took.
#[tokio::test]
async fn ten_thousand_members_list_and_render_quickly() {
    on_each_backend(async |env| {
        let signed = env.sign_up("Olive Owner", "owner@acme.test", "Acme").await;
        let slug = signed.landing.trim_start_matches("/o/").to_string();
        seed_members(env, &slug, 10_000).await;
        let owner = Some(signed.session);
        let mut list_times = Vec::new();
        for i in 0..30 {
            let (sort, descending, page) = [
                (MemberSort::Name, false, 1),
                (MemberSort::Role, false, 200),
                (MemberSort::Joined, true, 400),
            ][i % 3];
            let started = Instant::now();
            let page = members::list(
                &env.state,
                owner,
                &slug,
                MemberQuery {
                    status: MemberStatus::Active,
                    kind: None,
                    search: String::new(),
                    sort,
                    descending,
                    page,
                },
            )
            .await
            .unwrap();
            list_times.push(started.elapsed());
            assert_eq!(page.total, 10_001);
            assert_eq!(page.items.len(), 25);
        }
        let search_started = Instant::now();
        let found = members::list(
            &env.state,
            owner,
            &slug,
            query(MemberStatus::Active, "person 04242", MemberSort::Name, false),
        )
        .await
        .unwrap();
        let search_time = search_started.elapsed();
        assert_eq!(found.total, 1);
        let router = consort::web::router::router(env.state.clone(), false);
        let mut page_times = Vec::new();
        for _ in 0..30 {
            let request = http::Request::get(format!("/o/{slug}/members"))
                .header(http::header::HOST, "localhost:3000")
                .header(http::header::ACCEPT, "text/html")
                .header(http::header::COOKIE, format!("consort_session={}", signed.token))
                .body(Body::empty())
                .unwrap();
            let started = Instant::now();
            let response = router.clone().oneshot(request).await.unwrap();
            let status = response.status();
            let body = to_bytes(response.into_body(), 1 << 22).await.unwrap();
            page_times.push(started.elapsed());
            assert_eq!(status, http::StatusCode::OK);
            let html = String::from_utf8_lossy(&body);
            assert!(html.contains("Person 00000"), "the first page is rendered on the server");
            assert!(html.contains("10001 members"));
        }
        // The invite dialog's check of two addresses, as it runs per keystroke
        // batch: one of the 10,001 members and one new person.
        let mut check_times = Vec::new();
        for _ in 0..30 {
            let started = Instant::now();
            let report = invitations::check(
                &env.state,
                owner,
                &slug,
                crate::invitations::rows(&[
                    ("person4242@bench.test", Role::User),
                    ("newcomer@bench.test", Role::User),
                ]),
            )
            .await
            .unwrap();
            check_times.push(started.elapsed());
            assert_eq!(report.rows[0].outcome, Outcome::AlreadyMember);
            assert!(report.rows[1].outcome.is_ok());
        }
        let (list, page, check) = (median(list_times), median(page_times), median(check_times));
        println!(
            "benchmark: 10,000 members on {}: list_members median {:.1} ms, search {:.1} ms, server-rendered /members median {:.1} ms, check_invitations (2 addresses) median {:.1} ms",
            env.backend,
            list.as_secs_f64() * 1e3,
            search_time.as_secs_f64() * 1e3,
            page.as_secs_f64() * 1e3,
            check.as_secs_f64() * 1e3,
        );
    })
    .await;
}
