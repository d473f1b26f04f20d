//! The Audit log module.

use crate::domain::audit::{AuditEntry, AuditQuery};
use crate::domain::page::Page;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
use {super::context::run, crate::service::audit_log as service};

#[server(endpoint = "list_audit_events", input = Json)]
pub async fn list_audit_events(
    slug: String,
    query: AuditQuery,
) -> Result<Page<AuditEntry>, AppError> {
    run(|req| async move { service::list(&req.state, req.session, &slug, query).await }).await
}

/// The filtered trail as CSV (the browser saves it as a file).
#[server(endpoint = "export_audit_log", input = Json)]
pub async fn export_audit_log(slug: String, query: AuditQuery) -> Result<String, AppError> {
    run(|req| async move {
        service::export(&req.state, &req.client, req.session, &slug, query).await
    })
    .await
}
