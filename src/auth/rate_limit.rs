//! Attempt limits (log-in, password change, sign-up and reset mail, resends).
//! Each attempt claims its slot atomically before the work (see
//! [`crate::db::limits`]), so N concurrent attempts spend N of the budget, and
//! every instance sharing the database enforces the same limit.

use crate::db::limits::Claim;
use crate::db::tx::Tx;
use crate::db::{self, Db};
use crate::error::AppError;
use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

/// Failed log-ins and password checks are counted over this window.
pub const WINDOW: Duration = Duration::minutes(15);

/// A kind of limit: what it counts, how many, over how long.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limit {
    pub name: &'static str,
    pub max: i64,
    pub window: Duration,
}

impl Limit {
    pub const fn new(name: &'static str, max: i64, window: Duration) -> Limit {
        Limit { name, max, window }
    }

    fn key(&self, subject: &str) -> String {
        format!("{}:{subject}", self.name)
    }
}

/// Password checks of a signed-in person (changing the password) in 15 minutes.
pub const PASSWORD_CHECKS: Limit = Limit::new("password-check", 5, WINDOW);

/// A claimed slot. Dropping it keeps the attempt counted; [`Slot::release`]
/// gives it back when the attempt should not count.
#[derive(Debug)]
#[must_use = "a slot is either kept (the attempt counts) or released"]
pub struct Slot(Uuid);

impl Slot {
    pub async fn release(self, db: &Db) -> Result<(), sqlx::Error> {
        db::limits::release(db, self.0).await
    }

    /// Gives the slot back in the transaction of the change that follows the
    /// attempt (a right password's new session).
    pub async fn release_in(self, tx: &mut Tx) -> Result<(), sqlx::Error> {
        db::limits::release_in(tx, self.0).await
    }
}

/// Claims a slot of `limit` for `subject`, or says when to try again.
pub async fn claim(db: &Db, limit: Limit, subject: &str) -> Result<Slot, AppError> {
    let now = db::now();
    let claim = db::limits::claim(db, &limit.key(subject), limit.max, limit.window, now).await?;
    answer(claim, now).map(Slot)
}

/// Claims a slot in the transaction of the change it guards: spent only if
/// the change commits.
pub async fn claim_in(tx: &mut Tx, limit: Limit, subject: &str) -> Result<(), AppError> {
    let now = db::now();
    let claim = db::limits::claim_in(tx, &limit.key(subject), limit.max, limit.window, now).await?;
    answer(claim, now).map(|_| ())
}

fn answer(claim: Claim, now: DateTime<Utc>) -> Result<Uuid, AppError> {
    match claim {
        Claim::Taken(id) => Ok(id),
        Claim::Full { frees_at } => Err(AppError::RateLimited {
            retry_after_secs: (frees_at - now).num_seconds().max(1) as u64,
        }),
    }
}

/// Log-in limits: failed attempts per account and per client address.
pub struct Limits {
    pub per_account: i64,
    pub per_address: i64,
}

impl Limits {
    fn account(&self) -> Limit {
        Limit::new("login-account", self.per_account, WINDOW)
    }

    fn address(&self) -> Limit {
        Limit::new("login-address", self.per_address, WINDOW)
    }
}

/// The slots a log-in attempt holds: kept when it fails, released when it succeeds.
pub struct LoginSlots(Vec<Slot>);

impl LoginSlots {
    /// A right password: the slots go back with the session it starts.
    pub async fn release_in(self, tx: &mut Tx) -> Result<(), sqlx::Error> {
        for slot in self.0 {
            slot.release_in(tx).await?;
        }
        Ok(())
    }
}

/// Claims a log-in attempt's slots for the account and the address; refuses
/// (giving back what it took) when either is spent.
pub async fn claim_login(
    db: &Db,
    limits: &Limits,
    email_key: &str,
    ip: Option<&str>,
) -> Result<LoginSlots, AppError> {
    let account = claim(db, limits.account(), email_key).await?;
    let address = match ip {
        Some(ip) => match claim(db, limits.address(), ip).await {
            Ok(slot) => Some(slot),
            Err(refused) => {
                account.release(db).await?;
                return Err(refused);
            }
        },
        None => None,
    };
    Ok(LoginSlots(
        std::iter::once(account).chain(address).collect(),
    ))
}
