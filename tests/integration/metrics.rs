//! `/metrics`: what it reports, by route, on its own listener only.

use crate::common::{TestEnv, on_each_backend};
use axum::body::{Body, to_bytes};
use consort::web::{metrics, router::router};
use http::{Request, StatusCode, header};
use tower::ServiceExt;

async fn get(app: axum::Router, path: &str, token: Option<&str>) -> (StatusCode, String) {
    let mut request = Request::get(path)
        .header(header::HOST, "localhost:3000")
        .header(header::ACCEPT, "text/html");
    if let Some(token) = token {
        request = request.header(header::COOKIE, format!("consort_session={token}"));
    }
    let response = app
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let body = to_bytes(response.into_body(), 1 << 22).await.unwrap();
    (status, String::from_utf8_lossy(&body).into_owned())
}

async fn scrape(env: &TestEnv) -> String {
    let (status, text) = get(metrics::router(env.state.clone()), "/metrics", None).await;
    assert_eq!(status, StatusCode::OK);
    text
}

/// The value of the sample whose line starts with `series` (0 when absent).
fn sample(text: &str, series: &str) -> f64 {
    text.lines()
        .find(|line| line.starts_with(series) && line[series.len()..].starts_with(' '))
        .and_then(|line| line.rsplit(' ').next())
        .map_or(0.0, |v| v.parse().unwrap())
}

#[tokio::test]
async fn metrics_count_requests_by_route_and_report_the_pool_and_outbox() {
    // Installed before anything is measured, as the server does at start-up.
    metrics::handle();
    on_each_backend(async |env| {
        let owner = env.sign_up("Mia Metrics", "mia@example.com", "Metrics Co").await;
        let slug = crate::common::slug_of(&owner);
        let members = r#"consort_http_requests_total{route="/o/{slug}/members",method="GET",status="200"}"#;
        let before = sample(&scrape(env).await, members);
        let app = router(env.state.clone(), false);
        for _ in 0..2 {
            let (status, _) =
                get(app.clone(), &format!("/o/{slug}/members"), Some(&owner.token)).await;
            assert_eq!(status, StatusCode::OK);
        }
        // A probe of random paths adds no label: it is counted as `other`.
        let (status, _) = get(app.clone(), "/probe-7f3a9c", None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        // The public router does not serve the metrics.
        let (_, public) = get(app.clone(), "/metrics", None).await;
        assert!(!public.contains("consort_http_requests_total"), "{public}");

        let text = scrape(env).await;
        assert!(
            sample(&text, members) >= before + 2.0,
            "[{}] two views counted:\n{text}",
            env.backend
        );
        assert!(!text.contains("probe-7f3a9c"), "raw paths never become labels");
        assert!(text.contains(r#"route="other""#), "{text}");
        assert!(
            text.contains(r#"consort_http_request_duration_seconds_bucket{route="/o/{slug}/members",method="GET",le="0.005"}"#),
            "a latency histogram per route:\n{text}"
        );
        assert!(text.contains(r#"consort_db_pool_connections{state="idle"}"#), "{text}");
        assert!(sample(&text, "consort_db_pool_max_connections") >= 1.0, "{text}");
        // The sign-up mail waits in the outbox (no mail worker runs in tests).
        assert!(sample(&text, "consort_outbox_depth") >= 1.0, "{text}");
        assert!(text.contains("consort_outbox_oldest_age_seconds"), "{text}");
        assert!(text.contains(r#"consort_job_lag_seconds{job="mail"}"#), "{text}");
        // Sign-up hashed a password and wrote in transactions.
        assert!(text.contains("consort_password_hash_wait_seconds_count"), "{text}");
        assert!(text.contains("consort_db_change_wait_seconds_count"), "{text}");
        assert!(text.contains("consort_password_hashes_waiting"), "{text}");
    })
    .await;
}
