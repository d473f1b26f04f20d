//! The frame of the signed-out pages: the brand, a card, and links below it.

use leptos::prelude::*;

#[component]
pub fn AuthFrame(
    title: &'static str,
    #[prop(optional)] lead: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    view! {
        <div class="auth">
            <header><a class="brand brand-large" href="/">"Consort"</a></header>
            <main class="card auth-card" id="main">
                <h1>{title}</h1>
                {lead.map(|l| view! { <p class="muted">{l}</p> })}
                {children()}
            </main>
        </div>
    }
}
