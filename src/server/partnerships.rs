//! Partnerships between organizations, from the Partners page.

use crate::domain::page::Page;
use crate::domain::partnership::{ListPages, Move, Partnerships, SendOutcome, TimelineEntry};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use uuid::Uuid;

#[cfg(feature = "ssr")]
use {super::context::run, crate::service::partnerships as service};

#[server(endpoint = "list_partnerships", input = Json)]
pub async fn list_partnerships(slug: String, pages: ListPages) -> Result<Partnerships, AppError> {
    run(|req| async move { service::list(&req.state, req.session, &slug, pages).await }).await
}

#[server(endpoint = "send_partnership_request")]
pub async fn send_partnership_request(
    slug: String,
    email: String,
) -> Result<SendOutcome, AppError> {
    run(|req| async move {
        service::send(&req.state, &req.client, req.session, &slug, &email).await
    })
    .await
}

#[server(endpoint = "answer_partnership")]
pub async fn answer_partnership(
    slug: String,
    id: Uuid,
    version: i64,
    action: Move,
) -> Result<(), AppError> {
    run(|req| async move {
        service::act(
            &req.state,
            &req.client,
            req.session,
            &slug,
            id,
            version,
            action,
        )
        .await
    })
    .await
}

#[server(endpoint = "partnership_timeline")]
pub async fn partnership_timeline(
    slug: String,
    page: u32,
) -> Result<Page<TimelineEntry>, AppError> {
    run(|req| async move { service::timeline(&req.state, req.session, &slug, page).await }).await
}

#[server(endpoint = "export_partnership_timeline")]
pub async fn export_partnership_timeline(slug: String) -> Result<String, AppError> {
    run(|req| async move {
        service::export_timeline(&req.state, &req.client, req.session, &slug).await
    })
    .await
}
