//! The Audit log module: every change with actor, target and before → after;
//! filters by person, action and day; CSV export; one organization's trail only.

use crate::common::on_each_backend;
use crate::invitations::{invite, organization, rows};
use crate::members::{change, member};
use consort::domain::audit::{AuditAction, AuditQuery};
use consort::domain::module::Module;
use consort::domain::role::Role;
use consort::service::{audit_log, members, settings};

#[tokio::test]
async fn changes_are_listed_with_before_and_after_and_filtered() {
    on_each_backend(async |env| {
        let acme = organization(env, "Olive Owner", "owner@acme.test", "Acme").await;
        let other = organization(env, "Otto", "otto@other.test", "Other").await;
        let owner = Some(acme.owner);
        let client = env.client();
        let (uma, _) = member(env, &acme, "uma@acme.test", Role::User).await;
        let v = members::detail(&env.state, owner, &acme.slug, uma)
            .await
            .unwrap()
            .version;
        members::update_access(
            &env.state,
            &client,
            owner,
            &acme.slug,
            uma,
            change(Role::BillingAdmin, vec![Module::Contacts], v),
        )
        .await
        .unwrap();
        settings::create_sub_account(&env.state, &client, owner, &acme.slug, "North")
            .await
            .unwrap();
        // Another organization's events never show here.
        invite(
            env,
            other.owner,
            &other.slug,
            rows(&[("x@other.test", Role::User)]),
        )
        .await;
        settings::create_sub_account(
            &env.state,
            &client,
            Some(other.owner),
            &other.slug,
            "Theirs",
        )
        .await
        .unwrap();

        let all = audit_log::list(&env.state, owner, &acme.slug, AuditQuery::default())
            .await
            .unwrap();
        let actions: Vec<AuditAction> = all.items.iter().map(|e| e.action).collect();
        assert_eq!(
            actions,
            [
                AuditAction::SubAccountCreated,
                AuditAction::MemberAccessChanged,
                AuditAction::InvitationAccepted,
                AuditAction::SignedUp,
                AuditAction::InvitationSent,
                AuditAction::OrganizationCreated,
                AuditAction::SignedUp,
            ],
            "[{}] newest first, this organization only",
            env.backend
        );
        let access = &all.items[1];
        assert_eq!(access.actor.as_ref().unwrap().email, "owner@acme.test");
        assert_eq!(
            access.target.as_ref().map(|t| t.display()).as_deref(),
            Some("Test Member <uma@acme.test>")
        );
        let role = access.changes.iter().find(|c| c.field == "role").unwrap();
        assert_eq!(
            (role.before.as_deref(), role.after.as_str()),
            (Some("User"), "Billing admin")
        );
        let modules = access
            .changes
            .iter()
            .find(|c| c.field == "modules")
            .unwrap();
        assert_eq!(
            (modules.before.as_deref(), modules.after.as_str()),
            (Some("—"), "Contacts")
        );
        assert!(
            all.items
                .iter()
                .all(|e| e.target.as_ref().is_none_or(|t| t.email != "x@other.test"))
        );

        let query = |person: &str, action, from: &str, to: &str| AuditQuery {
            person: person.into(),
            action,
            from: from.into(),
            to: to.into(),
            page: 1,
        };
        let by_action = audit_log::list(
            &env.state,
            owner,
            &acme.slug,
            query("", Some(AuditAction::SubAccountCreated), "", ""),
        )
        .await
        .unwrap();
        assert_eq!(by_action.total, 1);
        let by_person = audit_log::list(&env.state, owner, &acme.slug, query("UMA@", None, "", ""))
            .await
            .unwrap();
        assert_eq!(
            by_person.total, 4,
            "invited, signed up, accepted and changed: Uma"
        );
        let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
        let in_range = audit_log::list(
            &env.state,
            owner,
            &acme.slug,
            query("", None, &today, &today),
        )
        .await
        .unwrap();
        assert_eq!(in_range.total, 7);
        let long_ago = audit_log::list(
            &env.state,
            owner,
            &acme.slug,
            query("", None, "2001-01-01", "2001-12-31"),
        )
        .await
        .unwrap();
        assert_eq!(long_ago.total, 0);
        let bad = audit_log::list(
            &env.state,
            owner,
            &acme.slug,
            query("", None, "31/12/2026", ""),
        )
        .await
        .unwrap_err();
        assert!(bad.message_for("from").unwrap().contains("not a date"));
    })
    .await;
}

#[tokio::test]
async fn the_export_holds_every_filtered_event_and_is_recorded() {
    on_each_backend(async |env| {
        let acme = organization(env, "Olive Owner", "owner@acme.test", "Acme, Inc").await;
        let owner = Some(acme.owner);
        let client = env.client();
        for name in ["North", "=HYPERLINK(\"x\")"] {
            settings::create_sub_account(&env.state, &client, owner, &acme.slug, name)
                .await
                .unwrap();
        }
        let query = AuditQuery {
            action: Some(AuditAction::SubAccountCreated),
            ..Default::default()
        };
        let csv = audit_log::export(&env.state, &client, owner, &acme.slug, query)
            .await
            .unwrap();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(
            lines[0],
            "time,action,actor_name,actor_email,target,changes"
        );
        assert_eq!(lines.len(), 3, "[{}] {csv}", env.backend);
        assert!(
            lines
                .iter()
                .skip(1)
                .all(|l| l.contains(",sub_account.created,Olive Owner,owner@acme.test,"))
        );
        assert!(csv.contains("name: North"));
        assert!(!csv.contains(",=HYPERLINK"), "formulas are defused: {csv}");
        assert_eq!(env.count_action(AuditAction::AuditLogExported).await, 1);
        // A member without the module exports nothing.
        let (_, uma) = member(env, &acme, "uma@acme.test", Role::User).await;
        assert!(
            audit_log::export(
                &env.state,
                &client,
                Some(uma),
                &acme.slug,
                AuditQuery::default()
            )
            .await
            .is_err()
        );
    })
    .await;
}
