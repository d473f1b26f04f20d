//! My organizations (issue 13, item 4): the person's organizations and the
//! invitations waiting for their address, accepted or declined there; declining
//! tells the inviter and leaves the organization free to invite again; log-in
//! lands in the organization used last.

use crate::common::{TestEnv, link_in, on_each_backend, wait_for_mail};
use crate::invitations::{Org, invite, log_in, organization, rows_as};
use consort::domain::audit::AuditAction;
use consort::domain::invitation::{InvitationQuery, LinkProblem};
use consort::domain::role::{MemberStatus, MembershipKind, Role};
use consort::error::AppError;
use consort::service::{acceptance, accounts, invitation_replies, invitations};
use uuid::Uuid;

const PIA: &str = "pia@studio.test";

/// Acme and Globex, and Pia: owner of her own studio, invited to both as a partner.
async fn invited_partner(env: &TestEnv) -> (Org, Org, consort::auth::session::Session) {
    let acme = organization(env, "Olive Owner", "owner@acme.test", "Acme").await;
    let globex = organization(env, "Gil Globex", "gil@globex.test", "Globex").await;
    organization(env, "Pia Partner", PIA, "Pia Studio").await;
    for org in [&acme, &globex] {
        let sent = invite(
            env,
            org.owner,
            &org.slug,
            rows_as(MembershipKind::Partner, &[(PIA, Role::Admin)]),
        )
        .await;
        assert_eq!(sent.invited, 1, "[{}] {:?}", env.backend, sent.report);
    }
    (acme, globex, log_in(env, PIA).await)
}

fn waiting_id(list: &consort::domain::account::MyOrganizations, organization: &str) -> Uuid {
    list.invitations
        .iter()
        .find(|i| i.organization == organization)
        .unwrap_or_else(|| panic!("an invitation to {organization} in {list:?}"))
        .id
}

#[tokio::test]
async fn the_page_lists_organizations_and_the_invitations_waiting_for_the_address() {
    on_each_backend(async |env| {
        let b = env.backend;
        let (acme, _, pia) = invited_partner(env).await;
        // Invitations to other addresses, and a cancelled one, are not Pia's.
        invite(
            env,
            acme.owner,
            &acme.slug,
            rows_as(MembershipKind::Team, &[("someone@else.test", Role::User)]),
        )
        .await;
        let list = invitation_replies::overview(&env.state, Some(pia))
            .await
            .unwrap();
        assert_eq!(list.viewer.email, PIA);
        let names: Vec<&str> = list.organizations.iter().map(|o| o.name.as_str()).collect();
        assert_eq!(names, vec!["Pia Studio"], "[{b}]");
        assert_eq!(list.organizations[0].role, Role::Owner);
        assert_eq!(list.organizations[0].kind, MembershipKind::Team);
        let mut waiting: Vec<(&str, MembershipKind, Role, Option<&str>)> = list
            .invitations
            .iter()
            .map(|i| {
                (
                    i.organization.as_str(),
                    i.kind,
                    i.role,
                    i.inviter.as_deref(),
                )
            })
            .collect();
        waiting.sort_by_key(|(organization, ..)| *organization);
        assert_eq!(
            waiting,
            vec![
                (
                    "Acme",
                    MembershipKind::Partner,
                    Role::Admin,
                    Some("Olive Owner")
                ),
                (
                    "Globex",
                    MembershipKind::Partner,
                    Role::Admin,
                    Some("Gil Globex")
                ),
            ],
            "[{b}]"
        );
        // Cancelled or expired invitations are not waiting any more.
        let acme_id = waiting_id(&list, "Acme");
        invitations::cancel(
            &env.state,
            &env.client(),
            Some(acme.owner),
            &acme.slug,
            acme_id,
        )
        .await
        .unwrap();
        let list = invitation_replies::overview(&env.state, Some(pia))
            .await
            .unwrap();
        assert_eq!(list.invitations.len(), 1, "[{b}]");
        let cancelled =
            invitation_replies::accept_waiting(&env.state, &env.client(), Some(pia), acme_id).await;
        assert!(
            matches!(&cancelled, Err(AppError::Conflict(m)) if m.contains(LinkProblem::Cancelled.title())),
            "[{b}] {cancelled:?}"
        );
        env.execute_at(
            "UPDATE invitations SET expires_at = $1",
            chrono::Utc::now() - chrono::Duration::minutes(1),
        )
        .await;
        let list = invitation_replies::overview(&env.state, Some(pia))
            .await
            .unwrap();
        assert!(list.invitations.is_empty(), "[{b}] {list:?}");
        // Only for a signed-in person.
        assert_eq!(
            invitation_replies::overview(&env.state, None).await,
            Err(AppError::Unauthenticated)
        );
    })
    .await;
}

