//! The Billing module: details with their checks and stale saves, and seats
//! computed from the membership history.

use crate::common::{TestEnv, on_each_backend};
use crate::invitations::{Org, invite, organization, rows};
use crate::members::member;
use consort::domain::audit::AuditAction;
use consort::domain::billing::{BillingDetails, SeatCounts};
use consort::domain::role::Role;
use consort::error::AppError;
use consort::service::billing;

fn details(email: &str, tax_id: &str, version: i64) -> BillingDetails {
    BillingDetails {
        contact_name: "Bea Bills".into(),
        contact_email: email.into(),
        address: "1 Main Street\nSpringfield".into(),
        tax_id: tax_id.into(),
        version,
    }
}

async fn seats(env: &TestEnv, org: &Org) -> (SeatCounts, SeatCounts) {
    let overview = billing::overview(&env.state, Some(org.owner), &org.slug)
        .await
        .unwrap();
    assert_eq!(overview.months.len(), 1, "an organization of this month");
    (overview.now, overview.months[0].seats)
}

#[tokio::test]
async fn billing_details_are_checked_and_stale_saves_refused() {
    on_each_backend(async |env| {
        let acme = organization(env, "Olive Owner", "owner@acme.test", "Acme").await;
        let (_, bea) = member(env, &acme, "bea@acme.test", Role::BillingAdmin).await;
        let (_, uma) = member(env, &acme, "uma@acme.test", Role::User).await;
        let client = env.client();
        let empty = billing::overview(&env.state, Some(bea), &acme.slug)
            .await
            .unwrap();
        assert_eq!(
            empty.details,
            BillingDetails::default(),
            "[{}]",
            env.backend
        );
        let bad = billing::save_details(
            &env.state,
            &client,
            Some(bea),
            &acme.slug,
            details("nope", "DE1;2", 0),
        )
        .await
        .unwrap_err();
        assert!(bad.message_for("contact_email").is_some(), "{bad:?}");
        assert!(bad.message_for("tax_id").unwrap().contains("not ';'"));
        assert_eq!(
            env.count("billing_profiles").await,
            0,
            "nothing half-written"
        );
        let saved = billing::save_details(
            &env.state,
            &client,
            Some(bea),
            &acme.slug,
            details(" bills@acme.test ", "DE123456789", 0),
        )
        .await
        .unwrap();
        assert_eq!(
            (saved.contact_email.as_str(), saved.version),
            ("bills@acme.test", 1)
        );
        // The owner saves on top of version 1; Bea's second save, still on 1, is refused.
        billing::save_details(
            &env.state,
            &client,
            Some(acme.owner),
            &acme.slug,
            details("o@acme.test", "DE1", 1),
        )
        .await
        .unwrap();
        let stale = billing::save_details(
            &env.state,
            &client,
            Some(bea),
            &acme.slug,
            details("b@acme.test", "DE2", 1),
        )
        .await
        .unwrap_err();
        assert!(
            matches!(stale, AppError::Conflict(ref m) if m.contains("Someone else saved")),
            "{stale:?}"
        );
        let now = billing::overview(&env.state, Some(bea), &acme.slug)
            .await
            .unwrap()
            .details;
        assert_eq!((now.tax_id.as_str(), now.version), ("DE1", 2));
        assert!(matches!(
            billing::save_details(
                &env.state,
                &client,
                Some(uma),
                &acme.slug,
                details("", "", 2)
            )
            .await,
            Err(AppError::Forbidden(_))
        ));
        assert_eq!(
            env.count_action(AuditAction::BillingDetailsChanged).await,
            2
        );
    })
    .await;
}

#[tokio::test]
async fn seats_follow_the_membership_history() {
    on_each_backend(async |env| {
        let acme = organization(env, "Olive Owner", "owner@acme.test", "Acme").await;
        let (uma, _) = member(env, &acme, "uma@acme.test", Role::User).await;
        invite(
            env,
            acme.owner,
            &acme.slug,
            rows(&[("later@acme.test", Role::User)]),
        )
        .await;
        let (now, month) = seats(env, &acme).await;
        let expected = SeatCounts {
            team_members: 2,
            partners: 0,
            pending_invitations: 1,
        };
        assert_eq!(now, expected, "[{}]", env.backend);
        // The accepted invitation to Uma was pending earlier this month too.
        assert_eq!(month.pending_invitations, 2);
        assert_eq!(month.team_members, 2);
        // Deactivated: no seat now, but Uma held one this month.
        let owner = Some(acme.owner);
        for active in [false, true, false] {
            crate::members::set_active_now(env, owner, &acme.slug, uma, active).await;
        }
        let (now, month) = seats(env, &acme).await;
        assert_eq!(now.team_members, 1);
        assert_eq!(
            month.team_members, 2,
            "two stretches of one person count once"
        );
        assert_eq!(env.count("seat_periods").await, 3);
    })
    .await;
}
