//! Requests for partner access (issue 13, item 6): an admin creates the
//! organization's partner request code; a signed-in person asks with the
//! organization's address or name and that code; the admins are told by email
//! and see the request; one of them narrows the access and approves (a partner
//! membership with exactly that access) or declines. A wrong code answers as an
//! unknown organization does, and attempts are limited.

use crate::common::{TestEnv, on_each_backend, wait_for_mail};
use crate::invitations::{Org, organization};
use crate::members::member;
use consort::auth::session::Session;
use consort::domain::access_request::{AccessGrant, AccessProposal, NO_MATCH};
use consort::domain::audit::AuditAction;
use consort::domain::module::Module;
use consort::domain::role::{MembershipKind, Role};
use consort::error::AppError;
use consort::service::{access_requests, invitation_replies, members, settings};
use uuid::Uuid;

async fn code_of(env: &TestEnv, org: &Org) -> String {
    access_requests::new_code(&env.state, &env.client(), Some(org.owner), &org.slug)
        .await
        .unwrap()
}

fn proposal(organization: &str, code: &str) -> AccessProposal {
    AccessProposal {
        organization: organization.into(),
        code: code.into(),
        role: Role::User,
        modules: vec![Module::Contacts.as_str().into()],
        all_sub_accounts: true,
        message: "I keep your books. <script>alert(1)</script>".into(),
    }
}

async fn ask(env: &TestEnv, who: Session, proposal: AccessProposal) -> Result<String, AppError> {
    access_requests::request(&env.state, &env.client(), Some(who), proposal).await
}

async fn only_request(env: &TestEnv, org: &Org) -> Uuid {
    let list = access_requests::pending(&env.state, Some(org.owner), &org.slug)
        .await
        .unwrap();
    assert_eq!(list.requests.len(), 1, "[{}]", env.backend);
    list.requests[0].id
}

fn grant(role: Role, sub_accounts: Option<Vec<Uuid>>, access_until: &str) -> AccessGrant {
    AccessGrant {
        role,
        modules: vec![],
        sub_accounts,
        access_until: access_until.into(),
    }
}

