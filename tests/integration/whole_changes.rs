//! Every change is whole: the change, its audit event and its mail commit
//! together or not at all. A trigger makes the audit (or the mail) insert fail;
//! the database must then be exactly as before and the person told to try again.

use crate::common::{TestEnv, on_each_backend};
use crate::invitations::{Org, organization};
use crate::members::{change, member};
use consort::db::Db;
use consort::domain::billing::BillingDetails;
use consort::domain::module::Module;
use consort::domain::role::Role;
use consort::error::AppError;
use consort::service::{
    acceptance, accounts, billing, invitations, members, ownership, passwords, settings,
};
use uuid::Uuid;

/// The whole database as text. A failed password change leaves one trace
/// that is not the change: the key row of its limit (`limit_keys`), written
/// when the attempt claims its slot, before the change begins.
async fn snapshot(env: &TestEnv) -> std::collections::BTreeMap<String, Vec<String>> {
    let mut all = crate::common::snapshot(env, &[]).await;
    all.remove("limit_keys");
    all
}

/// Which insert the fault breaks.
#[derive(Clone, Copy, Debug)]
enum Fault {
    Audit,
    Mail,
}

impl Fault {
    fn table(self) -> &'static str {
        match self {
            Fault::Audit => "audit_events",
            Fault::Mail => "outbox",
        }
    }
}

async fn execute(env: &TestEnv, sql: &str) {
    match env.db() {
        Db::Sqlite(pool, _) => sqlx::query(sql).execute(pool).await.map(|_| ()),
        Db::Postgres(pool) => sqlx::raw_sql(sql).execute(pool).await.map(|_| ()),
    }
    .unwrap();
}

/// Makes every insert into the fault's table fail until [`heal`].
async fn inject(env: &TestEnv, fault: Fault) {
    let table = fault.table();
    let sql = match env.db() {
        Db::Sqlite(..) => format!(
            "CREATE TRIGGER injected_fault BEFORE INSERT ON {table} BEGIN SELECT RAISE(ABORT, 'injected fault'); END"
        ),
        Db::Postgres(_) => format!(
            "CREATE FUNCTION injected_fault() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected fault'; END $$;
             CREATE TRIGGER injected_fault BEFORE INSERT ON {table} FOR EACH ROW EXECUTE FUNCTION injected_fault();"
        ),
    };
    execute(env, &sql).await;
}

async fn heal(env: &TestEnv, fault: Fault) {
    let sql = match env.db() {
        Db::Sqlite(..) => "DROP TRIGGER injected_fault".to_string(),
        Db::Postgres(_) => format!(
            "DROP TRIGGER injected_fault ON {}; DROP FUNCTION injected_fault();",
            fault.table()
        ),
    };
    execute(env, &sql).await;
}

/// Runs `attempt` with `fault` injected: it must fail with "try again" and
/// leave every table exactly as it was.
async fn whole<F: AsyncFn() -> Result<(), AppError>>(
    env: &TestEnv,
    what: &str,
    fault: Fault,
    attempt: F,
) {
    let before = snapshot(env).await;
    inject(env, fault).await;
    let result = attempt().await;
    heal(env, fault).await;
    assert_eq!(
        result,
        Err(AppError::Internal),
        "[{}] {what} with a failing {fault:?} insert",
        env.backend
    );
    assert!(
        AppError::Internal.to_string().contains("try again"),
        "the person is told to try again"
    );
    let after = snapshot(env).await;
    if let Some(difference) = crate::common::snapshot_difference(&before, &after) {
        panic!(
            "[{}] {what} with a failing {fault:?} insert left a trace:\n{difference}",
            env.backend
        );
    }
}

async fn version(env: &TestEnv, org: &Org, user: Uuid) -> i64 {
    members::detail(&env.state, Some(org.owner), &org.slug, user)
        .await
        .unwrap()
        .version
}