#[tokio::test]
async fn accepting_from_the_list_joins_the_organization_once() {
    on_each_backend(async |env| {
        let b = env.backend;
        let (acme, globex, pia) = invited_partner(env).await;
        let list = invitation_replies::overview(&env.state, Some(pia))
            .await
            .unwrap();
        let acme_id = waiting_id(&list, "Acme");
        let landing =
            invitation_replies::accept_waiting(&env.state, &env.client(), Some(pia), acme_id)
                .await
                .unwrap();
        assert_eq!(landing, format!("/o/{}", acme.slug));
        let list = invitation_replies::overview(&env.state, Some(pia))
            .await
            .unwrap();
        let acme_row = list
            .organizations
            .iter()
            .find(|o| o.name == "Acme")
            .expect("Acme is listed");
        assert_eq!(
            (acme_row.kind, acme_row.role, acme_row.status),
            (MembershipKind::Partner, Role::Admin, MemberStatus::Active),
            "[{b}]"
        );
        assert_eq!(list.invitations.len(), 1, "[{b}] only Globex waits");
        // Twice: the invitation is used.
        let again =
            invitation_replies::accept_waiting(&env.state, &env.client(), Some(pia), acme_id).await;
        assert!(
            matches!(&again, Err(AppError::Conflict(m)) if m.contains(LinkProblem::Used.title())),
            "[{b}] {again:?}"
        );
        // Someone else (Globex's owner) cannot accept or decline Pia's invitation by its id.
        let globex_id = waiting_id(&list, "Globex");
        let before = env.count("memberships").await;
        for result in [
            invitation_replies::accept_waiting(
                &env.state,
                &env.client(),
                Some(globex.owner),
                globex_id,
            )
            .await
            .map(|_| ()),
            invitation_replies::decline(&env.state, &env.client(), Some(globex.owner), globex_id)
                .await,
        ] {
            assert!(
                matches!(result, Err(AppError::NotFound(_))),
                "[{b}] {result:?}"
            );
        }
        // A forged id finds nothing either; a visitor must sign in.
        let forged = invitation_replies::accept_waiting(
            &env.state,
            &env.client(),
            Some(pia),
            consort::db::new_id(),
        )
        .await;
        assert!(matches!(forged, Err(AppError::NotFound(_))), "[{b}]");
        let visitor = invitation_replies::decline(&env.state, &env.client(), None, globex_id).await;
        assert_eq!(visitor, Err(AppError::Unauthenticated));
        assert_eq!(
            env.count("memberships").await,
            before,
            "[{b}] nothing changed"
        );
        assert_eq!(
            invitation_replies::overview(&env.state, Some(pia))
                .await
                .unwrap()
                .invitations
                .len(),
            1,
            "[{b}] Globex's invitation still waits"
        );
        env.assert_member_counts().await;
    })
    .await;
}

#[tokio::test]
async fn declining_tells_the_inviter_and_the_organization_may_invite_again() {
    on_each_backend(async |env| {
        let b = env.backend;
        let (acme, _, pia) = invited_partner(env).await;
        let acme_mail = wait_for_mail(env, PIA, "Olive Owner invited you").await;
        let acme_link = link_in(
            &acme_mail.text_body,
            "http://localhost:3000/invitations/accept?token=",
        )
        .expect("an acceptance link");
        let acme_token = acme_link.rsplit('=').next().unwrap().to_string();
        let list = invitation_replies::overview(&env.state, Some(pia))
            .await
            .unwrap();
        let acme_id = waiting_id(&list, "Acme");
        invitation_replies::decline(&env.state, &env.client(), Some(pia), acme_id)
            .await
            .unwrap();
        // The inviter is told, the audit trail records it, nothing else changed.
        let mail = wait_for_mail(env, "owner@acme.test", "declined your invitation").await;
        assert!(mail.subject.contains(PIA), "[{b}] {}", mail.subject);
        assert!(mail.text_body.contains("/members/invitations"));
        assert_eq!(env.count_action(AuditAction::InvitationDeclined).await, 1);
        let open = invitations::list(
            &env.state,
            Some(acme.owner),
            &acme.slug,
            InvitationQuery::default(),
        )
        .await
        .unwrap();
        assert_eq!(open.total, 0, "[{b}] no longer pending in Acme");
        // Twice, or accepting afterwards: refused with what happened.
        let twice = invitation_replies::decline(&env.state, &env.client(), Some(pia), acme_id).await;
        assert!(
            matches!(&twice, Err(AppError::Conflict(m)) if m.contains(LinkProblem::Declined.title())),
            "[{b}] {twice:?}"
        );
        let accept = invitation_replies::accept_waiting(&env.state, &env.client(), Some(pia), acme_id).await;
        assert!(matches!(accept, Err(AppError::Conflict(_))), "[{b}] {accept:?}");
        // The emailed link says so too.
        assert_eq!(
            acceptance::preview(&env.state, None, &acme_token).await.unwrap(),
            Err(LinkProblem::Declined),
            "[{b}]"
        );
        assert_eq!(env.count_action(AuditAction::InvitationDeclined).await, 1);
        // Acme invites her again: a new invitation, accepted from the list.
        let sent = invite(
            env,
            acme.owner,
            &acme.slug,
            rows_as(MembershipKind::Partner, &[(PIA, Role::User)]),
        )
        .await;
        assert_eq!(sent.invited, 1, "[{b}] {:?}", sent.report);
        let list = invitation_replies::overview(&env.state, Some(pia))
            .await
            .unwrap();
        let again = waiting_id(&list, "Acme");
        assert_ne!(again, acme_id);
        invitation_replies::accept_waiting(&env.state, &env.client(), Some(pia), again)
            .await
            .unwrap();
        let joined = invitation_replies::overview(&env.state, Some(pia))
            .await
            .unwrap()
            .organizations
            .into_iter()
            .find(|o| o.name == "Acme")
            .expect("Acme is listed");
        assert_eq!((joined.role, joined.status), (Role::User, MemberStatus::Active));
    })
    .await;
}

