//! The whole HTTP surface in one place.

use super::{health, mailbox, metrics, security};
use crate::app::{App, shell};
use crate::auth::memo::RequestMemo;
use crate::state::AppState;
use axum::Router;
use axum::body::Body;
use axum::handler::Handler;
use axum::middleware::{from_fn_with_state, map_response};
use axum::routing::get;
use http::Request;
use leptos_axum::{LeptosRoutes, generate_route_list};
use std::sync::Arc;
use tower::Layer;
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;
use tower_http::trace::TraceLayer;

/// The router: pages, server functions, static files, `/healthz`, and the
/// development mailbox when `dev_mailbox` is on. Only the public URL's host
/// (and a loopback listen address) is served: see `security::Edge`.
pub fn router(state: AppState, dev_mailbox: bool) -> Router {
    let routes = generate_route_list(App);
    let listen = state
        .config
        .listen
        .unwrap_or(state.leptos_options.site_addr);
    let edge = Arc::new(security::Edge::new(&state.public_url, listen));
    let mut router = Router::new().route(security::HEALTH_PATH, get(health::healthz));
    if dev_mailbox {
        router = router
            .route("/dev/mailbox", get(mailbox::list))
            .route("/dev/mailbox/{id}", get(mailbox::show));
    }
    let options = state.leptos_options.clone();
    // Files are served by ServeDir; only what it does not find reaches Leptos's
    // handler (the not-found page). leptos_axum 0.8.10's own file serving can
    // run inside a page render on the same thread and take that page's
    // headers (its Content-Security-Policy, its Referrer-Policy) for the file.
    let not_found =
        leptos_axum::file_and_error_handler::<AppState, _>(shell).with_state(state.clone());
    // What ServeDir finds is a static file, which caches may keep; every other
    // response is `no-store` (see `security::headers`).
    let files = map_response(security::static_file)
        .layer(ServeDir::new(options.site_root.as_ref()).not_found_service(not_found));
    router
        // Server functions and pages get the state as context (`use_context::<AppState>()`).
        .leptos_routes(&state, routes, move || shell(options.clone()))
        .fallback_service(files)
        .layer(axum::middleware::from_fn(memo_for_pages))
        // Inside the routing, so each request is labelled by the route it matched.
        .layer(axum::middleware::from_fn(metrics::track))
        .layer(from_fn_with_state(edge.clone(), security::same_origin))
        // Outside the Origin check: a request for another host is refused first.
        .layer(from_fn_with_state(edge.clone(), security::our_host))
        .layer(from_fn_with_state(edge, security::headers))
        .layer(CompressionLayer::new())
        .layer(
            TraceLayer::new_for_http().make_span_with(|request: &Request<Body>| {
                tracing::info_span!(
                    "request",
                    id = %uuid::Uuid::now_v7(),
                    method = %request.method(),
                    path = %request.uri().path(),
                )
            }),
        )
        .with_state(state)
}

/// A page render (GET) gets a memo, so the server functions that render it
/// share their reads of the session and the membership (`auth::memo`). Server
/// functions called over HTTP are POSTs, and read afresh.
async fn memo_for_pages(
    mut request: Request<Body>,
    next: axum::middleware::Next,
) -> axum::response::Response {
    if request.method() == http::Method::GET {
        request
            .extensions_mut()
            .insert(Arc::new(RequestMemo::default()));
    }
    next.run(request).await
}
