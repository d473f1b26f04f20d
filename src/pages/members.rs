//! `/o/:slug/members` and `/o/:slug/members/deactivated`: the organization's
//! active and deactivated users — searchable, sortable, paged on the server.

use super::org_layout::ShellResource;
use crate::components::error_panel::LoadError;
use crate::components::list::{ListFooter, TableWrap};
use crate::components::member_tabs::{MembersHead, MembersTab};
use crate::components::per_organization::PerOrganization;
use crate::domain::member::{MemberQuery, MemberSort, MemberView};
use crate::domain::module::Module;
use crate::domain::role::{MemberStatus, MembershipKind, Role};
use crate::domain::time::short_date;
use crate::server::members::list_members;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

lazy_page!(MembersRoute, ActiveMembersPage);
lazy_page!(DeactivatedMembersRoute, DeactivatedMembersPage);

#[component]
pub fn ActiveMembersPage() -> impl IntoView {
    view! { <MemberList status=MemberStatus::Active /> }
}

#[component]
pub fn DeactivatedMembersPage() -> impl IntoView {
    view! { <MemberList status=MemberStatus::Deactivated /> }
}

/// The sort choices: (value, label, order, descending).
const SORTS: [(&str, &str, MemberSort, bool); 6] = [
    ("name", "Name, A to Z", MemberSort::Name, false),
    ("name-desc", "Name, Z to A", MemberSort::Name, true),
    ("role", "Role, owners first", MemberSort::Role, false),
    ("role-desc", "Role, users first", MemberSort::Role, true),
    (
        "joined-desc",
        "Joined, newest first",
        MemberSort::Joined,
        true,
    ),
    ("joined", "Joined, oldest first", MemberSort::Joined, false),
];

#[component]
fn MemberList(status: MemberStatus) -> impl IntoView {
    let shell = expect_context::<ShellResource>();
    let params = use_params_map();
    let page = RwSignal::new(1_u32);
    let search = RwSignal::new(String::new());
    let sort = RwSignal::new((MemberSort::Name, false));
    let kind = RwSignal::new(None::<MembershipKind>);
    let members = Resource::new(
        move || {
            let slug = params.read().get("slug").unwrap_or_default();
            (slug, search.get(), sort.get(), kind.get(), page.get())
        },
        move |(slug, search, (sort, descending), kind, page)| {
            list_members(
                slug,
                MemberQuery {
                    status,
                    kind,
                    search,
                    sort,
                    descending,
                    page,
                },
            )
        },
    );
    let on_sent = Callback::new(move |_| members.refetch());
    let (tab, caption, title) = match status {
        MemberStatus::Active => (MembersTab::Active, "Active users", "Members · Consort"),
        MemberStatus::Deactivated => (
            MembersTab::Deactivated,
            "Deactivated users",
            "Deactivated users · Consort",
        ),
    };
    view! {
        <Title text=title />
        <Suspense fallback=|| view! { <div class="page-head"><h1>"Members"</h1></div> }>
            {move || Suspend::new(async move {
                let can_invite = shell
                    .await
                    .is_ok_and(|s| s.organization.your_role.rank() >= Role::Admin.rank());
                view! { <MembersHead current=tab can_invite on_sent /> }
            })}
        </Suspense>
        <form class="toolbar" role="search" on:submit=|ev| ev.prevent_default()>
            <label for="member-search">"Search members"</label>
            <input id="member-search" type="search" placeholder="Name or email"
                on:input=move |ev| { search.set(event_target_value(&ev)); page.set(1); } />
            <label for="member-sort">"Sort by"</label>
            <select id="member-sort" on:change=move |ev| {
                let value = event_target_value(&ev);
                if let Some((_, _, order, descending)) = SORTS.iter().find(|s| s.0 == value) {
                    sort.set((*order, *descending));
                    page.set(1);
                }
            }>
                {SORTS.into_iter().map(|(value, label, _, _)| view! { <option value=value>{label}</option> }).collect_view()}
            </select>
            <label for="member-kind">"Show"</label>
            <select id="member-kind" on:change=move |ev| {
                kind.set(MembershipKind::parse(&event_target_value(&ev)));
                page.set(1);
            }>
                <option value="">"Everyone"</option>
                <option value=MembershipKind::Team.as_str()>"Team members"</option>
                <option value=MembershipKind::Partner.as_str()>"Partners"</option>
            </select>
        </form>
        <PerOrganization>
            <Transition fallback=|| view! { <p class="loading" role="status">"Loading members…"</p> }>
            {move || Suspend::new(async move {
                let can_manage = shell
                    .await
                    .is_ok_and(|s| s.organization.your_role.rank() >= Role::Admin.rank());
                let slug = params.read_untracked().get("slug").unwrap_or_default();
                match members.await {
                    Ok(list) if list.items.is_empty() => view! {
                        <Empty status kind=kind.get_untracked() searching=!search.get_untracked().trim().is_empty() />
                    }.into_any(),
                    Ok(list) => {
                        let (total, pages) = (list.total, list.pages());
                        view! {
                            <TableWrap label=caption class="stack">
                                <table>
                                    <caption class="visually-hidden">{caption}</caption>
                                    <thead><tr>
                                        <th scope="col">"Name"</th><th scope="col">"Role"</th>
                                        <th scope="col">"Kind"</th><th scope="col">"Modules"</th><th scope="col">"Sub-accounts"</th>
                                        <th scope="col">"Joined"</th><th scope="col">"Last active"</th>
                                    </tr></thead>
                                    <tbody>
                                        {list.items.into_iter().map(|m| view! { <Row m slug=slug.clone() can_manage /> }).collect_view()}
                                    </tbody>
                                </table>
                            </TableWrap>
                            <ListFooter page total pages noun="member" label="Members pages" />
                        }.into_any()
                    }
                    Err(error) => view! { <LoadError error /> }.into_any(),
                }
            })}
            </Transition>
        </PerOrganization>
    }
}

