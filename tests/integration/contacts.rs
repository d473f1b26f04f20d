//! Contacts with partner organizations (issue 14, item 5): the own people and
//! the team of every accepted partner, marked as theirs; who sees what; the
//! filter, the search and the pages; and the benchmark of 60,000 people.

use crate::common::{TestEnv, on_each_backend};
use crate::invitations::{Org, organization};
use crate::members::member;
use crate::partnerships::{act, lists, member_as, send};
use consort::auth::session::Session;
use consort::db::Db;
use consort::domain::contact::{Affiliation, ContactQuery, Contacts};
use consort::domain::module::Module;
use consort::domain::partnership::{Listed, Move};
use consort::domain::role::{MembershipKind, Role};
use consort::error::AppError;
use consort::service::{contacts, members, settings};
use std::time::{Duration, Instant};
use uuid::Uuid;

async fn directory(env: &TestEnv, by: Session, slug: &str, query: ContactQuery) -> Contacts {
    contacts::list(&env.state, Some(by), slug, query)
        .await
        .unwrap_or_else(|e| panic!("[{}] contacts: {e:?}", env.backend))
}

/// Every contact of the first page, as "email (label)".
async fn people(env: &TestEnv, by: Session, slug: &str, query: ContactQuery) -> Vec<String> {
    directory(env, by, slug, query)
        .await
        .people
        .items
        .into_iter()
        .map(|c| format!("{} ({})", c.email, c.affiliation.label()))
        .collect()
}

fn all() -> ContactQuery {
    ContactQuery {
        page: 1,
        ..Default::default()
    }
}

fn searching(text: &str) -> ContactQuery {
    ContactQuery {
        search: text.into(),
        ..all()
    }
}

fn of(organization: Uuid) -> ContactQuery {
    ContactQuery {
        organization: Some(organization),
        ..all()
    }
}

async fn id_of(env: &TestEnv, org: &Org) -> Uuid {
    consort::db::organizations::find_by_slug(env.db(), &org.slug)
        .await
        .unwrap()
        .unwrap()
        .id
}

/// A asks B (through B's owner's address) and B accepts.
async fn partner(env: &TestEnv, a: &Org, b: &Org, b_address: &str) {
    send(env, a.owner, &a.slug, b_address).await.unwrap();
    let received = lists(env, b.owner, &b.slug).await.received.items[0].clone();
    act(env, b.owner, &b.slug, &received, Move::Accept)
        .await
        .unwrap();
}

