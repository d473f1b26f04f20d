//! Modules and sub-accounts, enforced by the server: what a member may open
//! follows their role and grants, and lists that belong to sub-accounts show a
//! limited member only what shares one with them.

use crate::common::on_each_backend;
use crate::invitations::{invite, organization, rows};
use crate::members::{change, member};
use consort::domain::audit::AuditQuery;
use consort::domain::contact::ContactQuery;
use consort::domain::invitation::{DraftRow, InvitationQuery, InviteSource, Outcome};
use consort::domain::member::{AccessChange, MemberQuery, MemberSort};
use consort::domain::module::Module;
use consort::domain::role::{MemberStatus, Role};
use consort::error::AppError;
use consort::service::{
    audit_log, billing, contacts, invitations, members, organizations, settings,
};

fn refused_for_module(result: Result<impl std::fmt::Debug, AppError>, module: &str) -> bool {
    matches!(result, Err(AppError::Forbidden(ref m)) if m.contains(&format!("the {module} module")))
}

fn active(search: &str) -> MemberQuery {
    MemberQuery {
        kind: None,
        status: MemberStatus::Active,
        search: search.into(),
        sort: MemberSort::Name,
        descending: false,
        page: 1,
    }
}

#[tokio::test]
async fn modules_are_refused_by_the_server_until_granted() {
    on_each_backend(async |env| {
        let acme = organization(env, "Olive Owner", "owner@acme.test", "Acme").await;
        let (uma, uma_session) = member(env, &acme, "uma@acme.test", Role::User).await;
        let by_uma = Some(uma_session);
        let shell = organizations::shell(&env.state, by_uma, &acme.slug)
            .await
            .unwrap();
        assert!(
            shell.organization.your_modules.is_empty(),
            "[{}]",
            env.backend
        );
        assert!(refused_for_module(
            contacts::list(&env.state, by_uma, &acme.slug, ContactQuery::default()).await,
            "Contacts"
        ));
        assert!(refused_for_module(
            members::list(&env.state, by_uma, &acme.slug, active("")).await,
            "Members"
        ));
        assert!(refused_for_module(
            audit_log::list(&env.state, by_uma, &acme.slug, AuditQuery::default()).await,
            "Audit log"
        ));
        assert!(refused_for_module(
            billing::overview(&env.state, by_uma, &acme.slug).await,
            "Billing"
        ));
        assert!(refused_for_module(
            settings::settings(&env.state, by_uma, &acme.slug).await,
            "Settings"
        ));
        // Granted Contacts, the same session opens it at once; nothing else.
        let v = members::detail(&env.state, Some(acme.owner), &acme.slug, uma)
            .await
            .unwrap()
            .version;
        members::update_access(
            &env.state,
            &env.client(),
            Some(acme.owner),
            &acme.slug,
            uma,
            change(Role::User, vec![Module::Contacts], v),
        )
        .await
        .unwrap();
        let shell = organizations::shell(&env.state, by_uma, &acme.slug)
            .await
            .unwrap();
        assert_eq!(shell.organization.your_modules, vec![Module::Contacts]);
        let people = contacts::list(&env.state, by_uma, &acme.slug, ContactQuery::default())
            .await
            .unwrap();
        assert_eq!(people.people.total, 2);
        assert!(refused_for_module(
            members::list(&env.state, by_uma, &acme.slug, active("")).await,
            "Members"
        ));
    })
    .await;
}

#[tokio::test]
async fn billing_admins_read_members_and_bill_but_manage_nothing_else() {
    on_each_backend(async |env| {
        let acme = organization(env, "Olive Owner", "owner@acme.test", "Acme").await;
        let (_, bea) = member(env, &acme, "bea@acme.test", Role::BillingAdmin).await;
        let by_bea = Some(bea);
        assert_eq!(
            organizations::shell(&env.state, by_bea, &acme.slug)
                .await
                .unwrap()
                .organization
                .your_modules,
            vec![Module::Members, Module::Partners, Module::Billing],
            "[{}]",
            env.backend
        );
        assert_eq!(
            members::list(&env.state, by_bea, &acme.slug, active(""))
                .await
                .unwrap()
                .total,
            2
        );
        assert!(
            billing::overview(&env.state, by_bea, &acme.slug)
                .await
                .is_ok()
        );
        let detail = members::detail(&env.state, by_bea, &acme.slug, acme.owner.user_id).await;
        assert!(matches!(detail, Err(AppError::Forbidden(_))), "{detail:?}");
        assert!(refused_for_module(
            audit_log::list(&env.state, by_bea, &acme.slug, AuditQuery::default()).await,
            "Audit log"
        ));
    })
    .await;
}

