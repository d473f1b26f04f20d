//! Sign-up, log-in, log-out, profile, organization shell.

use crate::common::{PASSWORD, on_each_backend};
use consort::db;
use consort::domain::audit::AuditAction;
use consort::domain::role::{MembershipKind, Role};
use consort::error::AppError;
use consort::service::accounts::{self, ALREADY_REGISTERED, SignUp, WRONG_CREDENTIALS};
use consort::service::organizations;

fn input(name: &str, email: &str, password: &str, organization: &str) -> SignUp {
    SignUp {
        name: name.into(),
        email: email.into(),
        password: password.into(),
        organization: organization.into(),
    }
}

#[tokio::test]
async fn sign_up_creates_user_organization_owner_and_session() {
    on_each_backend(async |env| {
        let signed = env
            .sign_up("Ana Lopez", "Ana@Example.com", "Acme Corp")
            .await;
        assert_eq!(signed.landing, "/o/acme-corp", "[{}]", env.backend);
        let session = env
            .resolve(&signed.token)
            .await
            .expect("the new session works");
        let shell = organizations::shell(&env.state, Some(session), "acme-corp")
            .await
            .unwrap();
        assert_eq!(shell.viewer.name, "Ana Lopez");
        assert_eq!(shell.viewer.email, "Ana@Example.com");
        assert_eq!(shell.organization.name, "Acme Corp");
        assert_eq!(shell.organization.your_role, Role::Owner);
        assert_eq!(shell.organization.your_kind, MembershipKind::Team);
        assert_eq!(shell.organization.member_count(), 1);
        assert_eq!(shell.organizations.len(), 1);
        assert_eq!(env.count_action(AuditAction::SignedUp).await, 1);
        assert_eq!(env.count_action(AuditAction::OrganizationCreated).await, 1);
        let welcome = crate::common::last_mail_to(env, "Ana@Example.com")
            .await
            .expect("welcome mail queued");
        assert!(welcome.subject.contains("Acme Corp"));
        assert!(
            welcome
                .text_body
                .contains("http://localhost:3000/o/acme-corp")
        );
    })
    .await;
}

#[tokio::test]
async fn slugs_are_de_duplicated() {
    on_each_backend(async |env| {
        assert_eq!(
            env.sign_up("A", "a@example.com", "Acme").await.landing,
            "/o/acme"
        );
        assert_eq!(
            env.sign_up("B", "b@example.com", "ACME!").await.landing,
            "/o/acme-2"
        );
        assert_eq!(
            env.sign_up("C", "c@example.com", "  acme ").await.landing,
            "/o/acme-3"
        );
        assert_eq!(
            env.sign_up("D", "d@example.com", "日本").await.landing,
            "/o/org"
        );
    })
    .await;
}

#[tokio::test]
async fn sign_up_rejects_bad_input_field_by_field_and_stores_nothing() {
    on_each_backend(async |env| {
        let cases: Vec<(SignUp, &str, &str)> = vec![
            (
                input("Ana", "ana.example.com", PASSWORD, "Acme"),
                "email",
                "needs an @",
            ),
            (
                input("Ana", "ana@example.com", "short", "Acme"),
                "password",
                "at least 8",
            ),
            (
                input("Ana", "ana@example.com", &"x".repeat(1025), "Acme"),
                "password",
                "at most 1024",
            ),
            (
                input("Ana", "ana@example.com", "password123", "Acme"),
                "password",
                "most common",
            ),
            (
                input("Ana", "ana@example.com", PASSWORD, "   "),
                "organization",
                "Enter the organization",
            ),
            (
                input("Ana", "ana@example.com", PASSWORD, &"o".repeat(200)),
                "organization",
                "100 characters",
            ),
            (
                input("", "ana@example.com", PASSWORD, "Acme"),
                "name",
                "Enter your name",
            ),
        ];
        for (case, field, expected) in cases {
            let err = accounts::request_sign_up(&env.state, &env.client(), case)
                .await
                .unwrap_err();
            let message = err
                .message_for(field)
                .unwrap_or_else(|| panic!("[{}] no message for {field}: {err:?}", env.backend));
            assert!(
                message.contains(expected),
                "[{}] {field}: {message}",
                env.backend
            );
        }
        // Several bad fields are reported together.
        let err = accounts::request_sign_up(&env.state, &env.client(), input("", "bad", "x", ""))
            .await
            .unwrap_err();
        let AppError::Invalid(fields) = err else {
            panic!("expected field errors")
        };
        assert_eq!(fields.len(), 4);
        for table in [
            "users",
            "organizations",
            "memberships",
            "sessions",
            "outbox",
            "signup_requests",
        ] {
            assert_eq!(
                env.count(table).await,
                0,
                "[{}] {table} must stay empty",
                env.backend
            );
        }
    })
    .await;
}