#[tokio::test]
async fn partners_see_each_others_team_as_members_of_the_partner() {
    on_each_backend(async |env| {
        let a = organization(env, "Ada Admin", "ada@alpha.test", "Alpha").await;
        let b = organization(env, "Bo Boss", "bo@beta.test", "Beta").await;
        let (a_id, b_id) = (id_of(env, &a).await, id_of(env, &b).await);
        let (_, uma) = member_as(
            MembershipKind::Team,
            &[Module::Contacts],
            env,
            &a,
            "uma@alpha.test",
        )
        .await;
        // A partner of Alpha (an accountant): one of Alpha's people, not its team.
        let (_, petra) = member_as(
            MembershipKind::Partner,
            &[Module::Contacts],
            env,
            &a,
            "petra@books.test",
        )
        .await;
        member(env, &b, "bianca@beta.test", Role::Admin).await;
        member_as(MembershipKind::Partner, &[], env, &b, "pia@design.test").await;

        let before = directory(env, a.owner, &a.slug, all()).await;
        assert_eq!(before.people.total, 3, "[{}]", env.backend);
        assert_eq!(
            before.sources.len(),
            1,
            "no partner yet: nothing to filter by"
        );

        partner(env, &a, &b, "bo@beta.test").await;
        let mut seen = people(env, a.owner, &a.slug, all()).await;
        seen.sort();
        assert_eq!(
            seen,
            [
                "ada@alpha.test (Team member · Owner)",
                "bianca@beta.test (Member · Beta)",
                "bo@beta.test (Member · Beta)",
                "petra@books.test (Partner · User)",
                "uma@alpha.test (Team member · User)",
            ],
            "[{}] Alpha's people and Beta's team, by name; Beta's own partner is not Beta's team",
            env.backend
        );
        let full = directory(env, a.owner, &a.slug, all()).await;
        assert_eq!(full.people.total, 5);
        let names: Vec<(&str, bool)> = full
            .sources
            .iter()
            .map(|s| (s.name.as_str(), s.own))
            .collect();
        assert_eq!(names, [("Alpha", true), ("Beta", false)]);
        assert_eq!(full.sources[1].people, 2);
        let bo = full
            .people
            .items
            .iter()
            .find(|c| c.email == "bo@beta.test")
            .unwrap();
        assert!(matches!(
            &bo.affiliation,
            Affiliation::Partner { organization } if organization == "Beta"
        ));

        // Beta sees Alpha's team, not Alpha's accountant.
        let from_b = people(env, b.owner, &b.slug, of(a_id)).await;
        assert_eq!(
            from_b,
            [
                "ada@alpha.test (Member · Alpha)",
                "uma@alpha.test (Member · Alpha)"
            ],
            "[{}]",
            env.backend
        );
        // A plain user granted Contacts sees the partner's people too.
        assert_eq!(people(env, uma, &a.slug, all()).await.len(), 5);
        // Alpha's partner (kind partner) gains nothing of Beta.
        let as_partner = directory(env, petra, &a.slug, all()).await;
        assert_eq!(as_partner.people.total, 3, "[{}]", env.backend);
        assert_eq!(as_partner.sources.len(), 1);
        assert!(
            as_partner
                .people
                .items
                .iter()
                .all(|c| !c.email.ends_with("@beta.test"))
        );
        let forged = contacts::list(&env.state, Some(petra), &a.slug, of(b_id)).await;
        assert!(matches!(forged, Err(AppError::NotFound(_))), "{forged:?}");

        // The filter and the search.
        assert_eq!(
            people(env, a.owner, &a.slug, of(b_id)).await,
            [
                "bo@beta.test (Member · Beta)",
                "bianca@beta.test (Member · Beta)"
            ],
            "[{}] by name: Bo Boss, then Test Member",
            env.backend
        );
        assert_eq!(
            directory(env, a.owner, &a.slug, of(a_id))
                .await
                .people
                .total,
            3
        );
        assert_eq!(
            people(env, a.owner, &a.slug, searching("BIANCA")).await,
            ["bianca@beta.test (Member · Beta)"]
        );
        let wide = directory(env, a.owner, &a.slug, searching("a.test")).await;
        assert_eq!(
            wide.people.total, 4,
            "[{}] alpha.test and beta.test addresses",
            env.backend
        );
        let narrowed = ContactQuery {
            search: "books".into(),
            organization: Some(a_id),
            page: 1,
        };
        assert_eq!(
            people(env, a.owner, &a.slug, narrowed).await,
            ["petra@books.test (Partner · User)"]
        );
        // A page past the hits still says how many there are.
        let past = directory(
            env,
            a.owner,
            &a.slug,
            ContactQuery {
                page: 9,
                ..searching("a.test")
            },
        )
        .await;
        assert!(past.people.items.is_empty());
        assert_eq!(past.people.total, 4);

        // People join and leave the list as they join and leave the partner.
        let (cleo, _) = member(env, &b, "cleo@beta.test", Role::User).await;
        assert!(
            people(env, a.owner, &a.slug, all())
                .await
                .contains(&"cleo@beta.test (Member · Beta)".to_string())
        );
        crate::members::set_active_now(env, Some(b.owner), &b.slug, cleo, false).await;
        assert_eq!(
            directory(env, a.owner, &a.slug, of(b_id))
                .await
                .people
                .total,
            2,
            "[{}]",
            env.backend
        );

        // A third organization sees nothing of either, even by id.
        let c = organization(env, "Cy Chief", "cy@gamma.test", "Gamma").await;
        assert_eq!(
            people(env, c.owner, &c.slug, all()).await,
            ["cy@gamma.test (Team member · Owner)"]
        );
        for forged in [a_id, b_id] {
            let result = contacts::list(&env.state, Some(c.owner), &c.slug, of(forged)).await;
            assert!(
                matches!(result, Err(AppError::NotFound(_))),
                "[{}] {result:?}",
                env.backend
            );
        }
        // Gamma's owner asking for Alpha's directory is refused outright.
        let result = contacts::list(&env.state, Some(c.owner), &a.slug, all()).await;
        assert!(matches!(result, Err(AppError::NotFound(_))), "{result:?}");

        // The receiving side deletes the partnership: Beta's people vanish at once.
        let partner_row = lists(env, b.owner, &b.slug)
            .await
            .list(Listed::Partner)
            .items[0]
            .clone();
        act(env, b.owner, &b.slug, &partner_row, Move::Delete)
            .await
            .unwrap();
        let after = directory(env, a.owner, &a.slug, all()).await;
        assert_eq!(after.people.total, 3, "[{}]", env.backend);
        assert_eq!(after.sources.len(), 1);
        let stale = contacts::list(&env.state, Some(a.owner), &a.slug, of(b_id)).await;
        assert!(matches!(stale, Err(AppError::NotFound(_))), "{stale:?}");
        assert_eq!(
            directory(env, b.owner, &b.slug, all()).await.people.total,
            3
        );
    })
    .await;
}

