//! `/o/:slug/contacts`: the Contacts module — the organization's people and
//! the people of its partner organizations, as a directory.

use crate::components::error_panel::LoadError;
use crate::components::list::ListFooter;
use crate::components::per_organization::PerOrganization;
use crate::domain::contact::{Affiliation, ContactQuery, ContactSource};
use crate::server::contacts::list_contacts;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

lazy_page!(ContactsRoute, ContactsPage);

#[component]
pub fn ContactsPage() -> impl IntoView {
    let params = use_params_map();
    let page = RwSignal::new(1_u32);
    let search = RwSignal::new(String::new());
    let organization = RwSignal::new(None::<Uuid>);
    let contacts = Resource::new(
        move || {
            let slug = params.read().get("slug").unwrap_or_default();
            let query = ContactQuery {
                search: search.get(),
                organization: organization.get(),
                page: page.get(),
            };
            (slug, query)
        },
        |(slug, query)| list_contacts(slug, query),
    );
    view! {
        <Title text="Contacts · Consort" />
        <div class="page-head">
            <h1>"Contacts"</h1>
            <p class="muted">"The people of this organization and of its partner organizations."</p>
        </div>
        <form class="toolbar" role="search" aria-label="Find contacts" on:submit=|ev| ev.prevent_default()>
            <label for="contact-search">"Search contacts"</label>
            <input id="contact-search" type="search" placeholder="Name or email"
                on:input=move |ev| { search.set(event_target_value(&ev)); page.set(1); } />
        </form>
        <PerOrganization>
            <Transition fallback=|| view! { <p class="loading" role="status">"Loading contacts…"</p> }>
            {move || Suspend::new(async move {
                match contacts.await {
                    Ok(found) => {
                        let list = found.people;
                        let (total, pages) = (list.total, list.pages());
                        let filter = (found.sources.len() > 1)
                            .then(|| view! { <SourceFilter sources=found.sources organization page /> });
                        let body = if list.items.is_empty() {
                            view! {
                                <div class="empty"><p><strong>"No contacts match."</strong></p>
                                <p class="muted">"Try another name or address, or all organizations."</p></div>
                            }.into_any()
                        } else {
                            view! {
                                <ul class="contact-grid" aria-label="Contacts">
                                    {list.items.into_iter().map(|c| {
                                        let partner = matches!(c.affiliation, Affiliation::Partner { .. });
                                        view! {
                                            <li class="tile contact" class:contact-partner=partner>
                                                <p class="contact-name">{c.name}</p>
                                                <p><a href=format!("mailto:{}", c.email)>{c.email.clone()}</a></p>
                                                <p class="muted">{c.affiliation.label()}</p>
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                                <ListFooter page total pages noun="contact" label="Contacts pages" />
                            }.into_any()
                        };
                        view! { {filter} {body} }.into_any()
                    }
                    Err(error) => view! {
                        <LoadError error />
                        {organization.get_untracked().map(|_| view! {
                            <button type="button" class="button"
                                on:click=move |_| { organization.set(None); page.set(1); }>
                                "Show all organizations"
                            </button>
                        })}
                    }.into_any(),
                }
            })}
            </Transition>
        </PerOrganization>
    }
}

/// Narrows the directory to one organization: this one or a partner.
#[component]
fn SourceFilter(
    sources: Vec<ContactSource>,
    organization: RwSignal<Option<Uuid>>,
    page: RwSignal<u32>,
) -> impl IntoView {
    let chosen = organization.get_untracked();
    view! {
        <div class="field contact-filter">
            <label for="contact-organization">"Organization"</label>
            <select id="contact-organization" on:change=move |ev| {
                organization.set(Uuid::parse_str(&event_target_value(&ev)).ok());
                page.set(1);
            }>
                <option value="" selected=chosen.is_none()>"All organizations"</option>
                {sources.into_iter().map(|source| {
                    let label = if source.own {
                        format!("{} (this organization)", source.name)
                    } else {
                        format!("{} (partner)", source.name)
                    };
                    view! {
                        <option value=source.id.to_string() selected=chosen == Some(source.id)>{label}</option>
                    }
                }).collect_view()}
            </select>
        </div>
    }
}
