//! Reinstating (issue 13, item 7): a person removed from an organization, or who
//! left it, within 90 days is offered back their former role, modules and
//! sub-accounts when an admin invites them again; the acceptance restores exactly
//! that; the offer is the organization's own and ends after 90 days or when the
//! account closes.

use crate::common::{PASSWORD, TestEnv, on_each_backend};
use crate::invitations::{Org, invite, log_in, organization, rows, token_for};
use crate::members::member;
use consort::domain::former_access::Departure;
use consort::domain::invitation::{CheckedRow, CsvSource, InviteSource, Outcome};
use consort::domain::member::AccessChange;
use consort::domain::module::Module;
use consort::domain::role::{MembershipKind, Role};
use consort::service::{
    acceptance, access_ends, account_closing, invitations, members, ownership, settings,
};
use uuid::Uuid;

const BEA: &str = "bea@acme.test";

/// Acme with sub-accounts North and South, and Bea, a user limited to North
/// with Partners and Contacts. Returns Acme, Bea's id and North's id.
async fn acme_with_bea(env: &TestEnv) -> (Org, Uuid, Uuid) {
    let acme = organization(env, "Olive Owner", "owner@acme.test", "Acme").await;
    let client = env.client();
    let owner = Some(acme.owner);
    let north = settings::create_sub_account(&env.state, &client, owner, &acme.slug, "North")
        .await
        .unwrap();
    settings::create_sub_account(&env.state, &client, owner, &acme.slug, "South")
        .await
        .unwrap();
    let (bea, _) = member(env, &acme, BEA, Role::User).await;
    let version = version_of(env, &acme, bea).await;
    members::update_access(
        &env.state,
        &client,
        owner,
        &acme.slug,
        bea,
        AccessChange {
            role: Role::User,
            modules: vec!["partners".into(), "contacts".into()],
            sub_accounts: Some(vec![north]),
            version,
        },
    )
    .await
    .unwrap();
    (acme, bea, north)
}

async fn version_of(env: &TestEnv, org: &Org, user: Uuid) -> i64 {
    members::detail(&env.state, Some(org.owner), &org.slug, user)
        .await
        .unwrap()
        .version
}

async fn remove(env: &TestEnv, org: &Org, user: Uuid) {
    let version = version_of(env, org, user).await;
    members::remove(
        &env.state,
        &env.client(),
        Some(org.owner),
        &org.slug,
        user,
        version,
    )
    .await
    .unwrap();
}

/// Bea invited again as an admin, restoring (or not) her former access.
fn again(restore: bool) -> InviteSource {
    let InviteSource::Rows(mut rows) = rows(&[(BEA, Role::Admin)]) else {
        unreachable!()
    };
    rows[0].restore = restore;
    InviteSource::Rows(rows)
}

async fn checked(env: &TestEnv, org: &Org, source: InviteSource) -> CheckedRow {
    invitations::check(&env.state, Some(org.owner), &org.slug, source)
        .await
        .unwrap()
        .rows
        .remove(0)
}

fn sorted(mut modules: Vec<Module>) -> Vec<Module> {
    modules.sort_by_key(|m| m.as_str());
    modules
}

#[tokio::test]
async fn a_removed_member_is_given_back_exactly_their_former_access() {
    on_each_backend(async |env| {
        let (acme, bea, north) = acme_with_bea(env).await;
        remove(env, &acme, bea).await;

        // The check shows what she had; nothing is restored unless asked.
        let row = checked(env, &acme, again(false)).await;
        assert_eq!(row.outcome, Outcome::WillInvite, "[{}]", env.backend);
        let former = row.former.clone().expect("former access is offered");
        assert_eq!(former.departure, Departure::Removed);
        assert_eq!(former.role, Role::User);
        assert_eq!(
            sorted(former.modules.clone()),
            sorted(vec![Module::Partners, Module::Contacts])
        );
        assert_eq!(former.sub_accounts, Some(vec![north]));
        assert_eq!(former.sub_account_names, vec!["North".to_string()]);
        assert!(former.departed().starts_with("Removed on "));
        assert!(!row.restored);
        assert_eq!(row.role, Some(Role::Admin));

        // Restored: the row carries her former role, and so do the mail and the membership.
        let row = checked(env, &acme, again(true)).await;
        assert!(row.restored);
        assert_eq!(row.role, Some(Role::User));
        invite(env, acme.owner, &acme.slug, again(true)).await;
        let mail = crate::common::last_mail_to(env, BEA).await.unwrap();
        assert!(
            mail.text_body
                .contains("You get back the access you had there before"),
            "{}",
            mail.text_body
        );
        let token = token_for(env, BEA).await;
        let session = log_in(env, BEA).await;
        acceptance::accept(&env.state, &env.client(), Some(session), &token)
            .await
            .unwrap();
        let back = members::detail(&env.state, Some(acme.owner), &acme.slug, bea)
            .await
            .unwrap();
        assert_eq!(back.role, Role::User);
        assert_eq!(
            sorted(back.granted),
            sorted(vec![Module::Partners, Module::Contacts])
        );
        assert_eq!(back.sub_accounts, Some(vec![north]));
        // Spent: a member has no former access.
        assert_eq!(env.count("former_memberships").await, 0);
        assert_eq!(env.count("former_membership_sub_accounts").await, 0);
        env.assert_member_counts().await;
    })
    .await;
}

