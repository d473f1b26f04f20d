//! Security headers on every response (no caching but for static files), and
//! the rule that a state-changing request must come from Consort's own pages.

use crate::state::AppState;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::header::{self, HeaderMap, HeaderValue};
use http::{Method, StatusCode};

/// The policy for pages; `{nonce}` is replaced per response.
pub const PAGE_CSP: &str = "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
    style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; \
    base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
/// The policy for everything else (files, server function answers, the mailbox).
const DEFAULT_CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/// Static files may be kept, but are checked again before each use: their
/// names carry no content hash, so a new release changes them in place.
pub const STATIC_CACHE: &str = "public, no-cache";

pub fn page_csp(nonce: &str) -> String {
    PAGE_CSP.replace("{nonce}", nonce)
}

/// Marks a response of the static file server (see [`static_file`]).
#[derive(Clone, Copy, Debug)]
pub struct StaticFile;

/// Wraps the static file server: what it found may be cached (and is marked so
/// that [`headers`] leaves it alone); what it did not find is not.
pub async fn static_file<B>(mut response: http::Response<B>) -> http::Response<B> {
    let status = response.status();
    if status.is_success() || status == StatusCode::NOT_MODIFIED {
        response.extensions_mut().insert(StaticFile);
        response
            .headers_mut()
            .entry(header::CACHE_CONTROL)
            .or_insert(HeaderValue::from_static(STATIC_CACHE));
    }
    response
}

pub async fn headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let static_file = response.extensions().get::<StaticFile>().is_some();
    let headers = response.headers_mut();
    headers
        .entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(DEFAULT_CSP));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers
        .entry(header::REFERRER_POLICY)
        .or_insert(HeaderValue::from_static("strict-origin-when-cross-origin"));
    headers.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
    );
    // Pages, server function answers, exports and redirects may hold a
    // person's data or a token: neither the browser nor a proxy keeps them.
    if !static_file {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// Refuses a request that may change state (anything but GET, HEAD, OPTIONS)
/// when the browser says it comes from another site.
pub async fn same_origin(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if !safe && !origin_allowed(request.headers(), &state.public_url) {
        tracing::warn!(origin = ?request.headers().get(header::ORIGIN), "cross-site request refused");
        return (
            StatusCode::FORBIDDEN,
            "Cross-site request refused: this action must come from Consort's own pages.",
        )
            .into_response();
    }
    next.run(request).await
}

/// A browser always sends Origin (or at least Sec-Fetch-Site) with a POST; a
/// request with neither comes from a program, not from a page on another site.
pub fn origin_allowed(headers: &HeaderMap, public_url: &str) -> bool {
    let fetch_site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    if let Some(origin) = headers.get(header::ORIGIN) {
        let Ok(origin) = origin.to_str() else {
            return false;
        };
        // A page sent with `Referrer-Policy: no-referrer` (reset and invitation
        // links) posts its own forms with `Origin: null`; then only the
        // browser's own Sec-Fetch-Site can vouch for it.
        if origin == "null" {
            return fetch_site == Some("same-origin");
        }
        let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
        return origin == public_url
            || host.is_some_and(|host| {
                origin == format!("http://{host}") || origin == format!("https://{host}")
            });
    }
    match fetch_site {
        Some(site) => site == "same-origin" || site == "none",
        None => true,
    }
}

/// For pages whose URL carries a secret (reset and invitation links): never
/// send it to another site as a referrer.
pub fn no_referrer() {
    if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        response.insert_header(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.insert(*k, v.parse().unwrap());
        }
        map
    }

    #[test]
    fn same_origin_posts_pass_and_cross_site_ones_do_not() {
        let public = "https://consort.example";
        assert!(origin_allowed(
            &headers(&[("origin", "https://consort.example")]),
            public
        ));
        assert!(origin_allowed(
            &headers(&[
                ("origin", "http://127.0.0.1:3000"),
                ("host", "127.0.0.1:3000")
            ]),
            public
        ));
        assert!(!origin_allowed(
            &headers(&[
                ("origin", "https://evil.example"),
                ("host", "consort.example")
            ]),
            public
        ));
        assert!(!origin_allowed(&headers(&[("origin", "null")]), public));
        assert!(!origin_allowed(
            &headers(&[("origin", "null"), ("sec-fetch-site", "cross-site")]),
            public
        ));
        assert!(origin_allowed(
            &headers(&[("origin", "null"), ("sec-fetch-site", "same-origin")]),
            public
        ));
        assert!(!origin_allowed(
            &headers(&[("sec-fetch-site", "cross-site")]),
            public
        ));
        assert!(origin_allowed(
            &headers(&[("sec-fetch-site", "same-origin")]),
            public
        ));
        assert!(origin_allowed(&HeaderMap::new(), public));
    }

    #[test]
    fn page_policy_allows_wasm_and_nonce_scripts_only() {
        let csp = page_csp("abc");
        assert!(csp.contains("'nonce-abc'"));
        assert!(csp.contains("'wasm-unsafe-eval'"));
        assert!(csp.contains("frame-ancestors 'none'"));
        assert!(!csp.contains("unsafe-inline"));
    }
}
