//! Regressions of the security probe (issue 10), in the shapes the probe used:
//! concurrent guesses and forged hops through the real router, sub-account
//! reach, the session's idle clock.

use crate::common::{PASSWORD, TestEnv, on_each_backend};
use crate::invitations::{Org, organization};
use crate::members::{change, member};
use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use consort::domain::audit::AuditAction;
use consort::domain::role::Role;
use consort::error::AppError;
use consort::service::members::{self as member_service, OUTSIDE_YOUR_SUB_ACCOUNTS};
use consort::service::settings;
use consort::state::AppState;
use consort::web::router::router;
use http::{Request, StatusCode, header};
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::task::JoinSet;
use tower::ServiceExt;
use uuid::Uuid;

const PROXY: [u8; 4] = [10, 0, 0, 1];

fn post(path: &str, body: String, peer: [u8; 4], extra: &[(&str, String)]) -> Request<Body> {
    let mut builder = Request::post(path)
        .header(header::HOST, "localhost:3000")
        .header(header::ORIGIN, "http://localhost:3000")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json");
    for (name, value) in extra {
        builder = builder.header(*name, value.as_str());
    }
    let mut request = builder.body(Body::from(body)).unwrap();
    request
        .extensions_mut()
        .insert(ConnectInfo(SocketAddr::from((peer, 40_000))));
    request
}

fn log_in(email: &str, password: &str) -> String {
    format!(
        "email={}&password={password}",
        email.replace('@', "%40").replace('+', "%2B")
    )
}

/// Fires every request at once and counts the answers by status.
async fn fire(app: Router, requests: Vec<Request<Body>>) -> Vec<StatusCode> {
    let mut set = JoinSet::new();
    for request in requests {
        let app = app.clone();
        set.spawn(async move { app.oneshot(request).await.unwrap().status() });
    }
    set.join_all().await
}

fn count(statuses: &[StatusCode], status: StatusCode) -> usize {
    statuses.iter().filter(|s| **s == status).count()
}

fn with_trusted_proxies(state: &AppState, n: usize) -> AppState {
    let mut config = (*state.config).clone();
    config.trusted_proxies = n;
    AppState {
        config: Arc::new(config),
        ..state.clone()
    }
}

/// Item 3: 100 concurrent wrong guesses at one account evaluate exactly the 5
/// the limit allows; then even the right password waits.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn login_limits_cannot_be_raced_per_account() {
    on_each_backend(async |env| {
        env.sign_up("Ana", "ana@example.com", "Acme").await;
        let app = router(env.state.clone(), false);
        let guesses = (0..100)
            .map(|i| {
                post(
                    "/api/log_in",
                    log_in("ana@example.com", &format!("wrong-guess-{i}")),
                    [198, 51, 100, (i % 250) as u8],
                    &[],
                )
            })
            .collect();
        let statuses = fire(app.clone(), guesses).await;
        assert_eq!(
            count(&statuses, StatusCode::BAD_REQUEST),
            5,
            "[{}] evaluated: {statuses:?}",
            env.backend
        );
        assert_eq!(count(&statuses, StatusCode::TOO_MANY_REQUESTS), 95);
        assert_eq!(env.count_action(AuditAction::LoginFailed).await, 5);
        let right = app
            .oneshot(post(
                "/api/log_in",
                log_in("ana@example.com", PASSWORD),
                [198, 51, 100, 7],
                &[],
            ))
            .await
            .unwrap();
        assert_eq!(right.status(), StatusCode::TOO_MANY_REQUESTS);
    })
    .await;
}

/// Item 3: 100 concurrent guesses at 100 accounts from one address evaluate
/// exactly the 30 the address may spend.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn login_limits_cannot_be_raced_per_address() {
    on_each_backend(async |env| {
        let app = router(env.state.clone(), false);
        let guesses = (0..100)
            .map(|i| {
                post(
                    "/api/log_in",
                    log_in(&format!("person{i}@example.com"), "wrong-guess"),
                    [198, 51, 100, 1],
                    &[],
                )
            })
            .collect();
        let statuses = fire(app, guesses).await;
        assert_eq!(
            count(&statuses, StatusCode::BAD_REQUEST),
            30,
            "[{}] evaluated: {statuses:?}",
            env.backend
        );
        assert_eq!(count(&statuses, StatusCode::TOO_MANY_REQUESTS), 70);
    })
    .await;
}

/// A right password gives its slots back: a person who logs in now and then
/// is never locked out by their own successes.
#[tokio::test]
async fn successful_log_ins_do_not_spend_the_limit() {
    on_each_backend(async |env| {
        env.sign_up("Ana", "ana@example.com", "Acme").await;
        let app = router(env.state.clone(), false);
        for _ in 0..8 {
            let response = app
                .clone()
                .oneshot(post(
                    "/api/log_in",
                    log_in("ana@example.com", PASSWORD),
                    [198, 51, 100, 9],
                    &[],
                ))
                .await
                .unwrap();
            assert!(
                response.status().is_success() || response.status().is_redirection(),
                "[{}] {}",
                env.backend,
                response.status()
            );
        }
    })
    .await;
}

