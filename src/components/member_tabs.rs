//! The Members module's heading: its tabs and the "Invite users" button.

use super::invite_dialog::InviteUsers;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum MembersTab {
    Active,
    Deactivated,
    Invitations,
    Requests,
}

#[component]
pub fn MembersHead(
    current: MembersTab,
    /// Whether the viewer may invite (owners and admins).
    can_invite: bool,
    on_sent: Callback<()>,
) -> impl IntoView {
    let params = use_params_map();
    let slug = Signal::derive(move || params.read().get("slug").unwrap_or_default());
    let tab = move |this: MembersTab, label: &'static str, path: &'static str| {
        view! {
            <a aria-current=(current == this).then_some("page")
                href=move || format!("/o/{}/members{path}", slug.get())>{label}</a>
        }
    };
    view! {
        <div class="page-head page-head-row">
            <h1>"Members"</h1>
            {can_invite.then(|| view! { <InviteUsers slug on_sent /> })}
        </div>
        <nav class="tabs" aria-label="Members">
            {tab(MembersTab::Active, "Active users", "")}
            {tab(MembersTab::Deactivated, "Deactivated users", "/deactivated")}
            {can_invite.then(|| tab(MembersTab::Invitations, "Pending invitations", "/invitations"))}
            {can_invite.then(|| tab(MembersTab::Requests, "Access requests", "/requests"))}
        </nav>
    }
}
