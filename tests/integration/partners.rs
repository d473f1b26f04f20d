//! Partners (issue 13): the kind of a membership at every door — invited by
//! typed rows, pasted lists and CSV files, reported before sending when a team
//! member elsewhere is invited as a team member, filtered on the Members list,
//! and converted on the member page under the same one-team rule.

use crate::common::{PASSWORD, TestEnv, last_mail_to, on_each_backend};
use crate::invitations::{Org, csv, invite, log_in, organization, rows, rows_as, token_for};
use crate::members::member;
use consort::auth::session::Session;
use consort::domain::audit::AuditAction;
use consort::domain::invitation::{CsvSource, InviteSource, Outcome};
use consort::domain::member::{MemberQuery, MemberSort};
use consort::domain::role::{MemberStatus, MembershipKind, Role};
use consort::error::AppError;
use consort::service::{acceptance, invitations, members};

const GIL: &str = "gil@globex.test";

/// Acme, and Globex whose owner Gil is a team member there.
async fn two_organizations(env: &TestEnv) -> (Org, Session) {
    let acme = organization(env, "Olive Owner", "owner@acme.test", "Acme").await;
    let globex = organization(env, "Gil Globex", GIL, "Globex").await;
    (acme, globex.owner)
}

async fn check(env: &TestEnv, org: &Org, source: InviteSource) -> Vec<Outcome> {
    invitations::check(&env.state, Some(org.owner), &org.slug, source)
        .await
        .unwrap()
        .rows
        .into_iter()
        .map(|r| r.outcome)
        .collect()
}

#[tokio::test]
async fn a_team_member_elsewhere_is_reported_on_every_path_and_invited_as_a_partner() {
    on_each_backend(async |env| {
        let (acme, _) = two_organizations(env).await;
        let team = |text: &str| csv(text);
        // Typed or pasted as a team member: reported, with the reason.
        let typed = check(
            env,
            &acme,
            rows(&[(GIL, Role::User), ("new@x.test", Role::User)]),
        )
        .await;
        assert_eq!(
            typed,
            vec![Outcome::TeamElsewhere, Outcome::WillInvite],
            "[{}]",
            env.backend
        );
        assert!(
            Outcome::TeamElsewhere
                .explain()
                .contains("invite as partner instead")
        );
        // The same address in capitals, as "Name <address>".
        let named = check(env, &acme, rows(&[("Gil <GIL@Globex.test>", Role::User)])).await;
        assert_eq!(named, vec![Outcome::TeamElsewhere]);
        // A CSV file: without a kind column, with kind team, with kind partner.
        assert_eq!(
            check(env, &acme, team(&format!("email\n{GIL}\n"))).await,
            vec![Outcome::TeamElsewhere]
        );
        assert_eq!(
            check(env, &acme, team(&format!("email,kind\n{GIL},team\n"))).await,
            vec![Outcome::TeamElsewhere]
        );
        assert_eq!(
            check(env, &acme, team(&format!("email,kind\n{GIL},partner\n"))).await,
            vec![Outcome::WillInvite]
        );
        // The dialog's one-click switch of that row (line 2) to partner.
        let switched = InviteSource::Csv(CsvSource {
            text: format!("email\n{GIL}\n"),
            kind: MembershipKind::Team,
            partner_rows: vec![2],
            restore_rows: vec![],
        });
        assert_eq!(check(env, &acme, switched).await, vec![Outcome::WillInvite]);
        // A file uploaded from "Invite partner": its rows are partners.
        let partners = InviteSource::Csv(CsvSource::new(
            format!("email\n{GIL}\n"),
            MembershipKind::Partner,
        ));
        assert_eq!(check(env, &acme, partners).await, vec![Outcome::WillInvite]);

        // Sending as a team member stores nothing.
        let refused = invitations::send(
            &env.state,
            &env.client(),
            Some(acme.owner),
            &acme.slug,
            rows(&[(GIL, Role::User)]),
        )
        .await
        .unwrap_err();
        assert!(refused.message_for("addresses").is_some(), "{refused:?}");
        assert_eq!(env.count("invitations").await, 0);

        // As a partner, with a role like anyone else, and accepted.
        let sent = invite(
            env,
            acme.owner,
            &acme.slug,
            rows_as(MembershipKind::Partner, &[(GIL, Role::Admin)]),
        )
        .await;
        assert_eq!(sent.invited, 1);
        assert_eq!(sent.report.rows[0].kind, Some(MembershipKind::Partner));
        let mail = last_mail_to(env, GIL).await.unwrap();
        assert!(
            mail.text_body.contains("as a partner"),
            "{}",
            mail.text_body
        );
        let gil = log_in(env, GIL).await;
        let token = token_for(env, GIL).await;
        acceptance::accept(&env.state, &env.client(), Some(gil), &token)
            .await
            .unwrap();
        let listed = list(env, &acme, Some(MembershipKind::Partner)).await;
        assert_eq!(
            listed,
            vec![(GIL.to_string(), MembershipKind::Partner, Role::Admin)]
        );
        env.assert_member_counts().await;
    })
    .await;
}

