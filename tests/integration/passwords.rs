//! Forgotten passwords and password changes.

use crate::common::{PASSWORD, TestEnv, last_mail_to, link_in, on_each_backend, wait_for_mail};
use consort::auth::token;
use consort::db;
use consort::domain::audit::AuditAction;
use consort::error::AppError;
use consort::service::accounts;
use consort::service::passwords::{self, LINK_EXPIRED, LINK_INVALID, LINK_USED};

const NEW_PASSWORD: &str = "amber-falcon-93-orchard";

pub async fn reset_token(env: &TestEnv, email: &str) -> String {
    passwords::request_reset(&env.state, &env.client(), email)
        .await
        .unwrap();
    let mail = wait_for_mail(env, email, "Reset your Consort password").await;
    let link = link_in(
        &mail.text_body,
        "http://localhost:3000/reset-password?token=",
    )
    .expect("the mail has the link");
    link.rsplit('=').next().unwrap().to_string()
}

#[tokio::test]
async fn a_reset_link_works_once_and_ends_every_session() {
    on_each_backend(async |env| {
        let signed = env.sign_up("Ana", "ana@example.com", "Acme").await;
        let token = reset_token(env, "ana@example.com").await;
        assert!(passwords::check_reset(&env.state, &token).await.is_ok());

        let weak = passwords::reset_password(&env.state, &env.client(), &token, "123456789")
            .await
            .unwrap_err();
        assert!(weak.message_for("password").is_some(), "{weak:?}");
        passwords::reset_password(&env.state, &env.client(), &token, NEW_PASSWORD)
            .await
            .unwrap();

        assert!(
            env.resolve(&signed.token).await.is_none(),
            "[{}] sessions end on reset",
            env.backend
        );
        let again =
            passwords::reset_password(&env.state, &env.client(), &token, "another-fine-phrase-7")
                .await
                .unwrap_err();
        assert_eq!(again, AppError::Conflict(LINK_USED.into()));
        let old = accounts::log_in(
            &env.state,
            &env.client(),
            None,
            "ana@example.com",
            PASSWORD,
            None,
        )
        .await;
        assert!(old.is_err());
        accounts::log_in(
            &env.state,
            &env.client(),
            None,
            "ana@example.com",
            NEW_PASSWORD,
            None,
        )
        .await
        .unwrap();
        assert_eq!(env.count_action(AuditAction::PasswordReset).await, 1);
        let notice = last_mail_to(env, "ana@example.com").await.unwrap();
        assert_eq!(notice.subject, "Your Consort password was changed");
    })
    .await;
}

#[tokio::test]
async fn reset_requests_do_not_reveal_accounts() {
    on_each_backend(async |env| {
        passwords::request_reset(&env.state, &env.client(), "nobody@example.com")
            .await
            .unwrap();
        env.wait_for_action(AuditAction::PasswordResetRequested, 1)
            .await;
        assert_eq!(
            env.count("outbox").await,
            0,
            "no mail for an unknown address"
        );
        assert_eq!(
            env.count_action(AuditAction::PasswordResetRequested).await,
            1
        );
        let bad = passwords::request_reset(&env.state, &env.client(), "not-an-email")
            .await
            .unwrap_err();
        assert!(bad.message_for("email").is_some());
    })
    .await;
}

#[tokio::test]
async fn reset_mails_are_limited_per_hour() {
    on_each_backend(async |env| {
        env.sign_up("Ana", "ana@example.com", "Acme").await;
        for _ in 0..5 {
            passwords::request_reset(&env.state, &env.client(), "ana@example.com")
                .await
                .unwrap();
        }
        env.wait_for_action(AuditAction::PasswordResetRequested, 5)
            .await;
        assert_eq!(env.count("password_resets").await, 3);
    })
    .await;
}

