//! Partner organizations (issue 14): every row of DESIGN.md's table, no
//! enumeration of addresses, bad input, who may act, and races — through the
//! service functions the server functions call, on both databases.

use crate::common::{TestEnv, last_mail_to, on_each_backend, wait_for_mail};
use crate::invitations::{Org, organization};
use crate::members::member;
use consort::auth::session::Session;
use consort::domain::audit::AuditAction;
use consort::domain::invitation::{DraftRow, InviteSource};
use consort::domain::module::Module;
use consort::domain::partnership::{
    Blocked, ListPages, Listed, Move, PartnershipStatus, PartnershipView, Partnerships, Refusal,
    SendOutcome,
};
use consort::domain::role::{MembershipKind, Role};
use consort::error::AppError;
use consort::service::{acceptance, partnerships};
use uuid::Uuid;

pub async fn send(
    env: &TestEnv,
    by: Session,
    slug: &str,
    email: &str,
) -> Result<SendOutcome, AppError> {
    partnerships::send(&env.state, &env.client(), Some(by), slug, email).await
}

pub async fn lists(env: &TestEnv, by: Session, slug: &str) -> Partnerships {
    partnerships::list(&env.state, Some(by), slug, ListPages::default())
        .await
        .unwrap_or_else(|e| panic!("[{}] list: {e:?}", env.backend))
}

pub async fn act(
    env: &TestEnv,
    by: Session,
    slug: &str,
    row: &PartnershipView,
    mv: Move,
) -> Result<(), AppError> {
    partnerships::act(
        &env.state,
        &env.client(),
        Some(by),
        slug,
        row.id,
        row.version,
        mv,
    )
    .await
}

/// The only row of `org`'s list `which`.
async fn only(env: &TestEnv, org: &Org, which: Listed) -> PartnershipView {
    let all = lists(env, org.owner, &org.slug).await;
    let list = list_of(&all, which);
    assert_eq!(
        list.len(),
        1,
        "[{}] {which:?} of {}: {all:?}",
        env.backend,
        org.slug
    );
    list[0].clone()
}

/// The count of waiting requests on `org`'s Partners navigation item.
async fn waiting(env: &TestEnv, org: &Org) -> i64 {
    consort::service::organizations::shell(&env.state, Some(org.owner), &org.slug)
        .await
        .unwrap()
        .organization
        .partnerships_waiting
}

fn list_of(all: &Partnerships, which: Listed) -> &[PartnershipView] {
    &all.list(which).items
}

/// How many rows `org` lists in all.
async fn held(env: &TestEnv, org: &Org) -> usize {
    let all = lists(env, org.owner, &org.slug).await;
    Listed::ALL
        .iter()
        .map(|which| all.list(*which).total as usize)
        .sum()
}

fn field_message(result: Result<SendOutcome, AppError>) -> String {
    match result {
        Err(e) => e
            .message_for("email")
            .unwrap_or_else(|| panic!("not an email error: {e:?}")),
        Ok(outcome) => panic!("sent: {outcome:?}"),
    }
}

fn conflict(result: Result<(), AppError>) -> String {
    match result {
        Err(AppError::Conflict(message)) => message,
        other => panic!("expected a conflict, got {other:?}"),
    }
}

/// A member of `org` of `kind` (role user) with `modules`, by invitation.
pub async fn member_as(
    kind: MembershipKind,
    modules: &[Module],
    env: &TestEnv,
    org: &Org,
    email: &str,
) -> (Uuid, Session) {
    let row = DraftRow {
        input: email.into(),
        kind,
        access_until: String::new(),
        role: Role::User,
        modules: modules.to_vec(),
        sub_accounts: None,
        restore: false,
    };
    crate::invitations::invite(env, org.owner, &org.slug, InviteSource::Rows(vec![row])).await;
    let token = crate::invitations::token_for(env, email).await;
    let signed = acceptance::accept_with_new_account(
        &env.state,
        &env.client(),
        None,
        &token,
        "Test Member",
        crate::common::PASSWORD,
    )
    .await
    .unwrap();
    (signed.session.user_id, signed.session)
}

struct Pair {
    a: Org,
    b: Org,
}

