//! Partners' access end dates (issue 13): set, changed, cleared and extended on
//! the member page with every bad input refused; carried by an invitation; the
//! job that ends access and reminds a week before, run with a test clock, once
//! even when two workers run it together; access refused the moment the end
//! passes; reactivation with a new end.

use crate::common::{PASSWORD, TestEnv, last_mail_to, on_each_backend};
use crate::invitations::{Org, invite, organization, rows_as, token_for};
use crate::members::member;
use chrono::{DateTime, Duration, Utc};
use consort::auth::session::Session;
use consort::db::Db;
use consort::domain::access_end;
use consort::domain::audit::AuditAction;
use consort::domain::invitation::{DraftRow, InviteSource, LinkProblem};
use consort::domain::member::MemberDetail;
use consort::domain::role::{MemberStatus, MembershipKind, Role};
use consort::error::AppError;
use consort::service::{acceptance, access_ends, members, organizations, partner_access};
use std::time::Instant;
use uuid::Uuid;

const PAT: &str = "pat@studio.test";

/// A day `days` from now, as a date input gives it.
fn day_in(days: i64) -> String {
    (Utc::now() + Duration::days(days))
        .format("%Y-%m-%d")
        .to_string()
}

/// Acme with Pat as a partner (role user, no end yet): (Acme, Pat's id, Pat's session).
async fn with_partner(env: &TestEnv) -> (Org, Uuid, Session) {
    let acme = organization(env, "Olive Owner", "owner@acme.test", "Acme").await;
    invite(
        env,
        acme.owner,
        &acme.slug,
        rows_as(MembershipKind::Partner, &[(PAT, Role::User)]),
    )
    .await;
    let token = token_for(env, PAT).await;
    let pat = acceptance::accept_with_new_account(
        &env.state,
        &env.client(),
        None,
        &token,
        "Pat Partner",
        PASSWORD,
    )
    .await
    .unwrap()
    .session;
    (acme, pat.user_id, pat)
}

async fn detail(env: &TestEnv, org: &Org, user: Uuid) -> MemberDetail {
    members::detail(&env.state, Some(org.owner), &org.slug, user)
        .await
        .unwrap()
}

async fn set(env: &TestEnv, org: &Org, user: Uuid, day: &str) -> Result<(), AppError> {
    let version = detail(env, org, user).await.version;
    partner_access::set(
        &env.state,
        &env.client(),
        Some(org.owner),
        &org.slug,
        user,
        day,
        version,
    )
    .await
}

fn last_day(text: &str) -> Option<consort::domain::time::Timestamp> {
    access_end::parse_day(text)
}

/// Moves a membership's end to `at`, as if time had passed.
async fn move_end(env: &TestEnv, user: Uuid, at: DateTime<Utc>) {
    let sql = "UPDATE memberships SET access_ends_at = $1 WHERE user_id = $2";
    match env.db() {
        Db::Sqlite(pool, _) => sqlx::query(sql)
            .bind(at)
            .bind(user)
            .execute(pool)
            .await
            .map(|_| ()),
        Db::Postgres(pool) => sqlx::query(sql)
            .bind(at)
            .bind(user)
            .execute(pool)
            .await
            .map(|_| ()),
    }
    .unwrap();
}