#[tokio::test]
async fn a_deactivated_team_membership_elsewhere_still_counts() {
    on_each_backend(async |env| {
        let (acme, _) = two_organizations(env).await;
        let globex = organization(env, "Hana Globex", "hana@globex2.test", "Globex Two").await;
        let (ben, _) = member(env, &globex, "ben@globex2.test", Role::User).await;
        crate::members::set_active_now(env, Some(globex.owner), &globex.slug, ben, false).await;
        let outcome = check(env, &acme, rows(&[("ben@globex2.test", Role::User)])).await;
        assert_eq!(outcome, vec![Outcome::TeamElsewhere], "[{}]", env.backend);
        // Ben's own organization does not count against him there.
        let own = check(env, &globex, rows(&[("ben@globex2.test", Role::User)])).await;
        assert_eq!(own, vec![Outcome::AlreadyMember]);
    })
    .await;
}

async fn list(
    env: &TestEnv,
    org: &Org,
    kind: Option<MembershipKind>,
) -> Vec<(String, MembershipKind, Role)> {
    let page = members::list(
        &env.state,
        Some(org.owner),
        &org.slug,
        MemberQuery {
            status: MemberStatus::Active,
            kind,
            search: String::new(),
            sort: MemberSort::Name,
            descending: false,
            page: 1,
        },
    )
    .await
    .unwrap();
    assert_eq!(page.total as usize, page.items.len(), "one page here");
    page.items
        .into_iter()
        .map(|m| (m.email, m.kind, m.role))
        .collect()
}

#[tokio::test]
async fn members_filter_by_kind_with_counts_that_match() {
    on_each_backend(async |env| {
        let (acme, _) = two_organizations(env).await;
        member(env, &acme, "tom@acme.test", Role::User).await;
        invite(
            env,
            acme.owner,
            &acme.slug,
            rows_as(MembershipKind::Partner, &[("pia@studio.test", Role::User)]),
        )
        .await;
        let token = token_for(env, "pia@studio.test").await;
        acceptance::accept_with_new_account(
            &env.state,
            &env.client(),
            None,
            &token,
            "Pia Partner",
            PASSWORD,
        )
        .await
        .unwrap();
        let partners = list(env, &acme, Some(MembershipKind::Partner)).await;
        assert_eq!(
            partners,
            vec![(
                "pia@studio.test".into(),
                MembershipKind::Partner,
                Role::User
            )],
            "[{}]",
            env.backend
        );
        let team: Vec<String> = list(env, &acme, Some(MembershipKind::Team))
            .await
            .into_iter()
            .map(|m| m.0)
            .collect();
        assert_eq!(
            team,
            vec!["owner@acme.test".to_string(), "tom@acme.test".to_string()]
        );
        assert_eq!(list(env, &acme, None).await.len(), 3);
        // A search within a kind counts the rows that match.
        let page = members::list(
            &env.state,
            Some(acme.owner),
            &acme.slug,
            MemberQuery {
                status: MemberStatus::Active,
                kind: Some(MembershipKind::Team),
                search: "pia".into(),
                sort: MemberSort::Name,
                descending: false,
                page: 1,
            },
        )
        .await
        .unwrap();
        assert_eq!((page.total, page.items.len()), (0, 0));
    })
    .await;
}

