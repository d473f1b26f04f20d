//! The organization switcher in the header: a button that opens a listbox of
//! the person's active organizations (name, role and kind; the current one
//! marked), with a filter box once the list is long. Arrows, Home and End move,
//! Enter chooses, Escape closes, a letter jumps to the next name starting with
//! it. Choosing navigates in the app to the same page of the other
//! organization when it allows that page, otherwise to its overview.

use crate::domain::account::OrganizationSummary;
use crate::domain::module::Module;
use crate::domain::role::MemberStatus;
use leptos::ev::KeyboardEvent;
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};

/// Above this many organizations the list gets a filter box.
const FILTER_FROM: usize = 8;

/// The first path segment inside an organization, and the module it needs.
const PAGES: [(&str, Option<Module>); 6] = [
    ("account", None),
    ("members", Some(Module::Members)),
    ("contacts", Some(Module::Contacts)),
    ("billing", Some(Module::Billing)),
    ("audit-log", Some(Module::AuditLog)),
    ("settings", Some(Module::Settings)),
];

/// Where choosing `to` leads from `pathname` (`/o/{slug}/…`): the same page of
/// that organization if it allows it, else its overview. Deeper paths (a
/// member's page) name objects of the current organization and are dropped.
pub fn switch_target(pathname: &str, to: &OrganizationSummary) -> String {
    let section = pathname.split('/').nth(3).unwrap_or_default();
    let allowed = PAGES
        .iter()
        .any(|(page, module)| *page == section && module.is_none_or(|m| to.modules.contains(&m)));
    if allowed {
        format!("/o/{}/{section}", to.slug)
    } else {
        format!("/o/{}", to.slug)
    }
}