async fn pair(env: &TestEnv) -> Pair {
    Pair {
        a: organization(env, "Ada Admin", "ada@alpha.test", "Alpha").await,
        b: organization(env, "Bo Boss", "bo@beta.test", "Beta").await,
    }
}

#[tokio::test]
async fn a_request_is_accepted_and_both_see_the_partner() {
    on_each_backend(async |env| {
        let Pair { a, b } = pair(env).await;
        let (_, b_admin) = member(env, &b, "bianca@beta.test", Role::Admin).await;
        assert_eq!(
            send(env, a.owner, &a.slug, "bianca@beta.test")
                .await
                .unwrap(),
            SendOutcome::Sent
        );

        // The sender sees the address it typed, never the organization's name.
        let sent = only(env, &a, Listed::Sent).await;
        assert_eq!(sent.organization, None, "[{}]", env.backend);
        assert_eq!(sent.address.as_deref(), Some("bianca@beta.test"));
        assert_eq!(sent.status_words(), "Sent – awaiting approval");
        // Any admin of B answers, and the addressed person and B's deciders are told.
        let received = only(env, &b, Listed::Received).await;
        assert_eq!(received.organization.as_deref(), Some("Alpha"));
        assert_eq!(
            received.sent_by.as_deref(),
            Some("Ada Admin (ada@alpha.test)")
        );
        for to in ["bianca@beta.test", "bo@beta.test"] {
            wait_for_mail(env, to, "Alpha asks to partner with Beta").await;
        }
        assert_eq!(
            waiting(env, &b).await,
            1,
            "[{}] the navigation's count",
            env.backend
        );

        act(env, b_admin, &b.slug, &received, Move::Accept)
            .await
            .unwrap();
        let partner = only(env, &a, Listed::Partner).await;
        assert_eq!(
            partner.organization.as_deref(),
            Some("Beta"),
            "[{}] the name appears once answered",
            env.backend
        );
        assert!(partner.status_words().starts_with("Partner since "));
        assert_eq!(
            only(env, &b, Listed::Partner).await.organization.as_deref(),
            Some("Alpha")
        );
        wait_for_mail(
            env,
            "ada@alpha.test",
            "Beta accepted the partnership with Alpha",
        )
        .await;
        assert_eq!(waiting(env, &b).await, 0);
        assert_eq!(env.count_action(AuditAction::PartnershipAccepted).await, 1);
    })
    .await;
}

#[tokio::test]
async fn a_rejection_blocks_the_sender_until_both_sides_delete_it() {
    on_each_backend(async |env| {
        let Pair { a, b } = pair(env).await;
        send(env, a.owner, &a.slug, "bo@beta.test").await.unwrap();
        let received = only(env, &b, Listed::Received).await;
        act(env, b.owner, &b.slug, &received, Move::Reject)
            .await
            .unwrap();
        wait_for_mail(
            env,
            "ada@alpha.test",
            "Beta rejected the partnership request from Alpha",
        )
        .await;
        let seen_by_a = only(env, &a, Listed::Rejected).await;
        assert_eq!(seen_by_a.organization.as_deref(), Some("Beta"));
        assert_eq!(seen_by_a.answered_by.as_deref(), Some("Bo Boss"));
        // Rejected in both, and A is blocked.
        let seen_by_b = only(env, &b, Listed::Rejected).await;
        assert_eq!(
            field_message(send(env, a.owner, &a.slug, "bo@beta.test").await),
            Blocked::RejectedByThem.message()
        );
        assert_eq!(
            field_message(send(env, b.owner, &b.slug, "ada@alpha.test").await),
            Blocked::RejectedByYou.message()
        );
        // Rejecting twice, or the sender answering, is refused.
        assert_eq!(
            conflict(act(env, b.owner, &b.slug, &seen_by_b, Move::Reject).await),
            Refusal::AlreadyRejected.message()
        );
        assert_eq!(
            conflict(act(env, a.owner, &a.slug, &seen_by_a, Move::Accept).await),
            Refusal::OnlyRecipientAnswers.message()
        );

        // A deletes: gone from A, B still holds it, A still blocked.
        act(env, a.owner, &a.slug, &seen_by_a, Move::Delete)
            .await
            .unwrap();
        assert_eq!(held(env, &a).await, 0);
        let seen_by_b = only(env, &b, Listed::Rejected).await;
        assert_eq!(
            field_message(send(env, a.owner, &a.slug, "bo@beta.test").await),
            Blocked::RejectedByThem.message()
        );
        // The sender deleted it: B can no longer accept it.
        assert_eq!(
            conflict(act(env, b.owner, &b.slug, &seen_by_b, Move::Accept).await),
            Refusal::SenderDeleted.message()
        );
        // B deletes too: gone entirely, A may send again.
        act(env, b.owner, &b.slug, &seen_by_b, Move::Delete)
            .await
            .unwrap();
        assert_eq!(held(env, &b).await, 0);
        assert_eq!(
            send(env, a.owner, &a.slug, "bo@beta.test").await.unwrap(),
            SendOutcome::Sent
        );
        assert_eq!(
            only(env, &b, Listed::Received)
                .await
                .organization
                .as_deref(),
            Some("Alpha")
        );
    })
    .await;
}

