//! Log-in attempt limits, counted from the audit trail so that every instance
//! sharing a database enforces the same limit.

use crate::db::audit::CountBy;
use crate::db::{self, Db};
use crate::domain::audit::AuditAction;
use crate::error::AppError;
use chrono::Duration;

pub const WINDOW: Duration = Duration::minutes(15);

pub struct Limits {
    pub per_account: i64,
    pub per_address: i64,
}

/// Refuses when the account or the address has failed too often lately.
pub async fn check_login(
    db: &Db,
    limits: &Limits,
    email_key: &str,
    ip: Option<&str>,
) -> Result<(), AppError> {
    let since = db::now() - WINDOW;
    let by_account = db::audit::count_since(
        db,
        AuditAction::LoginFailed,
        CountBy::Subject,
        email_key,
        since,
    )
    .await?;
    let by_address = match ip {
        Some(ip) => {
            db::audit::count_since(db, AuditAction::LoginFailed, CountBy::Ip, ip, since).await?
        }
        None => 0,
    };
    if by_account >= limits.per_account || by_address >= limits.per_address {
        return Err(AppError::RateLimited {
            retry_after_secs: WINDOW.num_seconds() as u64,
        });
    }
    Ok(())
}