#[component]
pub fn OrgSwitcher(
    current: String,
    name: String,
    organizations: Vec<OrganizationSummary>,
) -> impl IntoView {
    let organizations: Vec<OrganizationSummary> = organizations
        .into_iter()
        .filter(|o| o.status == MemberStatus::Active)
        .collect();
    let with_filter = organizations.len() >= FILTER_FROM;
    let all = StoredValue::new(organizations);
    let open = RwSignal::new(false);
    let filter = RwSignal::new(String::new());
    let active = RwSignal::new(0usize);
    let shown = Memo::new(move |_| {
        let needle = filter.get().to_lowercase();
        all.with_value(|list| {
            list.iter()
                .filter(|o| needle.is_empty() || o.name.to_lowercase().contains(&needle))
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    let navigate = use_navigate();
    let pathname = use_location().pathname;
    let current_slug = current.clone();

    // Opening starts at the current organization and moves focus into the list.
    Effect::new(move |_| {
        if open.get() {
            let here = shown
                .get_untracked()
                .iter()
                .position(|o| o.slug == current_slug)
                .unwrap_or(0);
            active.set(here);
            request_animation_frame(move || {
                if !focus("org-filter") {
                    focus("org-listbox");
                }
            });
        }
    });
    let close = move || {
        open.set(false);
        filter.set(String::new());
        focus("org-switcher-button");
    };
    let current_for_choose = current.clone();
    let choose = Callback::new(move |slug: String| {
        open.set(false);
        filter.set(String::new());
        if slug == current_for_choose {
            return;
        }
        let target = all.with_value(|list| {
            list.iter()
                .find(|o| o.slug == slug)
                .map(|o| switch_target(&pathname.get_untracked(), o))
        });
        if let Some(target) = target {
            navigate(&target, Default::default());
        }
    });
    let on_key = Callback::new(move |ev: KeyboardEvent| {
        let count = shown.with_untracked(Vec::len);
        let key = ev.key();
        match key.as_str() {
            "ArrowDown" if count > 0 => active.update(|i| *i = (*i + 1) % count),
            "ArrowUp" if count > 0 => active.update(|i| *i = (*i + count - 1) % count),
            "Home" => active.set(0),
            "End" => active.set(count.saturating_sub(1)),
            "Enter" => {
                let slug = shown.with_untracked(|list| {
                    list.get(active.get_untracked()).map(|o| o.slug.clone())
                });
                if let Some(slug) = slug {
                    choose.run(slug);
                }
            }
            "Escape" => close(),
            letter
                if !with_filter
                    && letter.chars().count() == 1
                    && !ev.ctrl_key()
                    && !ev.meta_key() =>
            {
                // Type-ahead: the next organization whose name starts with the letter.
                let letter = letter.to_lowercase();
                let start = active.get_untracked();
                let next = shown.with_untracked(|list| {
                    (1..=list.len())
                        .map(|step| (start + step) % list.len())
                        .find(|&i| list[i].name.to_lowercase().starts_with(&letter))
                });
                if let Some(i) = next {
                    active.set(i);
                }
                return;
            }
            _ => return,
        }
        ev.prevent_default();
    });
    let option_id = |i: usize| format!("org-option-{i}");
    view! {
        <button
            type="button"
            class="menu-button org-switcher"
            id="org-switcher-button"
            aria-haspopup="listbox"
            aria-expanded=move || open.get().to_string()
            aria-controls="org-switcher"
            on:click=move |_| open.update(|o| *o = !*o)
        >
            <span class="org-name">{name}</span>
            <span class="visually-hidden">" — switch organization"</span>
        </button>
        <div id="org-switcher" class="menu-panel switcher-panel" hidden=move || !open.get()>
            <p class="menu-heading" id="org-switcher-heading">"Your organizations"</p>
            {with_filter.then(|| view! {
                <label class="visually-hidden" for="org-filter">"Filter organizations"</label>
                <input
                    id="org-filter"
                    class="switcher-filter"
                    type="search"
                    placeholder="Filter organizations"
                    autocomplete="off"
                    aria-controls="org-listbox"
                    prop:value=move || filter.get()
                    on:input=move |ev| {
                        filter.set(event_target_value(&ev));
                        active.set(0);
                    }
                    on:keydown=move |ev| on_key.run(ev)
                />
            })}
            <ul
                id="org-listbox"
                role="listbox"
                tabindex="0"
                aria-labelledby="org-switcher-heading"
                aria-activedescendant=move || option_id(active.get())
                on:keydown=move |ev| on_key.run(ev)
            >
                // A plain list, rebuilt when the filter changes: a keyed <For> pulled
                // about 25 KB of diffing code into the main bundle for a handful of rows.
                {move || shown.get().into_iter().enumerate().map(|(i, o)| {
                    let slug = o.slug.clone();
                    let is_current = o.slug == current;
                    view! {
                        <li
                            role="option"
                            id=option_id(i)
                            class=move || if active.get() == i { "switcher-option active" } else { "switcher-option" }
                            aria-selected=is_current.to_string()
                            on:click=move |_| choose.run(slug.clone())
                        >
                            <span class="switcher-name">{o.name}</span>
                            <span class="muted switcher-meta">
                                {format!("{} · {}", o.role.label(), o.kind.label())}
                                {is_current.then_some(" · current")}
                            </span>
                        </li>
                    }
                }).collect_view()}
            </ul>
            {move || shown.with(Vec::is_empty).then(|| view! { <p class="muted switcher-empty">"No organization matches."</p> })}
            <p class="menu-footer"><a href="/organizations" on:click=move |_| open.set(false)>"All organizations and invitations"</a></p>
        </div>
    }
}

/// Moves the focus to the element `id`; false when there is none.
fn focus(id: &str) -> bool {
    use leptos::wasm_bindgen::JsCast;
    document()
        .get_element_by_id(id)
        .and_then(|e| e.dyn_into::<leptos::web_sys::HtmlElement>().ok())
        .is_some_and(|e| e.focus().is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::role::{MembershipKind, Role};

    fn org(modules: Vec<Module>) -> OrganizationSummary {
        OrganizationSummary {
            name: "Globex".into(),
            slug: "globex".into(),
            kind: MembershipKind::Partner,
            role: Role::User,
            status: MemberStatus::Active,
            access_until: None,
            modules,
        }
    }

    #[test]
    fn the_same_page_when_the_other_organization_allows_it_else_its_overview() {
        let with = org(vec![Module::Contacts]);
        assert_eq!(
            switch_target("/o/acme/contacts", &with),
            "/o/globex/contacts"
        );
        assert_eq!(switch_target("/o/acme/members", &with), "/o/globex");
        assert_eq!(switch_target("/o/acme/members/0192", &with), "/o/globex");
        assert_eq!(switch_target("/o/acme/account", &with), "/o/globex/account");
        assert_eq!(switch_target("/o/acme", &with), "/o/globex");
        let admin = org(vec![Module::Members]);
        assert_eq!(
            switch_target("/o/acme/members/0192", &admin),
            "/o/globex/members"
        );
    }
}