#[tokio::test]
async fn sub_account_limits_narrow_the_own_people_only_and_pages_merge_by_name() {
    on_each_backend(async |env| {
        let a = organization(env, "Ada Admin", "ada@alpha.test", "Alpha").await;
        let b = organization(env, "Bo Boss", "bo@beta.test", "Beta").await;
        let client = env.client();
        let north =
            settings::create_sub_account(&env.state, &client, Some(a.owner), &a.slug, "North")
                .await
                .unwrap();
        let south =
            settings::create_sub_account(&env.state, &client, Some(a.owner), &a.slug, "South")
                .await
                .unwrap();
        let (nina, nina_session) = member(env, &a, "nina@alpha.test", Role::User).await;
        let (sam, _) = member(env, &a, "sam@alpha.test", Role::User).await;
        for (user, sub) in [(nina, north), (sam, south)] {
            let version = members::detail(&env.state, Some(a.owner), &a.slug, user)
                .await
                .unwrap()
                .version;
            members::update_access(
                &env.state,
                &client,
                Some(a.owner),
                &a.slug,
                user,
                consort::domain::member::AccessChange {
                    role: Role::User,
                    modules: vec!["contacts".into()],
                    sub_accounts: Some(vec![sub]),
                    version,
                },
            )
            .await
            .unwrap();
        }
        partner(env, &a, &b, "bo@beta.test").await;
        // Nina (North) sees herself and Ada (all sub-accounts), not Sam (South),
        // and every one of Beta's people: sub-accounts are Alpha's, not Beta's.
        let seen = directory(env, nina_session, &a.slug, all()).await;
        let emails: Vec<&str> = seen.people.items.iter().map(|c| c.email.as_str()).collect();
        assert_eq!(
            emails,
            ["ada@alpha.test", "bo@beta.test", "nina@alpha.test"],
            "[{}]",
            env.backend
        );
        assert_eq!(seen.people.total, 3);
        assert_eq!(
            directory(env, nina_session, &a.slug, searching("sam"))
                .await
                .people
                .total,
            0
        );

        // Pages of 25 merge both organizations in one name order.
        crate::members_list::seed_members(env, &a.slug, 30).await;
        seed_team(env, id_of(env, &b).await, 1, "beta", 30).await;
        let mut seen = Vec::new();
        for page in 1..=3 {
            let found = directory(env, a.owner, &a.slug, ContactQuery { page, ..all() }).await;
            assert_eq!(found.people.total, 3 + 30 + 31, "[{}]", env.backend);
            seen.extend(
                found
                    .people
                    .items
                    .into_iter()
                    .map(|c| (c.name.to_lowercase(), c.email)),
            );
        }
        assert_eq!(seen.len(), 64);
        let names: Vec<&String> = seen.iter().map(|(name, _)| name).collect();
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(
            names, sorted,
            "[{}] one order across pages and organizations",
            env.backend
        );
        let mut emails: Vec<&String> = seen.iter().map(|(_, email)| email).collect();
        emails.sort();
        emails.dedup();
        assert_eq!(emails.len(), 64, "no one twice, no one lost");
    })
    .await;
}

