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

    /// Serve Prometheus metrics at http://<this address>/metrics (for example
    /// 127.0.0.1:9100). Unset: no metrics are served. Never the public listen address.
    #[arg(long, env = "CONSORT_METRICS_LISTEN")]
    pub metrics_listen: Option<SocketAddr>,

    /// The address people use to reach Consort; links in emails start with it.
    /// Defaults to http://<listen address>. Cookies are marked Secure when it is https.
    #[arg(long, env = "CONSORT_PUBLIC_URL")]
    pub public_url: Option<String>,

    /// Mail transport: smtp://host:port (plain, a local relay), smtp://user:pass@host:587?tls=required
    /// (STARTTLS) or smtps://user:pass@host:465 (TLS). Unset: mail stays queued (or, with
    /// --dev-mailbox, is shown at /dev/mailbox).
    #[arg(long, env = "MAIL")]
    pub mail: Option<String>,

    /// Development only: keep every email in a mailbox served at /dev/mailbox instead of
    /// sending it. Anyone who can open it can read every link Consort sends, so it is
    /// served only when the listen address is a loopback one and MAIL is unset.
    #[arg(long, env = "CONSORT_DEV_MAILBOX", default_value_t = false)]
    pub dev_mailbox: bool,

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

    /// How often, in seconds, partners whose access end date has come are
    /// deactivated and those whose end is a week away are reminded.
    #[arg(long, env = "CONSORT_ACCESS_JOB_SECONDS", default_value_t = 60)]
    pub access_job_seconds: i64,

    /// How many reverse proxies of yours stand in front of Consort, each appending the
    /// address it saw to X-Forwarded-For. The client address is the hop that many places
    /// from the right; 0 (the default) ignores X-Forwarded-For and uses the socket address.
    #[arg(long, env = "CONSORT_TRUSTED_PROXIES", default_value_t = 0)]
    pub trusted_proxies: usize,

    /// Log filter, e.g. info, debug, consort=debug,sqlx=warn.
    #[arg(long, env = "CONSORT_LOG", default_value = "info")]
    pub log: String,
}

/// Where mail goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MailMode {
    /// Through this SMTP server.
    Smtp(String),
    /// Into the development mailbox at /dev/mailbox.
    DevMailbox,
    /// Nowhere yet: kept in the outbox until a mail server is configured.
    Queued,
}

/// The most minutes any lifetime setting may hold: ten years.
const MAX_MINUTES: i64 = 10 * 365 * 24 * 60;

impl Config {
    /// Reads `.env` (if present), the environment and the command line.
    pub fn load() -> Config {
        let _ = dotenvy::dotenv();
        Config::parse()
    }

    /// Refuses settings the server cannot run with, naming the setting.
    pub fn validate(&self, listen: SocketAddr) -> Result<(), String> {
        let within = |name: &str, value: i64, min: i64, max: i64| {
            if (min..=max).contains(&value) {
                Ok(())
            } else {
                Err(format!(
                    "{name} must be between {min} and {max}, not {value}"
                ))
            }
        };
        within(
            "CONSORT_SESSION_IDLE_MINUTES (--session-idle-minutes)",
            self.session_idle_minutes,
            1,
            MAX_MINUTES,
        )?;
        within(
            "CONSORT_SESSION_ABSOLUTE_MINUTES (--session-absolute-minutes)",
            self.session_absolute_minutes,
            1,
            MAX_MINUTES,
        )?;
        within(
            "CONSORT_LOGIN_LIMIT_PER_ACCOUNT (--login-limit-per-account)",
            self.login_limit_per_account,
            1,
            1_000_000,
        )?;
        within(
            "CONSORT_LOGIN_LIMIT_PER_ADDRESS (--login-limit-per-address)",
            self.login_limit_per_address,
            1,
            1_000_000,
        )?;
        if let Some(n) = self.hash_concurrency {
            within(
                "CONSORT_HASH_CONCURRENCY (--hash-concurrency)",
                n as i64,
                1,
                1024,
            )?;
        }
        within(
            "CONSORT_ACCESS_JOB_SECONDS (--access-job-seconds)",
            self.access_job_seconds,
            1,
            86_400,
        )?;
        within(
            "CONSORT_TRUSTED_PROXIES (--trusted-proxies)",
            self.trusted_proxies as i64,
            0,
            16,
        )?;
        if self.public_url.is_none() && listen.ip().is_unspecified() {
            return Err(format!(
                "listening on {listen} (every address), CONSORT_PUBLIC_URL (--public-url) must say \
                 the address people use, e.g. https://consort.example: only its host is served"
            ));
        }
        if let Some(url) = &self.public_url
            && !(url.starts_with("http://") || url.starts_with("https://"))
        {
            return Err(format!(
                "CONSORT_PUBLIC_URL (--public-url) must start with http:// or https://, not {url:?}"
            ));
        }
        self.mail_mode(listen).map(|_| ())
    }

