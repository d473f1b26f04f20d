//! The load benchmark's preparation (`make bench-load`, scripts/bench-load.sh):
//! ignored tests, run only by that script. Never part of `make test`.

use crate::common::{self, PASSWORD};
use consort::auth::password::Hasher;
use consort::domain::invitation::{DraftRow, InviteSource};
use consort::domain::role::{MembershipKind, Role};
use serde_json::json;
use std::time::{Duration, Instant};

/// Seeds the database at CONSORT_LOAD_DATABASE_URL with an organization of
/// 10,001 members (its owner `owner@load.test` has the tests' password) and
/// writes, into CONSORT_LOAD_DIR, the request bodies the load generator sends:
/// `slug`, `login.form`, and the invite dialog's `check.json` and `send.json`
/// with `@@EMAIL@@` where each request puts a new address.
#[tokio::test]
#[ignore = "run by scripts/bench-load.sh"]
async fn load_seed() {
    let url = std::env::var("CONSORT_LOAD_DATABASE_URL").expect("CONSORT_LOAD_DATABASE_URL");
    let dir =
        std::path::PathBuf::from(std::env::var("CONSORT_LOAD_DIR").expect("CONSORT_LOAD_DIR"));
    let env = common::kept(&url).await;
    let owner = env
        .sign_up("Olive Owner", "owner@load.test", "Load Test")
        .await;
    let slug = common::slug_of(&owner);
    crate::members_list::seed_members(&env, &slug, 10_000).await;
    let source = InviteSource::Rows(vec![DraftRow {
        input: "@@EMAIL@@".into(),
        kind: consort::domain::role::MembershipKind::Team,
        access_until: String::new(),
        role: Role::User,
        modules: vec![],
        sub_accounts: None,
        restore: false,
    }]);
    let write = |name: &str, text: String| std::fs::write(dir.join(name), text).unwrap();
    write("slug", slug.clone());
    write(
        "login.form",
        format!("email=owner%40load.test&password={PASSWORD}"),
    );
    write(
        "check.json",
        json!({ "slug": slug, "source": source }).to_string(),
    );
    write(
        "send.json",
        json!({ "slug": slug, "kind": MembershipKind::Partner, "source": source }).to_string(),
    );
    env.state.db.close().await;
    println!("load: seeded {slug} with 10,001 members on {}", env.backend);
}

/// The raw argon2 rate of this machine with the server's hasher and its
/// default concurrency (one hash per CPU), for 5 seconds: the ceiling of log-ins/s.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "run by scripts/bench-load.sh"]
async fn load_hash_rate() {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let hasher = Hasher::new(cores);
    let stored = hasher.hash(PASSWORD).await;
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..cores * 2 {
        let (hasher, stored) = (hasher.clone(), stored.clone());
        tasks.spawn(async move {
            let mut n = 0u32;
            while started.elapsed() < Duration::from_secs(5) {
                assert!(hasher.verify(PASSWORD, Some(&stored)).await);
                n += 1;
            }
            n
        });
    }
    let mut total = 0;
    while let Some(n) = tasks.join_next().await {
        total += n.unwrap();
    }
    println!(
        "load: raw hash rate {:.1}/s on {cores} cores",
        f64::from(total) / started.elapsed().as_secs_f64()
    );
}
