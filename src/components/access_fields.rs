//! The access a person gets in an organization — role, modules, sub-accounts —
//! as form fields. The member page and the approval of an access request share
//! them.

use super::form::toggle_in;
use crate::domain::module::Module;
use crate::domain::role::Role;
use crate::domain::sub_account::SubAccount;
use leptos::prelude::*;
use uuid::Uuid;

/// The chosen access while the form is open.
#[derive(Clone, Copy)]
pub struct AccessDraft {
    pub role: RwSignal<Role>,
    pub modules: RwSignal<Vec<Module>>,
    pub all_sub_accounts: RwSignal<bool>,
    pub chosen: RwSignal<Vec<Uuid>>,
}

impl AccessDraft {
    pub fn new(role: Role, modules: Vec<Module>, sub_accounts: Option<Vec<Uuid>>) -> AccessDraft {
        AccessDraft {
            role: RwSignal::new(role),
            modules: RwSignal::new(modules),
            all_sub_accounts: RwSignal::new(sub_accounts.is_none()),
            chosen: RwSignal::new(sub_accounts.unwrap_or_default()),
        }
    }

    /// The modules as the server takes them.
    pub fn module_names(&self) -> Vec<String> {
        self.modules
            .with_untracked(|m| m.iter().map(|m| m.as_str().to_string()).collect())
    }

    /// `None`: every sub-account.
    pub fn sub_accounts(&self) -> Option<Vec<Uuid>> {
        (!self.all_sub_accounts.get_untracked()).then(|| self.chosen.get_untracked())
    }
}

/// Role, modules and sub-accounts. `prefix` keeps element ids unique on a page
/// with several forms; `error_for` names what is wrong with a field.
#[component]
pub fn AccessFields(
    draft: AccessDraft,
    prefix: String,
    /// The roles that can be chosen.
    roles: Vec<Role>,
    /// The role cannot be changed (an admin looking at an owner).
    #[prop(optional)]
    role_locked: bool,
    subs: Vec<SubAccount>,
    error_for: Callback<&'static str, Option<String>>,
) -> impl IntoView {
    let AccessDraft {
        role,
        modules,
        all_sub_accounts,
        chosen,
    } = draft;
    let everything = move || matches!(role.get(), Role::Owner | Role::Admin);
    let current = role.get_untracked();
    let error = move |field: &'static str| {
        move || {
            error_for
                .run(field)
                .map(|m| view! { <p class="field-error" role="alert">{m}</p> })
        }
    };
    let role_id = format!("{prefix}-role");
    let radios = format!("{prefix}-subs");
    view! {
        <div class="field">
            <label for=role_id.clone()>"Role"</label>
            <select id=role_id disabled=role_locked on:change=move |ev| {
                role.set(Role::parse(&event_target_value(&ev)).unwrap_or(Role::User));
            }>
                {roles.into_iter().map(|r| view! {
                    <option value=r.as_str() selected=r == current>{r.label()}</option>
                }).collect_view()}
            </select>
            {error("role")}
        </div>
        <ModuleChecks modules everything=Signal::derive(everything) error=Signal::derive(move || error_for.run("modules")) />
        <fieldset class="checks">
            <legend>"Sub-accounts"</legend>
            <label><input type="radio" name=radios.clone() checked=move || all_sub_accounts.get() on:change=move |_| all_sub_accounts.set(true) />" All sub-accounts"</label>
            <label><input type="radio" name=radios checked=move || !all_sub_accounts.get() on:change=move |_| all_sub_accounts.set(false) />" Only the ones ticked below"</label>
            {subs.into_iter().filter(|s| !s.archived).map(|sub| {
                let sid = sub.id;
                view! {
                    <label class="indent"><input type="checkbox" disabled=move || all_sub_accounts.get()
                        checked=move || chosen.with(|c| c.contains(&sid)) on:change=move |_| toggle_in(chosen, sid) />" "{sub.name}</label>
                }
            }).collect_view()}
            {error("sub_accounts")}
        </fieldset>
    }
}

/// The modules that can be granted, as checkboxes; all are implied (and the
/// boxes disabled) when `everything` holds (owners and admins).
#[component]
pub fn ModuleChecks(
    modules: RwSignal<Vec<Module>>,
    everything: Signal<bool>,
    error: Signal<Option<String>>,
) -> impl IntoView {
    view! {
        <fieldset class="checks">
            <legend>"Modules"</legend>
            <p class="hint">{move || if everything.get() { "Owners and admins have every module." } else { "Members, Billing, Audit log and Settings are for admins only." }}</p>
            {Module::ALL.into_iter().filter(|m| !m.admin_only()).map(|module| view! {
                <label><input type="checkbox" disabled=move || everything.get() checked=move || modules.with(|m| m.contains(&module))
                    on:change=move |_| toggle_in(modules, module) />" "{module.label()}</label>
            }).collect_view()}
            {move || error.get().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
        </fieldset>
    }
}
