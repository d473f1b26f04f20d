//! Leaving and deleting an organization.

use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {super::context::run, crate::service::ownership as service};

#[server(endpoint = "leave_organization")]
pub async fn leave_organization(slug: String) -> Result<(), AppError> {
    run(|req| async move { service::leave(&req.state, &req.client, req.session, &slug).await })
        .await
}

#[server(endpoint = "delete_organization")]
pub async fn delete_organization(slug: String, confirm_name: String) -> Result<(), AppError> {
    run(|req| async move {
        service::delete(&req.state, &req.client, req.session, &slug, &confirm_name).await
    })
    .await
}
