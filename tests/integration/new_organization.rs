//! An organization created from My organizations by someone who has an account
//! and is a team member nowhere (issue 14, item 3: a partner who is asked to
//! partner creates their organization and finds the request waiting).

use crate::common::{TestEnv, on_each_backend, snapshot, snapshot_difference, wait_for_mail};
use crate::invitations::{Org, organization};
use crate::partnerships::{lists, member_as, send};
use consort::auth::session::Session;
use consort::domain::audit::AuditAction;
use consort::domain::partnership::SendOutcome;
use consort::domain::role::{MembershipKind, Role};
use consort::error::AppError;
use consort::service::{invitation_replies, new_organization, ownership};

async fn create(env: &TestEnv, by: Option<Session>, name: &str) -> Result<String, AppError> {
    new_organization::create(&env.state, &env.client(), by, name).await
}

/// Beta, and Pia, its partner, who is a team member nowhere.
async fn beta_and_its_partner(env: &TestEnv) -> (Org, Session) {
    let beta = organization(env, "Bo Boss", "bo@beta.test", "Beta").await;
    let (_, pia) = member_as(
        MembershipKind::Partner,
        &[],
        env,
        &beta,
        "pia@freelance.test",
    )
    .await;
    (beta, pia)
}

/// Signing in leaves a session row's idle clock alone within a minute; nothing
/// else may change.
const NOTHING_ELSE: &[(&str, &str)] = &[("sessions", "last_seen_at")];

#[tokio::test]
async fn a_partner_creates_an_organization_and_finds_the_request_waiting() {
    on_each_backend(async |env| {
        let b = env.backend;
        let alpha = organization(env, "Ada Admin", "ada@alpha.test", "Alpha").await;
        // Pia is only Beta's partner: her address addresses no organization.
        let (_, pia) = beta_and_its_partner(env).await;
        assert_eq!(
            send(env, alpha.owner, &alpha.slug, "pia@freelance.test")
                .await
                .unwrap(),
            SendOutcome::Sent
        );
        let invitation =
            wait_for_mail(env, "pia@freelance.test", "Alpha would like to partner").await;
        assert!(
            invitation
                .text_body
                .contains("http://localhost:3000/login?next=/organizations")
                && invitation
                    .text_body
                    .contains("Create an organization on My organizations"),
            "[{b}] the mail tells an account holder where to go: {}",
            invitation.text_body
        );

        let landing = create(env, Some(pia), "  Pia Design Studio ")
            .await
            .unwrap();
        assert_eq!(landing, "/o/pia-design-studio", "[{b}]");
        let studio = Org {
            slug: "pia-design-studio".into(),
            owner: pia,
        };
        // She owns it, and is still Beta's partner.
        let mine = invitation_replies::overview(&env.state, Some(pia))
            .await
            .unwrap();
        let kinds: Vec<_> = mine
            .organizations
            .iter()
            .map(|o| (o.name.as_str(), o.kind, o.role))
            .collect();
        assert_eq!(
            kinds,
            vec![
                ("Beta", MembershipKind::Partner, Role::User),
                ("Pia Design Studio", MembershipKind::Team, Role::Owner),
            ],
            "[{b}]"
        );
        // Alpha's request waits there; Alpha still sees only the address.
        let received = lists(env, studio.owner, &studio.slug).await.received.items;
        assert_eq!(received.len(), 1, "[{b}]");
        assert_eq!(received[0].organization.as_deref(), Some("Alpha"));
        let sent = lists(env, alpha.owner, &alpha.slug).await.sent.items;
        assert_eq!(sent[0].organization, None, "[{b}] still only the address");
        assert_eq!(
            sent[0].address.as_deref(),
            Some("pia@freelance.test"),
            "[{b}]"
        );
        // One transaction wrote the rest: the audit event and the mail.
        assert_eq!(
            env.count_action(AuditAction::OrganizationCreated).await,
            3,
            "[{b}]"
        );
        wait_for_mail(
            env,
            "pia@freelance.test",
            "Pia Design Studio is ready on Consort",
        )
        .await;
        env.assert_member_counts().await;
    })
    .await;
}