/// Regression (security item 7): the reset and sign-up forms answer before they
/// look anything up, so their timing cannot tell whether an account exists.
/// With the database gone, both still answer at once; the work fails later.
#[tokio::test]
async fn reset_and_sign_up_requests_answer_before_the_work() {
    on_each_backend(async |env| {
        env.sign_up("Ana", "ana@example.com", "Acme").await;
        env.db().close().await;
        for email in ["ana@example.com", "nobody@example.com"] {
            passwords::request_reset(&env.state, &env.client(), email)
                .await
                .unwrap_or_else(|e| panic!("[{}] {email}: {e:?}", env.backend));
            accounts::request_sign_up(
                &env.state,
                &env.client(),
                accounts::SignUp {
                    name: "Someone".into(),
                    email: email.into(),
                    password: PASSWORD.into(),
                    organization: "Other".into(),
                },
            )
            .await
            .unwrap_or_else(|e| panic!("[{}] {email}: {e:?}", env.backend));
        }
    })
    .await;
}

#[tokio::test]
async fn expired_forged_and_truncated_links_are_refused_with_their_reason() {
    on_each_backend(async |env| {
        let signed = env.sign_up("Ana", "ana@example.com", "Acme").await;
        let (expired, hash) = token::generate();
        let past = db::now() - chrono::Duration::hours(2);
        let mut tx = env.db().begin().await.unwrap();
        db::resets::insert(
            &mut tx,
            signed.session.user_id,
            &hash,
            past,
            past + chrono::Duration::hours(1),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let err = passwords::reset_password(&env.state, &env.client(), &expired, NEW_PASSWORD)
            .await
            .unwrap_err();
        assert_eq!(
            err,
            AppError::Conflict(LINK_EXPIRED.into()),
            "[{}]",
            env.backend
        );

        let (forged, _) = token::generate();
        assert_eq!(
            passwords::check_reset(&env.state, &forged)
                .await
                .unwrap_err(),
            AppError::NotFound(LINK_INVALID.into())
        );
        let real = reset_token(env, "ana@example.com").await;
        assert_eq!(
            passwords::check_reset(&env.state, &real[..20])
                .await
                .unwrap_err(),
            AppError::NotFound(LINK_INVALID.into())
        );
        assert_eq!(
            passwords::check_reset(&env.state, "").await.unwrap_err(),
            AppError::NotFound(LINK_INVALID.into())
        );
        // Nothing changed: the old password still works.
        accounts::log_in(
            &env.state,
            &env.client(),
            None,
            "ana@example.com",
            PASSWORD,
            None,
        )
        .await
        .unwrap();
    })
    .await;
}

#[tokio::test]
async fn changing_the_password_ends_other_sessions_and_keeps_this_one() {
    on_each_backend(async |env| {
        let first = env.sign_up("Ana", "ana@example.com", "Acme").await;
        let other = accounts::log_in(
            &env.state,
            &env.client(),
            None,
            "ana@example.com",
            PASSWORD,
            None,
        )
        .await
        .unwrap();
        let session = env.resolve(&first.token).await;

        let wrong = passwords::change_password(
            &env.state,
            &env.client(),
            session,
            "nope-nope-nope",
            NEW_PASSWORD,
        )
        .await
        .unwrap_err();
        assert!(wrong.message_for("current_password").is_some());
        let same =
            passwords::change_password(&env.state, &env.client(), session, PASSWORD, PASSWORD)
                .await
                .unwrap_err();
        assert!(same.message_for("new_password").is_some());
        let common =
            passwords::change_password(&env.state, &env.client(), session, PASSWORD, "iloveyou")
                .await
                .unwrap_err();
        assert!(common.message_for("new_password").is_some());

        let (_, fresh) =
            passwords::change_password(&env.state, &env.client(), session, PASSWORD, NEW_PASSWORD)
                .await
                .unwrap();
        assert!(env.resolve(&first.token).await.is_none());
        assert!(env.resolve(&other.token).await.is_none());
        assert!(env.resolve(&fresh).await.is_some());
        assert_eq!(env.count_action(AuditAction::PasswordChanged).await, 1);
        accounts::log_in(
            &env.state,
            &env.client(),
            None,
            "ana@example.com",
            NEW_PASSWORD,
            None,
        )
        .await
        .unwrap();
        let anonymous =
            passwords::change_password(&env.state, &env.client(), None, NEW_PASSWORD, PASSWORD)
                .await
                .unwrap_err();
        assert_eq!(anonymous, AppError::Unauthenticated);
    })
    .await;
}
