//! What every request handler shares.

use crate::auth::memo::RequestMemo;
use crate::auth::password::Hasher;
use crate::auth::rate_limit::Limits;
use crate::auth::session::Timeouts;
use crate::config::Config;
use crate::db::Db;
use crate::mail::Mailer;
use axum::extract::FromRef;
use chrono::Duration;
use leptos::config::LeptosOptions;
use std::sync::Arc;

#[derive(Clone, Debug)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<Config>,
    /// Where people reach Consort, without a trailing slash.
    pub public_url: Arc<str>,
    pub hasher: Hasher,
    pub mailer: Mailer,
    pub leptos_options: LeptosOptions,
    /// What this page render has read already; none outside a page render.
    pub memo: Option<Arc<RequestMemo>>,
}

impl AppState {
    pub fn new(
        db: Db,
        config: Config,
        public_url: String,
        mailer: Mailer,
        leptos_options: LeptosOptions,
    ) -> AppState {
        AppState {
            db,
            hasher: Hasher::new(config.hash_concurrency()),
            config: Arc::new(config),
            public_url: public_url.into(),
            mailer,
            leptos_options,
            memo: None,
        }
    }

    pub fn timeouts(&self) -> Timeouts {
        Timeouts {
            idle: Duration::minutes(self.config.session_idle_minutes),
            absolute: Duration::minutes(self.config.session_absolute_minutes),
        }
    }

    pub fn login_limits(&self) -> Limits {
        Limits {
            per_account: self.config.login_limit_per_account,
            per_address: self.config.login_limit_per_address,
        }
    }

    /// Cookies are Secure when people reach Consort over HTTPS.
    pub fn secure_cookies(&self) -> bool {
        self.public_url.starts_with("https://")
    }

    pub fn link(&self, path: &str) -> String {
        format!("{}{path}", self.public_url)
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
