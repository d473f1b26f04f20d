//! `/`: signed-in people go to their organization; visitors see what Consort is.

use crate::components::error_panel::ErrorPanel;
use crate::server::auth::current_landing;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

#[component]
pub fn HomePage() -> impl IntoView {
    let landing = Resource::new(|| (), |_| current_landing());
    view! {
        <Title text="Consort — decide who works in your organization" />
        <Suspense fallback=|| view! { <p class="loading" role="status">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match landing.await {
                    Ok(Some(path)) => view! { <Redirect path=path /> }.into_any(),
                    Ok(None) => view! { <Welcome /> }.into_any(),
                    Err(error) => view! { <main class="page"><ErrorPanel error /></main> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Welcome() -> impl IntoView {
    view! {
        <header class="topbar">
            <a class="brand" href="/">"Consort"</a>
            <nav class="topnav topnav-end" aria-label="Account">
                <a href="/login">"Log in"</a>
                <a class="button button-primary" href="/signup">"Sign up"</a>
            </nav>
        </header>
        <main class="page hero" id="main">
            <h1>"Decide who works in your organization."</h1>
            <p class="lead">
                "Consort is the self-hosted portal for your team members, the partners who work for several organizations, and the organizations you partner with. Invite people, give each the right role, and keep a record of every change."
            </p>
            <p class="hero-actions">
                <a class="button button-primary" href="/signup">"Create your organization"</a>
                <a class="button" href="/login">"Log in"</a>
            </p>
            <ul class="features">
                <li><h2>"Team members"</h2><p>"Roles, module permissions and sub-account access for everyone who works with you."</p></li>
                <li><h2>"Partners"</h2><p>"Accountants and designers who serve several organizations switch between them in one click."</p></li>
                <li><h2>"Audit trail"</h2><p>"Every sign-in, change and invitation is recorded with who, what and when."</p></li>
            </ul>
        </main>
    }
}
