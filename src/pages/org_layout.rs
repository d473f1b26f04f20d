//! `/o/:slug/…`: loads the organization once for every page inside it and
//! frames them with the header. When it cannot be shown (no such organization,
//! not a member), the error panel says so and the response carries the status.

use crate::components::error_panel::ErrorPanel;
use crate::components::org_header::OrgHeader;
use crate::domain::account::OrganizationShell;
use crate::error::AppError;
use crate::server::account::org_shell;
use leptos::prelude::*;
use leptos_router::components::Outlet;
use leptos_router::hooks::{use_location, use_params_map};

/// The organization frame's data, shared with the pages inside it.
pub type ShellResource = Resource<Result<OrganizationShell, AppError>>;

#[component]
pub fn OrgLayout() -> impl IntoView {
    let params = use_params_map();
    let slug = Memo::new(move |_| params.read().get("slug").unwrap_or_default());
    // Read again on every navigation inside the organization, not only when the
    // slug changes: a person removed, deactivated or past their end date meanwhile
    // sees why at their next click, never the organization's cached data.
    let pathname = use_location().pathname;
    let shell: ShellResource = Resource::new(
        move || (slug.get(), pathname.get()),
        |(slug, _)| org_shell(slug),
    );
    provide_context(shell);
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        // Only the header follows the shell; the page below keeps its state when the
        // shell is refetched (after a navigation or a profile change), and the
        // header stays in place meanwhile.
        <Transition fallback=|| view! { <p class="loading" role="status">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match shell.await {
                    Ok(data) => view! { <OrgHeader shell=data /> }.into_any(),
                    Err(error) => view! { <div class="page"><ErrorPanel error /></div> }.into_any(),
                }
            })}
        </Transition>
        <main class="page" id="main"><Outlet /></main>
    }
}
