//! Every setting, from a command-line flag, an environment variable or a
//! `.env` file (in that order of precedence), with defaults that run locally.

use clap::Parser;
use std::net::SocketAddr;

#[derive(Clone, Debug, Parser)]
#[command(
    name = "consort",
    version,
    about = "Consort: manage who may work in your organization"
)]
pub struct Config {
    /// Database: sqlite://path/to/file.db (created if missing) or postgres://user@host/db.
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite://data/consort.db")]
    pub database_url: String,

    /// Address to listen on. Defaults to the site address cargo-leptos passes (127.0.0.1:3000).
    #[arg(long, env = "CONSORT_LISTEN")]
    pub listen: Option<SocketAddr>,

    /// The address people use to reach Consort; links in emails start with it.
    /// Defaults to http://<listen address>. Cookies are marked Secure when it is https.
    #[arg(long, env = "CONSORT_PUBLIC_URL")]
    pub public_url: Option<String>,

    /// Mail transport: smtp://host:port (plain, a local relay), smtp://user:pass@host:587?tls=required
    /// (STARTTLS) or smtps://user:pass@host:465 (TLS). Unset: mail goes to the development
    /// mailbox at /dev/mailbox.
    #[arg(long, env = "MAIL")]
    pub mail: Option<String>,

    /// Sender of every email.
    #[arg(
        long,
        env = "CONSORT_MAIL_FROM",
        default_value = "Consort <no-reply@consort.localhost>"
    )]
    pub mail_from: String,

    /// A session ends after this many minutes without a request.
    #[arg(long, env = "CONSORT_SESSION_IDLE_MINUTES", default_value_t = 1440)]
    pub session_idle_minutes: i64,

    /// A session ends this many minutes after log-in, however active.
    #[arg(
        long,
        env = "CONSORT_SESSION_ABSOLUTE_MINUTES",
        default_value_t = 43200
    )]
    pub session_absolute_minutes: i64,

    /// Failed log-ins allowed per account in 15 minutes before further attempts are refused.
    #[arg(long, env = "CONSORT_LOGIN_LIMIT_PER_ACCOUNT", default_value_t = 5)]
    pub login_limit_per_account: i64,

    /// Failed log-ins allowed per client address in 15 minutes.
    #[arg(long, env = "CONSORT_LOGIN_LIMIT_PER_ADDRESS", default_value_t = 30)]
    pub login_limit_per_address: i64,

    /// Password hashes computed at once (each takes 19 MiB); defaults to the number of CPUs.
    #[arg(long, env = "CONSORT_HASH_CONCURRENCY")]
    pub hash_concurrency: Option<usize>,

    /// Take the client address from X-Forwarded-For (only behind a proxy you run).
    #[arg(long, env = "CONSORT_TRUST_PROXY", default_value_t = false)]
    pub trust_proxy: bool,

    /// Log filter, e.g. info, debug, consort=debug,sqlx=warn.
    #[arg(long, env = "CONSORT_LOG", default_value = "info")]
    pub log: String,
}

impl Config {
    /// Reads `.env` (if present), the environment and the command line.
    pub fn load() -> Config {
        let _ = dotenvy::dotenv();
        Config::parse()
    }

    /// Settings for tests and tools: defaults, then the given overrides.
    pub fn for_tests(database_url: &str) -> Config {
        Config::parse_from([
            "consort",
            "--database-url",
            database_url,
            "--public-url",
            "http://localhost:3000",
        ])
    }

    pub fn public_url(&self, listen: SocketAddr) -> String {
        self.public_url
            .clone()
            .unwrap_or_else(|| format!("http://{listen}"))
            .trim_end_matches('/')
            .to_string()
    }

    pub fn hash_concurrency(&self) -> usize {
        self.hash_concurrency
            .unwrap_or_else(|| {
                std::thread::available_parallelism()
                    .map(|n| n.get())
                    .unwrap_or(2)
            })
            .max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_override_defaults() {
        let config = Config::parse_from([
            "consort",
            "--database-url",
            "postgres://x/y",
            "--session-idle-minutes",
            "5",
        ]);
        assert_eq!(config.database_url, "postgres://x/y");
        assert_eq!(config.session_idle_minutes, 5);
        assert_eq!(
            config.public_url("127.0.0.1:3000".parse().unwrap()),
            "http://127.0.0.1:3000"
        );
        assert!(config.hash_concurrency() >= 1);
    }
}