    /// Where mail goes: SMTP when MAIL is set; the development mailbox only when
    /// asked for and listening on loopback; otherwise it stays queued.
    pub fn mail_mode(&self, listen: SocketAddr) -> Result<MailMode, String> {
        let smtp = self.mail.as_deref().filter(|m| !m.trim().is_empty());
        match (smtp, self.dev_mailbox) {
            (Some(_), true) => Err(
                "--dev-mailbox (CONSORT_DEV_MAILBOX) and MAIL cannot be used together: choose one"
                    .into(),
            ),
            (Some(url), false) => Ok(MailMode::Smtp(url.to_string())),
            (None, true) if listen.ip().is_loopback() => Ok(MailMode::DevMailbox),
            (None, true) => Err(format!(
                "--dev-mailbox shows every email, links included, to anyone who can reach it: \
                 it is allowed only on a loopback listen address, not {listen}. Set MAIL=smtp://… instead"
            )),
            (None, false) => Ok(MailMode::Queued),
        }
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

    fn parse(args: &[&str]) -> Config {
        Config::parse_from(std::iter::once("consort").chain(args.iter().copied()))
    }

    const LOOPBACK: &str = "127.0.0.1:3000";

    #[test]
    fn the_dev_mailbox_is_opt_in_and_loopback_only() {
        let loopback = LOOPBACK.parse().unwrap();
        let everywhere = "0.0.0.0:3000".parse().unwrap();
        assert_eq!(parse(&[]).mail_mode(loopback), Ok(MailMode::Queued));
        assert_eq!(parse(&[]).mail_mode(everywhere), Ok(MailMode::Queued));
        assert_eq!(
            parse(&["--dev-mailbox"]).mail_mode(loopback),
            Ok(MailMode::DevMailbox)
        );
        assert_eq!(
            parse(&["--dev-mailbox"]).mail_mode("[::1]:3000".parse().unwrap()),
            Ok(MailMode::DevMailbox)
        );
        assert!(parse(&["--dev-mailbox"]).mail_mode(everywhere).is_err());
        assert!(
            parse(&["--dev-mailbox"])
                .mail_mode("192.168.1.5:3000".parse().unwrap())
                .is_err()
        );
        assert_eq!(
            parse(&["--mail", "smtp://relay:25"]).mail_mode(everywhere),
            Ok(MailMode::Smtp("smtp://relay:25".into()))
        );
        assert!(
            parse(&["--mail", "smtp://relay:25", "--dev-mailbox"])
                .mail_mode(loopback)
                .is_err()
        );
    }

    #[test]
    fn settings_are_validated_at_start() {
        let listen = LOOPBACK.parse().unwrap();
        assert_eq!(parse(&[]).validate(listen), Ok(()));
        let everywhere = "0.0.0.0:3000".parse().unwrap();
        assert!(
            parse(&[])
                .validate(everywhere)
                .unwrap_err()
                .contains("--public-url")
        );
        assert_eq!(
            parse(&["--public-url=https://consort.example"]).validate(everywhere),
            Ok(())
        );
        for bad in [
            "--session-absolute-minutes=99999999999999",
            "--session-absolute-minutes=0",
            "--session-idle-minutes=-5",
            "--login-limit-per-account=0",
            "--login-limit-per-address=-1",
            "--hash-concurrency=0",
            "--trusted-proxies=100",
            "--public-url=consort.example",
        ] {
            let flag = bad.split('=').next().unwrap();
            let error = parse(&[bad]).validate(listen).unwrap_err();
            assert!(error.contains(flag), "{bad}: {error}");
        }
    }
}
