//! Test environments on every configured backend.

use consort::auth::client::Client;
use consort::auth::session::Session;
use consort::config::Config;
use consort::db::{self, Db};
use consort::mail::Mailer;
use consort::service::accounts::{self, SignUp, SignedIn};
use consort::state::AppState;
use leptos::config::LeptosOptions;
use sqlx::Connection;

pub const PASSWORD: &str = "plum-river-47-lantern";

pub struct TestEnv {
    pub state: AppState,
    pub backend: &'static str,
    cleanup: Cleanup,
}

enum Cleanup {
    /// A database the caller keeps (the load benchmark's).
    Keep,
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres {
        server_url: String,
        database: String,
    },
}

impl TestEnv {
    pub fn db(&self) -> &Db {
        &self.state.db
    }

    pub fn client(&self) -> Client {
        Client {
            ip: Some("203.0.113.7".into()),
            user_agent: Some("integration-test".into()),
        }
    }

    /// Signs up a person with their own organization, as a person does: the
    /// form, the emailed link, the confirmation.
    pub async fn sign_up(&self, name: &str, email: &str, organization: &str) -> SignedIn {
        accounts::request_sign_up(
            &self.state,
            &self.client(),
            SignUp {
                name: name.into(),
                email: email.into(),
                password: PASSWORD.into(),
                organization: organization.into(),
            },
        )
        .await
        .unwrap_or_else(|e| panic!("[{}] sign-up of {email} failed: {e:?}", self.backend));
        let token = self.sign_up_token(email).await;
        accounts::confirm_sign_up(&self.state, &self.client(), &token)
            .await
            .unwrap_or_else(|e| panic!("[{}] confirming {email} failed: {e:?}", self.backend))
    }

    /// The token of the newest sign-up link mailed to `email`.
    pub async fn sign_up_token(&self, email: &str) -> String {
        let mail = wait_for_mail(self, email, "Confirm your email").await;
        let link = link_in(
            &mail.text_body,
            "http://localhost:3000/signup/confirm?token=",
        )
        .expect("a sign-up link");
        link.rsplit('=').next().unwrap().to_string()
    }

    pub async fn resolve(&self, token: &str) -> Option<Session> {
        consort::auth::session::resolve(self.db(), token, self.state.timeouts())
            .await
            .unwrap()
    }

    /// Runs one statement whose only parameter (`$1`, if any) is the time `at`:
    /// tests move stored times with it.
    pub async fn execute_at(&self, sql: &str, at: chrono::DateTime<chrono::Utc>) {
        match self.db() {
            Db::Sqlite(pool, _) => sqlx::query(sql).bind(at).execute(pool).await.map(|_| ()),
            Db::Postgres(pool) => sqlx::query(sql).bind(at).execute(pool).await.map(|_| ()),
        }
        .unwrap_or_else(|e| panic!("[{}] {sql}: {e}", self.backend));
    }

    pub async fn count(&self, table: &str) -> i64 {
        let sql = format!("SELECT COUNT(*) FROM {table}");
        let (n,): (i64,) = match self.db() {
            Db::Sqlite(pool, _) => sqlx::query_as(&sql).fetch_one(pool).await.unwrap(),
            Db::Postgres(pool) => sqlx::query_as(&sql).fetch_one(pool).await.unwrap(),
        };
        n
    }

