//! `/organizations`: My organizations — every organization the signed-in person
//! belongs to (name, role, kind, access end) and the invitations waiting for
//! their address, each accepted or declined right here.

use crate::components::confirm::ConfirmButton;
use crate::components::create_organization::CreateOrganizationForm;
use crate::components::error_panel::ErrorPanel;
use crate::components::form::{Submit, form_error};

use crate::components::access_fields::ModuleChecks;
use crate::components::form::FormAlert;
use crate::domain::access_request::{AccessProposal, MESSAGE_MAX, SentRequest};
use crate::domain::account::{MyOrganizations, OrganizationSummary, WaitingInvitation};
use crate::domain::module::Module;
use crate::domain::role::{MemberStatus, MembershipKind, Role};
use crate::domain::time::{date, date_time};
use crate::error::AppError;
use crate::server::auth::LogOut;
use crate::server::my_organizations::{
    AcceptWaitingInvitation, decline_invitation, list_my_organizations, request_access,
};
use crate::server::organization::leave_organization;
use leptos::prelude::*;
use leptos_meta::Title;

lazy_page!(MyOrganizationsRoute, MyOrganizationsPage);

#[component]
pub fn MyOrganizationsPage() -> impl IntoView {
    // Declining or leaving says so and refetches the list; the notice outlives the refetch.
    let notice = RwSignal::new(None::<String>);
    let data = Resource::new(move || notice.get(), |_| list_my_organizations());
    view! {
        <Title text="My organizations · Consort" />
        <a class="skip-link" href="#main">"Skip to content"</a>
        // A transition: declining refetches without blanking the page.
        <Transition fallback=|| view! { <p class="loading" role="status">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(data) => view! { <Overview data notice /> }.into_any(),
                    Err(error) => view! { <main class="page" id="main"><ErrorPanel error /></main> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Overview(data: MyOrganizations, notice: RwSignal<Option<String>>) -> impl IntoView {
    let log_out = ServerAction::<LogOut>::new();
    let MyOrganizations {
        viewer,
        organizations,
        invitations,
        requests,
    } = data;
    let asking = RwSignal::new(false);
    let creating = RwSignal::new(false);
    // A person is a team member of one organization at most: only someone who
    // is one nowhere can create one.
    let may_create = !organizations.iter().any(|o| o.kind == MembershipKind::Team);
    view! {
        <header class="topbar">
            <a class="brand" href="/">"Consort"</a>
            <nav class="topnav topnav-end" aria-label="Account">
                <span class="muted">{viewer.email.clone()}</span>
                <ActionForm action=log_out>
                    <button type="submit" class="link-button">"Log out"</button>
                </ActionForm>
            </nav>
        </header>
        <main class="page" id="main">
            <div class="page-head page-head-row">
                <h1>"My organizations"</h1>
                <div class="page-head-actions">
                    {may_create.then(|| view! {
                        <button type="button" class="button" aria-expanded=move || creating.get().to_string()
                            aria-controls="create-organization" on:click=move |_| creating.update(|open| *open = !*open)>
                            "Create an organization"
                        </button>
                    })}
                    <button type="button" class="button" aria-expanded=move || asking.get().to_string()
                        aria-controls="request-access" on:click=move |_| asking.update(|open| *open = !*open)>
                        "Request access"
                    </button>
                </div>
            </div>
            {move || notice.get().map(|text| view! { <div class="alert alert-info" role="status">{text}</div> })}
            {move || creating.get().then(|| view! { <CreateOrganizationForm open=creating /> })}
            {move || asking.get().then(|| view! { <RequestAccess open=asking notice /> })}
            <Invitations invitations notice />
            <SentRequests requests />
            <Organizations organizations notice may_create />
        </main>
    }
}

#[component]
fn Invitations(
    invitations: Vec<WaitingInvitation>,
    notice: RwSignal<Option<String>>,
) -> impl IntoView {
    if invitations.is_empty() {
        return ().into_any();
    }
    view! {
        <section class="card" aria-labelledby="invitations-heading">
            <h2 id="invitations-heading">"Invitations for you"</h2>
            <ul class="org-cards">
                {invitations
                    .into_iter()
                    .map(|invitation| view! { <InvitationItem invitation notice /> })
                    .collect_view()}
            </ul>
        </section>
    }
    .into_any()
}

#[component]
fn InvitationItem(
    invitation: WaitingInvitation,
    notice: RwSignal<Option<String>>,
) -> impl IntoView {
    let accept = ServerAction::<AcceptWaitingInvitation>::new();
    let accept_error = form_error(accept.value());
    let decline_error = RwSignal::new(None::<String>);
    let organization = invitation.organization.clone();
    let id = invitation.id;
    let decline = Callback::new(move |_| {
        let organization = organization.clone();
        leptos::task::spawn_local(async move {
            match decline_invitation(id).await {
                Ok(()) => notice.set(Some(format!(
                    "You declined the invitation to {organization}. The person who invited you has been told."
                ))),
                Err(e) => decline_error.set(Some(e.to_string())),
            }
        });
    });
    let inviter = invitation
        .inviter
        .clone()
        .unwrap_or_else(|| "Someone".to_string());
    let as_what = format!("a {}", invitation.kind.noun());
    let name = invitation.organization.clone();
    view! {
        <li class="org-card" aria-label=format!("Invitation to {name}")>
            <div class="org-card-main">
                <h3>{name.clone()}</h3>
                <p>
                    {inviter}" invited you as "{as_what}", role "{invitation.role.label()}"."
                </p>
                <p class="muted">
                    {invitation.access_until.map(|day| format!("Access until {} · ", date(day)))}
                    "Invitation expires "{date_time(invitation.expires_at)}
                </p>
                {move || accept_error.get().or_else(|| decline_error.get()).map(|m| view! {
                    <div class="alert alert-error" role="alert">{m}</div>
                })}
            </div>
            <div class="org-card-actions">
                <ActionForm action=accept attr:aria-label=format!("Accept the invitation to {name}")>
                    <input type="hidden" name="id" value=invitation.id.to_string() />
                    <Submit label="Accept" busy_label="Joining…" pending=accept.pending() />
                </ActionForm>
                <ConfirmButton
                    label="Decline"
                    name=format!("Decline the invitation to {name}")
                    question=format!("Decline the invitation to {name}? They will be told; they can invite you again later.")
                    confirm="Decline"
                    on_confirm=decline
                />
            </div>
        </li>
    }
}

#[component]
fn Organizations(
    organizations: Vec<OrganizationSummary>,
    notice: RwSignal<Option<String>>,
    may_create: bool,
) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="organizations-heading">
            <h2 id="organizations-heading">"Your organizations"</h2>
            {if organizations.is_empty() {
                view! {
                    <div class="empty">
                        <p>"You are not a member of any organization right now."</p>
                        <p class="muted">"When an organization invites you, the invitation appears here and in your email."</p>
                        {may_create.then(|| view! {
                            <p class="muted">"To run your own, choose Create an organization."</p>
                        })}
                    </div>
                }.into_any()
            } else {
                view! {
                    <ul class="org-cards">
                        {organizations.into_iter().map(|o| view! { <OrganizationItem o notice /> }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn OrganizationItem(o: OrganizationSummary, notice: RwSignal<Option<String>>) -> impl IntoView {
    let active = o.status == MemberStatus::Active;
    let state = match (active, o.access_until) {
        (true, Some(day)) => format!("Access until {}", date(day)),
        (true, None) => "Active".to_string(),
        (false, Some(day)) => format!("No access · end date {}", date(day)),
        (false, None) => "No access · deactivated".to_string(),
    };
    let error = RwSignal::new(None::<String>);
    let (slug, name) = (o.slug.clone(), o.name.clone());
    let leave = Callback::new(move |_| {
        let (slug, name) = (slug.clone(), name.clone());
        leptos::task::spawn_local(async move {
            match leave_organization(slug).await {
                Ok(()) => notice.set(Some(format!("You left {name}."))),
                Err(e) => error.set(Some(e.to_string())),
            }
        });
    });
    view! {
        <li class="org-card" class:inactive=!active>
            <div class="org-card-main">
                <h3>
                    {if active {
                        view! { <a href=format!("/o/{}", o.slug)>{o.name.clone()}</a> }.into_any()
                    } else {
                        view! { <span>{o.name.clone()}</span> }.into_any()
                    }}
                </h3>
                <p>{format!("{} · {}", o.kind.label(), o.role.label())}</p>
                <p class="muted">{state}</p>
                {move || error.get().map(|m| view! { <div class="alert alert-error" role="alert">{m}</div> })}
            </div>
            {active.then(|| view! {
                <div class="org-card-actions">
                    <ConfirmButton
                        label="Leave"
                        name=format!("Leave {}", o.name)
                        question=format!("Leave {}? You lose access at once; to come back you need a new invitation.", o.name)
                        confirm="Leave"
                        on_confirm=leave
                    />
                </div>
            })}
        </li>
    }
}

/// Asks an organization for partner access with its request code.
#[component]
fn RequestAccess(open: RwSignal<bool>, notice: RwSignal<Option<String>>) -> impl IntoView {
    let organization = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let role = RwSignal::new(Role::User);
    let modules = RwSignal::new(Vec::<Module>::new());
    let all_sub_accounts = RwSignal::new(false);
    let message = RwSignal::new(String::new());
    let result = RwSignal::new(None::<AppError>);
    let pending = RwSignal::new(false);
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        pending.set(true);
        let proposal = AccessProposal {
            organization: organization.get_untracked(),
            code: code.get_untracked(),
            role: role.get_untracked(),
            modules: modules.with_untracked(|m| m.iter().map(|m| m.as_str().to_string()).collect()),
            all_sub_accounts: all_sub_accounts.get_untracked(),
            message: message.get_untracked(),
        };
        leptos::task::spawn_local(async move {
            let outcome = request_access(proposal).await;
            pending.set(false);
            match outcome {
                Ok(name) => {
                    open.set(false);
                    notice.set(Some(format!(
                        "Request sent to {name}. Its admins have been told; you will get an email when they answer."
                    )));
                }
                Err(e) => result.set(Some(e)),
            }
        });
    };
    let error = move |field: &'static str| {
        move || {
            result
                .with(|r| r.as_ref().and_then(|e| e.message_for(field)))
                .map(|m| view! { <p class="field-error" role="alert">{m}</p> })
        }
    };
    let invalid = move |field: &'static str| {
        move || result.with(|r| r.as_ref().is_some_and(|e| e.message_for(field).is_some()))
    };
    let form_error =
        Signal::derive(move || result.with(|r| r.as_ref().and_then(AppError::form_message)));
    let admin = move || role.get() == Role::Admin;
    view! {
        <section class="card" id="request-access" aria-labelledby="request-access-heading">
            <h2 id="request-access-heading">"Request access"</h2>
            <p class="muted">"Ask an organization to let you work in it as a partner. Its admins give you its partner request code; they see what you ask for and decide."</p>
            <form on:submit=send aria-label="Request access" novalidate=true>
                <FormAlert message=form_error />
                <div class="grid-2">
                    <div class="field" class:field-invalid=invalid("organization")>
                        <label for="ra-organization">"Organization's address or name"</label>
                        <input id="ra-organization" autocomplete="off" placeholder="acme"
                            on:input=move |ev| organization.set(event_target_value(&ev)) />
                        {error("organization")}
                    </div>
                    <div class="field" class:field-invalid=invalid("code")>
                        <label for="ra-code">"Partner request code"</label>
                        <input id="ra-code" autocomplete="off" spellcheck="false" placeholder="ABCDE-FGH23"
                            on:input=move |ev| code.set(event_target_value(&ev)) />
                        {error("code")}
                    </div>
                </div>
                <div class="field">
                    <label for="ra-role">"Role you ask for"</label>
                    <select id="ra-role" on:change=move |ev| role.set(Role::parse(&event_target_value(&ev)).unwrap_or(Role::User))>
                        {[Role::User, Role::BillingAdmin, Role::Admin].into_iter().map(|r| view! {
                            <option value=r.as_str() selected=r == Role::User>{r.label()}</option>
                        }).collect_view()}
                    </select>
                    {error("role")}
                </div>
                <ModuleChecks modules everything=Signal::derive(admin)
                    error=Signal::derive(move || result.with(|r| r.as_ref().and_then(|e| e.message_for("modules")))) />
                <fieldset class="checks">
                    <legend>"Sub-accounts"</legend>
                    <label><input type="radio" name="ra-subs" checked=move || !all_sub_accounts.get() on:change=move |_| all_sub_accounts.set(false) />" Only the ones the admins choose"</label>
                    <label><input type="radio" name="ra-subs" checked=move || all_sub_accounts.get() on:change=move |_| all_sub_accounts.set(true) />" All sub-accounts"</label>
                </fieldset>
                <div class="field" class:field-invalid=invalid("message")>
                    <label for="ra-message">"Message to the admins (optional)"</label>
                    <textarea id="ra-message" rows="3" maxlength=MESSAGE_MAX.to_string()
                        on:input=move |ev| message.set(event_target_value(&ev))></textarea>
                    {error("message")}
                </div>
                <div class="form-actions">
                    <button type="submit" class="button button-primary" disabled=move || pending.get()>
                        {move || if pending.get() { "Sending…" } else { "Send request" }}
                    </button>
                    <button type="button" class="button" on:click=move |_| open.set(false)>"Cancel"</button>
                </div>
            </form>
        </section>
    }
}

/// The person's requests still waiting for an answer.
#[component]
fn SentRequests(requests: Vec<SentRequest>) -> impl IntoView {
    (!requests.is_empty()).then(|| view! {
        <section class="card" aria-labelledby="sent-requests-heading">
            <h2 id="sent-requests-heading">"Your requests"</h2>
            <ul class="plain-list">
                {requests.into_iter().map(|r| view! {
                    <li>
                        <strong>{r.organization}</strong>
                        {format!(" — {} asked {}; waiting for its admins.", r.role.label(), date_time(r.requested_at))}
                    </li>
                }).collect_view()}
            </ul>
        </section>
    })
}