/// Regression (security item 7): sign-up proves the address. Nothing exists
/// until the emailed link is followed; a known address gets the same answer and
/// an email about the attempt instead of an error that says it is registered.
#[tokio::test]
async fn sign_up_proves_the_address_and_does_not_reveal_accounts() {
    on_each_backend(async |env| {
        env.sign_up("Ana", "ana@example.com", "Acme").await;
        let verified: Option<chrono::DateTime<chrono::Utc>> = match env.db() {
            db::Db::Sqlite(pool, _) => sqlx::query_scalar("SELECT email_verified_at FROM users")
                .fetch_one(pool)
                .await
                .unwrap(),
            db::Db::Postgres(pool) => sqlx::query_scalar("SELECT email_verified_at FROM users")
                .fetch_one(pool)
                .await
                .unwrap(),
        };
        assert!(
            verified.is_some(),
            "[{}] the link proved the address",
            env.backend
        );

        // A stranger uses Ana's address (in another case): the same answer as
        // for a new address, nothing created, and Ana hears about it.
        accounts::request_sign_up(
            &env.state,
            &env.client(),
            input("Mallory", "ANA@example.COM", PASSWORD, "Other"),
        )
        .await
        .expect("the same answer as for a new address");
        let notice =
            crate::common::wait_for_mail(env, "ana@example.com", "Someone tried to sign up").await;
        assert!(notice.text_body.contains("http://localhost:3000/login"));
        assert!(
            notice
                .text_body
                .contains("http://localhost:3000/forgot-password")
        );
        assert_eq!(env.count("users").await, 1);
        assert_eq!(env.count("organizations").await, 1);
        assert_eq!(
            env.count("signup_requests").await,
            1,
            "[{}] only Ana's own",
            env.backend
        );

        // A new address: nothing but the waiting request until the link is followed.
        accounts::request_sign_up(
            &env.state,
            &env.client(),
            input("Bob", "bob@example.com", PASSWORD, "Globex"),
        )
        .await
        .unwrap();
        let token = env.sign_up_token("bob@example.com").await;
        assert_eq!(
            env.count("users").await,
            1,
            "[{}] no account before the link",
            env.backend
        );
        let preview = accounts::sign_up_preview(&env.state, &token).await.unwrap();
        assert_eq!(preview.organization, "Globex");
        assert_eq!(
            env.count("users").await,
            1,
            "[{}] looking at the link creates nothing",
            env.backend
        );
        let bob = accounts::confirm_sign_up(&env.state, &env.client(), &token)
            .await
            .unwrap();
        assert_eq!(bob.landing, "/o/globex");
        assert_eq!(env.count("users").await, 2);
        // Single use, and forged links are refused.
        let again = accounts::confirm_sign_up(&env.state, &env.client(), &token)
            .await
            .unwrap_err();
        assert_eq!(
            again,
            AppError::Conflict(accounts::SIGN_UP_LINK_USED.into())
        );
        let forged = accounts::confirm_sign_up(&env.state, &env.client(), "x".repeat(43).as_str())
            .await
            .unwrap_err();
        assert_eq!(
            forged,
            AppError::NotFound(accounts::SIGN_UP_LINK_INVALID.into())
        );
        assert_eq!(env.count("users").await, 2);
    })
    .await;
}

