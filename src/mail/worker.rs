//! The background worker that drains the outbox, with exponential back-off.

use super::Mailer;
use super::transport::Transport;
use crate::db::{self, Db};
use chrono::Duration;
use std::time::Duration as StdDuration;

/// Attempts before a message is marked failed.
pub const MAX_ATTEMPTS: i64 = 6;
const BATCH: i64 = 20;
const LEASE: Duration = Duration::minutes(2);
const POLL: StdDuration = StdDuration::from_secs(5);

/// The wait before attempt `attempts + 1`: 30 s, 1 min, 2 min, 4 min, 8 min.
pub fn backoff(attempts: i64) -> Duration {
    Duration::seconds(30 * (1 << (attempts.clamp(1, 10) - 1)))
}

/// Delivers every message that is due; returns how many were sent.
pub async fn run_once(db: &Db, transport: &Transport) -> Result<usize, sqlx::Error> {
    let mut sent = 0;
    loop {
        let batch = db::outbox::claim_due(db, BATCH, LEASE).await?;
        if batch.is_empty() {
            return Ok(sent);
        }
        for mail in batch {
            match transport.deliver(&mail).await {
                Ok(()) => {
                    db::outbox::mark_sent(db, mail.id, transport.name()).await?;
                    sent += 1;
                }
                Err(error) => {
                    let retry =
                        (mail.attempts < MAX_ATTEMPTS).then(|| db::now() + backoff(mail.attempts));
                    tracing::warn!(mail = %mail.id, attempts = mail.attempts, %error, "mail delivery failed");
                    db::outbox::mark_failed(db, mail.id, &error, retry).await?;
                }
            }
        }
    }
}

/// Runs forever: drains the outbox when woken by a queued message, and every few
/// seconds for retries and for messages queued by other instances.
pub fn spawn(db: Db, transport: Transport, mailer: &Mailer) -> tokio::task::JoinHandle<()> {
    let wake = mailer.wake_signal();
    tokio::spawn(async move {
        loop {
            if let Err(error) = run_once(&db, &transport).await {
                tracing::error!(%error, "mail worker could not read the outbox");
            }
            let _ = tokio::time::timeout(POLL, wake.notified()).await;
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles() {
        assert_eq!(backoff(1), Duration::seconds(30));
        assert_eq!(backoff(2), Duration::seconds(60));
        assert_eq!(backoff(5), Duration::seconds(480));
    }
}
