//! The signed-in header: the organization switcher ([`OrgSwitcher`]), the
//! navigation and the user menu (a disclosure button: Escape or a choice closes it).

use super::org_switcher::OrgSwitcher;
use crate::domain::account::OrganizationShell;
use crate::domain::module::Module;
use crate::server::auth::LogOut;
use leptos::ev::KeyboardEvent;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// The modules with a page, in navigation order, and their paths. The
/// navigation shows only those the viewer holds (the server refuses the rest).
const NAV: [(Module, &str); 6] = [
    (Module::Members, "members"),
    (Module::Partners, "partners"),
    (Module::Contacts, "contacts"),
    (Module::Billing, "billing"),
    (Module::AuditLog, "audit-log"),
    (Module::Settings, "settings"),
];

#[component]
pub fn OrgHeader(shell: OrganizationShell) -> impl IntoView {
    let log_out = ServerAction::<LogOut>::new();
    let OrganizationShell {
        viewer,
        organization,
        organizations,
    } = shell;
    let home = format!("/o/{}", organization.slug);
    let account = format!("/o/{}/account", organization.slug);
    let pathname = use_location().pathname;
    let overview = home.clone();
    let modules = organization.your_modules.clone();
    let waiting = organization.partnerships_waiting;
    let slug = organization.slug.clone();
    let initials: String = viewer
        .name
        .split_whitespace()
        .filter_map(|w| w.chars().next())
        .take(2)
        .collect();
    let (org_name, user_name) = (organization.name.clone(), viewer.name.clone());
    let user_open = RwSignal::new(false);
    view! {
        <header class="topbar">
            <a class="brand" href="/">"Consort"</a>
            <OrgSwitcher current=organization.slug.clone() name=org_name organizations />
            <nav class="topnav" aria-label="Organization">
                <a href=home.clone() aria-current=move || (pathname.get() == overview).then_some("page")>"Overview"</a>
                {NAV
                    .into_iter()
                    .filter(|(module, _)| modules.contains(module))
                    .map(|(module, path)| {
                        let href = format!("/o/{slug}/{path}");
                        let prefix = href.clone();
                        let current = move || {
                            let here = pathname.get();
                            (here == prefix || here.starts_with(&format!("{prefix}/"))).then_some("page")
                        };
                        // Requests waiting for an answer, on the Partners item.
                        let waiting = (module == Module::Partners && waiting > 0).then(|| view! {
                            " "<span class="nav-count">{waiting}<span class="visually-hidden">" waiting"</span></span>
                        });
                        view! { <a href=href aria-current=current>{module.label()}{waiting}</a> }
                    })
                    .collect_view()}
            </nav>
            <Disclosure open=user_open id="user-menu" class="user-menu">
                <span class="avatar" aria-hidden="true">{initials}</span>
                <span class="user-name">{user_name}</span>
                <span class="visually-hidden">" account menu"</span>
            </Disclosure>
            <div id="user-menu" class="menu-panel menu-right" hidden=move || !user_open.get()>
                <p class="menu-heading">{viewer.name.clone()}<br /><span class="muted">{viewer.email.clone()}</span></p>
                <ul>
                    <li><a href=account on:click=move |_| user_open.set(false)>"Account settings"</a></li>
                    <li><a href="/organizations" on:click=move |_| user_open.set(false)>"My organizations"</a></li>
                    <li>
                        <ActionForm action=log_out>
                            <button type="submit" class="link-button">"Log out"</button>
                        </ActionForm>
                    </li>
                </ul>
            </div>
        </header>
    }
}

/// A button that shows and hides the element `id`; Escape closes it.
#[component]
fn Disclosure(
    open: RwSignal<bool>,
    id: &'static str,
    class: &'static str,
    children: Children,
) -> impl IntoView {
    view! {
        <button
            type="button"
            class=format!("menu-button {class}")
            aria-expanded=move || open.get().to_string()
            aria-controls=id
            on:click=move |_| open.update(|o| *o = !*o)
            on:keydown=move |ev: KeyboardEvent| {
                if ev.key() == "Escape" {
                    open.set(false);
                }
            }
        >
            {children()}
        </button>
    }
}
