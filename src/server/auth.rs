//! Sign-up, log-in, log-out and password resets.

use crate::error::AppError;
use leptos::prelude::*;

/// Takes the sign-up form; the answer is the same whatever the address (see
/// [`crate::service::accounts::request_sign_up`]).
#[server(endpoint = "sign_up")]
pub async fn sign_up(
    name: String,
    email: String,
    password: String,
    organization: String,
) -> Result<(), AppError> {
    super::context::respond(
        async move {
            use crate::service::accounts;
            let req = super::context::request().await?;
            let input = accounts::SignUp {
                name,
                email,
                password,
                organization,
            };
            accounts::request_sign_up(&req.state, &req.client, input).await
        }
        .await,
    )
}

/// What an emailed sign-up link will create.
#[server(endpoint = "sign_up_preview")]
pub async fn sign_up_preview(
    token: String,
) -> Result<crate::domain::account::SignUpPreview, AppError> {
    super::context::respond(
        async move {
            let req = super::context::request().await?;
            crate::service::accounts::sign_up_preview(&req.state, &token).await
        }
        .await,
    )
}

/// Follows an emailed sign-up link: the account and organization are created
/// and the person is signed in.
#[server(endpoint = "confirm_sign_up")]
pub async fn confirm_sign_up(token: String) -> Result<(), AppError> {
    super::context::respond(
        async move {
            let req = super::context::request().await?;
            let signed_in =
                crate::service::accounts::confirm_sign_up(&req.state, &req.client, &token).await?;
            super::context::set_session_cookie(&req.state, &signed_in.token);
            leptos_axum::redirect(&signed_in.landing);
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "log_in")]
pub async fn log_in(email: String, password: String, next: Option<String>) -> Result<(), AppError> {
    super::context::respond(
        async move {
            use crate::service::accounts;
            let req = super::context::request().await?;
            let signed_in = accounts::log_in(
                &req.state,
                &req.client,
                req.session,
                &email,
                &password,
                next.as_deref(),
            )
            .await?;
            super::context::set_session_cookie(&req.state, &signed_in.token);
            leptos_axum::redirect(&signed_in.landing);
            Ok(())
        }
        .await,
    )
}

/// Logs out; `next` (a same-site path) is where to go afterwards.
#[server(endpoint = "log_out")]
pub async fn log_out(next: Option<String>) -> Result<(), AppError> {
    super::context::respond(
        async move {
            let req = super::context::request().await?;
            super::context::clear_session_cookie(&req.state);
            crate::service::accounts::log_out(&req.state, &req.client, req.session).await?;
            let next = next.filter(|n| crate::service::accounts::is_safe_next(n));
            leptos_axum::redirect(next.as_deref().unwrap_or("/login?logged_out=1"));
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "request_password_reset")]
pub async fn request_password_reset(email: String) -> Result<(), AppError> {
    super::context::respond(
        async move {
            let req = super::context::request().await?;
            crate::service::passwords::request_reset(&req.state, &req.client, &email).await
        }
        .await,
    )
}

#[server(endpoint = "check_reset_link")]
pub async fn check_reset_link(token: String) -> Result<(), AppError> {
    super::context::respond(
        async move {
            let req = super::context::request().await?;
            crate::service::passwords::check_reset(&req.state, &token)
                .await
                .map(|_| ())
        }
        .await,
    )
}

#[server(endpoint = "reset_password")]
pub async fn reset_password(token: String, password: String) -> Result<(), AppError> {
    super::context::respond(
        async move {
            let req = super::context::request().await?;
            crate::service::passwords::reset_password(&req.state, &req.client, &token, &password)
                .await?;
            super::context::clear_session_cookie(&req.state);
            leptos_axum::redirect("/login?reset=1");
            Ok(())
        }
        .await,
    )
}

/// Where the signed-in person starts, or nothing for a visitor.
#[server(endpoint = "current_landing")]
pub async fn current_landing() -> Result<Option<String>, AppError> {
    super::context::respond(
        async move {
            let req = super::context::request().await?;
            match req.session {
                None => Ok(None),
                Some(session) => crate::service::accounts::current_landing(&req.state, session)
                    .await
                    .map(Some),
            }
        }
        .await,
    )
}