#[tokio::test]
async fn a_rejected_request_is_accepted_while_its_sender_holds_it() {
    on_each_backend(async |env| {
        let Pair { a, b } = pair(env).await;
        send(env, a.owner, &a.slug, "bo@beta.test").await.unwrap();
        let received = only(env, &b, Listed::Received).await;
        act(env, b.owner, &b.slug, &received, Move::Reject)
            .await
            .unwrap();
        let rejected = only(env, &b, Listed::Rejected).await;
        assert_eq!(rejected.moves(), &[Move::Accept, Move::Delete]);
        act(env, b.owner, &b.slug, &rejected, Move::Accept)
            .await
            .unwrap();
        only(env, &a, Listed::Partner).await;
        only(env, &b, Listed::Partner).await;
    })
    .await;
}

#[tokio::test]
async fn deletes_are_asymmetric() {
    on_each_backend(async |env| {
        let Pair { a, b } = pair(env).await;
        // The sender withdraws a pending request: gone from both; may send again.
        send(env, a.owner, &a.slug, "bo@beta.test").await.unwrap();
        let sent = only(env, &a, Listed::Sent).await;
        act(env, a.owner, &a.slug, &sent, Move::Delete)
            .await
            .unwrap();
        assert_eq!(
            (held(env, &a).await, held(env, &b).await),
            (0, 0),
            "[{}]",
            env.backend
        );
        // The recipient deletes a pending request: gone from B, A sees it rejected.
        send(env, a.owner, &a.slug, "bo@beta.test").await.unwrap();
        let received = only(env, &b, Listed::Received).await;
        act(env, b.owner, &b.slug, &received, Move::Delete)
            .await
            .unwrap();
        assert_eq!(held(env, &b).await, 0);
        let rejected = only(env, &a, Listed::Rejected).await;
        assert_eq!(rejected.organization.as_deref(), Some("Beta"));
        wait_for_mail(
            env,
            "ada@alpha.test",
            "Beta deleted the relationship with Alpha",
        )
        .await;
        // A deletes its rejected view: gone entirely.
        act(env, a.owner, &a.slug, &rejected, Move::Delete)
            .await
            .unwrap();
        assert_eq!(env.count("partnerships WHERE ended_at IS NULL").await, 0);

        // An accepted partnership deleted by the recipient: A sees it rejected.
        send(env, a.owner, &a.slug, "bo@beta.test").await.unwrap();
        let received = only(env, &b, Listed::Received).await;
        act(env, b.owner, &b.slug, &received, Move::Accept)
            .await
            .unwrap();
        let partner = only(env, &b, Listed::Partner).await;
        act(env, b.owner, &b.slug, &partner, Move::Delete)
            .await
            .unwrap();
        assert_eq!(held(env, &b).await, 0);
        let rejected = only(env, &a, Listed::Rejected).await;
        wait_for_mail(
            env,
            "ada@alpha.test",
            "Beta deleted the relationship with Alpha",
        )
        .await;
        act(env, a.owner, &a.slug, &rejected, Move::Delete)
            .await
            .unwrap();
        // ... and by the sender: gone from both.
        send(env, a.owner, &a.slug, "bo@beta.test").await.unwrap();
        let received = only(env, &b, Listed::Received).await;
        act(env, b.owner, &b.slug, &received, Move::Accept)
            .await
            .unwrap();
        let partner = only(env, &a, Listed::Partner).await;
        act(env, a.owner, &a.slug, &partner, Move::Delete)
            .await
            .unwrap();
        assert_eq!((held(env, &a).await, held(env, &b).await), (0, 0));
        wait_for_mail(
            env,
            "bo@beta.test",
            "Alpha deleted the relationship with Beta",
        )
        .await;
        assert_eq!(env.count_action(AuditAction::PartnershipDeleted).await, 6);
    })
    .await;
}

