//! The partner inactivity policy (issue 13, item 6): off by default; an admin
//! chooses a number of days in Settings; the access-end job then deactivates
//! partners (never team members) who have not been active in the organization
//! for that long, counted from the latest of their last activity, their
//! reactivation and the moment the policy was turned on; both sides are told by
//! email, the audit log records it, and two workers do the work once.

use crate::common::{PASSWORD, TestEnv, last_mail_to, on_each_backend};
use crate::invitations::{Org, invite, organization, rows_as, token_for};
use crate::members::member;
use chrono::{Duration, Utc};
use consort::domain::audit::AuditAction;
use consort::domain::role::{MemberStatus, MembershipKind, Role};
use consort::error::AppError;
use consort::service::{acceptance, access_ends, members, settings};
use uuid::Uuid;

/// Acme with two partners (Pat and Quinn) and a team member (Tia).
async fn acme_with_people(env: &TestEnv) -> (Org, Uuid, Uuid, Uuid) {
    let acme = organization(env, "Olive Owner", "owner@acme.test", "Acme").await;
    let mut partners = Vec::new();
    for (email, name) in [
        ("pat@studio.test", "Pat Partner"),
        ("quinn@studio.test", "Quinn Partner"),
    ] {
        invite(
            env,
            acme.owner,
            &acme.slug,
            rows_as(MembershipKind::Partner, &[(email, Role::User)]),
        )
        .await;
        let token = token_for(env, email).await;
        let signed = acceptance::accept_with_new_account(
            &env.state,
            &env.client(),
            None,
            &token,
            name,
            PASSWORD,
        )
        .await
        .unwrap();
        partners.push(signed.session.user_id);
    }
    let (tia, _) = member(env, &acme, "tia@acme.test", Role::User).await;
    (acme, partners[0], partners[1], tia)
}

async fn set_policy(env: &TestEnv, org: &Org, days: &str) -> Result<(), AppError> {
    settings::set_partner_inactivity(&env.state, &env.client(), Some(org.owner), &org.slug, days)
        .await
}

async fn status(env: &TestEnv, org: &Org, user: Uuid) -> MemberStatus {
    members::detail(&env.state, Some(org.owner), &org.slug, user)
        .await
        .unwrap()
        .status
}

#[tokio::test]
async fn the_policy_is_off_by_default_and_only_admins_choose_among_the_offered_days() {
    on_each_backend(async |env| {
        let (acme, pat, _, _) = acme_with_people(env).await;
        let read = async || {
            settings::settings(&env.state, Some(acme.owner), &acme.slug)
                .await
                .unwrap()
                .partner_inactivity_days
        };
        assert_eq!(read().await, None, "[{}]", env.backend);
        // Long inactivity changes nothing while the policy is off.
        let ago = Utc::now() - Duration::days(400);
        env.execute_at(
            "UPDATE memberships SET last_active_at = $1, created_at = $1",
            ago,
        )
        .await;
        assert_eq!(
            access_ends::run_due(&env.state, Utc::now())
                .await
                .unwrap()
                .inactive,
            0
        );
        assert_eq!(status(env, &acme, pat).await, MemberStatus::Active);

        for bad in ["45", "0", "-30", "ninety", "100000"] {
            let error = set_policy(env, &acme, bad).await.unwrap_err();
            assert!(
                error
                    .message_for("days")
                    .is_some_and(|m| m.contains("30, 60, 90 or 180")),
                "{bad}: {error:?}"
            );
        }
        set_policy(env, &acme, "90").await.unwrap();
        assert_eq!(read().await, Some(90));
        assert_eq!(
            env.count_action(AuditAction::PartnerInactivityChanged)
                .await,
            1
        );
        // Saving the same choice again records nothing.
        set_policy(env, &acme, "90").await.unwrap();
        assert_eq!(
            env.count_action(AuditAction::PartnerInactivityChanged)
                .await,
            1
        );
        // A partner of the organization may not change it.
        let pat_session = crate::invitations::log_in(env, "pat@studio.test").await;
        let refused = settings::set_partner_inactivity(
            &env.state,
            &env.client(),
            Some(pat_session),
            &acme.slug,
            "30",
        )
        .await;
        assert!(
            matches!(refused, Err(AppError::Forbidden(_))),
            "{refused:?}"
        );
        set_policy(env, &acme, "").await.unwrap();
        assert_eq!(read().await, None);
        // Turned on just now: nobody ends at once, however old their activity.
        set_policy(env, &acme, "30").await.unwrap();
        assert_eq!(
            access_ends::run_due(&env.state, Utc::now())
                .await
                .unwrap()
                .inactive,
            0
        );
        assert_eq!(status(env, &acme, pat).await, MemberStatus::Active);
    })
    .await;
}

