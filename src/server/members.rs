//! The Members page.

use crate::domain::member::{MemberQuery, MemberView};
use crate::domain::page::Page;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
use {super::context::run, crate::service::members as service};

#[server(endpoint = "list_members", input = Json)]
pub async fn list_members(slug: String, query: MemberQuery) -> Result<Page<MemberView>, AppError> {
    run(|req| async move { service::list(&req.state, req.session, &slug, query).await }).await
}