#[tokio::test]
async fn a_request_when_theirs_waits_offers_to_accept_theirs() {
    on_each_backend(async |env| {
        let Pair { a, b } = pair(env).await;
        send(env, a.owner, &a.slug, "bo@beta.test").await.unwrap();
        let theirs = only(env, &b, Listed::Received).await;
        let offered = send(env, b.owner, &b.slug, "ada@alpha.test").await.unwrap();
        assert_eq!(
            offered,
            SendOutcome::TheyAsked {
                id: theirs.id,
                version: theirs.version,
                organization: "Alpha".into()
            },
            "[{}]",
            env.backend
        );
        // Nothing new was stored; A sending again is refused as already sent.
        assert_eq!(env.count("partnerships").await, 1);
        assert_eq!(
            field_message(send(env, a.owner, &a.slug, "bo@beta.test").await),
            Blocked::AlreadySent.message()
        );
    })
    .await;
}

#[tokio::test]
async fn an_address_without_an_organization_reads_like_any_other() {
    on_each_backend(async |env| {
        let Pair { a, b } = pair(env).await;
        // Someone only a partner somewhere: no organization of their own.
        let (_, _) = member_as(MembershipKind::Partner, &[], env, &b, "pia@freelance.test").await;
        for address in ["nobody@nowhere.test", "pia@freelance.test"] {
            assert_eq!(send(env, a.owner, &a.slug, address).await.unwrap(), SendOutcome::Sent, "[{}] {address}", env.backend);
            wait_for_mail(env, address, "Alpha would like to partner with your organization on Consort").await;
        }
        let all = lists(env, a.owner, &a.slug).await;
        assert_eq!(all.sent.items.len(), 2);
        assert!(all.sent.items.iter().all(|s| s.organization.is_none() && s.status_words() == "Sent – awaiting approval"));
        assert_eq!(held(env, &b).await, 0, "[{}] B sees nothing: the partner is not its team", env.backend);
        assert_eq!(field_message(send(env, a.owner, &a.slug, "Nobody@Nowhere.test").await), Blocked::AlreadySent.message());

        // The owner of the address signs up: the new organization finds the request.
        let nora = env.sign_up("Nora New", "nobody@nowhere.test", "Nowhere").await;
        let nowhere = Org { slug: crate::common::slug_of(&nora), owner: nora.session };
        let received = only(env, &nowhere, Listed::Received).await;
        assert_eq!(received.organization.as_deref(), Some("Alpha"));
        let sent = lists(env, a.owner, &a.slug).await.sent.items;
        assert!(sent.iter().all(|s| s.organization.is_none()), "[{}] still only the address", env.backend);
        act(env, nowhere.owner, &nowhere.slug, &received, Move::Accept).await.unwrap();
        let partners = lists(env, a.owner, &a.slug).await.partners.items;
        assert_eq!(partners.len(), 1);
        assert_eq!(partners[0].organization.as_deref(), Some("Nowhere"));
    })
    .await;
}