#[tokio::test]
async fn an_end_date_is_set_changed_extended_and_cleared_and_bad_ones_change_nothing() {
    on_each_backend(async |env| {
        let (acme, pat, _) = with_partner(env).await;
        let (tom, _) = member(env, &acme, "tom@acme.test", Role::User).await;

        set(env, &acme, pat, &day_in(20)).await.unwrap();
        let after = detail(env, &acme, pat).await;
        assert_eq!(
            after.access_until,
            last_day(&day_in(20)),
            "[{}]",
            env.backend
        );
        assert!(!after.access_ended);
        let mail = last_mail_to(env, PAT).await.unwrap();
        assert!(
            mail.subject
                .starts_with("Your access to Acme now ends after"),
            "{}",
            mail.subject
        );
        assert_eq!(
            env.count_action(AuditAction::MemberAccessEndChanged).await,
            1
        );

        // Bad input: each refused next to the field, nothing changed.
        let field = |e: AppError| {
            e.message_for("access_until")
                .unwrap_or_else(|| format!("{e:?}"))
        };
        assert!(
            field(set(env, &acme, pat, &day_in(-1)).await.unwrap_err()).contains("in the past")
        );
        assert!(
            field(
                set(env, &acme, pat, &day_in(5 * 366 + 2))
                    .await
                    .unwrap_err()
            )
            .contains("within 5 years")
        );
        assert!(
            field(set(env, &acme, pat, "31/12/2027").await.unwrap_err())
                .contains("like 2027-03-31")
        );
        assert!(
            field(set(env, &acme, tom, &day_in(20)).await.unwrap_err())
                .starts_with("Only partners")
        );
        let stale = partner_access::set(
            &env.state,
            &env.client(),
            Some(acme.owner),
            &acme.slug,
            pat,
            &day_in(40),
            after.version - 1,
        )
        .await
        .unwrap_err();
        assert!(matches!(stale, AppError::Conflict(_)), "{stale:?}");
        assert_eq!(detail(env, &acme, pat).await.version, after.version);
        assert_eq!(
            env.count_action(AuditAction::MemberAccessEndChanged).await,
            1
        );

        // Extend: a month from the current last day, in one click.
        partner_access::extend(
            &env.state,
            &env.client(),
            Some(acme.owner),
            &acme.slug,
            pat,
            after.version,
        )
        .await
        .unwrap();
        assert_eq!(
            detail(env, &acme, pat).await.access_until,
            last_day(&day_in(50))
        );

        // Clear: no end.
        set(env, &acme, pat, "").await.unwrap();
        assert_eq!(detail(env, &acme, pat).await.access_until, None);
        assert!(
            last_mail_to(env, PAT)
                .await
                .unwrap()
                .subject
                .contains("no longer has an end date")
        );

        // A plain user and another organization's owner change nothing.
        let globex = organization(env, "Gil Globex", "gil@globex.test", "Globex").await;
        let version = detail(env, &acme, pat).await.version;
        let outsider = partner_access::set(
            &env.state,
            &env.client(),
            Some(globex.owner),
            &acme.slug,
            pat,
            &day_in(9),
            version,
        )
        .await
        .unwrap_err();
        assert!(
            matches!(outsider, AppError::NotFound(_) | AppError::Forbidden(_)),
            "{outsider:?}"
        );
        let forged = partner_access::set(
            &env.state,
            &env.client(),
            Some(globex.owner),
            &globex.slug,
            pat,
            &day_in(9),
            version,
        )
        .await
        .unwrap_err();
        assert!(matches!(forged, AppError::NotFound(_)), "{forged:?}");
        assert_eq!(detail(env, &acme, pat).await.access_until, None);
    })
    .await;
}

