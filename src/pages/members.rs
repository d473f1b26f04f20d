//! `/o/:slug/members`: the organization's active users.

use super::org_layout::ShellResource;
use crate::components::member_tabs::{MembersHead, MembersTab};
use crate::components::pager::Pager;
use crate::domain::member::MemberQuery;
use crate::domain::role::{MemberStatus, Role};
use crate::domain::time::date;
use crate::server::members::list_members;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

lazy_page!(MembersRoute, MembersPage);

#[component]
pub fn MembersPage() -> impl IntoView {
    let shell = expect_context::<ShellResource>();
    let params = use_params_map();
    let page = RwSignal::new(1_u32);
    let search = RwSignal::new(String::new());
    let members = Resource::new(
        move || {
            let slug = params.read().get("slug").unwrap_or_default();
            (slug, search.get(), page.get())
        },
        |(slug, search, page)| {
            list_members(
                slug,
                MemberQuery {
                    status: MemberStatus::Active,
                    search,
                    page,
                },
            )
        },
    );
    let on_sent = Callback::new(move |_| members.refetch());
    view! {
        <Title text="Members · Consort" />
        <Suspense fallback=|| view! { <div class="page-head"><h1>"Members"</h1></div> }>
            {move || Suspend::new(async move {
                let can_invite = shell
                    .await
                    .is_ok_and(|s| s.organization.your_role.rank() >= Role::Admin.rank());
                view! { <MembersHead current=MembersTab::Active can_invite on_sent /> }
            })}
        </Suspense>
        <form class="toolbar" role="search" on:submit=|ev| ev.prevent_default()>
            <label for="member-search">"Search members"</label>
            <input id="member-search" type="search" placeholder="Name or email"
                on:input=move |ev| { search.set(event_target_value(&ev)); page.set(1); } />
        </form>
        <Transition fallback=|| view! { <p class="loading" role="status">"Loading members…"</p> }>
            {move || Suspend::new(async move {
                let can_manage = shell
                    .await
                    .is_ok_and(|s| s.organization.your_role.rank() >= Role::Admin.rank());
                let slug = params.read_untracked().get("slug").unwrap_or_default();
                match members.await {
                    Ok(list) if list.items.is_empty() => view! {
                        <p class="empty">"No members match your search."</p>
                    }.into_any(),
                    Ok(list) => {
                        let pages = list.pages();
                        view! {
                            <div class="table-wrap">
                                <table>
                                    <caption class="visually-hidden">"Active users"</caption>
                                    <thead><tr>
                                        <th scope="col">"Name"</th><th scope="col">"Email"</th><th scope="col">"Role"</th>
                                        <th scope="col">"Kind"</th><th scope="col">"Modules"</th><th scope="col">"Joined"</th>
                                    </tr></thead>
                                    <tbody>
                                        {list.items.into_iter().map(|m| view! {
                                            <tr>
                                                <td>{if can_manage {
                                                    view! { <a href=format!("/o/{slug}/members/{}", m.user_id)>{m.name}</a> }.into_any()
                                                } else {
                                                    view! { <span>{m.name}</span> }.into_any()
                                                }}</td>
                                                <td>{m.email}</td>
                                                <td>{m.role.label()}</td>
                                                <td>{m.kind.label()}</td>
                                                <td>{if m.modules.is_empty() { "—".to_string() } else { m.modules.iter().map(|x| x.label()).collect::<Vec<_>>().join(", ") }}</td>
                                                <td>{date(m.joined_at)}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                            <p class="muted">{format!("{} member{}", list.total, if list.total == 1 { "" } else { "s" })}</p>
                            <Pager page pages=Signal::derive(move || pages) label="Members pages" />
                        }.into_any()
                    }
                    Err(error) => view! { <div class="alert alert-error" role="alert">{error.to_string()}</div> }.into_any(),
                }
            })}
        </Transition>
    }
}