/// A sign-up link works for 24 hours; two waiting links for one address make one account.
#[tokio::test]
async fn sign_up_links_expire_and_make_one_account() {
    on_each_backend(async |env| {
        for organization in ["First", "Second"] {
            accounts::request_sign_up(
                &env.state,
                &env.client(),
                input("Cleo", "cleo@example.com", PASSWORD, organization),
            )
            .await
            .unwrap();
            crate::common::wait_for_mail(env, "cleo@example.com", "Confirm your email").await;
            while env.count("signup_requests").await < if organization == "First" { 1 } else { 2 } {
                tokio::time::sleep(std::time::Duration::from_millis(10)).await;
            }
        }
        let second = env.sign_up_token("cleo@example.com").await;
        let mails = db::outbox::recent(env.db(), 10).await.unwrap();
        let first = mails
            .iter()
            .filter(|m| m.subject.contains("Confirm your email"))
            .map(|m| {
                crate::common::link_in(&m.text_body, "http://localhost:3000/signup/confirm?token=")
                    .unwrap()
            })
            .map(|l| l.rsplit('=').next().unwrap().to_string())
            .find(|t| *t != second)
            .expect("two links");
        accounts::confirm_sign_up(&env.state, &env.client(), &second)
            .await
            .unwrap();
        let err = accounts::confirm_sign_up(&env.state, &env.client(), &first)
            .await
            .unwrap_err();
        assert_eq!(
            err,
            AppError::Conflict(ALREADY_REGISTERED.into()),
            "[{}]",
            env.backend
        );
        assert_eq!(env.count("users").await, 1);
        assert_eq!(env.count("organizations").await, 1);

        accounts::request_sign_up(
            &env.state,
            &env.client(),
            input("Dan", "dan@example.com", PASSWORD, "Initech"),
        )
        .await
        .unwrap();
        let token = env.sign_up_token("dan@example.com").await;
        let sql = "UPDATE signup_requests SET expires_at = $1 WHERE email_key = 'dan@example.com'";
        let past = db::now() - chrono::Duration::seconds(1);
        env.execute_at(sql, past).await;
        let err = accounts::confirm_sign_up(&env.state, &env.client(), &token)
            .await
            .unwrap_err();
        assert_eq!(
            err,
            AppError::Conflict(accounts::SIGN_UP_LINK_EXPIRED.into())
        );
        assert_eq!(env.count("users").await, 1);
    })
    .await;
}

#[tokio::test]
async fn log_in_checks_the_password_rotates_the_session_and_audits() {
    on_each_backend(async |env| {
        let signed = env.sign_up("Ana", "ana@example.com", "Acme").await;
        let before = env.resolve(&signed.token).await.unwrap();

        let wrong = accounts::log_in(
            &env.state,
            &env.client(),
            None,
            "ana@example.com",
            "not-the-password",
            None,
        )
        .await;
        assert_eq!(
            wrong.unwrap_err().message_for("password").as_deref(),
            Some(WRONG_CREDENTIALS)
        );
        let unknown = accounts::log_in(
            &env.state,
            &env.client(),
            None,
            "nobody@example.com",
            PASSWORD,
            None,
        )
        .await;
        assert_eq!(
            unknown.unwrap_err().message_for("password").as_deref(),
            Some(WRONG_CREDENTIALS),
            "no hint that the account does not exist"
        );
        assert_eq!(env.count_action(AuditAction::LoginFailed).await, 2);

        let bad_email = accounts::log_in(&env.state, &env.client(), None, "ana", PASSWORD, None)
            .await
            .unwrap_err();
        assert!(bad_email.message_for("email").is_some());

        let again = accounts::log_in(
            &env.state,
            &env.client(),
            Some(before),
            "ANA@EXAMPLE.COM",
            PASSWORD,
            None,
        )
        .await
        .unwrap();
        assert_eq!(again.landing, "/o/acme");
        assert!(
            env.resolve(&signed.token).await.is_none(),
            "the session from before log-in is gone"
        );
        assert!(env.resolve(&again.token).await.is_some());
        assert_eq!(env.count_action(AuditAction::LoggedIn).await, 1);

        let next = accounts::log_in(
            &env.state,
            &env.client(),
            None,
            "ana@example.com",
            PASSWORD,
            Some("/o/acme/account"),
        )
        .await
        .unwrap();
        assert_eq!(next.landing, "/o/acme/account");
        let evil = accounts::log_in(
            &env.state,
            &env.client(),
            None,
            "ana@example.com",
            PASSWORD,
            Some("//evil.example"),
        )
        .await
        .unwrap();
        assert_eq!(evil.landing, "/o/acme");
    })
    .await;
}

#[tokio::test]
async fn repeated_failures_lock_log_in_for_the_account() {
    on_each_backend(async |env| {
        env.sign_up("Ana", "ana@example.com", "Acme").await;
        for _ in 0..env.state.config.login_limit_per_account {
            accounts::log_in(
                &env.state,
                &env.client(),
                None,
                "ana@example.com",
                "wrong-password",
                None,
            )
            .await
            .unwrap_err();
        }
        let locked = accounts::log_in(
            &env.state,
            &env.client(),
            None,
            "ana@example.com",
            PASSWORD,
            None,
        )
        .await
        .unwrap_err();
        assert!(
            matches!(locked, AppError::RateLimited { .. }),
            "[{}] {locked:?}",
            env.backend
        );
        assert_eq!(
            env.count("sessions").await,
            1,
            "only the sign-up session exists"
        );
    })
    .await;
}

