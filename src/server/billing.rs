//! The Billing module.

use crate::domain::billing::{BillingDetails, BillingOverview};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {super::context::run, crate::service::billing as service};

#[server(endpoint = "billing_overview")]
pub async fn load_billing(slug: String) -> Result<BillingOverview, AppError> {
    run(|req| async move { service::overview(&req.state, req.session, &slug).await }).await
}

/// The billing details form (its fields are the arguments, so it posts without
/// JavaScript too).
#[server(endpoint = "save_billing_details")]
pub async fn save_billing_details(
    slug: String,
    contact_name: String,
    contact_email: String,
    address: String,
    tax_id: String,
    version: i64,
) -> Result<BillingDetails, AppError> {
    let details = BillingDetails {
        contact_name,
        contact_email,
        address,
        tax_id,
        version,
    };
    run(|req| async move {
        service::save_details(&req.state, &req.client, req.session, &slug, details).await
    })
    .await
}