#[component]
fn Row(m: MemberView, slug: String, can_manage: bool) -> impl IntoView {
    let name = if can_manage {
        view! { <a href=format!("/o/{slug}/members/{}", m.user_id)>{m.name}</a> }.into_any()
    } else {
        view! { <span>{m.name}</span> }.into_any()
    };
    let modules = if m.modules.len() == Module::ALL.len() {
        "All".to_string()
    } else if m.modules.is_empty() {
        "—".to_string()
    } else {
        m.modules
            .iter()
            .map(|x| Module::label(*x))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let subs = match m.sub_accounts {
        None => "All".to_string(),
        Some(names) if names.is_empty() => "None".to_string(),
        Some(names) => names.join(", "),
    };
    view! {
        <tr>
            <td data-label="Name"><span class="person">{name}<span class="muted">{m.email}</span></span></td>
            <td class="nowrap" data-label="Role">{m.role.label()}</td>
            <td class="nowrap" data-label="Kind">{m.kind.label()}{m.access_until.map(|day| format!(" · until {}", short_date(day)))}</td>
            <td data-label="Modules">{modules}</td>
            <td data-label="Sub-accounts">{subs}</td>
            <td class="nowrap" data-label="Joined">{short_date(m.joined_at)}</td>
            <td class="nowrap" data-label="Last active">{m.last_active.map(short_date).unwrap_or_else(|| "Never".into())}</td>
        </tr>
    }
}

#[component]
fn Empty(status: MemberStatus, kind: Option<MembershipKind>, searching: bool) -> impl IntoView {
    let (title, hint) = match (status, searching) {
        (_, true) => (
            "No members match your search.",
            "Try part of a name or an address.",
        ),
        (MemberStatus::Active, false) if kind == Some(MembershipKind::Partner) => (
            "No partners yet.",
            "Partners are accountants, designers or agencies who work for several organizations with one login. Invite one with “Invite partner”.",
        ),
        (_, false) if kind.is_some() => (
            "Nobody of this kind here.",
            "Choose “Everyone” to see every member.",
        ),
        (MemberStatus::Active, false) => ("No active users.", "Invite people with “Invite users”."),
        (MemberStatus::Deactivated, false) => (
            "No deactivated users.",
            "Members you deactivate are listed here; they keep their membership but cannot open the organization until reactivated.",
        ),
    };
    view! {
        <div class="empty">
            <p><strong>{title}</strong></p>
            <p class="muted">{hint}</p>
        </div>
    }
}