    /// Asserts that every organization's `member_counts` row (kept by the
    /// triggers of migration 0006) says what counting its memberships says.
    pub async fn assert_member_counts(&self) {
        let column = |kind: &str, status: &str| {
            format!(
                "COALESCE(c.{kind}_{status}, 0) <> (SELECT COUNT(*) FROM memberships m
                 WHERE m.organization_id = o.id AND m.kind = '{kind}' AND m.status = '{status}')"
            )
        };
        let sql = format!(
            "SELECT COUNT(*) FROM organizations o LEFT JOIN member_counts c ON c.organization_id = o.id
             WHERE {} OR {} OR {} OR {}",
            column("team", "active"),
            column("team", "deactivated"),
            column("partner", "active"),
            column("partner", "deactivated"),
        );
        let (wrong,): (i64,) = match self.db() {
            Db::Sqlite(pool, _) => sqlx::query_as(&sql).fetch_one(pool).await.unwrap(),
            Db::Postgres(pool) => sqlx::query_as(&sql).fetch_one(pool).await.unwrap(),
        };
        assert_eq!(wrong, 0, "[{}] member counts that drifted", self.backend);
    }

    pub async fn count_action(&self, action: consort::domain::audit::AuditAction) -> i64 {
        let sql = "SELECT COUNT(*) FROM audit_events WHERE action = $1";
        let (n,): (i64,) = match self.db() {
            Db::Sqlite(pool, _) => sqlx::query_as(sql)
                .bind(action.as_str())
                .fetch_one(pool)
                .await
                .unwrap(),
            Db::Postgres(pool) => sqlx::query_as(sql)
                .bind(action.as_str())
                .fetch_one(pool)
                .await
                .unwrap(),
        };
        n
    }

    /// Waits until `n` events of `action` are recorded (work that runs after
    /// the request was answered records its event last).
    pub async fn wait_for_action(&self, action: consort::domain::audit::AuditAction, n: i64) {
        for _ in 0..1000 {
            if self.count_action(action).await >= n {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        panic!("[{}] fewer than {n} {action:?} events", self.backend)
    }

    pub async fn finish(self) {
        self.state.db.close().await;
        if let Cleanup::Postgres {
            server_url,
            database,
        } = self.cleanup
        {
            let mut conn = sqlx::PgConnection::connect(&server_url)
                .await
                .expect("connect to drop the test database");
            sqlx::query(&format!(
                "DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)"
            ))
            .execute(&mut conn)
            .await
            .expect("drop the test database");
        }
    }
}

fn state(db: Db, url: &str) -> AppState {
    let config = Config::for_tests(url);
    let options = LeptosOptions::builder()
        .output_name("consort")
        .site_root("target/site")
        .build();
    AppState::new(
        db,
        config,
        "http://localhost:3000".into(),
        Mailer::new(),
        options,
    )
}

pub async fn sqlite() -> TestEnv {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/consort.db", dir.path().display());
    let db = Db::connect(&url).await.expect("open SQLite");
    TestEnv {
        state: state(db, &url),
        backend: "sqlite",
        cleanup: Cleanup::Sqlite(dir),
    }
}

/// An environment on the database at `url` (migrated), left in place after.
pub async fn kept(url: &str) -> TestEnv {
    let db = Db::connect(url).await.expect("open the database");
    TestEnv {
        state: state(db, url),
        backend: db_backend(url),
        cleanup: Cleanup::Keep,
    }
}

fn db_backend(url: &str) -> &'static str {
    if url.starts_with("postgres") {
        "postgres"
    } else {
        "sqlite"
    }
}

