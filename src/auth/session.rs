//! Sessions: a random token in an HttpOnly cookie, its hash in the database,
//! idle and absolute timeouts, rotation on log-in.

use super::client::Client;
use super::token;
use crate::db::tx::Tx;
use crate::db::{self, Db};
use chrono::{DateTime, Duration, Utc};
use http::HeaderMap;
use uuid::Uuid;

pub const COOKIE: &str = "consort_session";
/// `last_seen_at` is written at most once a minute, to keep reads cheap…
const TOUCH_AT_MOST_EVERY: Duration = Duration::seconds(60);

#[derive(Clone, Copy, Debug)]
pub struct Timeouts {
    pub idle: Duration,
    pub absolute: Duration,
}

/// A live session.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Session {
    pub id: Uuid,
    pub user_id: Uuid,
}

/// Starts a session; returns it and the token for the cookie.
pub async fn start(
    db: &Db,
    user_id: Uuid,
    client: &Client,
    timeouts: Timeouts,
) -> Result<(Session, String), sqlx::Error> {
    let mut tx = db.begin().await?;
    let started = start_in(&mut tx, user_id, client, timeouts).await?;
    tx.commit().await?;
    Ok(started)
}

/// Starts a session in the transaction of the change that signs the person in
/// (an account created by an invitation, say): both happen, or neither.
pub async fn start_in(
    tx: &mut Tx,
    user_id: Uuid,
    client: &Client,
    timeouts: Timeouts,
) -> Result<(Session, String), sqlx::Error> {
    let (token, hash) = token::generate();
    let at = db::now();
    let id = db::sessions::insert_in(
        tx,
        &db::sessions::NewSession {
            user_id,
            token_hash: &hash,
            now: at,
            expires_at: at + timeouts.absolute,
            ip: client.ip(),
            user_agent: client.user_agent.as_deref(),
        },
    )
    .await?;
    Ok((Session { id, user_id }, token))
}

/// The session a token belongs to, if it is still alive; refreshes its idle clock.
pub async fn resolve(
    db: &Db,
    token: &str,
    timeouts: Timeouts,
) -> Result<Option<Session>, sqlx::Error> {
    if !token::looks_valid(token) {
        return Ok(None);
    }
    let Some(row) = db::sessions::find_by_hash(db, &token::hash(token)).await? else {
        return Ok(None);
    };
    let at = db::now();
    if is_expired(row.last_seen_at, row.expires_at, at, timeouts) {
        db::sessions::delete(db, row.id).await?;
        return Ok(None);
    }
    if at - row.last_seen_at >= touch_interval(timeouts.idle) {
        db::sessions::touch(db, row.id, at).await?;
    }
    Ok(Some(Session {
        id: row.id,
        user_id: row.user_id,
    }))
}

/// How stale `last_seen_at` may get before a request writes it: at most a
/// minute, and at most a 60th of the idle timeout, so a session in use never
/// looks idle (with a 1-minute timeout the clock is written every second).
pub fn touch_interval(idle: Duration) -> Duration {
    TOUCH_AT_MOST_EVERY.min(idle / 60)
}

pub fn is_expired(
    last_seen: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    now: DateTime<Utc>,
    timeouts: Timeouts,
) -> bool {
    now >= expires_at || now - last_seen >= timeouts.idle
}

/// The session token in the request's cookies, if any.
pub fn token_from_headers(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.to_string())
}

/// The Set-Cookie value that stores `token`.
pub fn cookie(token: &str, secure: bool, max_age: Duration) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!(
        "{COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
        max_age.num_seconds()
    )
}

/// The Set-Cookie value that removes the cookie.
pub fn clearing_cookie(secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}")
}

/// Every hour: removes expired sessions, attempt records older than the
/// longest limit window (a day) and sign-up links that expired.
pub fn spawn_cleanup(db: Db) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            every.tick().await;
            let now = db::now();
            let results = [
                (
                    "expired sessions",
                    db::sessions::delete_expired(&db, now).await,
                ),
                (
                    "old attempt records",
                    db::limits::prune(&db, now - Duration::days(1)).await,
                ),
                ("expired sign-up links", db::signups::prune(&db, now).await),
            ];
            metrics::gauge!("consort_job_last_run_timestamp_seconds", "job" => "cleanup")
                .set(now.timestamp() as f64);
            for (what, result) in results {
                match result {
                    Ok(n) if n > 0 => tracing::info!(removed = n, "{what} removed"),
                    Ok(_) => {}
                    Err(error) => tracing::error!(%error, "could not remove {what}"),
                }
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_http_only_lax_and_secure_over_https() {
        let c = cookie("abc", true, Duration::days(30));
        assert!(c.starts_with("consort_session=abc;"));
        for part in [
            "HttpOnly",
            "SameSite=Lax",
            "Secure",
            "Path=/",
            "Max-Age=2592000",
        ] {
            assert!(c.contains(part), "{c}");
        }
        assert!(!cookie("abc", false, Duration::days(1)).contains("Secure"));
        assert!(clearing_cookie(false).contains("Max-Age=0"));
    }

    #[test]
    fn reads_the_session_cookie_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(
            http::header::COOKIE,
            "a=1; consort_session=tok; b=2".parse().unwrap(),
        );
        assert_eq!(token_from_headers(&headers).as_deref(), Some("tok"));
        assert_eq!(token_from_headers(&HeaderMap::new()), None);
    }

    #[test]
    fn the_idle_clock_is_written_often_enough_for_short_timeouts() {
        assert_eq!(
            touch_interval(Duration::minutes(1440)),
            Duration::seconds(60)
        );
        assert_eq!(touch_interval(Duration::minutes(60)), Duration::seconds(60));
        assert_eq!(touch_interval(Duration::minutes(1)), Duration::seconds(1));
    }

    #[test]
    fn idle_and_absolute_timeouts() {
        let t = Timeouts {
            idle: Duration::minutes(30),
            absolute: Duration::hours(8),
        };
        let start = Utc::now();
        let expires = start + t.absolute;
        assert!(!is_expired(
            start,
            expires,
            start + Duration::minutes(29),
            t
        ));
        assert!(is_expired(start, expires, start + Duration::minutes(30), t));
        assert!(is_expired(
            start + Duration::hours(8),
            expires,
            start + Duration::hours(8),
            t
        ));
    }
}
