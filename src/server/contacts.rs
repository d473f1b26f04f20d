//! The Contacts module.

use crate::domain::contact::{ContactQuery, Contacts};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
use {super::context::run, crate::service::contacts as service};

#[server(endpoint = "list_contacts", input = Json)]
pub async fn list_contacts(slug: String, query: ContactQuery) -> Result<Contacts, AppError> {
    run(|req| async move { service::list(&req.state, req.session, &slug, query).await }).await
}