/// Item 4: behind one trusted proxy, the client is the right-most hop; forged
/// left-most hops neither escape the limit nor reach the audit trail.
#[tokio::test]
async fn forwarded_for_is_read_from_the_right() {
    on_each_backend(async |env| {
        let state = with_trusted_proxies(&env.state, 1);
        let app = router(state, false);
        let mut statuses = Vec::new();
        for i in 0..40 {
            let forged = format!("6.6.6.{i}, 203.0.113.50");
            let response = app
                .clone()
                .oneshot(post(
                    "/api/log_in",
                    log_in(&format!("person{i}@example.com"), "wrong-guess"),
                    PROXY,
                    &[("x-forwarded-for", forged)],
                ))
                .await
                .unwrap();
            statuses.push(response.status());
        }
        assert_eq!(
            count(&statuses, StatusCode::BAD_REQUEST),
            30,
            "[{}]",
            env.backend
        );
        assert_eq!(count(&statuses, StatusCode::TOO_MANY_REQUESTS), 10);
        let forged_in_trail = ips_in_trail(env).await;
        assert_eq!(
            forged_in_trail,
            vec!["203.0.113.50".to_string()],
            "[{}]",
            env.backend
        );

        // Without trusted proxies the header is ignored: the socket is the client.
        let app = router(env.state.clone(), false);
        app.oneshot(post(
            "/api/log_in",
            log_in("someone@example.com", "wrong-guess"),
            PROXY,
            &[("x-forwarded-for", "203.0.113.99".into())],
        ))
        .await
        .unwrap();
        assert!(ips_in_trail(env).await.contains(&"10.0.0.1".to_string()));
    })
    .await;
}

async fn ips_in_trail(env: &TestEnv) -> Vec<String> {
    let sql = "SELECT DISTINCT ip FROM audit_events WHERE ip IS NOT NULL ORDER BY ip";
    match env.db() {
        consort::db::Db::Sqlite(pool, _) => sqlx::query_scalar(sql).fetch_all(pool).await,
        consort::db::Db::Postgres(pool) => sqlx::query_scalar(sql).fetch_all(pool).await,
    }
    .unwrap()
}

/// Item 9: a stolen session cannot guess the current password without bound,
/// even with 100 guesses at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn change_password_attempts_are_limited() {
    on_each_backend(async |env| {
        let signed = env.sign_up("Ana", "ana@example.com", "Acme").await;
        let app = router(env.state.clone(), false);
        let cookie = format!("consort_session={}", signed.token);
        let guesses = (0..100)
            .map(|i| {
                post(
                    "/api/change_password",
                    format!("current_password=guess-{i}&new_password=amber-falcon-93-orchard"),
                    [198, 51, 100, 2],
                    &[("cookie", cookie.clone())],
                )
            })
            .collect();
        let statuses = fire(app.clone(), guesses).await;
        assert_eq!(
            count(&statuses, StatusCode::BAD_REQUEST),
            5,
            "[{}] evaluated: {statuses:?}",
            env.backend
        );
        assert_eq!(count(&statuses, StatusCode::TOO_MANY_REQUESTS), 95);
        assert_eq!(env.count_action(AuditAction::PasswordCheckFailed).await, 5);
        assert_eq!(env.count_action(AuditAction::PasswordChanged).await, 0);
    })
    .await;
}

/// Resends are limited per invitation; 20 at once spend the 3 allowed.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn resends_cannot_be_raced() {
    on_each_backend(async |env| {
        let acme = organization(env, "Olive Owner", "owner@acme.test", "Acme").await;
        let id = crate::invitations::invite_one(env, &acme, "ana@acme.test", Role::User).await;
        let mut set = JoinSet::new();
        for _ in 0..20 {
            let (state, client, owner, slug) = (
                env.state.clone(),
                env.client(),
                acme.owner,
                acme.slug.clone(),
            );
            set.spawn(async move {
                consort::service::invitations::resend(&state, &client, Some(owner), &slug, id).await
            });
        }
        let results = set.join_all().await;
        assert_eq!(
            results.iter().filter(|r| r.is_ok()).count(),
            3,
            "[{}] {results:?}",
            env.backend
        );
        assert_eq!(env.count_action(AuditAction::InvitationResent).await, 3);
    })
    .await;
}

async fn sub_account(env: &TestEnv, org: &Org, name: &str) -> Uuid {
    settings::create_sub_account(&env.state, &env.client(), Some(org.owner), &org.slug, name)
        .await
        .unwrap()
}

/// Limits `user` of `org` to `subs` (the owner does it).
async fn limit_to(env: &TestEnv, org: &Org, user: Uuid, role: Role, subs: Vec<Uuid>) {
    let detail = member_service::detail(&env.state, Some(org.owner), &org.slug, user)
        .await
        .unwrap();
    let mut access = change(role, vec![], detail.version);
    access.sub_accounts = Some(subs);
    member_service::update_access(
        &env.state,
        &env.client(),
        Some(org.owner),
        &org.slug,
        user,
        access,
    )
    .await
    .unwrap();
}

