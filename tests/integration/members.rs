//! Managing members: role, modules and sub-accounts; deactivate, reactivate,
//! remove; the owner rules; stale edits; and the wall between organizations.

use crate::common::{PASSWORD, TestEnv, on_each_backend};
use crate::invitations::{Org, invite, organization, rows, token_for};
use consort::auth::session::Session;
use consort::domain::audit::AuditAction;
use consort::domain::invitation::Outcome;
use consort::domain::member::AccessChange;
use consort::domain::module::Module;
use consort::domain::role::{MemberStatus, Role};
use consort::error::AppError;
use consort::service::{acceptance, invitations, members, organizations, settings};
use uuid::Uuid;

/// Deactivates (`active` false) or reactivates `user` of `slug` as `by`, at the
/// version the member's detail shows now.
pub async fn set_active_now(
    env: &TestEnv,
    by: Option<Session>,
    slug: &str,
    user: Uuid,
    active: bool,
) {
    let version = members::detail(&env.state, by, slug, user)
        .await
        .unwrap()
        .version;
    members::set_active(
        &env.state,
        &env.client(),
        by,
        slug,
        user,
        active,
        version,
        None,
    )
    .await
    .unwrap_or_else(|e| panic!("[{}] set_active({active}): {e:?}", env.backend));
}

/// Invites `email` into `org` with `role` and accepts as a new person.
pub async fn member(env: &TestEnv, org: &Org, email: &str, role: Role) -> (Uuid, Session) {
    invite(env, org.owner, &org.slug, rows(&[(email, role)])).await;
    let token = token_for(env, email).await;
    let signed = acceptance::accept_with_new_account(
        &env.state,
        &env.client(),
        None,
        &token,
        "Test Member",
        PASSWORD,
    )
    .await
    .unwrap();
    (signed.session.user_id, signed.session)
}

pub fn change(role: Role, modules: Vec<Module>, version: i64) -> AccessChange {
    AccessChange {
        role,
        modules: modules.iter().map(|m| m.as_str().to_string()).collect(),
        sub_accounts: None,
        version,
    }
}

#[tokio::test]
async fn an_admin_changes_role_modules_and_sub_accounts() {
    on_each_backend(async |env| {
        let acme = organization(env, "Olive Owner", "owner@acme.test", "Acme").await;
        let (admin, admin_session) = member(env, &acme, "admin@acme.test", Role::Admin).await;
        let (user, _) = member(env, &acme, "user@acme.test", Role::User).await;
        let north = settings::create_sub_account(
            &env.state,
            &env.client(),
            Some(acme.owner),
            &acme.slug,
            "North",
        )
        .await
        .unwrap();
        let by_admin = Some(admin_session);
        let before = members::detail(&env.state, by_admin, &acme.slug, user)
            .await
            .unwrap();
        assert_eq!(before.role, Role::User, "[{}]", env.backend);
        assert!(before.effective_modules.is_empty());
        assert_eq!(before.effective_sub_accounts, vec!["North".to_string()]);
        let mut access = change(Role::BillingAdmin, vec![Module::Contacts], before.version);
        access.sub_accounts = Some(vec![north]);
        members::update_access(
            &env.state,
            &env.client(),
            by_admin,
            &acme.slug,
            user,
            access,
        )
        .await
        .unwrap();
        let after = members::detail(&env.state, by_admin, &acme.slug, user)
            .await
            .unwrap();
        assert_eq!(after.role, Role::BillingAdmin);
        assert_eq!(
            after.effective_modules,
            vec![
                Module::Members,
                Module::Partners,
                Module::Contacts,
                Module::Billing
            ]
        );
        assert_eq!(after.sub_accounts, Some(vec![north]));
        assert_eq!(after.version, before.version + 1);
        assert_eq!(env.count_action(AuditAction::MemberAccessChanged).await, 1);
        assert!(!after.is_you);
        assert!(
            members::detail(&env.state, by_admin, &acme.slug, admin)
                .await
                .unwrap()
                .is_you
        );
    })
    .await;
}