#[tokio::test]
async fn bad_input_is_refused_and_changes_nothing() {
    on_each_backend(async |env| {
        let Pair { a, b } = pair(env).await;
        let (_, _) = member(env, &a, "alex@alpha.test", Role::User).await;
        let c = organization(env, "Cy Chief", "cy@gamma.test", "Gamma").await;
        assert!(
            field_message(send(env, a.owner, &a.slug, "not an address").await).contains("email"),
            "[{}]",
            env.backend
        );
        assert_eq!(
            field_message(send(env, a.owner, &a.slug, "ALEX@alpha.test").await),
            Blocked::OwnOrganization.message()
        );
        assert_eq!(
            field_message(send(env, a.owner, &a.slug, "ada@alpha.test").await),
            Blocked::OwnOrganization.message()
        );
        assert_eq!(env.count("partnerships").await, 0);

        send(env, a.owner, &a.slug, "bo@beta.test").await.unwrap();
        let received = only(env, &b, Listed::Received).await;
        // A forged id, and the relationship of other organizations: not found, nothing changed.
        let forged = PartnershipView {
            id: Uuid::now_v7(),
            ..received.clone()
        };
        assert!(matches!(
            act(env, b.owner, &b.slug, &forged, Move::Accept).await,
            Err(AppError::NotFound(_))
        ));
        for mv in [Move::Accept, Move::Reject, Move::Delete] {
            assert!(
                matches!(
                    act(env, c.owner, &c.slug, &received, mv).await,
                    Err(AppError::NotFound(_))
                ),
                "[{}] {mv:?}",
                env.backend
            );
        }
        // A stale page: the relationship changed meanwhile.
        act(env, b.owner, &b.slug, &received, Move::Reject)
            .await
            .unwrap();
        let snapshot = crate::common::snapshot(env, &[]).await;
        assert!(
            conflict(act(env, b.owner, &b.slug, &received, Move::Accept).await)
                .contains("changed since the page was loaded")
        );
        assert_eq!(crate::common::snapshot(env, &[]).await, snapshot);
        assert_eq!(held(env, &c).await, 0);
    })
    .await;
}