#[tokio::test]
async fn a_member_who_left_is_offered_their_access_and_may_start_afresh() {
    on_each_backend(async |env| {
        let (acme, _, _) = acme_with_bea(env).await;
        let session = log_in(env, BEA).await;
        ownership::leave(&env.state, &env.client(), Some(session), &acme.slug)
            .await
            .unwrap();
        let row = checked(env, &acme, again(false)).await;
        let former = row.former.expect("former access is offered");
        assert_eq!(former.departure, Departure::Left, "[{}]", env.backend);
        assert!(former.departed().starts_with("Left on "));

        // The same choice from a CSV file: line 2 restored.
        let mut file = CsvSource::new(format!("email,role\n{BEA},admin\n"), MembershipKind::Team);
        file.restore_rows = vec![2];
        let row = checked(env, &acme, InviteSource::Csv(file)).await;
        assert!(row.restored);
        assert_eq!(row.role, Some(Role::User));

        // Invited afresh (no restore): the row's access, and the offer is spent.
        invite(env, acme.owner, &acme.slug, again(false)).await;
        let token = token_for(env, BEA).await;
        let session = log_in(env, BEA).await;
        acceptance::accept(&env.state, &env.client(), Some(session), &token)
            .await
            .unwrap();
        let detail = members::detail(&env.state, Some(acme.owner), &acme.slug, session.user_id)
            .await
            .unwrap();
        assert_eq!(detail.role, Role::Admin);
        assert_eq!(detail.sub_accounts, None);
        assert_eq!(env.count("former_memberships").await, 0);
    })
    .await;
}

#[tokio::test]
async fn former_access_is_the_organizations_own_and_lasts_90_days() {
    on_each_backend(async |env| {
        let (acme, bea, _) = acme_with_bea(env).await;
        let globex = organization(env, "Gil Globex", "gil@globex.test", "Globex").await;
        remove(env, &acme, bea).await;

        // Another organization inviting her sees nothing of Acme's.
        let InviteSource::Rows(mut as_partner) = rows(&[(BEA, Role::User)]) else {
            unreachable!()
        };
        as_partner[0].restore = true;
        let row = checked(env, &globex, InviteSource::Rows(as_partner)).await;
        assert_eq!(row.former, None, "[{}]", env.backend);
        assert!(!row.restored);

        // 89 days on she is still offered; past 90 days she is not, and the job forgets her.
        let ago = |days| chrono::Utc::now() - chrono::Duration::days(days);
        env.execute_at("UPDATE former_memberships SET departed_at = $1", ago(89))
            .await;
        assert!(checked(env, &acme, again(true)).await.restored);
        env.execute_at("UPDATE former_memberships SET departed_at = $1", ago(91))
            .await;
        let row = checked(env, &acme, again(true)).await;
        assert_eq!(row.former, None);
        assert!(!row.restored);
        assert_eq!(row.role, Some(Role::Admin));
        let report = access_ends::run_due(&env.state, chrono::Utc::now())
            .await
            .unwrap();
        assert_eq!(report.forgotten, 1);
        assert_eq!(env.count("former_memberships").await, 0);
    })
    .await;
}

#[tokio::test]
async fn restored_access_meets_the_inviters_limits_and_closing_forgets_it() {
    on_each_backend(async |env| {
        let (acme, bea, north) = acme_with_bea(env).await;
        let (_, admin) = member(env, &acme, "adam@acme.test", Role::Admin).await;
        let (olga, _) = member(env, &acme, "olga@acme.test", Role::Owner).await;
        remove(env, &acme, olga).await;

        // An admin may not restore an owner: the same refusal as choosing Owner.
        let InviteSource::Rows(mut rows) = rows(&[("olga@acme.test", Role::User)]) else {
            unreachable!()
        };
        rows[0].restore = true;
        let row = invitations::check(
            &env.state,
            Some(admin),
            &acme.slug,
            InviteSource::Rows(rows),
        )
        .await
        .unwrap()
        .rows
        .remove(0);
        assert!(
            matches!(&row.outcome, Outcome::NotAllowed(m) if m.contains("Owner")),
            "[{}] {:?}",
            env.backend,
            row.outcome
        );

        // An archived sub-account is not given back.
        remove(env, &acme, bea).await;
        settings::set_sub_account_archived(
            &env.state,
            &env.client(),
            Some(acme.owner),
            &acme.slug,
            north,
            true,
        )
        .await
        .unwrap();
        let former = checked(env, &acme, again(false)).await.former.unwrap();
        assert_eq!(former.sub_accounts, Some(vec![]));
        assert!(former.summary().ends_with("no sub-accounts"));

        // Closing her account forgets every former access she had.
        let session = log_in(env, BEA).await;
        account_closing::close(&env.state, &env.client(), Some(session), PASSWORD)
            .await
            .unwrap();
        assert_eq!(env.count("former_memberships").await, 1); // Olga's
        let row = checked(env, &acme, again(true)).await;
        assert_eq!(row.former, None);
    })
    .await;
}
