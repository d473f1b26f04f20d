//! Marks the document once the browser has taken over from the server-rendered
//! HTML — the page's lazily loaded part included — so end-to-end tests (and
//! styles) can tell.

use leptos::prelude::*;

#[component]
pub fn HydrationMarker() -> impl IntoView {
    view! { <span id="hydrated" hidden data-ready="false"></span> }
}

/// Called once hydration has finished.
#[cfg(feature = "hydrate")]
pub fn mark_ready() {
    if let Some(marker) = document().get_element_by_id("hydrated") {
        let _ = marker.set_attribute("data-ready", "true");
    }
}