#[tokio::test]
async fn a_person_asks_with_the_code_and_an_admin_narrows_the_access_then_approves() {
    on_each_backend(async |env| {
        let b = env.backend;
        let acme = organization(env, "Olive Owner", "owner@acme.test", "Acme").await;
        let client = env.client();
        let north = settings::create_sub_account(
            &env.state,
            &client,
            Some(acme.owner),
            &acme.slug,
            "North",
        )
        .await
        .unwrap();
        settings::create_sub_account(&env.state, &client, Some(acme.owner), &acme.slug, "South")
            .await
            .unwrap();
        // No code yet: nobody can ask.
        let shown = settings::settings(&env.state, Some(acme.owner), &acme.slug)
            .await
            .unwrap();
        assert_eq!(shown.partner_request_code, None, "[{b}]");
        let code = code_of(env, &acme).await;
        let shown = settings::settings(&env.state, Some(acme.owner), &acme.slug)
            .await
            .unwrap();
        assert_eq!(
            shown.partner_request_code.as_deref(),
            Some(code.as_str()),
            "[{b}]"
        );

        // Pat, a team member of her own studio, asks by name, typing the code loosely.
        let pat = organization(env, "Pat Partner", "pat@studio.test", "Studio").await;
        let typed = code.to_lowercase().replace('-', " ");
        let name = ask(env, pat.owner, proposal("  ACME ", &typed))
            .await
            .unwrap();
        assert_eq!(name, "Acme", "[{b}]");
        let mail = wait_for_mail(env, "owner@acme.test", "asks for partner access to Acme").await;
        assert!(mail.text_body.contains("pat@studio.test"), "[{b}]");
        assert!(
            mail.html_body.contains("&lt;script&gt;") && !mail.html_body.contains("<script>"),
            "[{b}] the message is escaped in the mail"
        );
        let waiting = invitation_replies::overview(&env.state, Some(pat.owner))
            .await
            .unwrap()
            .requests;
        assert_eq!(waiting.len(), 1, "[{b}] Pat sees her request waiting");
        assert_eq!(waiting[0].organization, "Acme", "[{b}]");

        let list = access_requests::pending(&env.state, Some(acme.owner), &acme.slug)
            .await
            .unwrap();
        assert_eq!(list.requests.len(), 1, "[{b}]");
        let request = &list.requests[0];
        assert_eq!(request.email, "pat@studio.test", "[{b}]");
        assert_eq!(
            (request.role, request.all_sub_accounts),
            (Role::User, true),
            "[{b}]"
        );
        assert_eq!(request.modules, vec![Module::Contacts], "[{b}]");
        assert_eq!(list.sub_accounts.len(), 2, "[{b}]");

        // The admin narrows it: no modules, North only, until a day next month.
        let day = (chrono::Utc::now() + chrono::Duration::days(40))
            .format("%Y-%m-%d")
            .to_string();
        access_requests::approve(
            &env.state,
            &client,
            Some(acme.owner),
            &acme.slug,
            request.id,
            grant(Role::User, Some(vec![north]), &day),
        )
        .await
        .unwrap();
        let detail = members::detail(&env.state, Some(acme.owner), &acme.slug, pat.owner.user_id)
            .await
            .unwrap();
        assert_eq!(detail.kind, MembershipKind::Partner, "[{b}]");
        assert_eq!(detail.role, Role::User, "[{b}]");
        assert!(
            detail.granted.is_empty(),
            "[{b}] the admin's modules, not the proposal's"
        );
        assert_eq!(detail.sub_accounts, Some(vec![north]), "[{b}]");
        assert!(detail.access_until.is_some(), "[{b}]");
        wait_for_mail(env, "pat@studio.test", "You are now a partner of Acme").await;
        assert_eq!(
            env.count_action(AuditAction::AccessRequested).await,
            1,
            "[{b}]"
        );
        assert_eq!(
            env.count_action(AuditAction::AccessRequestApproved).await,
            1,
            "[{b}]"
        );
        let after = access_requests::pending(&env.state, Some(acme.owner), &acme.slug)
            .await
            .unwrap();
        assert!(after.requests.is_empty(), "[{b}]");
        let mine = invitation_replies::overview(&env.state, Some(pat.owner))
            .await
            .unwrap();
        assert!(mine.requests.is_empty(), "[{b}]");
        assert!(
            mine.organizations.iter().any(|o| o.slug == acme.slug),
            "[{b}]"
        );
        env.assert_member_counts().await;

        // Asking again once a member is refused.
        let again = ask(env, pat.owner, proposal(&acme.slug, &code)).await;
        assert!(
            matches!(again, Err(AppError::Conflict(ref m)) if m.contains("already a member")),
            "[{b}] {again:?}"
        );
    })
    .await;
}

#[tokio::test]
async fn a_wrong_code_reads_like_an_unknown_organization_and_attempts_are_limited() {
    on_each_backend(async |env| {
        let b = env.backend;
        let acme = organization(env, "Olive Owner", "owner@acme.test", "Acme").await;
        let globex = organization(env, "Gil Globex", "gil@globex.test", "Globex").await;
        let acme_code = code_of(env, &acme).await;
        code_of(env, &globex).await;
        let mallory = organization(env, "Mallory", "mallory@evil.test", "Evil").await;

        // A malformed code is a field error, before any lookup.
        let malformed = ask(env, mallory.owner, proposal(&acme.slug, "1234")).await;
        assert!(
            malformed
                .as_ref()
                .is_err_and(|e| e.message_for("code").is_some()),
            "[{b}] {malformed:?}"
        );

        let wrong = acme_code.replace(
            &acme_code[..1],
            if acme_code.starts_with('A') { "B" } else { "A" },
        );
        let answers = [
            ask(env, mallory.owner, proposal(&acme.slug, &wrong)).await,
            ask(env, mallory.owner, proposal("no-such-org", &acme_code)).await,
            ask(env, mallory.owner, proposal(&globex.slug, &acme_code)).await,
        ];
        for answer in &answers {
            assert!(
                matches!(answer, Err(AppError::NotFound(m)) if m == NO_MATCH),
                "[{b}] every miss answers alike: {answer:?}"
            );
        }
        // A new code replaces the old one at once.
        let fresh = code_of(env, &acme).await;
        assert_ne!(fresh, acme_code, "[{b}]");
        let old = ask(env, mallory.owner, proposal(&acme.slug, &acme_code)).await;
        assert!(matches!(old, Err(AppError::NotFound(_))), "[{b}] {old:?}");
        // Ten attempts an hour, counted whether right or wrong: the right code
        // after them is refused too.
        for _ in 0..6 {
            let _ = ask(env, mallory.owner, proposal(&acme.slug, &wrong)).await;
        }
        let limited = ask(env, mallory.owner, proposal(&acme.slug, &fresh)).await;
        assert!(
            matches!(limited, Err(AppError::RateLimited { .. })),
            "[{b}] {limited:?}"
        );
        assert_eq!(env.count("access_requests").await, 0, "[{b}]");
        // Someone else is not limited by Mallory's attempts (and may paste the address).
        let pat = organization(env, "Pat Partner", "pat@studio.test", "Studio").await;
        let pasted = format!("https://consort.example/o/{}/members", acme.slug);
        ask(env, pat.owner, proposal(&pasted, &fresh))
            .await
            .unwrap();
    })
    .await;
}

