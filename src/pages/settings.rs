//! `/o/:slug/settings`: invitation lifetime, partner inactivity and sub-accounts
//! (owners and admins).

use super::org_layout::ShellResource;
use crate::components::confirm::ConfirmButton;
use crate::components::error_panel::LoadError;
use crate::components::form::{FormAlert, Notice, Submit, field_error, form_error, succeeded};
use crate::domain::access_end::INACTIVITY_CHOICES;
use crate::domain::invitation::{LIFETIME_CHOICES, lifetime_label};
use crate::domain::role::Role;
use crate::domain::sub_account::SubAccount;
use crate::domain::time::date;
use crate::error::AppError;
use crate::server::organization::delete_organization;
use crate::server::settings::{
    CreateSubAccount, SetInvitationLifetime, SetPartnerInactivity, load_settings,
    new_partner_request_code, rename_sub_account, set_sub_account_archived,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map};

lazy_page!(SettingsRoute, SettingsPage);

#[component]
pub fn SettingsPage() -> impl IntoView {
    let params = use_params_map();
    let slug = Signal::derive(move || params.read().get("slug").unwrap_or_default());
    let settings = Resource::new(move || slug.get(), load_settings);
    let shell = expect_context::<ShellResource>();
    let lifetime = ServerAction::<SetInvitationLifetime>::new();
    let inactivity = ServerAction::<SetPartnerInactivity>::new();
    let create = ServerAction::<CreateSubAccount>::new();
    let refresh = move || settings.refetch();
    Effect::new(move |_| {
        if create.version().get() > 0
            || lifetime.version().get() > 0
            || inactivity.version().get() > 0
        {
            refresh();
        }
    });
    view! {
        <Title text="Settings · Consort" />
        <div class="page-head"><h1>"Settings"</h1></div>
        <Transition fallback=|| view! { <p class="loading" role="status">"Loading settings…"</p> }>
            {move || Suspend::new(async move {
                match settings.await {
                    Ok(data) => {
                        let owner = shell.await.ok().filter(|s| s.organization.your_role == Role::Owner);
                        view! {
                            <div class="grid-2">
                                <LifetimeCard slug current=data.invitation_lifetime_secs action=lifetime />
                                <PartnersCard slug current=data.partner_inactivity_days action=inactivity code=data.partner_request_code />
                                <SubAccountsCard slug items=data.sub_accounts action=create on_change=Callback::new(move |_| refresh()) />
                            </div>
                            {owner.map(|s| view! { <DeleteOrganizationCard slug name=s.organization.name /> })}
                        }.into_any()
                    }
                    Err(error) => view! { <LoadError error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn LifetimeCard(
    slug: Signal<String>,
    current: i64,
    action: ServerAction<SetInvitationLifetime>,
) -> impl IntoView {
    let value = action.value();
    view! {
        <section class="card" aria-labelledby="lifetime-heading">
            <h2 id="lifetime-heading">"Invitations"</h2>
            <ActionForm action=action attr:aria-label="Invitation lifetime">
                <FormAlert message=form_error(value) />
                <Notice when=succeeded(value) text="Saved. New invitations use this lifetime." />
                <input type="hidden" name="slug" value=slug />
                <div class="field">
                    <label for="field-lifetime">"Invitation links expire after"</label>
                    <p class="hint" id="field-lifetime-hint">"Applies to invitations sent or resent from now on."</p>
                    <select id="field-lifetime" name="lifetime" aria-describedby="field-lifetime-hint">
                        {LIFETIME_CHOICES.into_iter().map(|secs| view! {
                            <option value=secs.to_string() selected=secs == current>{lifetime_label(secs)}</option>
                        }).collect_view()}
                    </select>
                    {move || field_error(value, "lifetime").get().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
                </div>
                <Submit label="Save" busy_label="Saving…" pending=action.pending() />
            </ActionForm>
        </section>
    }
}

/// Partners: the code people use to ask for partner access, and whether their
/// access ends by itself after days without activity.
#[component]
fn PartnersCard(
    slug: Signal<String>,
    current: Option<i64>,
    action: ServerAction<SetPartnerInactivity>,
    code: Option<String>,
) -> impl IntoView {
    let value = action.value();
    view! {
        <section class="card" aria-labelledby="partners-heading">
            <h2 id="partners-heading">"Partners"</h2>
            <p>
                <a href=move || format!("/o/{}/partners", slug.get())>"Partner organizations"</a>
                " — ask another organization to partner, and answer its requests, under Partners."
            </p>
            <RequestCode slug code />
            <ActionForm action=action attr:aria-label="Partner inactivity">
                <FormAlert message=form_error(value) />
                <Notice when=succeeded(value) text="Saved." />
                <input type="hidden" name="slug" value=slug />
                <div class="field">
                    <label for="field-inactivity">"End a partner's access"</label>
                    <p class="hint" id="field-inactivity-hint">"Counted from their last activity here, their reactivation or this change, whichever is latest. They and the admins are told by email; an admin can reactivate them."</p>
                    <select id="field-inactivity" name="days" aria-describedby="field-inactivity-hint">
                        <option value="" selected=current.is_none()>"Never"</option>
                        {INACTIVITY_CHOICES.into_iter().map(|days| view! {
                            <option value=days.to_string() selected=current == Some(days)>{format!("After {days} days without activity")}</option>
                        }).collect_view()}
                    </select>
                    {move || field_error(value, "days").get().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
                </div>
                <Submit label="Save" busy_label="Saving…" pending=action.pending() />
            </ActionForm>
        </section>
    }
}

/// The partner request code: shown to admins, replaced on demand (the old
/// one stops working at once).
#[component]
fn RequestCode(slug: Signal<String>, code: Option<String>) -> impl IntoView {
    let code = RwSignal::new(code);
    let error = RwSignal::new(None::<String>);
    let draw = Callback::new(move |_| {
        leptos::task::spawn_local(async move {
            match new_partner_request_code(slug.get_untracked()).await {
                Ok(new) => {
                    error.set(None);
                    code.set(Some(new));
                }
                Err(e) => error.set(Some(e.to_string())),
            }
        });
    });
    view! {
        <div class="field request-code">
            <h3 id="request-code-heading">"Partner request code"</h3>
            <p class="hint">{move || format!("Someone you give this code to can ask for partner access from My organizations, with your organization's address ({}) or name. You approve or decline in Members → Access requests.", slug.get())}</p>
            {move || error.get().map(|m| view! { <div class="alert alert-error" role="alert">{m}</div> })}
            {move || match code.get() {
                Some(current) => view! {
                    <p><code class="code" aria-labelledby="request-code-heading">{current}</code></p>
                    <ConfirmButton
                        label="Create a new code"
                        name="Create a new partner request code"
                        question="Create a new code? The current one stops working at once; requests already sent stay."
                        confirm="Create new code"
                        on_confirm=draw
                    />
                }.into_any(),
                None => view! {
                    <p class="muted">"No code yet: nobody can ask for access."</p>
                    <button type="button" class="button" on:click=move |_| draw.run(())>"Create a code"</button>
                }.into_any(),
            }}
        </div>
    }
}

#[component]
fn SubAccountsCard(
    slug: Signal<String>,
    items: Vec<SubAccount>,
    action: ServerAction<CreateSubAccount>,
    on_change: Callback<()>,
) -> impl IntoView {
    let value = action.value();
    let error = RwSignal::new(None::<String>);
    let empty = items.is_empty();
    let run = move |result: Result<(), AppError>| match result {
        Ok(()) => {
            error.set(None);
            on_change.run(());
        }
        Err(e) => error.set(Some(e.message_for("name").unwrap_or_else(|| e.to_string()))),
    };
    view! {
        <section class="card" aria-labelledby="subs-heading">
            <h2 id="subs-heading">"Sub-accounts"</h2>
            <p class="muted">"Branches, clients or projects. Invitations and members can be limited to some of them."</p>
            {move || error.get().map(|m| view! { <div class="alert alert-error" role="alert">{m}</div> })}
            {empty.then(|| view! { <p class="empty">"No sub-accounts yet."</p> })}
            <ul class="sub-accounts">
                {items.into_iter().map(|sub| view! { <SubAccountRow slug sub run /> }).collect_view()}
            </ul>
            <ActionForm action=action attr:novalidate=true attr:aria-label="Add a sub-account">
                <FormAlert message=form_error(value) />
                <input type="hidden" name="slug" value=slug />
                <div class="field" class:field-invalid=move || field_error(value, "name").get().is_some()>
                    <label for="field-new-sub">"New sub-account"</label>
                    <input id="field-new-sub" name="name" required=true />
                    {move || field_error(value, "name").get().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
                </div>
                <Submit label="Add sub-account" busy_label="Adding…" pending=action.pending() />
            </ActionForm>
        </section>
    }
}

#[component]
fn SubAccountRow(
    slug: Signal<String>,
    sub: SubAccount,
    run: impl Fn(Result<(), AppError>) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let editing = RwSignal::new(false);
    let name = RwSignal::new(sub.name.clone());
    let id = sub.id;
    let archived = sub.archived;
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        leptos::task::spawn_local(async move {
            let result = rename_sub_account(slug.get_untracked(), id, name.get_untracked()).await;
            if result.is_ok() {
                editing.set(false);
            }
            run(result);
        });
    };
    let archive = Callback::new(move |_| {
        leptos::task::spawn_local(async move {
            run(set_sub_account_archived(slug.get_untracked(), id, !archived).await);
        });
    });
    let label = sub.name.clone();
    view! {
        <li class="sub-account" class:archived=archived>
            {move || if editing.get() {
                view! {
                    <form class="inline-form" on:submit=save aria-label=format!("Rename {label}")>
                        <label class="visually-hidden" for=format!("rename-{id}")>"Name"</label>
                        <input id=format!("rename-{id}") prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) />
                        <button type="submit" class="button button-primary">"Save"</button>
                        <button type="button" class="button" on:click=move |_| editing.set(false)>"Cancel"</button>
                    </form>
                }.into_any()
            } else {
                view! {
                    <span class="sub-name">{sub.name.clone()}{archived.then_some(" (archived)")}</span>
                    <span class="muted">" since "{date(sub.created_at)}</span>
                    <span class="actions">
                        <button type="button" class="button" aria-label=format!("Rename {}", sub.name) on:click=move |_| editing.set(true)>"Rename"</button>
                        {if archived {
                            view! { <button type="button" class="button" aria-label=format!("Restore {}", sub.name) on:click=move |_| archive.run(())>"Restore"</button> }.into_any()
                        } else {
                            view! { <ConfirmButton label="Archive" name=format!("Archive {}", sub.name)
                                question=format!("Archive {}? It can no longer be chosen for new invitations.", sub.name)
                                confirm="Archive" on_confirm=archive /> }.into_any()
                        }}
                    </span>
                }.into_any()
            }}
        </li>
    }
}

/// Owners delete the organization after typing its name.
#[component]
fn DeleteOrganizationCard(slug: Signal<String>, name: String) -> impl IntoView {
    let typed = RwSignal::new(String::new());
    let result = RwSignal::new(None::<AppError>);
    let pending = RwSignal::new(false);
    let navigate = use_navigate();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        pending.set(true);
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            match delete_organization(slug.get_untracked(), typed.get_untracked()).await {
                Ok(()) => navigate("/", Default::default()),
                Err(e) => {
                    pending.set(false);
                    result.set(Some(e));
                }
            }
        });
    };
    let field = Signal::derive(move || {
        result.with(|r| r.as_ref().and_then(|e| e.message_for("confirm_name")))
    });
    let form = Signal::derive(move || result.with(|r| r.as_ref().and_then(AppError::form_message)));
    view! {
        <section class="card danger-zone" aria-labelledby="delete-org-heading">
            <h2 id="delete-org-heading">"Delete this organization"</h2>
            <p>"Deleting "<strong>{name.clone()}</strong>" removes it for everyone: its members and partners lose access, open invitations stop working, and its sub-accounts, billing details, seat history and audit log are erased. This cannot be undone."</p>
            <form on:submit=submit aria-label="Delete this organization" novalidate=true>
                <FormAlert message=form />
                <div class="field" class:field-invalid=move || field.with(Option::is_some)>
                    <label for="field-confirm-name">{format!("Type “{name}” to confirm")}</label>
                    <input id="field-confirm-name" name="confirm_name" autocomplete="off"
                        aria-invalid=move || field.with(Option::is_some).to_string()
                        on:input=move |ev| typed.set(event_target_value(&ev)) />
                    {move || field.get().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
                </div>
                <button type="submit" class="button button-danger" disabled=move || pending.get()>
                    {move || if pending.get() { "Deleting…" } else { "Delete organization" }}
                </button>
            </form>
        </section>
    }
}