#[tokio::test]
async fn log_out_ends_the_session() {
    on_each_backend(async |env| {
        let signed = env.sign_up("Ana", "ana@example.com", "Acme").await;
        let session = env.resolve(&signed.token).await;
        accounts::log_out(&env.state, &env.client(), session)
            .await
            .unwrap();
        assert!(env.resolve(&signed.token).await.is_none());
        assert_eq!(env.count_action(AuditAction::LoggedOut).await, 1);
        assert_eq!(
            accounts::log_out(&env.state, &env.client(), None)
                .await
                .unwrap_err(),
            AppError::Unauthenticated
        );
    })
    .await;
}

#[tokio::test]
async fn profile_updates_are_validated_and_audited() {
    on_each_backend(async |env| {
        let signed = env.sign_up("Ana", "ana@example.com", "Acme").await;
        let session = env.resolve(&signed.token).await;
        let err = accounts::update_profile(&env.state, &env.client(), session, "  ")
            .await
            .unwrap_err();
        assert!(err.message_for("name").is_some());
        let saved = accounts::update_profile(&env.state, &env.client(), session, " Ana María ")
            .await
            .unwrap();
        assert_eq!(saved, "Ana María");
        let user = db::users::find(env.db(), signed.session.user_id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(user.name, "Ana María");
        assert_eq!(env.count_action(AuditAction::ProfileUpdated).await, 1);
        let activity = accounts::recent_activity(&env.state, session)
            .await
            .unwrap();
        assert_eq!(
            activity.first().map(|a| a.what.as_str()),
            Some("Updated the profile")
        );
        assert_eq!(
            accounts::update_profile(&env.state, &env.client(), None, "X")
                .await
                .unwrap_err(),
            AppError::Unauthenticated
        );
    })
    .await;
}

#[tokio::test]
async fn organizations_are_invisible_to_outsiders() {
    on_each_backend(async |env| {
        let ana = env.sign_up("Ana", "ana@example.com", "Acme").await;
        let bob = env.sign_up("Bob", "bob@example.com", "Globex").await;
        let bob_session = env.resolve(&bob.token).await;
        let err = organizations::shell(&env.state, bob_session, "acme")
            .await
            .unwrap_err();
        assert!(
            matches!(err, AppError::NotFound(_)),
            "[{}] a member of another organization sees nothing: {err:?}",
            env.backend
        );
        let missing = organizations::shell(&env.state, bob_session, "no-such-org")
            .await
            .unwrap_err();
        assert_eq!(
            err, missing,
            "an existing organization looks the same as a missing one"
        );
        assert_eq!(
            organizations::shell(&env.state, None, "acme")
                .await
                .unwrap_err(),
            AppError::Unauthenticated
        );
        let ana_session = env.resolve(&ana.token).await;
        assert!(
            organizations::shell(&env.state, ana_session, "acme")
                .await
                .is_ok()
        );
    })
    .await;
}

#[tokio::test]
async fn recent_activity_is_the_newest_ten_as_actor_or_target_once_each() {
    on_each_backend(async |env| {
        let ana = env
            .sign_up("Ana", "ana@example.com", "Acme")
            .await
            .session
            .user_id;
        let bob = env
            .sign_up("Bob", "bob@example.com", "Globex")
            .await
            .session
            .user_id;
        let event = |actor, target| db::audit::Event {
            actor_user_id: Some(actor),
            target_user_id: Some(target),
            ..Default::default()
        };
        // Ana's own events (actor and target: found by both indexes), Bob's
        // to Ana, and Bob's own, which are none of Ana's business.
        for _ in 0..6 {
            for (action, actor, target) in [
                (AuditAction::LoggedIn, ana, ana),
                (AuditAction::MemberDeactivated, bob, ana),
                (AuditAction::LoggedOut, bob, bob),
            ] {
                db::audit::record(env.db(), action, event(actor, target))
                    .await
                    .unwrap();
            }
        }
        let rows = db::audit::for_user(env.db(), ana, 10).await.unwrap();
        assert_eq!(rows.len(), 10, "[{}]", env.backend);
        assert!(rows.iter().all(|r| r.target_user_id == Some(ana)));
        let ids: std::collections::HashSet<_> = rows.iter().map(|r| r.id).collect();
        assert_eq!(ids.len(), 10, "[{}] each event once", env.backend);
        assert!(
            rows.windows(2).all(|w| w[0].created_at >= w[1].created_at),
            "newest first"
        );
    })
    .await;
}