#[tokio::test]
async fn log_in_lands_in_the_organization_used_last_or_on_my_organizations() {
    on_each_backend(async |env| {
        let b = env.backend;
        let (acme, globex, pia) = invited_partner(env).await;
        let list = invitation_replies::overview(&env.state, Some(pia))
            .await
            .unwrap();
        for name in ["Acme", "Globex"] {
            invitation_replies::accept_waiting(&env.state, &env.client(), Some(pia), waiting_id(&list, name))
                .await
                .unwrap();
        }
        let landing = || async {
            accounts::log_in(
                &env.state,
                &env.client(),
                None,
                PIA,
                crate::common::PASSWORD,
                None,
            )
            .await
            .unwrap()
            .landing
        };
        // Globex was joined last.
        assert_eq!(landing().await, format!("/o/{}", globex.slug), "[{b}]");
        // Then she works in Acme (its last activity is the newest).
        let earlier = chrono::Utc::now() - chrono::Duration::hours(1);
        env.execute_at(
            "UPDATE memberships SET last_active_at = $1 WHERE email_key = 'pia@studio.test'",
            earlier,
        )
        .await;
        let acme_id = consort::db::organizations::find_by_slug(env.db(), &acme.slug)
            .await
            .unwrap()
            .unwrap()
            .id;
        env.execute_at(
            &format!(
                "UPDATE memberships SET last_active_at = $1 WHERE email_key = 'pia@studio.test' AND organization_id = {}",
                uuid_literal(env, acme_id)
            ),
            chrono::Utc::now(),
        )
        .await;
        assert_eq!(landing().await, format!("/o/{}", acme.slug), "[{b}]");
        // With no active organization at all: My organizations.
        env.execute_at(
            "UPDATE memberships SET status = 'deactivated', updated_at = $1 WHERE email_key = 'pia@studio.test'",
            chrono::Utc::now(),
        )
        .await;
        assert_eq!(landing().await, accounts::MY_ORGANIZATIONS, "[{b}]");
        env.assert_member_counts().await;
    })
    .await;
}

/// A UUID as a literal of the backend's column type.
fn uuid_literal(env: &TestEnv, id: Uuid) -> String {
    match env.db() {
        consort::db::Db::Sqlite(..) => format!("X'{}'", id.simple()),
        consort::db::Db::Postgres(_) => format!("'{id}'"),
    }
}

#[tokio::test]
async fn a_partner_who_leaves_is_gone_from_the_list_and_the_admins_are_told() {
    on_each_backend(async |env| {
        let b = env.backend;
        let (acme, _, pia) = invited_partner(env).await;
        let list = invitation_replies::overview(&env.state, Some(pia))
            .await
            .unwrap();
        invitation_replies::accept_waiting(
            &env.state,
            &env.client(),
            Some(pia),
            waiting_id(&list, "Acme"),
        )
        .await
        .unwrap();
        consort::service::ownership::leave(&env.state, &env.client(), Some(pia), &acme.slug)
            .await
            .unwrap();
        let mail = wait_for_mail(env, "owner@acme.test", "Pia Partner left Acme").await;
        assert!(mail.text_body.contains(PIA), "[{b}] {}", mail.text_body);
        assert!(mail.text_body.contains("as a partner"), "[{b}]");
        let names: Vec<String> = invitation_replies::overview(&env.state, Some(pia))
            .await
            .unwrap()
            .organizations
            .into_iter()
            .map(|o| o.name)
            .collect();
        assert_eq!(names, vec!["Pia Studio".to_string()], "[{b}]");
        // Her session no longer opens Acme.
        let shell = consort::service::organizations::shell(&env.state, Some(pia), &acme.slug).await;
        assert!(
            matches!(shell, Err(AppError::NotFound(_))),
            "[{b}] {shell:?}"
        );
        env.assert_member_counts().await;
    })
    .await;
}