#[tokio::test]
async fn bad_grants_and_stale_edits_change_nothing() {
    on_each_backend(async |env| {
        let acme = organization(env, "Olive Owner", "owner@acme.test", "Acme").await;
        let other = organization(env, "Otto", "otto@other.test", "Other").await;
        let foreign_sub = settings::create_sub_account(
            &env.state,
            &env.client(),
            Some(other.owner),
            &other.slug,
            "Theirs",
        )
        .await
        .unwrap();
        let (user, _) = member(env, &acme, "user@acme.test", Role::User).await;
        let owner = Some(acme.owner);
        let v = members::detail(&env.state, owner, &acme.slug, user)
            .await
            .unwrap()
            .version;
        let err = members::update_access(
            &env.state,
            &env.client(),
            owner,
            &acme.slug,
            user,
            change(Role::User, vec![Module::Members], v),
        )
        .await
        .unwrap_err();
        let mut unknown = change(Role::User, vec![], v);
        unknown.modules = vec!["contacts".into(), "pricing".into()];
        let refused =
            members::update_access(&env.state, &env.client(), owner, &acme.slug, user, unknown)
                .await
                .unwrap_err();
        assert!(
            refused
                .message_for("modules")
                .unwrap()
                .starts_with("Unknown module \"pricing\""),
            "{refused:?}"
        );
        assert!(
            err.message_for("modules").unwrap().contains("admins only"),
            "[{}]",
            env.backend
        );
        let mut foreign = change(Role::User, vec![], v);
        foreign.sub_accounts = Some(vec![foreign_sub]);
        let err =
            members::update_access(&env.state, &env.client(), owner, &acme.slug, user, foreign)
                .await
                .unwrap_err();
        assert!(
            err.message_for("sub_accounts")
                .unwrap()
                .contains("does not belong")
        );
        // Two admins edit the same member: the second one's edit is refused.
        members::update_access(
            &env.state,
            &env.client(),
            owner,
            &acme.slug,
            user,
            change(Role::Admin, vec![], v),
        )
        .await
        .unwrap();
        let stale = members::update_access(
            &env.state,
            &env.client(),
            owner,
            &acme.slug,
            user,
            change(Role::BillingAdmin, vec![], v),
        )
        .await
        .unwrap_err();
        assert!(
            matches!(stale, AppError::Conflict(ref m) if m.contains("Someone else changed")),
            "{stale:?}"
        );
        let now = members::detail(&env.state, owner, &acme.slug, user)
            .await
            .unwrap();
        assert_eq!(now.role, Role::Admin, "the first edit stands");
        assert_eq!(env.count_action(AuditAction::MemberAccessChanged).await, 1);
    })
    .await;
}

#[tokio::test]
async fn a_deactivated_member_is_refused_at_once_and_a_removed_one_keeps_nothing() {
    on_each_backend(async |env| {
        let acme = organization(env, "Olive Owner", "owner@acme.test", "Acme").await;
        let (user, user_session) = member(env, &acme, "user@acme.test", Role::Admin).await;
        let owner = Some(acme.owner);
        let shell = async || organizations::shell(&env.state, Some(user_session), &acme.slug).await;
        assert!(shell().await.is_ok());
        let v = members::detail(&env.state, owner, &acme.slug, user)
            .await
            .unwrap()
            .version;
        let team = async || {
            let shell = organizations::shell(&env.state, owner, &acme.slug)
                .await
                .unwrap();
            shell.organization.team_members
        };
        assert_eq!(team().await, 2, "[{}] the owner and the admin", env.backend);
        members::set_active(
            &env.state,
            &env.client(),
            owner,
            &acme.slug,
            user,
            false,
            v,
            None,
        )
        .await
        .unwrap();
        assert_eq!(
            team().await,
            1,
            "[{}] a deactivated member is not counted",
            env.backend
        );
        env.assert_member_counts().await;
        // The same session, opened before: refused, not stale data.
        assert!(
            matches!(shell().await, Err(AppError::Forbidden(m)) if m.contains("deactivated")),
            "[{}]",
            env.backend
        );
        let refused = invitations::check(
            &env.state,
            Some(user_session),
            &acme.slug,
            rows(&[("x@acme.test", Role::User)]),
        )
        .await
        .unwrap_err();
        assert!(matches!(refused, AppError::Forbidden(_)));
        let detail = members::detail(&env.state, owner, &acme.slug, user)
            .await
            .unwrap();
        assert_eq!(detail.status, MemberStatus::Deactivated);
        members::set_active(
            &env.state,
            &env.client(),
            owner,
            &acme.slug,
            user,
            true,
            detail.version,
            None,
        )
        .await
        .unwrap();
        assert!(shell().await.is_ok());
        let v = members::detail(&env.state, owner, &acme.slug, user)
            .await
            .unwrap()
            .version;
        members::remove(&env.state, &env.client(), owner, &acme.slug, user, v)
            .await
            .unwrap();
        assert!(
            matches!(shell().await, Err(AppError::NotFound(_))),
            "a removed member keeps no working session here"
        );
        assert_eq!(team().await, 1, "[{}]", env.backend);
        env.assert_member_counts().await;
        // Removed people can be invited again.
        let again = invitations::check(
            &env.state,
            owner,
            &acme.slug,
            rows(&[("user@acme.test", Role::User)]),
        )
        .await
        .unwrap();
        assert_eq!(again.rows[0].outcome, Outcome::WillInvite);
        for action in [
            AuditAction::MemberDeactivated,
            AuditAction::MemberReactivated,
            AuditAction::MemberRemoved,
        ] {
            assert_eq!(env.count_action(action).await, 1, "{action:?}");
        }
    })
    .await;
}