/// Item 5: an admin limited to East changes only members whose access lies
/// within East, and only within it: not an admin with access to all, not a
/// member who also has West.
#[tokio::test]
async fn a_limited_admin_cannot_cut_down_an_admin_who_holds_more() {
    on_each_backend(async |env| {
        let acme = organization(env, "Olive Owner", "owner@acme.test", "Acme").await;
        let east = sub_account(env, &acme, "East").await;
        let west = sub_account(env, &acme, "West").await;
        let (limited, limited_session) =
            member(env, &acme, "east-admin@acme.test", Role::Admin).await;
        let (all, _) = member(env, &acme, "all-admin@acme.test", Role::Admin).await;
        let (both, _) = member(env, &acme, "both@acme.test", Role::User).await;
        let (inside, _) = member(env, &acme, "inside@acme.test", Role::User).await;
        limit_to(env, &acme, limited, Role::Admin, vec![east]).await;
        limit_to(env, &acme, both, Role::User, vec![east, west]).await;
        limit_to(env, &acme, inside, Role::User, vec![east]).await;
        let by = Some(limited_session);
        let forbidden = AppError::Forbidden(OUTSIDE_YOUR_SUB_ACCOUNTS.into());

        for target in [all, both] {
            let before = member_service::detail(&env.state, Some(acme.owner), &acme.slug, target)
                .await
                .unwrap();
            let mut narrow = change(before.role, vec![], before.version);
            narrow.sub_accounts = Some(vec![east]);
            let err = member_service::update_access(
                &env.state,
                &env.client(),
                by,
                &acme.slug,
                target,
                narrow,
            )
            .await
            .unwrap_err();
            assert_eq!(err, forbidden, "[{}]", env.backend);
            let err = member_service::set_active(
                &env.state,
                &env.client(),
                by,
                &acme.slug,
                target,
                false,
                before.version,
                None,
            )
            .await
            .unwrap_err();
            assert_eq!(err, forbidden, "[{}]", env.backend);
            let err = member_service::remove(
                &env.state,
                &env.client(),
                by,
                &acme.slug,
                target,
                before.version,
            )
            .await
            .unwrap_err();
            assert_eq!(err, forbidden, "[{}]", env.backend);
            let after = member_service::detail(&env.state, Some(acme.owner), &acme.slug, target)
                .await
                .unwrap();
            assert_eq!(after, before, "[{}] nothing changed", env.backend);
        }

        // Within East they still manage people.
        let before = member_service::detail(&env.state, by, &acme.slug, inside)
            .await
            .unwrap();
        member_service::set_active(
            &env.state,
            &env.client(),
            by,
            &acme.slug,
            inside,
            false,
            before.version,
            None,
        )
        .await
        .unwrap();
    })
    .await;
}

/// Item 11: with a 1-minute idle timeout, a session used every 50 seconds stays
/// alive: the idle clock is written often enough for the timeout it serves.
#[tokio::test]
async fn a_short_idle_timeout_keeps_sessions_in_use() {
    on_each_backend(async |env| {
        let mut config = (*env.state.config).clone();
        config.session_idle_minutes = 1;
        let state = AppState {
            config: Arc::new(config),
            ..env.state.clone()
        };
        let signed = env.sign_up("Ana", "ana@example.com", "Acme").await;
        let resolve = async || {
            consort::auth::session::resolve(&state.db, &signed.token, state.timeouts())
                .await
                .unwrap()
        };
        // The last request was 50 seconds ago; one comes now…
        shift_last_seen(env, 50).await;
        assert!(resolve().await.is_some(), "[{}]", env.backend);
        // …and the next one 15 seconds later: 15 s idle, not 65.
        shift_last_seen(env, 15).await;
        assert!(
            resolve().await.is_some(),
            "[{}] a session in use ended",
            env.backend
        );
        // Idle for a whole minute ends it.
        shift_last_seen(env, 61).await;
        assert!(resolve().await.is_none(), "[{}]", env.backend);
    })
    .await;
}

/// Moves every session's idle clock `secs` seconds into the past, as if that
/// long had passed since it was written.
async fn shift_last_seen(env: &TestEnv, secs: i64) {
    let sql = "SELECT id, last_seen_at FROM sessions";
    let rows: Vec<(Uuid, chrono::DateTime<chrono::Utc>)> = match env.db() {
        consort::db::Db::Sqlite(pool, _) => sqlx::query_as(sql).fetch_all(pool).await,
        consort::db::Db::Postgres(pool) => sqlx::query_as(sql).fetch_all(pool).await,
    }
    .unwrap();
    for (id, at) in rows {
        let moved = at - chrono::Duration::seconds(secs);
        let sql = "UPDATE sessions SET last_seen_at = $1 WHERE id = $2";
        match env.db() {
            consort::db::Db::Sqlite(pool, _) => sqlx::query(sql)
                .bind(moved)
                .bind(id)
                .execute(pool)
                .await
                .map(|_| ()),
            consort::db::Db::Postgres(pool) => sqlx::query(sql)
                .bind(moved)
                .bind(id)
                .execute(pool)
                .await
                .map(|_| ()),
        }
        .unwrap();
    }
}
