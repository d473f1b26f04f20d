//! Rows handed over as one JSON value (SQLite). sqlx-sqlite's worker thread
//! sends each row to the async side on its own, waking a task per row; a list
//! aggregated with `json_group_array` crosses once. These read what such a
//! value holds.

use super::types::Modules;
use crate::domain::module;
use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use uuid::Uuid;

/// The aggregated list, as its rows.
pub fn rows<T: DeserializeOwned>(list: &str) -> Result<Vec<T>, sqlx::Error> {
    serde_json::from_str(list).map_err(decode_error)
}

/// A timestamp as either backend writes it into JSON (RFC 3339; SQLite's text may
/// use a space for the `T`).
pub fn timestamp(text: &str) -> Result<DateTime<Utc>, sqlx::Error> {
    DateTime::parse_from_rfc3339(&text.replacen(' ', "T", 1))
        .map(|at| at.with_timezone(&Utc))
        .map_err(decode_error)
}

/// An optional timestamp (a JSON `null` is none).
pub fn maybe_timestamp(text: Option<&str>) -> Result<Option<DateTime<Utc>>, sqlx::Error> {
    text.map(timestamp).transpose()
}

/// A membership's modules, as stored.
pub fn modules(text: &str) -> Result<Modules, sqlx::Error> {
    module::parse_list(text)
        .map(Modules)
        .map_err(|e| sqlx::Error::Decode(e.into()))
}

/// An id that JSON carries as `hex(id)`: JSON cannot hold SQLite's BLOBs.
pub fn uuid(hex: &str) -> Result<Uuid, sqlx::Error> {
    Uuid::try_parse(hex).map_err(decode_error)
}

fn decode_error(error: impl std::error::Error + Send + Sync + 'static) -> sqlx::Error {
    sqlx::Error::Decode(Box::new(error))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_sqlite_writes() {
        let at = timestamp("2026-12-08 00:25:16.645828+00:00").unwrap();
        assert_eq!(at.to_rfc3339(), "2026-12-08T00:25:16.645828+00:00");
        assert_eq!(maybe_timestamp(None).unwrap(), None);
        let id = Uuid::now_v7();
        assert_eq!(uuid(&id.simple().to_string().to_uppercase()).unwrap(), id);
        assert!(uuid("not hex").is_err());
        assert!(timestamp("yesterday").is_err());
        assert!(modules("no such module").is_err());
        let list: Vec<(i64, String)> = rows(r#"[[1, "a"]]"#).unwrap();
        assert_eq!(list, vec![(1, "a".to_owned())]);
    }
}
