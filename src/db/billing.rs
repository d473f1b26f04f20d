//! Billing details of an organization.

use super::tx::{Tx, on_tx};
use super::{Db, is_unique_violation, now, on_db};
use crate::domain::billing::BillingDetails;
use uuid::Uuid;

#[derive(sqlx::FromRow)]
struct Row {
    contact_name: String,
    contact_email: String,
    address: String,
    tax_id: String,
    version: i64,
}

/// The saved details, or empty ones at version 0.
pub async fn get(db: &Db, organization_id: Uuid) -> Result<BillingDetails, sqlx::Error> {
    let row: Option<Row> = on_db!(db, pool => sqlx::query_as(
        "SELECT contact_name, contact_email, address, tax_id, version FROM billing_profiles WHERE organization_id = $1",
    ).bind(organization_id).fetch_optional(pool).await)?;
    Ok(row
        .map(|r| BillingDetails {
            contact_name: r.contact_name,
            contact_email: r.contact_email,
            address: r.address,
            tax_id: r.tax_id,
            version: r.version,
        })
        .unwrap_or_default())
}

/// Saves `details` if the stored ones still have `details.version` (0: none
/// stored yet). False when someone saved in between.
pub async fn save(
    tx: &mut Tx,
    organization_id: Uuid,
    details: &BillingDetails,
) -> Result<bool, sqlx::Error> {
    let at = now();
    let result = on_tx!(tx, conn => if details.version == 0 {
        sqlx::query(
            "INSERT INTO billing_profiles (organization_id, contact_name, contact_email, address, tax_id, version, updated_at)
             VALUES ($1, $2, $3, $4, $5, 1, $6)",
        ).bind(organization_id).bind(&details.contact_name).bind(&details.contact_email)
        .bind(&details.address).bind(&details.tax_id).bind(at).execute(&mut *conn).await.map(|r| r.rows_affected())
    } else {
        sqlx::query(
            "UPDATE billing_profiles SET contact_name = $1, contact_email = $2, address = $3, tax_id = $4,
                    version = version + 1, updated_at = $5
             WHERE organization_id = $6 AND version = $7",
        ).bind(&details.contact_name).bind(&details.contact_email).bind(&details.address)
        .bind(&details.tax_id).bind(at).bind(organization_id).bind(details.version).execute(&mut *conn).await
        .map(|r| r.rows_affected())
    });
    match result {
        Ok(n) => Ok(n == 1),
        Err(e) if is_unique_violation(&e) => Ok(false),
        Err(e) => Err(e),
    }
}
