//! Marks the document once the browser has taken over from the server-rendered
//! HTML, so end-to-end tests (and styles) can tell.

use leptos::prelude::*;

#[component]
pub fn HydrationMarker() -> impl IntoView {
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    view! { <span id="hydrated" hidden data-ready=move || if hydrated.get() { "true" } else { "false" }></span> }
}
