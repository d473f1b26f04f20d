//! A model-based test of partnerships (issue 14): random sequences of sends,
//! accepts, rejects and deletes by the owners of three organizations run
//! against the real service functions, and after every step the outcome and
//! both sides' lists are compared with a small reference model of DESIGN.md's
//! table, written here independently of `domain::partnership`.
//!
//! Cases: `CONSORT_MODEL_CASES` (default 1,500 on SQLite, a tenth of that on
//! PostgreSQL).

use crate::common::{self, TestEnv};
use crate::invitations::{Org, organization};
use consort::domain::partnership::{
    Blocked, ListPages, Listed, Move, Partnerships, Refusal, SendOutcome,
};
use consort::error::AppError;
use consort::service::partnerships;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use std::collections::{BTreeMap, BTreeSet};
use uuid::Uuid;

const ORGS: usize = 3;

fn name(i: usize) -> String {
    format!("Org{i}")
}

fn address(i: usize) -> String {
    format!("owner{i}@org{i}.test")
}

#[derive(Clone, Copy, Debug)]
enum Op {
    Send {
        from: usize,
        to: usize,
    },
    /// `by` makes `mv` on its relationship with `with`; `stale`: from a page
    /// that showed another version.
    Act {
        by: usize,
        with: usize,
        mv: Move,
        stale: bool,
    },
}

