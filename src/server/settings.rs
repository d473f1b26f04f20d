//! The Settings module: invitation lifetime and sub-accounts.

use crate::domain::sub_account::OrganizationSettings;
use crate::error::AppError;
use leptos::prelude::*;
use uuid::Uuid;

#[cfg(feature = "ssr")]
use {super::context::run, crate::service::settings as service};

#[server(endpoint = "organization_settings")]
pub async fn load_settings(slug: String) -> Result<OrganizationSettings, AppError> {
    run(|req| async move { service::settings(&req.state, req.session, &slug).await }).await
}

#[server(endpoint = "set_invitation_lifetime")]
pub async fn set_invitation_lifetime(slug: String, lifetime: i64) -> Result<(), AppError> {
    run(|req| async move {
        service::set_invitation_lifetime(&req.state, &req.client, req.session, &slug, lifetime)
            .await
    })
    .await
}

#[server(endpoint = "set_partner_inactivity")]
pub async fn set_partner_inactivity(slug: String, days: String) -> Result<(), AppError> {
    run(|req| async move {
        service::set_partner_inactivity(&req.state, &req.client, req.session, &slug, &days).await
    })
    .await
}

/// A new partner request code in place of the old one; returns it.
#[server(endpoint = "new_partner_request_code")]
pub async fn new_partner_request_code(slug: String) -> Result<String, AppError> {
    run(|req| async move {
        crate::service::access_requests::new_code(&req.state, &req.client, req.session, &slug).await
    })
    .await
}

#[server(endpoint = "create_sub_account")]
pub async fn create_sub_account(slug: String, name: String) -> Result<Uuid, AppError> {
    run(|req| async move {
        service::create_sub_account(&req.state, &req.client, req.session, &slug, &name).await
    })
    .await
}

#[server(endpoint = "rename_sub_account")]
pub async fn rename_sub_account(slug: String, id: Uuid, name: String) -> Result<(), AppError> {
    run(|req| async move {
        service::rename_sub_account(&req.state, &req.client, req.session, &slug, id, &name).await
    })
    .await
}

#[server(endpoint = "set_sub_account_archived")]
pub async fn set_sub_account_archived(
    slug: String,
    id: Uuid,
    archived: bool,
) -> Result<(), AppError> {
    run(|req| async move {
        service::set_sub_account_archived(&req.state, &req.client, req.session, &slug, id, archived)
            .await
    })
    .await
}
