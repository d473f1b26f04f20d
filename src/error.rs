//! The one error type of server functions. It serialises as JSON, so a typed
//! error — including which form field was wrong — reaches the browser intact.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// A message about one form field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// One or more fields are wrong; nothing was changed.
    #[error("{}", .0.first().map(|e| e.message.as_str()).unwrap_or("Check the form."))]
    Invalid(Vec<FieldError>),
    #[error("Please log in to continue.")]
    Unauthenticated,
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error("Too many attempts. Try again in {} minutes.", .retry_after_secs.div_ceil(60))]
    RateLimited { retry_after_secs: u64 },
    /// The request could not be read: a missing or malformed argument. Only a
    /// client other than this app's pages (or an outdated page) sends one.
    #[error("The request could not be read ({0}). Reload the page and try again.")]
    BadRequest(String),
    #[error("Something went wrong on our side. Please try again.")]
    Internal,
    /// The request or response itself failed (network, encoding).
    #[error("Could not reach the server: {0}")]
    Transport(String),
}

impl AppError {
    pub fn field(field: &str, message: impl Into<String>) -> AppError {
        AppError::Invalid(vec![FieldError {
            field: field.into(),
            message: message.into(),
        }])
    }

    /// The HTTP status that describes this error.
    pub fn status(&self) -> u16 {
        match self {
            AppError::Invalid(_) | AppError::BadRequest(_) => 400,
            AppError::Unauthenticated => 401,
            AppError::Forbidden(_) => 403,
            AppError::NotFound(_) => 404,
            AppError::Conflict(_) => 409,
            AppError::RateLimited { .. } => 429,
            AppError::Internal => 500,
            AppError::Transport(_) => 502,
        }
    }

    /// The message for one field, if this error names it.
    pub fn message_for(&self, field: &str) -> Option<String> {
        match self {
            AppError::Invalid(errors) => errors
                .iter()
                .find(|e| e.field == field)
                .map(|e| e.message.clone()),
            _ => None,
        }
    }

    /// A message for the whole form: anything that is not about one field.
    pub fn form_message(&self) -> Option<String> {
        match self {
            AppError::Invalid(_) => None,
            other => Some(other.to_string()),
        }
    }
}

/// Collects field errors; `finish` returns them all at once.
#[derive(Default)]
pub struct Checks(Vec<FieldError>);

impl Checks {
    pub fn new() -> Checks {
        Checks::default()
    }

    /// Records the error of `result` under `field` and returns its value.
    pub fn take<T, E: ToString>(&mut self, field: &str, result: Result<T, E>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(e) => {
                self.add(field, e.to_string());
                None
            }
        }
    }

    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        if !self.0.iter().any(|e| e.field == field) {
            self.0.push(FieldError {
                field: field.into(),
                message: message.into(),
            });
        }
    }

    pub fn finish(self) -> Result<(), AppError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(AppError::Invalid(self.0))
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    /// On the server, failing to decode the arguments is the client's error
    /// (400), not ours (500). In the browser every such error is about reaching
    /// the server or reading its answer.
    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(detail)
            | ServerFnErrorErr::MissingArg(detail)
            | ServerFnErrorErr::Deserialization(detail)
                if cfg!(feature = "ssr") =>
            {
                let error = AppError::BadRequest(detail);
                #[cfg(feature = "ssr")]
                set_error_status(&error);
                error
            }
            other => AppError::Transport(other.to_string()),
        }
    }
}

/// Sets the response's status to the error's, except for a plain form post.
#[cfg(feature = "ssr")]
pub fn set_error_status(error: &AppError) {
    let form_post = leptos::prelude::use_context::<http::request::Parts>().is_some_and(|parts| {
        parts
            .headers
            .get(http::header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html"))
    });
    if let (false, Some(response)) = (
        form_post,
        leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
    ) && let Ok(status) = http::StatusCode::from_u16(error.status())
    {
        response.set_status(status);
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> Self {
        tracing::error!(%error, "database error");
        AppError::Internal
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_messages_and_json_round_trip() {
        let mut checks = Checks::new();
        checks.add("email", "Enter an email address.");
        checks.add("email", "ignored second message");
        checks.add("password", "Use at least 8 characters.");
        let err = checks.finish().unwrap_err();
        assert_eq!(
            err.message_for("email").as_deref(),
            Some("Enter an email address.")
        );
        assert_eq!(err.message_for("name"), None);
        assert_eq!(err.form_message(), None);
        let bytes = err.ser();
        assert_eq!(AppError::de(bytes), err);
        assert_eq!(
            AppError::RateLimited {
                retry_after_secs: 61
            }
            .to_string(),
            "Too many attempts. Try again in 2 minutes."
        );
    }
}
