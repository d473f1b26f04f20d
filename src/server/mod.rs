//! Server functions, one file per area. Each one: the request context, then the
//! service function (which asks the policy first). Endpoints are stable names:
//! `tests/integration/http_matrix.rs` calls every registered one through the
//! router as every kind of actor, and fails for one it does not know.

pub mod access_requests;
pub mod account;
pub mod account_closing;
pub mod audit_log;
pub mod auth;
pub mod billing;
pub mod contacts;
pub mod invitations;
pub mod members;
pub mod my_organizations;
pub mod organization;
pub mod partnerships;
pub mod settings;

#[cfg(feature = "ssr")]
pub(crate) mod context {
    //! The request as a server function sees it.

    use crate::auth::client::Client;
    use crate::auth::memo::{self, RequestMemo};
    use crate::auth::session::{self, Session};
    use crate::error::AppError;
    use crate::state::AppState;
    use http::header::{HeaderValue, SET_COOKIE};
    use leptos::prelude::*;
    use leptos_axum::ResponseOptions;
    use std::sync::Arc;

    pub struct Request {
        pub state: AppState,
        pub client: Client,
        pub session: Option<Session>,
    }

    /// The shared state, the client and the live session (if any).
    pub async fn request() -> Result<Request, AppError> {
        let state = use_context::<AppState>().ok_or(AppError::Internal)?;
        let parts = use_context::<http::request::Parts>().ok_or(AppError::Internal)?;
        let client = Client::from_request(
            &parts.headers,
            &parts.extensions,
            state.config.trusted_proxies,
        );
        // A page render carries a memo (see `auth::memo`): its frame and page
        // read the session and the membership once between them.
        let mut state = state;
        state.memo = parts.extensions.get::<Arc<RequestMemo>>().cloned();
        let session = match session::token_from_headers(&parts.headers) {
            Some(token) => {
                memo::session(state.memo.as_deref(), &state.db, &token, state.timeouts()).await?
            }
            None => None,
        };
        Ok(Request {
            state,
            client,
            session,
        })
    }

    /// Runs a server function's body with the request, then gives its error
    /// (if any) its HTTP status.
    pub async fn run<T, F, Fut>(body: F) -> Result<T, AppError>
    where
        F: FnOnce(Request) -> Fut,
        Fut: std::future::Future<Output = Result<T, AppError>>,
    {
        let result = match request().await {
            Ok(req) => body(req).await,
            Err(e) => Err(e),
        };
        respond(result)
    }

    /// Gives an error its own HTTP status (400, 401, 404, 429…) instead of 500.
    /// A plain form post without JavaScript keeps the redirect back to its form,
    /// which carries the error.
    pub fn respond<T>(result: Result<T, AppError>) -> Result<T, AppError> {
        if let Err(error) = &result {
            set_error_status(error);
        }
        result
    }

    pub use crate::error::set_error_status;

    /// For pages whose URL carries a secret (reset, invitation and sign-up
    /// links): never send it to another site as a referrer.
    pub fn no_referrer() {
        if let Some(response) = use_context::<ResponseOptions>() {
            response.insert_header(
                http::header::REFERRER_POLICY,
                HeaderValue::from_static("no-referrer"),
            );
        }
    }

    pub fn set_session_cookie(state: &AppState, token: &str) {
        set_cookie(&session::cookie(
            token,
            state.secure_cookies(),
            state.timeouts().absolute,
        ));
    }

    pub fn clear_session_cookie(state: &AppState) {
        set_cookie(&session::clearing_cookie(state.secure_cookies()));
    }

    fn set_cookie(value: &str) {
        if let (Some(response), Ok(value)) = (
            use_context::<ResponseOptions>(),
            HeaderValue::from_str(value),
        ) {
            response.append_header(SET_COOKIE, value);
        }
    }
}
