//! The signed-in frame, the profile and the password.

use crate::domain::account::{Activity, OrganizationShell};
use crate::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "org_shell")]
pub async fn org_shell(slug: String) -> Result<OrganizationShell, AppError> {
    super::context::respond(
        async move {
            let req = super::context::request().await?;
            crate::service::organizations::shell(&req.state, req.session, &slug).await
        }
        .await,
    )
}

#[server(endpoint = "update_profile")]
pub async fn update_profile(name: String) -> Result<String, AppError> {
    super::context::respond(
        async move {
            let req = super::context::request().await?;
            crate::service::accounts::update_profile(&req.state, &req.client, req.session, &name)
                .await
        }
        .await,
    )
}

#[server(endpoint = "change_password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
) -> Result<(), AppError> {
    super::context::respond(
        async move {
            let req = super::context::request().await?;
            let (_, token) = crate::service::passwords::change_password(
                &req.state,
                &req.client,
                req.session,
                &current_password,
                &new_password,
            )
            .await?;
            super::context::set_session_cookie(&req.state, &token);
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "recent_activity")]
pub async fn recent_activity() -> Result<Vec<Activity>, AppError> {
    super::context::respond(
        async move {
            let req = super::context::request().await?;
            crate::service::accounts::recent_activity(&req.state, req.session).await
        }
        .await,
    )
}