#[tokio::test]
async fn an_admin_converts_a_member_between_team_and_partner_under_the_one_team_rule() {
    on_each_backend(async |env| {
        let (acme, gil_session) = two_organizations(env).await;
        let (admin, admin_session) = member(env, &acme, "adam@acme.test", Role::Admin).await;
        let (tom, _) = member(env, &acme, "tom@acme.test", Role::User).await;
        let by_admin = Some(admin_session);
        let (owner, slug) = (acme.owner, acme.slug.clone());
        let detail = |user| {
            let slug = slug.clone();
            async move {
                members::detail(&env.state, Some(owner), &slug, user)
                    .await
                    .unwrap()
            }
        };

        // Team → partner: kept role, an email, an audit event, counts follow.
        let before = detail(tom).await;
        members::change_kind(
            &env.state,
            &env.client(),
            by_admin,
            &acme.slug,
            tom,
            MembershipKind::Partner,
            before.version,
        )
        .await
        .unwrap();
        let after = detail(tom).await;
        assert_eq!(
            (after.kind, after.role),
            (MembershipKind::Partner, Role::User),
            "[{}]",
            env.backend
        );
        assert_eq!(after.version, before.version + 1);
        let mail = last_mail_to(env, "tom@acme.test").await.unwrap();
        assert_eq!(mail.subject, "You are now a partner of Acme");
        assert_eq!(env.count_action(AuditAction::MemberKindChanged).await, 1);
        env.assert_member_counts().await;
        // The old version is stale now.
        let stale = members::change_kind(
            &env.state,
            &env.client(),
            by_admin,
            &acme.slug,
            tom,
            MembershipKind::Team,
            before.version,
        )
        .await
        .unwrap_err();
        assert!(matches!(stale, AppError::Conflict(_)), "{stale:?}");
        // The same kind again is a clear no.
        let same = members::change_kind(
            &env.state,
            &env.client(),
            by_admin,
            &acme.slug,
            tom,
            MembershipKind::Partner,
            after.version,
        )
        .await
        .unwrap_err();
        assert_eq!(
            same.message_for("kind").as_deref(),
            Some("Test Member is a partner already.")
        );

        // Gil, a team member of Globex, joins Acme as a partner and cannot be made a team member.
        invite(
            env,
            acme.owner,
            &acme.slug,
            rows_as(MembershipKind::Partner, &[(GIL, Role::User)]),
        )
        .await;
        let token = token_for(env, GIL).await;
        acceptance::accept(&env.state, &env.client(), Some(gil_session), &token)
            .await
            .unwrap();
        let gil = gil_session.user_id;
        let version = detail(gil).await.version;
        let refused = members::change_kind(
            &env.state,
            &env.client(),
            by_admin,
            &acme.slug,
            gil,
            MembershipKind::Team,
            version,
        )
        .await
        .unwrap_err();
        assert!(
            refused
                .message_for("kind")
                .unwrap()
                .contains("team member of another organization"),
            "{refused:?}"
        );
        assert_eq!(detail(gil).await.kind, MembershipKind::Partner);
        assert_eq!(detail(gil).await.version, version, "nothing changed");

        // Tom, free of any other team, becomes a team member again.
        members::change_kind(
            &env.state,
            &env.client(),
            by_admin,
            &acme.slug,
            tom,
            MembershipKind::Team,
            after.version,
        )
        .await
        .unwrap();
        assert_eq!(detail(tom).await.kind, MembershipKind::Team);

        // Not oneself, not an owner by an admin, not by a plain user, not from another organization.
        let own = detail(admin).await.version;
        assert!(
            members::change_kind(
                &env.state,
                &env.client(),
                by_admin,
                &acme.slug,
                admin,
                MembershipKind::Partner,
                own
            )
            .await
            .is_err()
        );
        let owner_id = acme.owner.user_id;
        let owner_version = detail(owner_id).await.version;
        let on_owner = members::change_kind(
            &env.state,
            &env.client(),
            by_admin,
            &acme.slug,
            owner_id,
            MembershipKind::Partner,
            owner_version,
        )
        .await
        .unwrap_err();
        assert!(matches!(on_owner, AppError::Forbidden(_)), "{on_owner:?}");
        let from_globex = members::change_kind(
            &env.state,
            &env.client(),
            Some(gil_session),
            &acme.slug,
            tom,
            MembershipKind::Partner,
            detail(tom).await.version,
        )
        .await
        .unwrap_err();
        assert!(
            matches!(from_globex, AppError::Forbidden(_) | AppError::NotFound(_)),
            "{from_globex:?}"
        );
        assert_eq!(detail(tom).await.kind, MembershipKind::Team);
        env.assert_member_counts().await;
    })
    .await;
}

