//! What a page shows when its data cannot be loaded, and the HTTP status that
//! says the same to the browser.

use crate::error::AppError;
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_location;

/// Sends a visitor to log in (and back here afterwards); explains anything else.
#[component]
pub fn ErrorPanel(error: AppError) -> impl IntoView {
    if error == AppError::Unauthenticated {
        let location = use_location();
        let search = location.search.get_untracked();
        let search = search.trim_start_matches('?');
        let path = location.pathname.get_untracked();
        let here = if search.is_empty() {
            path
        } else {
            format!("{path}?{search}")
        };
        let target = format!("/login?next={}", encode_component(&here));
        return view! { <Redirect path=target /> }.into_any();
    }
    answer_with_status(&error);
    let title = match &error {
        AppError::NotFound(_) => "Not found",
        AppError::Forbidden(_) => "Not allowed",
        AppError::Conflict(_) => "This cannot be done now",
        _ => "Something went wrong",
    };
    // Refused in one organization: the person's others are a click away.
    let elsewhere = matches!(error, AppError::NotFound(_) | AppError::Forbidden(_));
    view! {
        <section class="card error-panel" role="alert">
            <h1>{title}</h1>
            <p>{error.to_string()}</p>
            <p>
                <a href="/">"Go to your start page"</a>
                {elsewhere.then(|| view! { " · " <a href="/organizations">"See all your organizations"</a> })}
            </p>
        </section>
    }
    .into_any()
}

/// The alert of a page inside a frame whose own data could not be loaded (a
/// member of another organization, a module the person lacks).
#[component]
pub fn LoadError(error: AppError) -> impl IntoView {
    answer_with_status(&error);
    view! { <div class="alert alert-error" role="alert">{error.to_string()}</div> }
}

/// While the server renders a page, gives its response the status of an error
/// the page shows (403, 404, 500…), so the page stays friendly and the status
/// tells the truth. The first status set wins: a redirect (to log in) or the
/// organization frame's own error is not overwritten by a page inside it.
/// Every page that shows such an error renders in `SsrMode::Async`, so the
/// status is known before the response head is sent.
pub fn answer_with_status(error: &AppError) {
    #[cfg(feature = "ssr")]
    if let (Some(response), Ok(status)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::StatusCode::from_u16(error.status()),
    ) {
        let mut parts = response.0.write().unwrap_or_else(|e| e.into_inner());
        parts.status.get_or_insert(status);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = error;
}

/// Percent-encodes a value for a query string.
pub fn encode_component(value: &str) -> String {
    let mut out = String::new();
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}