const FIRST: [&str; 40] = [
    "Ada", "Bruno", "Chiara", "Dmitri", "Elif", "Farah", "Goran", "Hana", "Ines", "Jonas", "Kemal",
    "Lena", "Mira", "Nadia", "Omar", "Priya", "Quentin", "Rosa", "Sven", "Tariq", "Uma", "Viktor",
    "Wen", "Ximena", "Yusuf", "Zofia", "Amara", "Bilal", "Carmen", "Daan", "Esme", "Felix",
    "Greta", "Hugo", "Ilse", "Joao", "Kira", "Luca", "Maren", "Nils",
];
const LAST: [&str; 75] = [
    "Abara",
    "Berg",
    "Castillo",
    "Dubois",
    "Eriksen",
    "Fischer",
    "Garcia",
    "Haddad",
    "Ivanova",
    "Jansen",
    "Kowalski",
    "Lindqvist",
    "Moreau",
    "Nakamura",
    "Okafor",
    "Petrov",
    "Quinn",
    "Rossi",
    "Schmidt",
    "Tanaka",
    "Umarov",
    "Varga",
    "Weber",
    "Xu",
    "Yilmaz",
    "Zielinski",
    "Achebe",
    "Bianchi",
    "Costa",
    "Dahl",
    "Esposito",
    "Ferreira",
    "Gruber",
    "Horvat",
    "Iqbal",
    "Jovanovic",
    "Kaur",
    "Lopez",
    "Mendes",
    "Novak",
    "Ortiz",
    "Popescu",
    "Quispe",
    "Richter",
    "Silva",
    "Torres",
    "Urbano",
    "Vogel",
    "Wagner",
    "Xavier",
    "Young",
    "Zhang",
    "Alvarez",
    "Brandt",
    "Cohen",
    "Diaz",
    "Engel",
    "Fontaine",
    "Gallo",
    "Hoffmann",
    "Ibrahim",
    "Jung",
    "Keller",
    "Lambert",
    "Marino",
    "Nieminen",
    "Olsen",
    "Park",
    "Reyes",
    "Sato",
    "Thomsen",
    "Ueda",
    "Vidal",
    "Walsh",
    "Yamada",
];

/// The name of the `i`th seeded person of organization number `org`: a first
/// and a last name, so that a search meets a directory's spread of names.
fn seeded_name(org: usize, i: usize) -> String {
    format!(
        "{} {}",
        FIRST[(i + org) % FIRST.len()],
        LAST[(i / FIRST.len() + 7 * org) % LAST.len()]
    )
}

/// Adds `n` active team members to organization number `org` (names from
/// [`seeded_name`], addresses `prefix<i>@prefix.test`), straight in the database.
async fn seed_team(env: &TestEnv, organization: Uuid, org: usize, prefix: &str, n: usize) {
    let people: Vec<(Uuid, String, String)> = (0..n)
        .map(|i| {
            (
                Uuid::now_v7(),
                seeded_name(org, i),
                format!("{prefix}{i}@{prefix}.test"),
            )
        })
        .collect();
    crate::members_list::seed_people(env, organization, "team", &people).await;
}

