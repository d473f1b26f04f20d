//! Previous / next for server-paginated lists.

use leptos::prelude::*;

#[component]
pub fn Pager(
    page: RwSignal<u32>,
    #[prop(into)] pages: Signal<u32>,
    label: &'static str,
) -> impl IntoView {
    view! {
        <nav class="pager" aria-label=label>
            <button type="button" class="button" disabled=move || { page.get() <= 1 }
                on:click=move |_| page.update(|p| *p = p.saturating_sub(1).max(1))>"Previous"</button>
            <span>{move || format!("Page {} of {}", page.get(), pages.get())}</span>
            <button type="button" class="button" disabled=move || { page.get() >= pages.get() }
                on:click=move |_| page.update(|p| *p += 1)>"Next"</button>
        </nav>
    }
}