pub fn postgres_server() -> Option<String> {
    std::env::var("CONSORT_TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty())
}

pub async fn postgres(server_url: &str) -> TestEnv {
    let database = format!("consort_test_{}", uuid::Uuid::now_v7().simple());
    let mut conn = sqlx::PgConnection::connect(server_url)
        .await
        .expect("connect to CONSORT_TEST_POSTGRES_URL");
    sqlx::query(&format!("CREATE DATABASE \"{database}\""))
        .execute(&mut conn)
        .await
        .expect("create test database");
    conn.close().await.ok();
    let mut url = url::Url::parse(server_url).expect("CONSORT_TEST_POSTGRES_URL is a URL");
    url.set_path(&database);
    let db = Db::connect(url.as_str())
        .await
        .expect("open PostgreSQL test database");
    TestEnv {
        state: state(db, url.as_str()),
        backend: "postgres",
        cleanup: Cleanup::Postgres {
            server_url: server_url.to_string(),
            database,
        },
    }
}

/// The organization slug of a sign-up's landing page (`/o/{slug}`).
pub fn slug_of(signed: &SignedIn) -> String {
    let slug = signed.landing.trim_start_matches("/o/");
    slug.split('/').next().unwrap_or(slug).to_owned()
}

/// Runs `test` on SQLite, then on PostgreSQL when configured.
pub async fn on_each_backend(test: impl AsyncFn(&TestEnv)) {
    let env = sqlite().await;
    test(&env).await;
    env.finish().await;
    if let Some(server) = postgres_server() {
        let env = postgres(&server).await;
        test(&env).await;
        env.finish().await;
    }
}

/// The newest mail to `to` in the outbox.
pub async fn last_mail_to(env: &TestEnv, to: &str) -> Option<db::outbox::MailRow> {
    db::outbox::recent(env.db(), 100)
        .await
        .unwrap()
        .into_iter()
        .find(|m| m.to_address == to)
}

/// The newest mail to `to` whose subject contains `subject`, waiting for it
/// (some mail is queued after the request has been answered).
pub async fn wait_for_mail(env: &TestEnv, to: &str, subject: &str) -> db::outbox::MailRow {
    for _ in 0..1000 {
        let found = db::outbox::recent(env.db(), 100)
            .await
            .unwrap()
            .into_iter()
            .find(|m| m.to_address == to && m.subject.contains(subject));
        if let Some(mail) = found {
            return mail;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    panic!("[{}] no mail \"{subject}\" to {to}", env.backend)
}

/// The first link in a text that starts with `prefix`.
pub fn link_in(text: &str, prefix: &str) -> Option<String> {
    text.split_whitespace()
        .find(|w| w.starts_with(prefix))
        .map(str::to_string)
}

/// Every row of every table of the database, as text, by table: equal
/// snapshots, equal databases. The tables are read from the schema, so a new
/// table is covered without a change here. `ignore` names columns
/// (`(table, column)`) left out of the rows; each caller says why.
pub async fn snapshot(
    env: &TestEnv,
    ignore: &[(&str, &str)],
) -> std::collections::BTreeMap<String, Vec<String>> {
    let mut out = std::collections::BTreeMap::new();
    match env.db() {
        Db::Sqlite(pool, _) => {
            let tables: Vec<String> = sqlx::query_scalar(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
            )
            .fetch_all(pool)
            .await
            .unwrap();
            for table in tables {
                let columns: Vec<String> =
                    sqlx::query_scalar("SELECT name FROM pragma_table_info($1) ORDER BY cid")
                        .bind(&table)
                        .fetch_all(pool)
                        .await
                        .unwrap();
                let row = columns
                    .iter()
                    .filter(|c| !ignore.contains(&(table.as_str(), c.as_str())))
                    .map(|c| format!("quote(\"{c}\")"))
                    .collect::<Vec<_>>()
                    .join(" || ',' || ");
                let sql = format!("SELECT {row} FROM \"{table}\"");
                let mut rows: Vec<String> = sqlx::query_scalar(&sql).fetch_all(pool).await.unwrap();
                rows.sort();
                out.insert(table, rows);
            }
        }
        Db::Postgres(pool) => {
            let tables: Vec<String> = sqlx::query_scalar(
                "SELECT table_name::text FROM information_schema.tables
                 WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1",
            )
            .fetch_all(pool)
            .await
            .unwrap();
            for table in tables {
                let left_out: Vec<String> = ignore
                    .iter()
                    .filter(|(t, _)| *t == table)
                    .map(|(_, c)| c.to_string())
                    .collect();
                let sql = format!("SELECT (to_jsonb(t) - $1::text[])::text FROM \"{table}\" t");
                let mut rows: Vec<String> = sqlx::query_scalar(&sql)
                    .bind(left_out)
                    .fetch_all(pool)
                    .await
                    .unwrap();
                rows.sort();
                out.insert(table, rows);
            }
        }
    }
    out
}

/// What differs between two [`snapshot`]s, table by table (`None`: nothing).
pub fn snapshot_difference(
    before: &std::collections::BTreeMap<String, Vec<String>>,
    after: &std::collections::BTreeMap<String, Vec<String>>,
) -> Option<String> {
    let empty = Vec::new();
    let tables: std::collections::BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    let mut out = String::new();
    for table in tables {
        let (b, a) = (
            before.get(table).unwrap_or(&empty),
            after.get(table).unwrap_or(&empty),
        );
        if a == b {
            continue;
        }
        for row in b.iter().filter(|r| !a.contains(r)) {
            out.push_str(&format!("\n  {table} - {row}"));
        }
        for row in a.iter().filter(|r| !b.contains(r)) {
            out.push_str(&format!("\n  {table} + {row}"));
        }
    }
    (!out.is_empty()).then_some(out)
}