#[tokio::test]
async fn requests_are_answered_once_and_only_in_their_own_organization() {
    on_each_backend(async |env| {
        let b = env.backend;
        let client = env.client();
        let acme = organization(env, "Olive Owner", "owner@acme.test", "Acme").await;
        let globex = organization(env, "Gil Globex", "gil@globex.test", "Globex").await;
        let (_, admin) = member(env, &acme, "ada@acme.test", Role::Admin).await;
        let code = code_of(env, &acme).await;
        let pat = organization(env, "Pat Partner", "pat@studio.test", "Studio").await;
        ask(env, pat.owner, proposal(&acme.slug, &code))
            .await
            .unwrap();
        let twice = ask(env, pat.owner, proposal(&acme.slug, &code)).await;
        assert!(
            matches!(twice, Err(AppError::Conflict(ref m)) if m.contains("already asked")),
            "[{b}] {twice:?}"
        );
        let id = only_request(env, &acme).await;

        // Another organization's owner cannot see or answer it by its id.
        let forged =
            access_requests::decline(&env.state, &client, Some(globex.owner), &globex.slug, id)
                .await;
        assert!(
            matches!(forged, Err(AppError::NotFound(_))),
            "[{b}] {forged:?}"
        );
        let forged = access_requests::approve(
            &env.state,
            &client,
            Some(globex.owner),
            &globex.slug,
            id,
            grant(Role::User, None, ""),
        )
        .await;
        assert!(
            matches!(forged, Err(AppError::NotFound(_))),
            "[{b}] {forged:?}"
        );
        // An admin cannot make a partner owner; a bad day is named.
        let owner = access_requests::approve(
            &env.state,
            &client,
            Some(admin),
            &acme.slug,
            id,
            grant(Role::Owner, None, ""),
        )
        .await;
        assert!(
            owner
                .as_ref()
                .is_err_and(|e| e.message_for("role").is_some()),
            "[{b}] {owner:?}"
        );
        let past = access_requests::approve(
            &env.state,
            &client,
            Some(admin),
            &acme.slug,
            id,
            grant(Role::User, None, "2001-01-01"),
        )
        .await;
        assert!(
            past.as_ref()
                .is_err_and(|e| e.message_for("access_until").is_some()),
            "[{b}] {past:?}"
        );

        // Two admins answer at the same moment: one answer wins.
        let (approved, declined) = tokio::join!(
            access_requests::approve(
                &env.state,
                &client,
                Some(admin),
                &acme.slug,
                id,
                grant(Role::User, None, "")
            ),
            access_requests::decline(&env.state, &client, Some(acme.owner), &acme.slug, id),
        );
        assert!(
            approved.is_ok() != declined.is_ok(),
            "[{b}] {approved:?} {declined:?}"
        );
        let member =
            members::detail(&env.state, Some(acme.owner), &acme.slug, pat.owner.user_id).await;
        assert_eq!(
            member.is_ok(),
            approved.is_ok(),
            "[{b}] a membership exactly when approved"
        );
        let subject = if approved.is_ok() {
            "You are now a partner of Acme"
        } else {
            "was declined"
        };
        wait_for_mail(env, "pat@studio.test", subject).await;
        let late =
            access_requests::decline(&env.state, &client, Some(acme.owner), &acme.slug, id).await;
        assert!(matches!(late, Err(AppError::Conflict(_))), "[{b}] {late:?}");
        env.assert_member_counts().await;

        // After a decline the person may ask again.
        if declined.is_ok() {
            ask(env, pat.owner, proposal(&acme.slug, &code))
                .await
                .unwrap();
            assert_ne!(only_request(env, &acme).await, id, "[{b}]");
        }
    })
    .await;
}