#[tokio::test]
async fn the_job_reminds_a_week_before_and_ends_access_once_even_with_two_workers() {
    on_each_backend(async |env| {
        let (acme, pat, pat_session) = with_partner(env).await;
        set(env, &acme, pat, &day_in(10)).await.unwrap();
        let ends = Utc::now() + Duration::days(11);

        // Nine days before: nothing is due.
        assert_eq!(
            access_ends::run_due(&env.state, Utc::now()).await.unwrap(),
            access_ends::Report::default()
        );
        // Six days before the end: one reminder to each side, sent once.
        let week_before = ends - Duration::days(6);
        let (a, b) = tokio::join!(
            access_ends::run_due(&env.state, week_before),
            access_ends::run_due(&env.state, week_before)
        );
        assert_eq!(
            a.unwrap().reminded + b.unwrap().reminded,
            1,
            "[{}]",
            env.backend
        );
        assert!(
            last_mail_to(env, PAT)
                .await
                .unwrap()
                .subject
                .starts_with("Your access to Acme ends after")
        );
        let digest = last_mail_to(env, "owner@acme.test").await.unwrap();
        assert_eq!(digest.subject, "Acme: partner access ends soon (1)");
        assert!(
            digest.text_body.contains("Pat Partner <pat@studio.test>"),
            "{}",
            digest.text_body
        );
        assert_eq!(
            access_ends::run_due(&env.state, week_before)
                .await
                .unwrap()
                .reminded,
            0
        );

        // After the end: deactivated once, both sides told, one audit event.
        let after = ends + Duration::minutes(1);
        let (a, b) = tokio::join!(
            access_ends::run_due(&env.state, after),
            access_ends::run_due(&env.state, after)
        );
        assert_eq!(a.unwrap().ended + b.unwrap().ended, 1);
        let now = detail(env, &acme, pat).await;
        assert_eq!(now.status, MemberStatus::Deactivated);
        assert_eq!(
            last_mail_to(env, PAT).await.unwrap().subject,
            "Your access to Acme has ended"
        );
        assert_eq!(
            last_mail_to(env, "owner@acme.test").await.unwrap().subject,
            "Acme: partner access ended (1)"
        );
        assert_eq!(env.count_action(AuditAction::MemberAccessEnded).await, 1);
        assert_eq!(
            access_ends::run_due(&env.state, after).await.unwrap(),
            access_ends::Report::default()
        );
        env.assert_member_counts().await;
        // Pat's session no longer opens Acme.
        let refused = organizations::shell(&env.state, Some(pat_session), &acme.slug)
            .await
            .unwrap_err();
        assert!(
            matches!(refused, AppError::Forbidden(_) | AppError::NotFound(_)),
            "{refused:?}"
        );
    })
    .await;
}

#[tokio::test]
async fn access_stops_the_moment_the_end_passes_before_the_job_runs() {
    on_each_backend(async |env| {
        let (acme, pat, pat_session) = with_partner(env).await;
        assert!(
            organizations::shell(&env.state, Some(pat_session), &acme.slug)
                .await
                .is_ok()
        );
        set(env, &acme, pat, &day_in(3)).await.unwrap();
        move_end(env, pat, Utc::now() - Duration::seconds(1)).await;
        let refused = organizations::shell(&env.state, Some(pat_session), &acme.slug)
            .await
            .unwrap_err();
        assert!(
            matches!(refused, AppError::Forbidden(_) | AppError::NotFound(_)),
            "[{}] {refused:?}",
            env.backend
        );
        // The switcher lists Acme as no longer active.
        let mine = consort::db::organizations::for_user(env.db(), pat)
            .await
            .unwrap();
        let acme_row = mine.iter().find(|o| o.slug == acme.slug).unwrap();
        assert_eq!(acme_row.status, MemberStatus::Deactivated);
        // The member page says it ended; the job then makes it so.
        assert!(detail(env, &acme, pat).await.access_ended);
        assert_eq!(
            access_ends::run_due(&env.state, Utc::now())
                .await
                .unwrap()
                .ended,
            1
        );
    })
    .await;
}

#[tokio::test]
async fn reactivating_a_partner_whose_access_ended_asks_for_a_new_end_or_none() {
    on_each_backend(async |env| {
        let (acme, pat, _) = with_partner(env).await;
        set(env, &acme, pat, &day_in(2)).await.unwrap();
        access_ends::run_due(&env.state, Utc::now() + Duration::days(4))
            .await
            .unwrap();
        move_end(env, pat, Utc::now() - Duration::days(1)).await;
        let ended = detail(env, &acme, pat).await;
        assert_eq!(ended.status, MemberStatus::Deactivated, "[{}]", env.backend);
        let client = env.client();
        let set_active = |version, until: Option<&'static str>| {
            members::set_active(
                &env.state,
                &client,
                Some(acme.owner),
                &acme.slug,
                pat,
                true,
                version,
                until,
            )
        };
        let asks = set_active(ended.version, None).await.unwrap_err();
        assert!(
            asks.message_for("access_until")
                .unwrap()
                .contains("choose a new last day"),
            "{asks:?}"
        );
        let past = day_in(-3);
        let past: &'static str = Box::leak(past.into_boxed_str());
        assert!(
            set_active(ended.version, Some(past))
                .await
                .unwrap_err()
                .message_for("access_until")
                .is_some()
        );
        assert_eq!(
            detail(env, &acme, pat).await.status,
            MemberStatus::Deactivated
        );
        let next: &'static str = Box::leak(day_in(60).into_boxed_str());
        set_active(ended.version, Some(next)).await.unwrap();
        let back = detail(env, &acme, pat).await;
        assert_eq!(
            (back.status, back.access_until),
            (MemberStatus::Active, last_day(next))
        );
        env.assert_member_counts().await;
    })
    .await;
}