fn median(mut samples: Vec<Duration>) -> f64 {
    samples.sort();
    samples[samples.len() / 2].as_secs_f64() * 1e3
}

/// The benchmark: Contacts of an organization with 10,000 own people
/// and 50 partner organizations of 1,000 people each — the first page, a
/// search and a filter by organization, medians of 31 runs on each database.
#[tokio::test]
async fn benchmark_contacts_with_fifty_partner_organizations() {
    on_each_backend(async |env| {
        let a = organization(env, "Ada Admin", "ada@alpha.test", "Alpha").await;
        let a_id = id_of(env, &a).await;
        seed_team(env, a_id, 0, "alpha", 10_000).await;
        let at = consort::db::now();
        let partners: Vec<Uuid> = (0..50).map(|_| Uuid::now_v7()).collect();
        macro_rules! organizations {
            ($pool:expr) => {{
                let mut tx = $pool.begin().await.unwrap();
                for (i, id) in partners.iter().enumerate() {
                    sqlx::query("INSERT INTO organizations (id, name, slug, created_at) VALUES ($1, $2, $3, $4)")
                        .bind(*id).bind(format!("Studio {i:02}")).bind(format!("studio-{i:02}")).bind(at)
                        .execute(&mut *tx).await.unwrap();
                    sqlx::query(
                        "INSERT INTO partnerships (id, requester_id, recipient_id, recipient_email, recipient_email_key,
                                                   requested_by, status, requester_holds, recipient_holds, created_at, answered_at, answered_by)
                         VALUES ($1, $2, $3, $4, $4, $5, 'accepted', TRUE, TRUE, $6, $6, $5)",
                    )
                    .bind(Uuid::now_v7()).bind(if i % 2 == 0 { a_id } else { *id }).bind(if i % 2 == 0 { *id } else { a_id })
                    .bind(format!("owner@studio{i}.test")).bind(a.owner.user_id).bind(at)
                    .execute(&mut *tx).await.unwrap();
                }
                tx.commit().await.unwrap();
            }};
        }
        match env.db() {
            Db::Sqlite(pool, _) => organizations!(pool),
            Db::Postgres(pool) => organizations!(pool),
        }
        for (i, id) in partners.iter().enumerate() {
            seed_team(env, *id, i + 1, &format!("studio{i:02}"), 1_000).await;
        }
        // What each search must find, counted from the seeded names.
        let hits = |text: &str| {
            let seeded = (0..10_000).map(|i| seeded_name(0, i)).chain(
                (1..=50).flat_map(|org| (0..1_000).map(move |i| seeded_name(org, i))),
            );
            seeded.filter(|name| name.to_lowercase().contains(text)).count() as u64
        };
        let shapes = [
            ("first page", all(), 60_001),
            ("search for a full name", searching("Mira Okafor"), hits("mira okafor")),
            ("search for a surname", searching("okafor"), hits("okafor")),
            ("one partner", of(partners[17]), 1_000),
        ];
        let mut figures = Vec::new();
        for (label, query, total) in shapes {
            let mut times = Vec::new();
            for _ in 0..31 {
                let started = Instant::now();
                let found = directory(env, a.owner, &a.slug, query.clone()).await;
                times.push(started.elapsed());
                assert_eq!(found.people.total, total, "[{}] {label}", env.backend);
                assert_eq!(found.people.items.len(), 25.min(total as usize));
            }
            figures.push(format!("{label} {:.2} ms", median(times)));
        }
        println!(
            "benchmark: Contacts of 10,000 own people and 50 partners of 1,000 on {}: {} (medians of 31; the searches find {} and {})",
            env.backend,
            figures.join(", "),
            hits("mira okafor"),
            hits("okafor"),
        );
    })
    .await;
}
