//! `/o/:slug/contacts`: the Contacts module — the people who work in or with
//! the organization, as a directory.

use crate::components::error_panel::LoadError;
use crate::components::list::ListFooter;
use crate::components::per_organization::PerOrganization;
use crate::server::contacts::list_contacts;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

lazy_page!(ContactsRoute, ContactsPage);

#[component]
pub fn ContactsPage() -> impl IntoView {
    let params = use_params_map();
    let page = RwSignal::new(1_u32);
    let search = RwSignal::new(String::new());
    let contacts = Resource::new(
        move || {
            let slug = params.read().get("slug").unwrap_or_default();
            (slug, search.get(), page.get())
        },
        |(slug, search, page)| list_contacts(slug, search, page),
    );
    view! {
        <Title text="Contacts · Consort" />
        <div class="page-head">
            <h1>"Contacts"</h1>
            <p class="muted">"The people who work in this organization: team members and partners."</p>
        </div>
        <form class="toolbar" role="search" on:submit=|ev| ev.prevent_default()>
            <label for="contact-search">"Search contacts"</label>
            <input id="contact-search" type="search" placeholder="Name or email"
                on:input=move |ev| { search.set(event_target_value(&ev)); page.set(1); } />
        </form>
        <PerOrganization>
            <Transition fallback=|| view! { <p class="loading" role="status">"Loading contacts…"</p> }>
            {move || Suspend::new(async move {
                match contacts.await {
                    Ok(list) if list.items.is_empty() => view! {
                        <div class="empty"><p><strong>"No contacts match your search."</strong></p></div>
                    }.into_any(),
                    Ok(list) => {
                        let (total, pages) = (list.total, list.pages());
                        view! {
                            <ul class="contact-grid" aria-label="Contacts">
                                {list.items.into_iter().map(|c| view! {
                                    <li class="tile contact">
                                        <p class="contact-name">{c.name}</p>
                                        <p><a href=format!("mailto:{}", c.email)>{c.email.clone()}</a></p>
                                        <p class="muted">{c.kind.label()}" · "{c.role.label()}</p>
                                    </li>
                                }).collect_view()}
                            </ul>
                            <ListFooter page total pages noun="contact" label="Contacts pages" />
                        }.into_any()
                    }
                    Err(error) => view! { <LoadError error /> }.into_any(),
                }
            })}
            </Transition>
        </PerOrganization>
    }
}