#[tokio::test]
async fn the_schema_refuses_a_second_team_when_two_conversions_race() {
    on_each_backend(async |env| {
        // Two organizations each hold Pat as a partner; both make Pat a team member at once.
        let a = organization(env, "Ann A", "ann@a.test", "A Org").await;
        let b = organization(env, "Bob B", "bob@b.test", "B Org").await;
        invite(
            env,
            a.owner,
            &a.slug,
            rows_as(MembershipKind::Partner, &[("pat@free.test", Role::User)]),
        )
        .await;
        let token = token_for(env, "pat@free.test").await;
        let pat = acceptance::accept_with_new_account(
            &env.state,
            &env.client(),
            None,
            &token,
            "Pat",
            PASSWORD,
        )
        .await
        .unwrap()
        .session;
        invite(
            env,
            b.owner,
            &b.slug,
            rows_as(MembershipKind::Partner, &[("pat@free.test", Role::User)]),
        )
        .await;
        let token = token_for(env, "pat@free.test").await;
        acceptance::accept(&env.state, &env.client(), Some(pat), &token)
            .await
            .unwrap();
        let pat_id = pat.user_id;
        let va = members::detail(&env.state, Some(a.owner), &a.slug, pat_id)
            .await
            .unwrap()
            .version;
        let vb = members::detail(&env.state, Some(b.owner), &b.slug, pat_id)
            .await
            .unwrap()
            .version;
        let client = env.client();
        let (ra, rb) = tokio::join!(
            members::change_kind(
                &env.state,
                &client,
                Some(a.owner),
                &a.slug,
                pat_id,
                MembershipKind::Team,
                va
            ),
            members::change_kind(
                &env.state,
                &client,
                Some(b.owner),
                &b.slug,
                pat_id,
                MembershipKind::Team,
                vb
            ),
        );
        assert_eq!(
            ra.is_ok() as u8 + rb.is_ok() as u8,
            1,
            "[{}] {ra:?} {rb:?}",
            env.backend
        );
        let failed = ra.err().or(rb.err()).unwrap();
        assert!(
            failed
                .message_for("kind")
                .unwrap()
                .contains("team member of another organization"),
            "{failed:?}"
        );
        assert_eq!(env.count_action(AuditAction::MemberKindChanged).await, 1);
        env.assert_member_counts().await;
    })
    .await;
}

/// `make bench`: a partner in 500 organizations. The switcher's list, the frame
/// of an organization's pages (which carries that list) and the access check,
/// each the median of 51 runs.
#[tokio::test]
async fn benchmark_a_partner_in_five_hundred_organizations() {
    on_each_backend(async |env| {
        let pat = env.sign_up("Pat Partner", "pat@agency.test", "Pat Agency").await.session;
        let at = consort::db::now();
        let orgs: Vec<(uuid::Uuid, String)> =
            (0..500).map(|i| (uuid::Uuid::now_v7(), format!("client-{i:03}"))).collect();
        macro_rules! seed {
            ($pool:expr) => {{
                let mut tx = $pool.begin().await.unwrap();
                for part in orgs.chunks(100) {
                    let mut insert = sqlx::QueryBuilder::new("INSERT INTO organizations (id, name, slug, created_at) ");
                    insert.push_values(part, |mut b, (id, slug)| {
                        b.push_bind(*id).push_bind(format!("Client {slug}")).push_bind(slug).push_bind(at);
                    });
                    insert.build().execute(&mut *tx).await.unwrap();
                    let mut insert = sqlx::QueryBuilder::new(
                        "INSERT INTO memberships (id, organization_id, user_id, kind, role, status, name_key, email_key, created_at, updated_at) ",
                    );
                    insert.push_values(part, |mut b, (id, _)| {
                        b.push_bind(uuid::Uuid::now_v7()).push_bind(*id).push_bind(pat.user_id).push_bind("partner")
                            .push_bind("user").push_bind("active").push_bind("pat partner")
                            .push_bind("pat@agency.test").push_bind(at).push_bind(at);
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
        let slug = "client-250";
        async fn median<F: AsyncFn() -> ()>(run: F) -> f64 {
            let mut times = Vec::new();
            for _ in 0..51 {
                let started = std::time::Instant::now();
                run().await;
                times.push(started.elapsed().as_secs_f64() * 1000.0);
            }
            times.sort_by(f64::total_cmp);
            times[times.len() / 2]
        }
        let list = median(async || {
            let rows = consort::db::organizations::for_user(env.db(), pat.user_id).await.unwrap();
            assert_eq!(rows.len(), 501);
        })
        .await;
        let shell = median(async || {
            let frame = consort::service::organizations::shell(&env.state, Some(pat), slug).await.unwrap();
            assert_eq!(frame.organizations.len(), 501);
        })
        .await;
        let check = median(async || {
            consort::service::organizations::member_context(
                &env.state,
                Some(pat),
                slug,
                consort::domain::policy::Action::ViewOrganization,
            )
            .await
            .unwrap();
        })
        .await;
        println!(
            "benchmark: a partner in 500 organizations on {}: switcher list {list:.2} ms, organization frame {shell:.2} ms, access check {check:.2} ms (medians of 51)",
            env.backend
        );
    })
    .await;
}
