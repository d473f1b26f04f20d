//! Ownership: making another member owner, stepping down, leaving, deleting the
//! organization — and the last active owner, who always stays.

use crate::common::{TestEnv, on_each_backend};
use crate::invitations::{Org, organization};
use crate::members::member;
use consort::domain::audit::AuditAction;
use consort::domain::role::{MemberStatus, Role};
use consort::error::AppError;
use consort::service::{members, organizations, ownership};
use uuid::Uuid;

async fn version(env: &TestEnv, org: &Org, user: Uuid) -> i64 {
    members::detail(&env.state, Some(org.owner), &org.slug, user)
        .await
        .unwrap()
        .version
}

async fn open_seats(env: &TestEnv) -> i64 {
    let sql = "SELECT COUNT(*) FROM seat_periods WHERE ended_at IS NULL";
    let (n,): (i64,) = match env.db() {
        consort::db::Db::Sqlite(p, _) => sqlx::query_as(sql).fetch_one(p).await.unwrap(),
        consort::db::Db::Postgres(p) => sqlx::query_as(sql).fetch_one(p).await.unwrap(),
    };
    n
}

#[tokio::test]
async fn an_owner_hands_over_and_steps_down() {
    on_each_backend(async |env| {
        let acme = organization(env, "Olive Owner", "owner@acme.test", "Acme").await;
        let (ada, ada_session) = member(env, &acme, "ada@acme.test", Role::User).await;
        let client = env.client();
        let owner = Some(acme.owner);
        let v = version(env, &acme, ada).await;
        // An admin cannot hand out ownership; only owners can.
        let (_, admin_session) = member(env, &acme, "admin@acme.test", Role::Admin).await;
        let refused = ownership::transfer(
            &env.state,
            &client,
            Some(admin_session),
            &acme.slug,
            ada,
            v,
            false,
        )
        .await
        .unwrap_err();
        assert!(
            matches!(refused, AppError::Forbidden(_)),
            "[{}] {refused:?}",
            env.backend
        );
        // A stale version is refused, nothing changes.
        let stale = ownership::transfer(&env.state, &client, owner, &acme.slug, ada, v + 7, true)
            .await
            .unwrap_err();
        assert!(
            matches!(stale, AppError::Conflict(ref m) if m.contains("changed by someone else"))
        );
        ownership::transfer(&env.state, &client, owner, &acme.slug, ada, v, true)
            .await
            .unwrap();
        let ada_now = members::detail(&env.state, Some(ada_session), &acme.slug, ada)
            .await
            .unwrap();
        assert_eq!(ada_now.role, Role::Owner);
        assert_eq!(ada_now.sub_accounts, None, "owners see every sub-account");
        let me = members::detail(
            &env.state,
            Some(ada_session),
            &acme.slug,
            acme.owner.user_id,
        )
        .await
        .unwrap();
        assert_eq!(me.role, Role::Admin, "the former owner stepped down");
        // Now an admin, the former owner can no longer hand ownership on.
        let again = ownership::transfer(&env.state, &client, owner, &acme.slug, ada, 1, false)
            .await
            .unwrap_err();
        assert!(matches!(again, AppError::Forbidden(_)));
        assert_eq!(env.count_action(AuditAction::OwnershipTransferred).await, 1);
    })
    .await;
}

#[tokio::test]
async fn a_deactivated_member_cannot_be_made_owner() {
    on_each_backend(async |env| {
        let acme = organization(env, "Olive Owner", "owner@acme.test", "Acme").await;
        let (dan, _) = member(env, &acme, "dan@acme.test", Role::Admin).await;
        let client = env.client();
        let owner = Some(acme.owner);
        let v = version(env, &acme, dan).await;
        members::set_active(&env.state, &client, owner, &acme.slug, dan, false, v, None)
            .await
            .unwrap();
        let v = version(env, &acme, dan).await;
        let err = ownership::transfer(&env.state, &client, owner, &acme.slug, dan, v, true)
            .await
            .unwrap_err();
        assert!(
            matches!(err, AppError::Conflict(ref m) if m.contains("reactivate")),
            "{err:?}"
        );
        let me = members::detail(&env.state, owner, &acme.slug, acme.owner.user_id)
            .await
            .unwrap();
        assert_eq!(me.role, Role::Owner, "nothing changed");
    })
    .await;
}

