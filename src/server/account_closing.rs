//! Closing one's own account.

use crate::domain::account::OrganizationLink;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {super::context::run, crate::service::account_closing as service};

/// The organizations the person is the last owner of (closing waits for them).
#[server(endpoint = "close_account_blockers")]
pub async fn close_account_blockers() -> Result<Vec<OrganizationLink>, AppError> {
    run(|req| async move { service::blockers(&req.state, req.session).await }).await
}

/// Closes the account; the browser is signed out and sent to log in.
#[server(endpoint = "close_account")]
pub async fn close_account(password: String) -> Result<(), AppError> {
    run(|req| async move {
        service::close(&req.state, &req.client, req.session, &password).await?;
        super::context::clear_session_cookie(&req.state);
        leptos_axum::redirect("/login?closed=1");
        Ok(())
    })
    .await
}
