//! Inviting people and accepting invitations.

use crate::domain::invitation::{
    CheckReport, InvitationPreview, InvitationQuery, InvitationView, InviteOptions, InviteSource,
    LinkProblem, SendResult,
};
use crate::domain::page::Page;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use uuid::Uuid;

#[cfg(feature = "ssr")]
use {super::context::run, crate::service::acceptance, crate::service::invitations as service};

#[server(endpoint = "invite_options")]
pub async fn load_invite_options(slug: String) -> Result<InviteOptions, AppError> {
    run(|req| async move { service::options(&req.state, req.session, &slug).await }).await
}

#[server(endpoint = "check_invitations", input = Json)]
pub async fn check_invitations(
    slug: String,
    source: InviteSource,
) -> Result<CheckReport, AppError> {
    run(|req| async move { service::check(&req.state, req.session, &slug, source).await }).await
}

#[server(endpoint = "send_invitations", input = Json)]
pub async fn send_invitations(slug: String, source: InviteSource) -> Result<SendResult, AppError> {
    run(|req| async move { service::send(&req.state, &req.client, req.session, &slug, source).await })
        .await
}

#[server(endpoint = "list_invitations", input = Json)]
pub async fn list_invitations(
    slug: String,
    query: InvitationQuery,
) -> Result<Page<InvitationView>, AppError> {
    run(|req| async move { service::list(&req.state, req.session, &slug, query).await }).await
}

#[server(endpoint = "resend_invitation")]
pub async fn resend_invitation(slug: String, id: Uuid) -> Result<(), AppError> {
    run(|req| async move { service::resend(&req.state, &req.client, req.session, &slug, id).await })
        .await
}

#[server(endpoint = "cancel_invitation")]
pub async fn cancel_invitation(slug: String, id: Uuid) -> Result<(), AppError> {
    run(|req| async move { service::cancel(&req.state, &req.client, req.session, &slug, id).await })
        .await
}

#[server(endpoint = "invitation_preview")]
pub async fn preview_invitation(
    token: String,
) -> Result<Result<InvitationPreview, LinkProblem>, AppError> {
    run(|req| async move { acceptance::preview(&req.state, req.session, &token).await }).await
}

#[server(endpoint = "accept_invitation")]
pub async fn accept_invitation(token: String) -> Result<(), AppError> {
    run(|req| async move {
        let landing = acceptance::accept(&req.state, &req.client, req.session, &token).await?;
        leptos_axum::redirect(&landing);
        Ok(())
    })
    .await
}

#[server(endpoint = "accept_invitation_new_account")]
pub async fn accept_invitation_new_account(
    token: String,
    name: String,
    password: String,
) -> Result<(), AppError> {
    run(|req| async move {
        let signed_in = acceptance::accept_with_new_account(
            &req.state,
            &req.client,
            req.session,
            &token,
            &name,
            &password,
        )
        .await?;
        super::context::set_session_cookie(&req.state, &signed_in.token);
        leptos_axum::redirect(&signed_in.landing);
        Ok(())
    })
    .await
}
