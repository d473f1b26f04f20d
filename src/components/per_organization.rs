//! Keeps a page's data to its organization: what it wraps is built afresh when
//! the organization in the URL changes (a switch), so a list that waits in a
//! `Transition` never shows the previous organization's rows while the new
//! organization's load.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn PerOrganization(children: ChildrenFn) -> impl IntoView {
    let params = use_params_map();
    let slug = Memo::new(move |_| params.read().get("slug"));
    move || {
        slug.track();
        children()
    }
}