#[tokio::test]
async fn member_changes_are_whole() {
    on_each_backend(async |env| {
        let acme = organization(env, "Olive Owner", "owner@acme.test", "Acme").await;
        let (ana, _) = member(env, &acme, "ana@acme.test", Role::User).await;
        let by = Some(acme.owner);
        for fault in [Fault::Audit, Fault::Mail] {
            let v = version(env, &acme, ana).await;
            if matches!(fault, Fault::Audit) {
                // A role change sends no mail: only its audit event can fail.
                whole(env, "a role change", fault, async || {
                    members::update_access(
                        &env.state,
                        &env.client(),
                        by,
                        &acme.slug,
                        ana,
                        change(Role::Admin, vec![Module::Contacts], v),
                    )
                    .await
                })
                .await;
            }
            whole(env, "a deactivation", fault, async || {
                members::set_active(
                    &env.state,
                    &env.client(),
                    by,
                    &acme.slug,
                    ana,
                    false,
                    v,
                    None,
                )
                .await
            })
            .await;
            whole(env, "a removal", fault, async || {
                members::remove(&env.state, &env.client(), by, &acme.slug, ana, v).await
            })
            .await;
            whole(env, "an ownership transfer", fault, async || {
                ownership::transfer(&env.state, &env.client(), by, &acme.slug, ana, v, true).await
            })
            .await;
            whole(env, "deleting the organization", fault, async || {
                ownership::delete(&env.state, &env.client(), by, &acme.slug, "Acme").await
            })
            .await;
        }
        let (_, bo) = member(env, &acme, "bo@acme.test", Role::User).await;
        whole(env, "leaving", Fault::Audit, async || {
            ownership::leave(&env.state, &env.client(), Some(bo), &acme.slug).await
        })
        .await;

        // Healed, each works and leaves its event and its mail.
        let v = version(env, &acme, ana).await;
        members::set_active(
            &env.state,
            &env.client(),
            by,
            &acme.slug,
            ana,
            false,
            v,
            None,
        )
        .await
        .unwrap();
    })
    .await;
}

#[tokio::test]
async fn invitation_changes_are_whole() {
    on_each_backend(async |env| {
        let acme = organization(env, "Olive Owner", "owner@acme.test", "Acme").await;
        let id = crate::invitations::invite_one(env, &acme, "ana@acme.test", Role::User).await;
        let by = Some(acme.owner);
        for fault in [Fault::Audit, Fault::Mail] {
            whole(env, "a resend", fault, async || {
                invitations::resend(&env.state, &env.client(), by, &acme.slug, id).await
            })
            .await;
        }
        whole(env, "a cancellation", Fault::Audit, async || {
            invitations::cancel(&env.state, &env.client(), by, &acme.slug, id).await
        })
        .await;
        // The failed resends spent none of the three a day allows.
        for _ in 0..3 {
            invitations::resend(&env.state, &env.client(), by, &acme.slug, id)
                .await
                .unwrap();
        }
    })
    .await;
}

#[tokio::test]
async fn settings_billing_and_account_changes_are_whole() {
    on_each_backend(async |env| {
        let acme = organization(env, "Olive Owner", "owner@acme.test", "Acme").await;
        let by = Some(acme.owner);
        let client = env.client();
        let sub = settings::create_sub_account(&env.state, &client, by, &acme.slug, "North")
            .await
            .unwrap();
        let fault = Fault::Audit;
        whole(env, "an invitation lifetime change", fault, async || {
            settings::set_invitation_lifetime(&env.state, &client, by, &acme.slug, 3_600).await
        })
        .await;
        whole(env, "a new sub-account", fault, async || {
            settings::create_sub_account(&env.state, &client, by, &acme.slug, "South")
                .await
                .map(|_| ())
        })
        .await;
        whole(env, "a sub-account renamed", fault, async || {
            settings::rename_sub_account(&env.state, &client, by, &acme.slug, sub, "Nord").await
        })
        .await;
        whole(env, "a sub-account archived", fault, async || {
            settings::set_sub_account_archived(&env.state, &client, by, &acme.slug, sub, true).await
        })
        .await;
        whole(env, "billing details saved", fault, async || {
            let details = BillingDetails {
                contact_name: "Bea Bills".into(),
                contact_email: "bills@acme.test".into(),
                address: "1 Main Street".into(),
                tax_id: String::new(),
                version: 0,
            };
            billing::save_details(&env.state, &client, by, &acme.slug, details)
                .await
                .map(|_| ())
        })
        .await;
        whole(env, "a new name", fault, async || {
            accounts::update_profile(&env.state, &client, by, "Olive Renamed")
                .await
                .map(|_| ())
        })
        .await;
        whole(env, "logging out", fault, async || {
            accounts::log_out(&env.state, &client, by).await
        })
        .await;
        for fault in [Fault::Audit, Fault::Mail] {
            whole(env, "a password change", fault, async || {
                passwords::change_password(
                    &env.state,
                    &client,
                    by,
                    crate::common::PASSWORD,
                    "amber-falcon-93-orchard",
                )
                .await
                .map(|_| ())
            })
            .await;
        }
        let token = crate::passwords::reset_token(env, "owner@acme.test").await;
        for fault in [Fault::Audit, Fault::Mail] {
            whole(env, "a password reset", fault, async || {
                passwords::reset_password(&env.state, &client, &token, "amber-falcon-93-orchard")
                    .await
            })
            .await;
        }
        // Healed, the link still works: the failed resets did not use it up.
        passwords::reset_password(&env.state, &client, &token, "amber-falcon-93-orchard")
            .await
            .unwrap();
    })
    .await;
}

