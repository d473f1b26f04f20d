//! My organizations: the person's organizations and the invitations waiting
//! for their address, accepted or declined right there.

use crate::domain::access_request::AccessProposal;
use crate::domain::account::MyOrganizations;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use uuid::Uuid;

#[cfg(feature = "ssr")]
use {super::context::run, crate::service::invitation_replies as service};

#[server(endpoint = "my_organizations")]
pub async fn list_my_organizations() -> Result<MyOrganizations, AppError> {
    run(|req| async move { service::overview(&req.state, req.session).await }).await
}

/// Accepts and goes to the organization.
#[server(endpoint = "accept_waiting_invitation")]
pub async fn accept_waiting_invitation(id: Uuid) -> Result<(), AppError> {
    run(|req| async move {
        let landing = service::accept_waiting(&req.state, &req.client, req.session, id).await?;
        leptos_axum::redirect(&landing);
        Ok(())
    })
    .await
}

/// Asks an organization for partner access with its request code; returns the
/// organization's name.
#[server(endpoint = "request_access", input = Json)]
pub async fn request_access(proposal: AccessProposal) -> Result<String, AppError> {
    run(|req| async move {
        crate::service::access_requests::request(&req.state, &req.client, req.session, proposal)
            .await
    })
    .await
}

/// Creates an organization with the signed-in person as its owner, and goes
/// to it.
#[server(endpoint = "create_organization")]
pub async fn create_organization(name: String) -> Result<(), AppError> {
    run(|req| async move {
        let landing =
            crate::service::new_organization::create(&req.state, &req.client, req.session, &name)
                .await?;
        leptos_axum::redirect(&landing);
        Ok(())
    })
    .await
}

#[server(endpoint = "decline_invitation")]
pub async fn decline_invitation(id: Uuid) -> Result<(), AppError> {
    run(|req| async move { service::decline(&req.state, &req.client, req.session, id).await }).await
}