#[tokio::test]
async fn owners_are_protected_and_the_last_one_stays() {
    on_each_backend(async |env| {
        let acme = organization(env, "Olive Owner", "owner@acme.test", "Acme").await;
        let (admin, admin_session) = member(env, &acme, "admin@acme.test", Role::Admin).await;
        let owner = Some(acme.owner);
        let owner_id = acme.owner.user_id;
        let v = members::detail(&env.state, owner, &acme.slug, owner_id)
            .await
            .unwrap()
            .version;
        // An admin touches no owner and raises nobody, themself included, above admin.
        let by_admin = Some(admin_session);
        for result in [
            members::update_access(
                &env.state,
                &env.client(),
                by_admin,
                &acme.slug,
                owner_id,
                change(Role::User, vec![], v),
            )
            .await,
            members::set_active(
                &env.state,
                &env.client(),
                by_admin,
                &acme.slug,
                owner_id,
                false,
                v,
                None,
            )
            .await,
            members::remove(&env.state, &env.client(), by_admin, &acme.slug, owner_id, v).await,
        ] {
            assert!(
                matches!(result, Err(AppError::Forbidden(ref m)) if m.contains("Only an owner")),
                "[{}] {result:?}",
                env.backend
            );
        }
        let av = members::detail(&env.state, by_admin, &acme.slug, admin)
            .await
            .unwrap()
            .version;
        let raise = members::update_access(
            &env.state,
            &env.client(),
            by_admin,
            &acme.slug,
            admin,
            change(Role::Owner, vec![], av),
        )
        .await
        .unwrap_err();
        assert!(matches!(raise, AppError::Forbidden(ref m) if m.contains("above your own")));
        // The last active owner cannot step down.
        let last = members::update_access(
            &env.state,
            &env.client(),
            owner,
            &acme.slug,
            owner_id,
            change(Role::Admin, vec![], v),
        )
        .await
        .unwrap_err();
        assert!(
            matches!(last, AppError::Conflict(ref m) if m.contains("last active owner")),
            "{last:?}"
        );
        let self_remove =
            members::remove(&env.state, &env.client(), owner, &acme.slug, owner_id, v)
                .await
                .unwrap_err();
        assert!(matches!(self_remove, AppError::Forbidden(_)));
        // With a second owner, the first may step down.
        members::update_access(
            &env.state,
            &env.client(),
            owner,
            &acme.slug,
            admin,
            change(Role::Owner, vec![], av),
        )
        .await
        .unwrap();
        members::update_access(
            &env.state,
            &env.client(),
            owner,
            &acme.slug,
            owner_id,
            change(Role::Admin, vec![], v),
        )
        .await
        .unwrap();
        let me = members::detail(&env.state, owner, &acme.slug, owner_id)
            .await
            .unwrap();
        assert_eq!(me.role, Role::Admin);
    })
    .await;
}

#[tokio::test]
async fn organization_a_reaches_no_member_of_organization_b() {
    on_each_backend(async |env| {
        let a = organization(env, "Ann", "ann@a.test", "Org A").await;
        let b = organization(env, "Ben", "ben@b.test", "Org B").await;
        let (b_user, _) = member(env, &b, "user@b.test", Role::User).await;
        let v = members::detail(&env.state, Some(b.owner), &b.slug, b_user)
            .await
            .unwrap()
            .version;
        let own = Some(a.owner);
        let client = env.client();
        for slug in [a.slug.as_str(), b.slug.as_str()] {
            assert!(
                matches!(
                    members::detail(&env.state, own, slug, b_user).await,
                    Err(AppError::NotFound(_))
                ),
                "[{}] {slug}",
                env.backend
            );
            let results = [
                members::update_access(
                    &env.state,
                    &client,
                    own,
                    slug,
                    b_user,
                    change(Role::Admin, vec![], v),
                )
                .await,
                members::set_active(&env.state, &client, own, slug, b_user, false, v, None).await,
                members::remove(&env.state, &client, own, slug, b_user, v).await,
            ];
            for result in results {
                assert!(
                    matches!(result, Err(AppError::NotFound(_))),
                    "{slug}: {result:?}"
                );
            }
        }
        let untouched = members::detail(&env.state, Some(b.owner), &b.slug, b_user)
            .await
            .unwrap();
        assert_eq!(
            (untouched.role, untouched.status, untouched.version),
            (Role::User, MemberStatus::Active, v)
        );
    })
    .await;
}