#[tokio::test]
async fn a_team_member_cannot_create_one_and_nothing_changes() {
    on_each_backend(async |env| {
        let b = env.backend;
        let alpha = organization(env, "Ada Admin", "ada@alpha.test", "Alpha").await;
        let (_, tom) = member_as(MembershipKind::Team, &[], env, &alpha, "tom@alpha.test").await;
        let before = snapshot(env, NOTHING_ELSE).await;
        for (who, session) in [("the owner", alpha.owner), ("a team member", tom)] {
            match create(env, Some(session), "Side Project").await {
                Err(AppError::Conflict(message)) => assert!(
                    message.contains("You are a team member of Alpha"),
                    "[{b}] {who}: {message}"
                ),
                other => panic!("[{b}] {who}: {other:?}"),
            }
        }
        assert!(
            matches!(
                create(env, None, "Side Project").await,
                Err(AppError::Unauthenticated)
            ),
            "[{b}] a visitor signs up instead"
        );
        let after = snapshot(env, NOTHING_ELSE).await;
        assert_eq!(snapshot_difference(&before, &after), None, "[{b}]");
    })
    .await;
}

#[tokio::test]
async fn a_bad_name_is_refused_next_to_the_field() {
    on_each_backend(async |env| {
        let b = env.backend;
        let (_, pia) = beta_and_its_partner(env).await;
        let before = snapshot(env, NOTHING_ELSE).await;
        for (name, says) in [
            ("   ", "Enter the organization's name."),
            (
                &"x".repeat(101),
                "Keep the name to 100 characters or fewer.",
            ),
            ("Tab\there", "The name cannot contain control characters."),
        ] {
            let refused = create(env, Some(pia), name).await.unwrap_err();
            assert_eq!(
                refused.message_for("name").as_deref(),
                Some(says),
                "[{b}] {name:?}"
            );
        }
        let after = snapshot(env, NOTHING_ELSE).await;
        assert_eq!(snapshot_difference(&before, &after), None, "[{b}]");
        // Hostile text is a name like any other, and its slug is plain.
        let landing = create(env, Some(pia), "<script>alert(1)</script> & Co")
            .await
            .unwrap();
        assert!(
            landing
                .trim_start_matches("/o/")
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-'),
            "[{b}] {landing}"
        );
    })
    .await;
}

#[tokio::test]
async fn two_creations_at_once_make_one_organization() {
    on_each_backend(async |env| {
        let b = env.backend;
        let (_, pia) = beta_and_its_partner(env).await;
        let organizations = env.count("organizations").await;
        let (one, two) = tokio::join!(
            create(env, Some(pia), "Studio One"),
            create(env, Some(pia), "Studio Two"),
        );
        let (made, refused): (Vec<_>, Vec<_>) = [one, two].into_iter().partition(Result::is_ok);
        assert_eq!((made.len(), refused.len()), (1, 1), "[{b}] {made:?} {refused:?}");
        assert!(
            matches!(&refused[0], Err(AppError::Conflict(m)) if m.contains("You are a team member of Studio")),
            "[{b}] {refused:?}"
        );
        assert_eq!(env.count("organizations").await, organizations + 1, "[{b}]");
        env.assert_member_counts().await;
    })
    .await;
}

#[tokio::test]
async fn creations_are_limited_per_person() {
    on_each_backend(async |env| {
        let b = env.backend;
        let (_, pia) = beta_and_its_partner(env).await;
        for n in 0..new_organization::CREATIONS.max {
            let name = format!("Attempt {n}");
            let landing = create(env, Some(pia), &name).await.unwrap();
            let slug = landing.trim_start_matches("/o/");
            ownership::delete(&env.state, &env.client(), Some(pia), slug, &name)
                .await
                .unwrap();
        }
        assert!(
            matches!(
                create(env, Some(pia), "One Too Many").await,
                Err(AppError::RateLimited { .. })
            ),
            "[{b}]"
        );
    })
    .await;
}

#[tokio::test]
async fn an_unverified_address_claims_no_request() {
    on_each_backend(async |env| {
        let b = env.backend;
        let alpha = organization(env, "Ada Admin", "ada@alpha.test", "Alpha").await;
        let (_, pia) = beta_and_its_partner(env).await;
        send(env, alpha.owner, &alpha.slug, "pia@freelance.test").await.unwrap();
        // An account whose address was never proven (none is made so today;
        // the rule holds for any that would be).
        env.execute_at(
            "UPDATE users SET email_verified_at = NULL WHERE email_key = 'pia@freelance.test' AND $1 IS NOT NULL",
            chrono::Utc::now(),
        )
        .await;
        let landing = create(env, Some(pia), "Pia Studio").await.unwrap();
        let studio = Org { slug: landing.trim_start_matches("/o/").into(), owner: pia };
        assert!(lists(env, studio.owner, &studio.slug).await.received.items.is_empty(), "[{b}]");
    })
    .await;
}