#[tokio::test]
async fn billing_admins_act_users_look_and_outsiders_see_nothing() {
    on_each_backend(async |env| {
        let Pair { a, b } = pair(env).await;
        let (_, billing) = member(env, &a, "bill@alpha.test", Role::BillingAdmin).await;
        let (_, user) = member_as(
            MembershipKind::Team,
            &[Module::Partners],
            env,
            &a,
            "uma@alpha.test",
        )
        .await;
        let (_, plain) = member(env, &a, "pat@alpha.test", Role::User).await;
        let (_, b_partner) = member_as(
            MembershipKind::Partner,
            &[],
            env,
            &b,
            "ivan@alpha-partner.test",
        )
        .await;

        assert_eq!(
            send(env, billing, &a.slug, "bo@beta.test").await.unwrap(),
            SendOutcome::Sent
        );
        let seen = lists(env, user, &a.slug).await;
        assert_eq!(
            (seen.sent.items.len(), seen.may_act),
            (1, false),
            "[{}]",
            env.backend
        );
        assert!(lists(env, billing, &a.slug).await.may_act);
        assert!(matches!(
            send(env, user, &a.slug, "cy@gamma.test").await,
            Err(AppError::Forbidden(_))
        ));
        assert!(matches!(
            act(env, user, &a.slug, &seen.sent.items[0], Move::Delete).await,
            Err(AppError::Forbidden(_))
        ));
        assert!(matches!(
            partnerships::list(&env.state, Some(plain), &a.slug, ListPages::default()).await,
            Err(AppError::Forbidden(_))
        ));
        // B's partner (kind partner, role user) cannot answer for B.
        let received = only(env, &b, Listed::Received).await;
        assert!(matches!(
            act(env, b_partner, &b.slug, &received, Move::Accept).await,
            Err(AppError::Forbidden(_))
        ));
        // Billing admins still cannot manage members.
        assert!(matches!(
            consort::service::members::detail(&env.state, Some(billing), &a.slug, a.owner.user_id)
                .await,
            Err(AppError::Forbidden(_))
        ));
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_sides_sending_at_once_end_in_one_request() {
    on_each_backend(async |env| {
        for round in 0..4 {
            let a = organization(env, "Ada", &format!("ada{round}@alpha.test"), "Alpha").await;
            let b = organization(env, "Bo", &format!("bo{round}@beta.test"), "Beta").await;
            let (from_a, from_b) = tokio::join!(
                tokio::spawn({
                    let (state, client, slug, email) = (
                        env.state.clone(),
                        env.client(),
                        a.slug.clone(),
                        format!("bo{round}@beta.test"),
                    );
                    async move {
                        partnerships::send(&state, &client, Some(a.owner), &slug, &email).await
                    }
                }),
                tokio::spawn({
                    let (state, client, slug, email) = (
                        env.state.clone(),
                        env.client(),
                        b.slug.clone(),
                        format!("ada{round}@alpha.test"),
                    );
                    async move {
                        partnerships::send(&state, &client, Some(b.owner), &slug, &email).await
                    }
                }),
            );
            let outcomes = [from_a.unwrap(), from_b.unwrap()];
            let sent = outcomes
                .iter()
                .filter(|o| matches!(o, Ok(SendOutcome::Sent)))
                .count();
            let offered = outcomes
                .iter()
                .filter(|o| matches!(o, Ok(SendOutcome::TheyAsked { .. })))
                .count();
            assert_eq!((sent, offered), (1, 1), "[{}] {outcomes:?}", env.backend);
            let (la, lb) = (
                lists(env, a.owner, &a.slug).await,
                lists(env, b.owner, &b.slug).await,
            );
            assert_eq!(la.sent.items.len() + la.received.items.len(), 1);
            assert_eq!(lb.sent.items.len() + lb.received.items.len(), 1);
            assert_eq!(
                la.sent.items.len(),
                lb.received.items.len(),
                "[{}] one request, seen from both sides",
                env.backend
            );
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_admins_answering_at_once_leave_one_answer() {
    on_each_backend(async |env| {
        let Pair { a, b } = pair(env).await;
        let (_, second) = member(env, &b, "bea@beta.test", Role::Admin).await;
        for round in 0..4 {
            send(env, a.owner, &a.slug, "bo@beta.test").await.unwrap();
            let received = only(env, &b, Listed::Received).await;
            let (accepting, rejecting) = tokio::join!(
                tokio::spawn({
                    let (state, client, slug, row) = (
                        env.state.clone(),
                        env.client(),
                        b.slug.clone(),
                        received.clone(),
                    );
                    async move {
                        partnerships::act(
                            &state,
                            &client,
                            Some(b.owner),
                            &slug,
                            row.id,
                            row.version,
                            Move::Accept,
                        )
                        .await
                    }
                }),
                tokio::spawn({
                    let (state, client, slug, row) = (
                        env.state.clone(),
                        env.client(),
                        b.slug.clone(),
                        received.clone(),
                    );
                    async move {
                        partnerships::act(
                            &state,
                            &client,
                            Some(second),
                            &slug,
                            row.id,
                            row.version,
                            Move::Reject,
                        )
                        .await
                    }
                }),
            );
            let (accepting, rejecting) = (accepting.unwrap(), rejecting.unwrap());
            assert!(
                accepting.is_ok() != rejecting.is_ok(),
                "[{}] one wins: {accepting:?} {rejecting:?}",
                env.backend
            );
            let want = if accepting.is_ok() {
                PartnershipStatus::Accepted
            } else {
                PartnershipStatus::Rejected
            };
            let (seen_a, seen_b) = (
                lists(env, a.owner, &a.slug).await,
                lists(env, b.owner, &b.slug).await,
            );
            let (row_a, row_b) = match want {
                PartnershipStatus::Accepted => (&seen_a.partners.items, &seen_b.partners.items),
                _ => (&seen_a.rejected.items, &seen_b.rejected.items),
            };
            assert_eq!(
                (row_a.len(), row_b.len()),
                (1, 1),
                "[{}] round {round}",
                env.backend
            );
            assert_eq!(row_a[0].status, want);
            assert_eq!(
                env.count("partnership_events WHERE event IN ('accepted', 'rejected')")
                    .await,
                round + 1
            );
            // Clear the pair for the next round.
            act(env, a.owner, &a.slug, &row_a[0], Move::Delete)
                .await
                .unwrap();
            if let Some(row) = lists(env, b.owner, &b.slug).await.rejected.items.first() {
                act(env, b.owner, &b.slug, row, Move::Delete).await.unwrap();
            }
        }
        assert!(last_mail_to(env, "ada@alpha.test").await.is_some());
    })
    .await;
}

async fn timeline(env: &TestEnv, org: &Org) -> Vec<String> {
    partnerships::timeline(&env.state, Some(org.owner), &org.slug, 1)
        .await
        .unwrap()
        .items
        .into_iter()
        .rev()
        .map(|e| format!("{}: {}", e.relationship, e.sentence()))
        .collect()
}

#[tokio::test]
async fn the_timeline_shows_each_side_its_steps_and_the_others_while_it_held_them() {
    on_each_backend(async |env| {
        let Pair { a, b } = pair(env).await;
        let c = organization(env, "Cy Chief", "cy@gamma.test", "Gamma").await;
        send(env, a.owner, &a.slug, "bo@beta.test").await.unwrap();
        act(
            env,
            b.owner,
            &b.slug,
            &only(env, &b, Listed::Received).await,
            Move::Reject,
        )
        .await
        .unwrap();
        act(
            env,
            a.owner,
            &a.slug,
            &only(env, &a, Listed::Rejected).await,
            Move::Delete,
        )
        .await
        .unwrap();
        act(
            env,
            b.owner,
            &b.slug,
            &only(env, &b, Listed::Rejected).await,
            Move::Delete,
        )
        .await
        .unwrap();
        send(env, a.owner, &a.slug, "bo@beta.test").await.unwrap();
        act(
            env,
            b.owner,
            &b.slug,
            &only(env, &b, Listed::Received).await,
            Move::Accept,
        )
        .await
        .unwrap();
        send(env, a.owner, &a.slug, "cy@gamma.test").await.unwrap();

        assert_eq!(
            timeline(env, &a).await,
            [
                "Beta: Alpha (Ada Admin) sent the request",
                "Beta: Beta (Bo Boss) rejected and ignored",
                "Beta: Alpha (Ada Admin) deleted the relationship",
                "Beta: Alpha (Ada Admin) sent the request",
                "Beta: Beta (Bo Boss) accepted",
                // Unanswered: the address only, never Gamma's name.
                "cy@gamma.test: Alpha (Ada Admin) sent the request",
            ],
            "[{}] B's deletion came after A had deleted: A does not see it",
            env.backend
        );
        assert_eq!(
            timeline(env, &b).await,
            [
                "Alpha: Alpha (Ada Admin) sent the request",
                "Alpha: Beta (Bo Boss) rejected and ignored",
                "Alpha: Alpha (Ada Admin) deleted the relationship",
                "Alpha: Beta (Bo Boss) deleted the relationship",
                "Alpha: Alpha (Ada Admin) sent the request",
                "Alpha: Beta (Bo Boss) accepted",
            ],
            "[{}]",
            env.backend
        );
        assert_eq!(
            timeline(env, &c).await,
            ["Alpha: Alpha (Ada Admin) sent the request"]
        );
        let csv = partnerships::export_timeline(&env.state, &env.client(), Some(a.owner), &a.slug)
            .await
            .unwrap();
        assert!(
            csv.starts_with("when,relationship,organization,person,event\n"),
            "{csv}"
        );
        assert_eq!(csv.lines().count(), 7);
        assert!(
            csv.contains(",cy@gamma.test,Alpha,Ada Admin,sent the request"),
            "{csv}"
        );
        assert_eq!(
            env.count_action(AuditAction::PartnershipTimelineExported)
                .await,
            1
        );
        // Users without the right to act do not read it.
        let (_, user) = member_as(
            MembershipKind::Team,
            &[Module::Partners],
            env,
            &a,
            "uma@alpha.test",
        )
        .await;
        assert!(matches!(
            partnerships::timeline(&env.state, Some(user), &a.slug, 1).await,
            Err(AppError::Forbidden(_))
        ));
    })
    .await;
}

#[tokio::test]
async fn deleting_an_organization_ends_its_relationships_for_the_other_side() {
    on_each_backend(async |env| {
        let Pair { a, b } = pair(env).await;
        let c = organization(env, "Cy Chief", "cy@gamma.test", "Gamma").await;
        send(env, a.owner, &a.slug, "bo@beta.test").await.unwrap();
        act(
            env,
            b.owner,
            &b.slug,
            &only(env, &b, Listed::Received).await,
            Move::Accept,
        )
        .await
        .unwrap();
        send(env, a.owner, &a.slug, "cy@gamma.test").await.unwrap();
        consort::service::ownership::delete(
            &env.state,
            &env.client(),
            Some(a.owner),
            &a.slug,
            "Alpha",
        )
        .await
        .unwrap();
        assert_eq!(
            env.count("partnerships WHERE ended_at IS NULL").await,
            0,
            "[{}]",
            env.backend
        );
        assert_eq!((held(env, &b).await, held(env, &c).await), (0, 0));
        wait_for_mail(
            env,
            "bo@beta.test",
            "Alpha was deleted: the relationship with Beta ended",
        )
        .await;
        wait_for_mail(
            env,
            "cy@gamma.test",
            "Alpha was deleted: the relationship with Gamma ended",
        )
        .await;
        assert_eq!(
            timeline(env, &b).await.last().map(String::as_str),
            Some("A deleted organization: Alpha was deleted; the relationship ended")
        );
        // B may partner with others again, and with a new organization of A's owner's address.
        assert!(send(env, b.owner, &b.slug, "cy@gamma.test").await.is_ok());
    })
    .await;
}

/// The Partners tab of an organization with 1,000 relationships (a quarter in
/// each list): its server function, the median of 51 runs, on each database.
#[tokio::test]
async fn benchmark_the_partners_tab_with_a_thousand_relationships() {
    on_each_backend(async |env| {
        let own = organization(env, "Ada Admin", "ada@alpha.test", "Alpha").await;
        let own_id = consort::db::organizations::find_by_slug(env.db(), &own.slug).await.unwrap().unwrap().id;
        let at = consort::db::now();
        let others: Vec<(Uuid, usize)> = (0..1000).map(|i| (Uuid::now_v7(), i)).collect();
        macro_rules! seed {
            ($pool:expr) => {{
                let mut tx = $pool.begin().await.unwrap();
                for part in others.chunks(100) {
                    let mut insert = sqlx::QueryBuilder::new("INSERT INTO organizations (id, name, slug, created_at) ");
                    insert.push_values(part, |mut b, (id, i)| {
                        b.push_bind(*id).push_bind(format!("Studio {i:04}")).push_bind(format!("studio-{i:04}")).push_bind(at);
                    });
                    insert.build().execute(&mut *tx).await.unwrap();
                    let mut insert = sqlx::QueryBuilder::new(
                        "INSERT INTO partnerships (id, requester_id, recipient_id, recipient_email, recipient_email_key,
                                                   requested_by, status, requester_holds, recipient_holds, created_at, answered_at, answered_by) ",
                    );
                    insert.push_values(part, |mut b, (id, i)| {
                        // Received, sent, partners and rejected, a quarter each.
                        let (from, to, status) = match i % 4 {
                            0 => (*id, own_id, "pending"),
                            1 => (own_id, *id, "pending"),
                            2 => (own_id, *id, "accepted"),
                            _ => (*id, own_id, "rejected"),
                        };
                        let email = format!("someone{i}@studio.test");
                        b.push_bind(Uuid::now_v7()).push_bind(from).push_bind(to).push_bind(email.clone()).push_bind(email)
                            .push_bind(own.owner.user_id).push_bind(status).push_bind(true).push_bind(true).push_bind(at)
                            .push_bind((status != "pending").then_some(at)).push_bind((status != "pending").then_some(own.owner.user_id));
                    });
                    insert.build().execute(&mut *tx).await.unwrap();
                }
                tx.commit().await.unwrap();
            }};
        }
        match env.db() {
            consort::db::Db::Sqlite(pool, _) => seed!(pool),
            consort::db::Db::Postgres(pool) => seed!(pool),
        }
        let mut times = Vec::new();
        for _ in 0..51 {
            let started = std::time::Instant::now();
            let all = lists(env, own.owner, &own.slug).await;
            times.push(started.elapsed().as_secs_f64() * 1000.0);
            let totals = Listed::ALL.map(|which| (all.list(which).total, all.list(which).items.len()));
            assert_eq!(totals, [(250, 20); 4]);
        }
        times.sort_by(f64::total_cmp);
        println!(
            "benchmark: the Partners tab with 1,000 relationships on {}: {:.2} ms (median of 51)",
            env.backend,
            times[times.len() / 2]
        );
    })
    .await;
}