#[tokio::test]
async fn members_leave_but_the_last_owner_stays() {
    on_each_backend(async |env| {
        let acme = organization(env, "Olive Owner", "owner@acme.test", "Acme").await;
        let (_, lea) = member(env, &acme, "lea@acme.test", Role::User).await;
        let client = env.client();
        assert_eq!(open_seats(env).await, 2, "[{}]", env.backend);
        ownership::leave(&env.state, &client, Some(lea), &acme.slug)
            .await
            .unwrap();
        assert!(matches!(
            organizations::shell(&env.state, Some(lea), &acme.slug).await,
            Err(AppError::NotFound(_))
        ));
        assert_eq!(open_seats(env).await, 1, "leaving ends the seat");
        let last = ownership::leave(&env.state, &client, Some(acme.owner), &acme.slug)
            .await
            .unwrap_err();
        assert!(
            matches!(last, AppError::Conflict(ref m) if m.contains("last active owner")),
            "{last:?}"
        );
        assert!(
            organizations::shell(&env.state, Some(acme.owner), &acme.slug)
                .await
                .is_ok()
        );
        assert_eq!(env.count_action(AuditAction::MemberLeft).await, 1);
    })
    .await;
}

#[tokio::test]
async fn deleting_an_organization_takes_its_name_and_removes_only_it() {
    on_each_backend(async |env| {
        let acme = organization(env, "Olive Owner", "owner@acme.test", "Acme Works").await;
        let other = organization(env, "Otto", "otto@other.test", "Other").await;
        let (_, admin) = member(env, &acme, "admin@acme.test", Role::Admin).await;
        let client = env.client();
        let owner = Some(acme.owner);
        let wrong = ownership::delete(&env.state, &client, owner, &acme.slug, "acme works")
            .await
            .unwrap_err();
        assert!(
            wrong
                .message_for("confirm_name")
                .unwrap()
                .contains("\"Acme Works\""),
            "[{}] {wrong:?}",
            env.backend
        );
        let by_admin =
            ownership::delete(&env.state, &client, Some(admin), &acme.slug, "Acme Works")
                .await
                .unwrap_err();
        assert!(matches!(by_admin, AppError::Forbidden(_)));
        // Another organization's owner reaches nothing here, whatever they type.
        let foreign = ownership::delete(
            &env.state,
            &client,
            Some(other.owner),
            &acme.slug,
            "Acme Works",
        )
        .await
        .unwrap_err();
        assert!(matches!(foreign, AppError::NotFound(_)));
        let memberships_before = env.count("memberships").await;
        ownership::delete(&env.state, &client, owner, &acme.slug, " Acme Works ")
            .await
            .unwrap();
        assert!(
            consort::db::organizations::find_by_slug(env.db(), &acme.slug)
                .await
                .unwrap()
                .is_none()
        );
        assert_eq!(env.count("memberships").await, memberships_before - 2);
        assert_eq!(env.count("organizations").await, 1);
        for session in [acme.owner, admin] {
            assert!(matches!(
                organizations::shell(&env.state, Some(session), &acme.slug).await,
                Err(AppError::NotFound(_))
            ));
        }
        let shell = organizations::shell(&env.state, Some(other.owner), &other.slug)
            .await
            .unwrap();
        assert_eq!(
            shell.organization.team_members, 1,
            "the other organization is untouched"
        );
        assert_eq!(env.count_action(AuditAction::OrganizationDeleted).await, 1);
    })
    .await;
}

#[tokio::test]
async fn organization_a_cannot_make_owners_in_organization_b() {
    on_each_backend(async |env| {
        let a = organization(env, "Ann", "ann@a.test", "Org A").await;
        let b = organization(env, "Ben", "ben@b.test", "Org B").await;
        let (b_user, _) = member(env, &b, "user@b.test", Role::User).await;
        let v = version(env, &b, b_user).await;
        let client = env.client();
        for slug in [a.slug.as_str(), b.slug.as_str()] {
            let result =
                ownership::transfer(&env.state, &client, Some(a.owner), slug, b_user, v, false)
                    .await;
            assert!(
                matches!(result, Err(AppError::NotFound(_))),
                "[{}] {slug}: {result:?}",
                env.backend
            );
        }
        let untouched = members::detail(&env.state, Some(b.owner), &b.slug, b_user)
            .await
            .unwrap();
        assert_eq!(
            (untouched.role, untouched.status),
            (Role::User, MemberStatus::Active)
        );
    })
    .await;
}