#[tokio::test]
async fn inactive_partners_lose_access_once_and_both_sides_are_told() {
    on_each_backend(async |env| {
        let (acme, pat, quinn, tia) = acme_with_people(env).await;
        set_policy(env, &acme, "30").await.unwrap();
        let long_ago = Utc::now() - Duration::days(31);
        // The policy has been on for 31 days; everyone was last active then.
        env.execute_at(
            "UPDATE organizations SET partner_inactivity_since = $1",
            long_ago,
        )
        .await;
        env.execute_at(
            "UPDATE memberships SET last_active_at = $1, created_at = $1",
            long_ago,
        )
        .await;
        // Quinn worked there yesterday.
        env.execute_at(
            "UPDATE memberships SET last_active_at = $1 WHERE email_key = 'quinn@studio.test'",
            Utc::now() - Duration::days(1),
        )
        .await;

        let now = Utc::now();
        let (a, b) = tokio::join!(
            access_ends::run_due(&env.state, now),
            access_ends::run_due(&env.state, now)
        );
        assert_eq!(
            a.unwrap().inactive + b.unwrap().inactive,
            1,
            "[{}]",
            env.backend
        );
        assert_eq!(status(env, &acme, pat).await, MemberStatus::Deactivated);
        assert_eq!(status(env, &acme, quinn).await, MemberStatus::Active);
        // Team members are never ended by it, nor the owner.
        assert_eq!(status(env, &acme, tia).await, MemberStatus::Active);
        let to_pat = last_mail_to(env, "pat@studio.test").await.unwrap();
        assert_eq!(
            to_pat.subject,
            "Your access to Acme ended after 30 days without activity"
        );
        let digest = last_mail_to(env, "owner@acme.test").await.unwrap();
        assert_eq!(
            digest.subject,
            "Acme: partner access ended after 30 days without activity (1)"
        );
        assert!(
            digest.text_body.contains("Pat Partner <pat@studio.test>"),
            "{}",
            digest.text_body
        );
        assert_eq!(
            env.count_action(AuditAction::MemberInactivityEnded).await,
            1
        );
        assert_eq!(env.count_action(AuditAction::MemberAccessEnded).await, 0);
        env.assert_member_counts().await;

        // Reactivated, Pat gets a fresh 30 days: the next runs leave her be.
        let version = members::detail(&env.state, Some(acme.owner), &acme.slug, pat)
            .await
            .unwrap()
            .version;
        members::set_active(
            &env.state,
            &env.client(),
            Some(acme.owner),
            &acme.slug,
            pat,
            true,
            version,
            Some(""),
        )
        .await
        .unwrap();
        assert_eq!(
            access_ends::run_due(&env.state, Utc::now())
                .await
                .unwrap()
                .inactive,
            0
        );
        assert_eq!(status(env, &acme, pat).await, MemberStatus::Active);
        assert_eq!(
            access_ends::run_due(&env.state, Utc::now() + Duration::days(31))
                .await
                .unwrap()
                .inactive,
            2
        );
    })
    .await;
}