#[tokio::test]
async fn a_member_limited_to_sub_accounts_sees_and_grants_only_those() {
    on_each_backend(async |env| {
        let acme = organization(env, "Olive Owner", "owner@acme.test", "Acme").await;
        let owner = Some(acme.owner);
        let client = env.client();
        let sub = async |name: &str| {
            settings::create_sub_account(&env.state, &client, owner, &acme.slug, name)
                .await
                .unwrap()
        };
        let (north, south) = (sub("North").await, sub("South").await);
        let limit = async |user, role, subs: Vec<uuid::Uuid>| {
            let v = members::detail(&env.state, owner, &acme.slug, user)
                .await
                .unwrap()
                .version;
            members::update_access(
                &env.state,
                &client,
                owner,
                &acme.slug,
                user,
                AccessChange {
                    role,
                    modules: vec!["contacts".into()],
                    sub_accounts: Some(subs),
                    version: v,
                },
            )
            .await
            .unwrap();
        };
        let (nadia, nadia_session) = member(env, &acme, "nadia@acme.test", Role::Admin).await;
        let (nils, _) = member(env, &acme, "nils@acme.test", Role::User).await;
        let (sam, _) = member(env, &acme, "sam@acme.test", Role::User).await;
        limit(nadia, Role::Admin, vec![north]).await;
        // Nils lies within her reach (North only); someone who also had South would
        // not (see hardening::a_limited_admin_cannot_cut_down_an_admin_who_holds_more).
        limit(nils, Role::User, vec![north]).await;
        limit(sam, Role::User, vec![south]).await;
        let by_nadia = Some(nadia_session);
        // Nadia (North only) sees herself, Nils (North), and the owner (all sub-accounts).
        let seen = members::list(&env.state, by_nadia, &acme.slug, active("")).await.unwrap();
        let mut emails: Vec<String> = seen.items.iter().map(|m| m.email.clone()).collect();
        emails.sort();
        assert_eq!(
            emails,
            ["nadia@acme.test", "nils@acme.test", "owner@acme.test"],
            "[{}]",
            env.backend
        );
        assert_eq!(seen.total, 3);
        let listed = contacts::list(&env.state, by_nadia, &acme.slug, ContactQuery::default())
            .await
            .unwrap()
            .people;
        assert_eq!(listed.total, 3);
        assert!(listed.items.iter().all(|c| c.email != "sam@acme.test"));
        // Sam (South only) is out of her reach, even by id.
        let hidden = members::detail(&env.state, by_nadia, &acme.slug, sam).await;
        assert!(matches!(hidden, Err(AppError::NotFound(_))), "{hidden:?}");
        // She grants North, never "all" and never South.
        let v = members::detail(&env.state, by_nadia, &acme.slug, nils).await.unwrap().version;
        for subs in [None, Some(vec![south]), Some(vec![north, south])] {
            let err = members::update_access(
                &env.state,
                &client,
                by_nadia,
                &acme.slug,
                nils,
                AccessChange {
                    role: Role::User,
                    modules: vec![],
                    sub_accounts: subs.clone(),
                    version: v,
                },
            )
            .await
            .unwrap_err();
            assert!(
                err.message_for("sub_accounts").unwrap().contains("access to yourself"),
                "{subs:?}: {err:?}"
            );
        }
        members::update_access(
            &env.state,
            &client,
            by_nadia,
            &acme.slug,
            nils,
            AccessChange {
                role: Role::User,
                modules: vec![],
                sub_accounts: Some(vec![north]),
                version: v,
            },
        )
        .await
        .unwrap();
        // Her invitations too: never "all", and the dialog offers North only.
        let report = invitations::check(
            &env.state,
            by_nadia,
            &acme.slug,
            rows(&[("new@acme.test", Role::User)]),
        )
        .await
        .unwrap();
        assert!(
            matches!(report.rows[0].outcome, Outcome::NotAllowed(ref m) if m.contains("access to yourself")),
            "{:?}",
            report.rows[0].outcome
        );
        let offered = invitations::options(&env.state, by_nadia, &acme.slug).await.unwrap();
        let names: Vec<&str> = offered.sub_accounts.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["North"]);
        // Pending invitations: she sees those for all sub-accounts or for North,
        // not the one for South, and cannot touch it by id.
        let limited = |email: &str, subs: Vec<uuid::Uuid>| {
            InviteSource::Rows(vec![DraftRow {
                kind: consort::domain::role::MembershipKind::Team,
                access_until: String::new(),
                input: email.into(),
                role: Role::User,
                modules: vec![],
                sub_accounts: Some(subs),
                restore: false,
            }])
        };
        invite(env, acme.owner, &acme.slug, limited("n@acme.test", vec![north])).await;
        invite(env, acme.owner, &acme.slug, limited("s@acme.test", vec![south])).await;
        invite(env, acme.owner, &acme.slug, rows(&[("all@acme.test", Role::User)])).await;
        let open = invitations::list(&env.state, by_nadia, &acme.slug, InvitationQuery::default())
            .await
            .unwrap();
        let mut invited: Vec<&str> = open.items.iter().map(|i| i.email.as_str()).collect();
        invited.sort();
        assert_eq!(invited, ["all@acme.test", "n@acme.test"]);
        let everyone = invitations::list(&env.state, owner, &acme.slug, InvitationQuery::default())
            .await
            .unwrap();
        let south_invitation = everyone.items.iter().find(|i| i.email == "s@acme.test").unwrap().id;
        let resend = invitations::resend(&env.state, &client, by_nadia, &acme.slug, south_invitation).await;
        assert!(matches!(resend, Err(AppError::NotFound(_))), "{resend:?}");
        let cancel = invitations::cancel(&env.state, &client, by_nadia, &acme.slug, south_invitation).await;
        assert!(matches!(cancel, Err(AppError::NotFound(_))), "{cancel:?}");
        // Settings list only her sub-accounts; she adds none and renames none of the others.
        let hers = settings::settings(&env.state, by_nadia, &acme.slug).await.unwrap();
        assert_eq!(hers.sub_accounts.len(), 1);
        assert!(settings::create_sub_account(&env.state, &client, by_nadia, &acme.slug, "West")
            .await
            .is_err());
        let rename = settings::rename_sub_account(&env.state, &client, by_nadia, &acme.slug, south, "Mine").await;
        assert!(matches!(rename, Err(AppError::NotFound(_))), "{rename:?}");
        // The list names each member's sub-accounts ("all" as None).
        let by_owner = members::list(&env.state, owner, &acme.slug, active("sam")).await.unwrap();
        assert_eq!(by_owner.items[0].sub_accounts, Some(vec!["South".to_string()]));
        let me = members::list(&env.state, owner, &acme.slug, active("owner")).await.unwrap();
        assert_eq!(me.items[0].sub_accounts, None);
    })
    .await;
}