#[tokio::test]
async fn a_partner_invitation_carries_its_end_date_and_a_passed_one_cannot_be_accepted() {
    on_each_backend(async |env| {
        let acme = organization(env, "Olive Owner", "owner@acme.test", "Acme").await;
        let row = |email: &str, kind, until: String| DraftRow {
            input: email.into(),
            kind,
            access_until: until,
            role: Role::User,
            modules: vec![],
            sub_accounts: None,
            restore: false,
        };
        let sent = invite(
            env,
            acme.owner,
            &acme.slug,
            InviteSource::Rows(vec![
                row(PAT, MembershipKind::Partner, day_in(90)),
                row("late@studio.test", MembershipKind::Partner, day_in(1)),
            ]),
        )
        .await;
        assert_eq!(sent.invited, 2);
        let mail = last_mail_to(env, PAT).await.unwrap();
        assert!(
            mail.text_body.contains("with access until"),
            "{}",
            mail.text_body
        );
        let token = token_for(env, PAT).await;
        let preview = acceptance::preview(&env.state, None, &token)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            preview.access_until,
            last_day(&day_in(90)),
            "[{}]",
            env.backend
        );
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
        assert_eq!(
            detail(env, &acme, pat.user_id).await.access_until,
            last_day(&day_in(90))
        );

        // The other invitation's access ended before it was used.
        let late = token_for(env, "late@studio.test").await;
        let sql = "UPDATE invitations SET access_ends_at = $1 WHERE email_key = 'late@studio.test'";
        let past = Utc::now() - Duration::minutes(1);
        env.execute_at(sql, past).await;
        assert_eq!(
            acceptance::preview(&env.state, None, &late).await.unwrap(),
            Err(LinkProblem::AccessEnded)
        );

        // A team member cannot get an end; a past day is refused before sending.
        let report = consort::service::invitations::check(
            &env.state,
            Some(acme.owner),
            &acme.slug,
            InviteSource::Rows(vec![
                row("tea@x.test", MembershipKind::Team, day_in(9)),
                row("old@x.test", MembershipKind::Partner, day_in(-2)),
            ]),
        )
        .await
        .unwrap();
        assert_eq!(report.will_invite(), 0);
    })
    .await;
}

/// `make bench`: 10,000 partner memberships whose access ends at the same
/// moment, handled by one run of the job (deactivation, seats, mails, events).
#[tokio::test]
async fn ten_thousand_access_ends_are_handled_by_one_run() {
    on_each_backend(async |env| {
        let acme = organization(env, "Olive Owner", "owner@acme.test", "Acme").await;
        crate::members_list::seed_members(env, &acme.slug, 10_000).await;
        let at = Utc::now() - Duration::seconds(1);
        let sql = "UPDATE memberships SET access_ends_at = $1 WHERE kind = 'partner'";
        env.execute_at(sql, at).await;
        let started = Instant::now();
        let report = access_ends::run_due(&env.state, Utc::now()).await.unwrap();
        let took = started.elapsed();
        assert_eq!(report.ended, 10_000);
        assert_eq!(
            env.count_action(AuditAction::MemberAccessEnded).await,
            10_000
        );
        println!(
            "benchmark: access-end job, 10,000 memberships due at once on {}: {:.0} ms",
            env.backend,
            took.as_secs_f64() * 1000.0
        );
        env.assert_member_counts().await;
    })
    .await;
}
