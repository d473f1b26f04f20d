//! The signed-in header: the organization, the organization switcher and the
//! user menu.

use crate::domain::account::OrganizationShell;
use crate::domain::role::MemberStatus;
use crate::server::auth::LogOut;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn OrgHeader(shell: OrganizationShell) -> impl IntoView {
    let log_out = ServerAction::<LogOut>::new();
    let OrganizationShell {
        viewer,
        organization,
        organizations,
    } = shell;
    let current = organization.slug.clone();
    let others: Vec<_> = organizations
        .into_iter()
        .filter(|o| o.slug != current && o.status == MemberStatus::Active)
        .collect();
    let home = format!("/o/{}", organization.slug);
    let account = format!("/o/{}/account", organization.slug);
    let initials: String = viewer
        .name
        .split_whitespace()
        .filter_map(|w| w.chars().next())
        .take(2)
        .collect();
    view! {
        <header class="topbar">
            <a class="brand" href="/">"Consort"</a>
            <details class="menu org-switcher">
                <summary aria-label=format!("Organization: {}. Switch organization", organization.name)>
                    <span class="org-name">{organization.name.clone()}</span>
                </summary>
                <div class="menu-panel">
                    <p class="menu-heading">"Your organizations"</p>
                    <ul>
                        <li><A href=home.clone()>{organization.name.clone()}" (current)"</A></li>
                        {others
                            .into_iter()
                            .map(|o| view! { <li><A href=format!("/o/{}", o.slug)>{o.name}" · "{o.kind.label()}</A></li> })
                            .collect_view()}
                    </ul>
                </div>
            </details>
            <nav class="topnav" aria-label="Organization">
                <A href=home exact=true>"Overview"</A>
            </nav>
            <details class="menu user-menu">
                <summary aria-label=format!("Account menu for {}", viewer.name)>
                    <span class="avatar" aria-hidden="true">{initials}</span>
                    <span class="user-name">{viewer.name.clone()}</span>
                </summary>
                <div class="menu-panel menu-right">
                    <p class="menu-heading">{viewer.name.clone()}<br /><span class="muted">{viewer.email.clone()}</span></p>
                    <ul>
                        <li><A href=account>"Account settings"</A></li>
                        <li>
                            <ActionForm action=log_out>
                                <button type="submit" class="link-button">"Log out"</button>
                            </ActionForm>
                        </li>
                    </ul>
                </div>
            </details>
        </header>
    }
}
