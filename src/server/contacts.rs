//! The Contacts module.

use crate::domain::member::Contact;
use crate::domain::page::Page;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {super::context::run, crate::service::contacts as service};

#[server(endpoint = "list_contacts")]
pub async fn list_contacts(
    slug: String,
    search: String,
    page: u32,
) -> Result<Page<Contact>, AppError> {
    run(|req| async move { service::list(&req.state, req.session, &slug, &search, page).await })
        .await
}
