//! The Members page and a member's detail.

use crate::domain::member::{AccessChange, MemberDetail, MemberQuery, MemberView};
use crate::domain::page::Page;
use crate::domain::role::MembershipKind;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use uuid::Uuid;

#[cfg(feature = "ssr")]
use {super::context::run, crate::service::members as service};

#[server(endpoint = "list_members", input = Json)]
pub async fn list_members(slug: String, query: MemberQuery) -> Result<Page<MemberView>, AppError> {
    run(|req| async move { service::list(&req.state, req.session, &slug, query).await }).await
}

#[server(endpoint = "member_detail")]
pub async fn load_member(slug: String, user_id: Uuid) -> Result<MemberDetail, AppError> {
    run(|req| async move { service::detail(&req.state, req.session, &slug, user_id).await }).await
}

#[server(endpoint = "update_member_access", input = Json)]
pub async fn update_member_access(
    slug: String,
    user_id: Uuid,
    change: AccessChange,
) -> Result<(), AppError> {
    run(|req| async move {
        service::update_access(&req.state, &req.client, req.session, &slug, user_id, change).await
    })
    .await
}

#[server(endpoint = "set_member_active")]
pub async fn set_member_active(
    slug: String,
    user_id: Uuid,
    active: bool,
    version: i64,
    /// Reactivating a partner: the new last day of access (empty: none).
    #[server(default)]
    access_until: Option<String>,
) -> Result<(), AppError> {
    run(|req| async move {
        service::set_active(
            &req.state,
            &req.client,
            req.session,
            &slug,
            user_id,
            active,
            version,
            access_until.as_deref(),
        )
        .await
    })
    .await
}

#[server(endpoint = "set_access_end")]
pub async fn set_access_end(
    slug: String,
    user_id: Uuid,
    access_until: String,
    version: i64,
) -> Result<(), AppError> {
    run(|req| async move {
        crate::service::partner_access::set(
            &req.state,
            &req.client,
            req.session,
            &slug,
            user_id,
            &access_until,
            version,
        )
        .await
    })
    .await
}

#[server(endpoint = "extend_access")]
pub async fn extend_access(slug: String, user_id: Uuid, version: i64) -> Result<(), AppError> {
    run(|req| async move {
        crate::service::partner_access::extend(
            &req.state,
            &req.client,
            req.session,
            &slug,
            user_id,
            version,
        )
        .await
    })
    .await
}

#[server(endpoint = "change_member_kind")]
pub async fn change_member_kind(
    slug: String,
    user_id: Uuid,
    kind: MembershipKind,
    version: i64,
) -> Result<(), AppError> {
    run(|req| async move {
        service::change_kind(
            &req.state,
            &req.client,
            req.session,
            &slug,
            user_id,
            kind,
            version,
        )
        .await
    })
    .await
}

#[server(endpoint = "remove_member")]
pub async fn remove_member(slug: String, user_id: Uuid, version: i64) -> Result<(), AppError> {
    run(|req| async move {
        service::remove(
            &req.state,
            &req.client,
            req.session,
            &slug,
            user_id,
            version,
        )
        .await
    })
    .await
}

#[server(endpoint = "transfer_ownership")]
pub async fn transfer_ownership(
    slug: String,
    user_id: Uuid,
    version: i64,
    step_down: bool,
) -> Result<(), AppError> {
    run(|req| async move {
        crate::service::ownership::transfer(
            &req.state,
            &req.client,
            req.session,
            &slug,
            user_id,
            version,
            step_down,
        )
        .await
    })
    .await
}