fn op() -> impl Strategy<Value = Op> {
    let mv = prop_oneof![Just(Move::Accept), Just(Move::Reject), Just(Move::Delete)];
    prop_oneof![
        2 => (0..ORGS, 0..ORGS).prop_map(|(from, to)| Op::Send { from, to }),
        5 => (0..ORGS, 0..ORGS, mv, proptest::bool::weighted(0.08))
            .prop_map(|(by, with, mv, stale)| Op::Act { by, with, mv, stale }),
    ]
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Status {
    Pending,
    Accepted,
    Rejected,
}

/// One live relationship of the model.
#[derive(Clone, Copy, Debug)]
struct Rel {
    from: usize,
    to: usize,
    status: Status,
    from_holds: bool,
    to_holds: bool,
}

/// What a step answers, as the model predicts and as the service is read.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Outcome {
    Sent,
    TheyAsked,
    Blocked(&'static str),
    Refused(&'static str),
    NotFound,
    Stale,
}

#[derive(Default)]
struct Model {
    live: BTreeMap<(usize, usize), Rel>,
}

fn key(a: usize, b: usize) -> (usize, usize) {
    (a.min(b), a.max(b))
}

impl Model {
    fn send(&mut self, from: usize, to: usize) -> Outcome {
        if from == to {
            return Outcome::Blocked(Blocked::OwnOrganization.message());
        }
        let Some(rel) = self.live.get(&key(from, to)) else {
            self.live.insert(
                key(from, to),
                Rel {
                    from,
                    to,
                    status: Status::Pending,
                    from_holds: true,
                    to_holds: true,
                },
            );
            return Outcome::Sent;
        };
        let mine = rel.from == from;
        Outcome::Blocked(match rel.status {
            Status::Pending if mine => Blocked::AlreadySent.message(),
            Status::Pending => return Outcome::TheyAsked,
            Status::Accepted => Blocked::AlreadyPartners.message(),
            Status::Rejected if mine => Blocked::RejectedByThem.message(),
            Status::Rejected if rel.to_holds => Blocked::RejectedByYou.message(),
            Status::Rejected => Blocked::HeldByThem.message(),
        })
    }

    fn holds(&self, by: usize, with: usize) -> bool {
        self.live.get(&key(by, with)).is_some_and(|r| {
            if r.from == by {
                r.from_holds
            } else {
                r.to_holds
            }
        })
    }

    fn act(&mut self, by: usize, with: usize, mv: Move) -> Outcome {
        let k = key(by, with);
        if by == with || !self.holds(by, with) {
            return Outcome::NotFound;
        }
        let mut rel = self.live[&k];
        let sender = rel.from == by;
        match mv {
            Move::Accept | Move::Reject if sender => {
                return Outcome::Refused(Refusal::OnlyRecipientAnswers.message());
            }
            Move::Accept => match rel.status {
                Status::Accepted => return Outcome::Refused(Refusal::AlreadyPartners.message()),
                Status::Rejected if !rel.from_holds => {
                    return Outcome::Refused(Refusal::SenderDeleted.message());
                }
                _ => rel.status = Status::Accepted,
            },
            Move::Reject => match rel.status {
                Status::Accepted => return Outcome::Refused(Refusal::AlreadyPartners.message()),
                Status::Rejected => return Outcome::Refused(Refusal::AlreadyRejected.message()),
                Status::Pending => rel.status = Status::Rejected,
            },
            Move::Delete => match (rel.status, sender) {
                (Status::Pending | Status::Accepted, true) => {
                    self.live.remove(&k);
                    return Outcome::Sent;
                }
                (Status::Pending | Status::Accepted, false) => {
                    rel.status = Status::Rejected;
                    rel.to_holds = false;
                }
                (Status::Rejected, true) => rel.from_holds = false,
                (Status::Rejected, false) => rel.to_holds = false,
            },
        }
        if rel.from_holds || rel.to_holds {
            self.live.insert(k, rel);
        } else {
            self.live.remove(&k);
        }
        Outcome::Sent
    }

    /// What `org`'s lists hold: (other organization, list, whether its name shows).
    fn lists(&self, org: usize) -> BTreeSet<(usize, ListedAs, bool)> {
        let mut out = BTreeSet::new();
        for rel in self.live.values() {
            let (other, holds, sender) = if rel.from == org {
                (rel.to, rel.from_holds, true)
            } else if rel.to == org {
                (rel.from, rel.to_holds, false)
            } else {
                continue;
            };
            if !holds {
                continue;
            }
            let listed = match (rel.status, sender) {
                (Status::Pending, false) => ListedAs::Received,
                (Status::Pending, true) => ListedAs::Sent,
                (Status::Accepted, _) => ListedAs::Partner,
                (Status::Rejected, _) => ListedAs::Rejected,
            };
            out.insert((other, listed, !(sender && rel.status == Status::Pending)));
        }
        out
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum ListedAs {
    Received,
    Sent,
    Partner,
    Rejected,
}

fn as_listed(l: Listed) -> ListedAs {
    match l {
        Listed::Received => ListedAs::Received,
        Listed::Sent => ListedAs::Sent,
        Listed::Partner => ListedAs::Partner,
        Listed::Rejected => ListedAs::Rejected,
    }
}

/// The real system's lists of `org`, as the model states them.
fn observed(all: &Partnerships) -> Vec<(usize, ListedAs, bool, Uuid, i64)> {
    let mut out = Vec::new();
    for (list, which) in [
        (&all.received.items, Listed::Received),
        (&all.sent.items, Listed::Sent),
        (&all.partners.items, Listed::Partner),
        (&all.rejected.items, Listed::Rejected),
    ] {
        for row in list {
            let other = (0..ORGS)
                .find(|i| {
                    row.organization.as_deref() == Some(&name(*i))
                        || row.address.as_deref() == Some(&address(*i))
                            && row.organization.is_none()
                })
                .unwrap_or(usize::MAX);
            out.push((
                other,
                as_listed(which),
                row.organization.is_some(),
                row.id,
                row.version,
            ));
        }
    }
    out
}

struct World<'a> {
    env: &'a TestEnv,
    orgs: Vec<Org>,
}

impl World<'_> {
    async fn lists(&self, org: usize) -> Partnerships {
        let o = &self.orgs[org];
        partnerships::list(
            &self.env.state,
            Some(o.owner),
            &o.slug,
            ListPages::default(),
        )
        .await
        .unwrap()
    }

    async fn reset(&self) {
        for table in [
            "partnership_events",
            "partnerships",
            "limit_attempts",
            "outbox",
        ] {
            self.env
                .execute_at(
                    &format!("DELETE FROM {table} WHERE $1 IS NOT NULL"),
                    consort::db::now(),
                )
                .await;
        }
    }

    /// Runs `op` on the real system; the outcome as the model states it.
    async fn run(&self, op: Op) -> Outcome {
        let env = self.env;
        match op {
            Op::Send { from, to } => {
                let o = &self.orgs[from];
                match partnerships::send(
                    &env.state,
                    &env.client(),
                    Some(o.owner),
                    &o.slug,
                    &address(to),
                )
                .await
                {
                    Ok(SendOutcome::Sent) => Outcome::Sent,
                    Ok(SendOutcome::TheyAsked { .. }) => Outcome::TheyAsked,
                    Err(e) => match e.message_for("email") {
                        Some(m) => Outcome::Blocked(known(&m)),
                        None => panic!("send: {e:?}"),
                    },
                }
            }
            Op::Act {
                by,
                with,
                mv,
                stale,
            } => {
                // The row `by` lists for `with`; else the live row `with` lists
                // (held by `with` only); else an id that names nothing.
                let mine = observed(&self.lists(by).await)
                    .into_iter()
                    .find(|r| r.0 == with);
                let theirs = observed(&self.lists(with).await)
                    .into_iter()
                    .find(|r| r.0 == by);
                let (id, version) = match (mine, theirs) {
                    (Some(r), _) | (None, Some(r)) => (r.3, r.4),
                    (None, None) => (Uuid::now_v7(), 1),
                };
                let version = if stale { version + 1 } else { version };
                let o = &self.orgs[by];
                match partnerships::act(
                    &env.state,
                    &env.client(),
                    Some(o.owner),
                    &o.slug,
                    id,
                    version,
                    mv,
                )
                .await
                {
                    Ok(()) => Outcome::Sent,
                    Err(AppError::NotFound(_)) => Outcome::NotFound,
                    Err(AppError::Conflict(m))
                        if m.contains("changed since the page was loaded") =>
                    {
                        Outcome::Stale
                    }
                    Err(AppError::Conflict(m)) => Outcome::Refused(known(&m)),
                    Err(e) => panic!("act: {e:?}"),
                }
            }
        }
    }
}

/// The static message equal to `m` (so outcomes compare by their words).
fn known(m: &str) -> &'static str {
    let all = [
        Blocked::OwnOrganization,
        Blocked::AlreadySent,
        Blocked::TheyAsked,
        Blocked::AlreadyPartners,
        Blocked::RejectedByThem,
        Blocked::RejectedByYou,
        Blocked::HeldByThem,
    ]
    .map(Blocked::message)
    .into_iter()
    .chain(
        [
            Refusal::NotYours,
            Refusal::OnlyRecipientAnswers,
            Refusal::AlreadyPartners,
            Refusal::AlreadyRejected,
            Refusal::SenderDeleted,
        ]
        .map(Refusal::message),
    );
    all.into_iter()
        .find(|k| *k == m)
        .unwrap_or_else(|| panic!("an unknown message: {m}"))
}

fn cases(default: u32) -> u32 {
    std::env::var("CONSORT_MODEL_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn check(env: &TestEnv, rt: &tokio::runtime::Runtime, cases: u32) {
    let orgs = rt.block_on(async {
        let mut orgs = Vec::new();
        for i in 0..ORGS {
            orgs.push(organization(env, &format!("Owner {i}"), &address(i), &name(i)).await);
        }
        orgs
    });
    let world = World { env, orgs };
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    let mut runner = TestRunner::new(config);
    let result = runner.run(&proptest::collection::vec(op(), 1..14), |ops| {
        rt.block_on(async {
            world.reset().await;
            let mut model = Model::default();
            for (step, op) in ops.iter().enumerate() {
                let want = match *op {
                    Op::Send { from, to } => model.send(from, to),
                    Op::Act { by, with, stale: true, .. } if by != with && (model.holds(by, with) || model.holds(with, by)) => {
                        if model.holds(by, with) { Outcome::Stale } else { Outcome::NotFound }
                    }
                    Op::Act { by, with, mv, .. } => model.act(by, with, mv),
                };
                let got = world.run(*op).await;
                if got != want {
                    return Err(TestCaseError::fail(format!("[{}] step {step} {op:?}: got {got:?}, the model says {want:?}", env.backend)));
                }
                for org in 0..ORGS {
                    let seen: BTreeSet<_> = observed(&world.lists(org).await).into_iter().map(|r| (r.0, r.1, r.2)).collect();
                    let want = model.lists(org);
                    if seen != want {
                        return Err(TestCaseError::fail(format!(
                            "[{}] after step {step} {op:?}, Org{org} lists {seen:?}; the model says {want:?}",
                            env.backend
                        )));
                    }
                }
            }
            Ok(())
        })
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}

#[test]
fn partnerships_follow_the_table_of_design_md() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let env = rt.block_on(common::sqlite());
    check(&env, &rt, cases(1500));
    rt.block_on(env.finish());
    if let Some(server) = common::postgres_server() {
        let env = rt.block_on(common::postgres(&server));
        check(&env, &rt, cases(1500) / 10);
        rt.block_on(env.finish());
    }
}
