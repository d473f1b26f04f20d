//! Closing one's own account (issue 13, item 9): with the password, refused to
//! the last owner of an organization, and then complete — memberships,
//! sessions and personal data go, the audit trail keeps an anonymous actor, the
//! seat history stays, a confirmation is mailed.

use crate::common::{
    PASSWORD, TestEnv, on_each_backend, snapshot, snapshot_difference, wait_for_mail,
};
use crate::invitations::{Org, invite, log_in, organization, rows_as, token_for};
use consort::db::Db;
use consort::domain::audit::AuditAction;
use consort::domain::role::{MembershipKind, Role};
use consort::error::AppError;
use consort::service::{acceptance, account_closing, accounts};

const PIA: &str = "pia@studio.test";

/// Acme, and Pia: a partner there with a new account, in no other organization.
async fn partner_of_acme(env: &TestEnv) -> (Org, consort::auth::session::Session) {
    let acme = organization(env, "Olive Owner", "owner@acme.test", "Acme").await;
    invite(
        env,
        acme.owner,
        &acme.slug,
        rows_as(MembershipKind::Partner, &[(PIA, Role::User)]),
    )
    .await;
    let token = token_for(env, PIA).await;
    let signed = acceptance::accept_with_new_account(
        &env.state,
        &env.client(),
        None,
        &token,
        "Pia Partner",
        PASSWORD,
    )
    .await
    .unwrap();
    (acme, signed.session)
}

async fn scalar(env: &TestEnv, sql: &str, key: &str) -> i64 {
    let (n,): (i64,) = match env.db() {
        Db::Sqlite(pool, _) => sqlx::query_as(sql).bind(key).fetch_one(pool).await.unwrap(),
        Db::Postgres(pool) => sqlx::query_as(sql).bind(key).fetch_one(pool).await.unwrap(),
    };
    n
}

#[tokio::test]
async fn the_last_owner_of_an_organization_cannot_close_and_a_wrong_password_changes_nothing() {
    on_each_backend(async |env| {
        let b = env.backend;
        let acme = organization(env, "Olive Owner", "owner@acme.test", "Acme").await;
        let blockers = account_closing::blockers(&env.state, Some(acme.owner))
            .await
            .unwrap();
        assert_eq!(blockers.len(), 1, "[{b}]");
        assert_eq!(blockers[0].name, "Acme");
        let before = snapshot(env, &[]).await;
        let refused =
            account_closing::close(&env.state, &env.client(), Some(acme.owner), PASSWORD).await;
        assert!(
            matches!(&refused, Err(AppError::Conflict(m)) if m.contains("last owner of Acme")),
            "[{b}] {refused:?}"
        );
        if let Some(diff) = snapshot_difference(&before, &snapshot(env, &[]).await) {
            panic!("[{b}] the refusal changed:{diff}");
        }
        // Signed out: refused.
        assert_eq!(
            account_closing::close(&env.state, &env.client(), None, PASSWORD).await,
            Err(AppError::Unauthenticated)
        );
    })
    .await;
}

#[tokio::test]
async fn closing_removes_memberships_sessions_and_the_address_and_keeps_an_anonymous_trail() {
    on_each_backend(async |env| {
        let b = env.backend;
        let (acme, pia) = partner_of_acme(env).await;
        let other_session = log_in(env, PIA).await;
        assert!(
            account_closing::blockers(&env.state, Some(pia))
                .await
                .unwrap()
                .is_empty()
        );
        // A wrong password: a message on the field, the account stays.
        let wrong =
            account_closing::close(&env.state, &env.client(), Some(pia), "not-her-password").await;
        assert!(
            matches!(&wrong, Err(AppError::Invalid(f)) if f.iter().any(|e| e.field == "password")),
            "[{b}] {wrong:?}"
        );
        let seats_before = env.count("seat_periods").await;
        account_closing::close(&env.state, &env.client(), Some(pia), PASSWORD)
            .await
            .unwrap();
        // The confirmation reached the address before it was forgotten.
        let mail = wait_for_mail(env, PIA, "Your Consort account is closed").await;
        assert!(mail.text_body.contains("Pia Partner"), "[{b}]");
        // No session works, log-in knows no such account, nothing holds the address.
        for session in [pia, other_session] {
            assert!(
                consort::service::organizations::shell(&env.state, Some(session), &acme.slug)
                    .await
                    .is_err(),
                "[{b}]"
            );
        }
        let sql = "SELECT COUNT(*) FROM sessions WHERE user_id = $1";
        let (sessions,): (i64,) = match env.db() {
            Db::Sqlite(pool, _) => sqlx::query_as(sql)
                .bind(pia.user_id)
                .fetch_one(pool)
                .await
                .unwrap(),
            Db::Postgres(pool) => sqlx::query_as(sql)
                .bind(pia.user_id)
                .fetch_one(pool)
                .await
                .unwrap(),
        };
        assert_eq!(sessions, 0, "[{b}] her sessions");
        assert_eq!(
            scalar(
                env,
                "SELECT COUNT(*) FROM users WHERE name = $1",
                "Pia Partner"
            )
            .await,
            0
        );
        for (table, column) in [
            ("users", "email_key"),
            ("memberships", "email_key"),
            ("audit_events", "subject"),
        ] {
            let sql = format!("SELECT COUNT(*) FROM {table} WHERE {column} = $1");
            assert_eq!(scalar(env, &sql, PIA).await, 0, "[{b}] {table}.{column}");
        }
        let sql = "SELECT COUNT(*) FROM audit_events WHERE details LIKE '%' || $1 || '%'";
        assert_eq!(scalar(env, sql, PIA).await, 0, "[{b}] audit details");
        // Log-in knows no such account (and records the attempt, as for any address).
        let login = accounts::log_in(&env.state, &env.client(), None, PIA, PASSWORD, None).await;
        assert!(login.is_err(), "[{b}]");
        // The seat history is billing's record: the period is closed, not removed.
        assert_eq!(env.count("seat_periods").await, seats_before, "[{b}]");
        // Acme's audit log says an anonymous account closed itself.
        let log = consort::service::audit_log::list(
            &env.state,
            Some(acme.owner),
            &acme.slug,
            consort::domain::audit::AuditQuery {
                page: 1,
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let closed = log
            .items
            .iter()
            .find(|e| e.action == AuditAction::AccountClosed)
            .expect("an account.closed event in Acme");
        let actor = closed.actor.as_ref().expect("the anonymous account");
        assert_eq!(actor.name, "Closed account", "[{b}]");
        assert!(
            !format!("{log:?}").contains(PIA),
            "[{b}] the address is gone from Acme's log"
        );
        env.assert_member_counts().await;
        // The address is free: an organization can invite it again.
        let sent = invite(
            env,
            acme.owner,
            &acme.slug,
            rows_as(MembershipKind::Partner, &[(PIA, Role::User)]),
        )
        .await;
        assert_eq!(sent.invited, 1, "[{b}] {:?}", sent.report);
    })
    .await;
}
