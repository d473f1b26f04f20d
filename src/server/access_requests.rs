//! Requests for partner access, as the organization's owners and admins answer them.

use crate::domain::access_request::{AccessGrant, AccessRequests};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use uuid::Uuid;

#[cfg(feature = "ssr")]
use {super::context::run, crate::service::access_requests as service};

#[server(endpoint = "list_access_requests")]
pub async fn list_access_requests(slug: String) -> Result<AccessRequests, AppError> {
    run(|req| async move { service::pending(&req.state, req.session, &slug).await }).await
}

#[server(endpoint = "approve_access_request", input = Json)]
pub async fn approve_access_request(
    slug: String,
    id: Uuid,
    grant: AccessGrant,
) -> Result<(), AppError> {
    run(|req| async move {
        service::approve(&req.state, &req.client, req.session, &slug, id, grant).await
    })
    .await
}

#[server(endpoint = "decline_access_request")]
pub async fn decline_access_request(slug: String, id: Uuid) -> Result<(), AppError> {
    run(|req| async move {
        service::decline(&req.state, &req.client, req.session, &slug, id).await
    })
    .await
}
