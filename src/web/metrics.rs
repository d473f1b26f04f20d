//! `/metrics` in the Prometheus text format, served only on its own listen
//! address (`--metrics-listen`), never on the public one.
//!
//! Recorded as they happen: requests and their latency per route (a page's
//! route pattern, a server function's path), changes waiting to begin and how
//! long they waited, password hashes waiting and how long. Read when scraped:
//! the database pool, the mail outbox (depth, age, lag) and when the hourly
//! clean-up last ran.

use crate::db;
use crate::state::AppState;
use axum::Router;
use axum::body::Body;
use axum::extract::{MatchedPath, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use http::{Request, header};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use std::sync::OnceLock;
use std::time::Instant;

pub const REQUESTS: &str = "consort_http_requests_total";
pub const REQUEST_SECONDS: &str = "consort_http_request_duration_seconds";

/// The process's recorder, installed at first use (once per process: tests
/// build many routers).
pub fn handle() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let seconds = [
            0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
        ];
        PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), &seconds)
            .expect("bucket list is not empty")
            .install_recorder()
            .unwrap_or_else(|_| {
                // Another recorder is installed (a test harness's): keep ours
                // unregistered but renderable.
                PrometheusBuilder::new().build_recorder().handle()
            })
    })
}

/// Counts every request and times it, labelled by the route that matched
/// (`/o/{slug}/members`, `/api/list_members`): never the raw path, so a probe
/// of random URLs cannot grow the label set. Files and unknown paths are `other`.
/// Without an installed recorder (no `--metrics-listen`), recording is a no-op.
pub async fn track(request: Request<Body>, next: axum::middleware::Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "other".to_owned(), |p| p.as_str().to_owned());
    let method = request.method().as_str().to_owned();
    let started = Instant::now();
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    metrics::counter!(REQUESTS, "route" => route.clone(), "method" => method.clone(), "status" => status)
        .increment(1);
    metrics::histogram!(REQUEST_SECONDS, "route" => route, "method" => method)
        .record(started.elapsed().as_secs_f64());
    response
}

/// Folds recorded histogram samples into their buckets every few seconds, so
/// they do not pile up between scrapes (the exporter's own upkeep task comes
/// with features we leave off).
pub fn spawn_upkeep() -> tokio::task::JoinHandle<()> {
    tokio::spawn(async {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(5));
        loop {
            every.tick().await;
            handle().run_upkeep();
        }
    })
}

/// The metrics listener's router: `GET /metrics`.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/metrics", get(render))
        .with_state(state)
}

async fn render(State(state): State<AppState>) -> Response {
    let handle = handle();
    sample(&state).await;
    handle.run_upkeep();
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        handle.render(),
    )
        .into_response()
}

/// The figures read at scrape time.
async fn sample(state: &AppState) {
    let pool = state.db.pool_status();
    metrics::gauge!("consort_db_pool_connections", "state" => "in_use").set(pool.in_use as f64);
    metrics::gauge!("consort_db_pool_connections", "state" => "idle").set(pool.idle as f64);
    metrics::gauge!("consort_db_pool_max_connections").set(pool.max as f64);
    let now = db::now();
    match db::outbox::backlog(&state.db, now).await {
        Ok(backlog) => {
            let age = |at: Option<chrono::DateTime<chrono::Utc>>| {
                at.map_or(0.0, |at| (now - at).num_milliseconds().max(0) as f64 / 1e3)
            };
            metrics::gauge!("consort_outbox_depth").set(backlog.waiting as f64);
            metrics::gauge!("consort_outbox_oldest_age_seconds")
                .set(age(backlog.oldest_created_at));
            metrics::gauge!("consort_job_lag_seconds", "job" => "mail")
                .set(age(backlog.earliest_due_at));
        }
        Err(error) => tracing::warn!(%error, "metrics: cannot read the outbox"),
    }
}