/// A failed accept leaves the link usable: it does not say "already used".
#[tokio::test]
async fn joining_is_whole() {
    on_each_backend(async |env| {
        let acme = organization(env, "Olive Owner", "owner@acme.test", "Acme").await;
        crate::invitations::invite(
            env,
            acme.owner,
            &acme.slug,
            crate::invitations::rows(&[("new@acme.test", Role::User)]),
        )
        .await;
        let token = crate::invitations::token_for(env, "new@acme.test").await;
        let accept_new = async || {
            acceptance::accept_with_new_account(
                &env.state,
                &env.client(),
                None,
                &token,
                "New Person",
                crate::common::PASSWORD,
            )
            .await
            .map(|_| ())
        };
        whole(
            env,
            "accepting with a new account",
            Fault::Audit,
            accept_new,
        )
        .await;
        accept_new().await.expect("the link still works");

        // An existing account accepts (here: a person of another organization, as partner).
        let globex = organization(env, "Gil Owner", "gil@globex.test", "Globex").await;
        invitations::send(
            &env.state,
            &env.client(),
            Some(acme.owner),
            &acme.slug,
            crate::invitations::rows_as(
                consort::domain::role::MembershipKind::Partner,
                &[("gil@globex.test", Role::User)],
            ),
        )
        .await
        .unwrap();
        let token = crate::invitations::token_for(env, "gil@globex.test").await;
        let accept = async || {
            acceptance::accept(&env.state, &env.client(), Some(globex.owner), &token)
                .await
                .map(|_| ())
        };
        whole(
            env,
            "accepting as an existing account",
            Fault::Audit,
            accept,
        )
        .await;
        accept().await.expect("the link still works");

        // A sign-up link: the account, its events, its welcome mail and its session.
        accounts::request_sign_up(
            &env.state,
            &env.client(),
            accounts::SignUp {
                name: "Sam".into(),
                email: "sam@initech.test".into(),
                password: crate::common::PASSWORD.into(),
                organization: "Initech".into(),
            },
        )
        .await
        .unwrap();
        let token = env.sign_up_token("sam@initech.test").await;
        let confirm = async || {
            accounts::confirm_sign_up(&env.state, &env.client(), &token)
                .await
                .map(|_| ())
        };
        for fault in [Fault::Audit, Fault::Mail] {
            whole(env, "confirming a sign-up", fault, confirm).await;
        }
        confirm().await.expect("the link still works");
    })
    .await;
}

/// Item 2 of issue 11: a race that breaks a unique index is answered like the
/// non-racing path, never with a 500. A partner of one organization accepts two
/// team invitations at once: one wins, the other is told why.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn racing_accepts_get_answers() {
    on_each_backend(async |env| {
        let orgs = [
            organization(env, "Ann Owner", "ann@a.test", "A").await,
            organization(env, "Bob Owner", "bob@b.test", "B").await,
            organization(env, "Cat Owner", "cat@c.test", "C").await,
        ];
        for round in 0..5 {
            let email = format!("pat{round}@p.test");
            invitations::send(
                &env.state,
                &env.client(),
                Some(orgs[0].owner),
                &orgs[0].slug,
                crate::invitations::rows_as(consort::domain::role::MembershipKind::Partner, &[(email.as_str(), Role::User)]),
            )
            .await
            .unwrap();
            let token = crate::invitations::token_for(env, &email).await;
            let pat = acceptance::accept_with_new_account(
                &env.state,
                &env.client(),
                None,
                &token,
                "Pat",
                crate::common::PASSWORD,
            )
            .await
            .unwrap();
            let mut tokens = Vec::new();
            for org in &orgs[1..] {
                crate::invitations::invite(env, org.owner, &org.slug, crate::invitations::rows(&[(email.as_str(), Role::User)])).await;
                tokens.push(crate::invitations::token_for(env, &email).await);
            }
            let mut set = tokio::task::JoinSet::new();
            for token in tokens {
                let (state, client, session) = (env.state.clone(), env.client(), pat.session);
                set.spawn(async move {
                    acceptance::accept(&state, &client, Some(session), &token).await
                });
            }
            let results = set.join_all().await;
            assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 1, "[{}] {results:?}", env.backend);
            assert!(
                results.iter().any(|r| matches!(r, Err(AppError::Conflict(m)) if m.contains("team member of another organization"))),
                "[{}] {results:?}",
                env.backend
            );
        }
    })
    .await;
}
