//! `/organizations`: My organizations — every organization the signed-in person
//! belongs to (name, role, kind, access end) and the invitations waiting for
//! their address, each accepted or declined right here.

use crate::components::confirm::ConfirmButton;
use crate::components::error_panel::ErrorPanel;
use crate::components::form::{Submit, form_error};
use crate::domain::account::{MyOrganizations, OrganizationSummary, WaitingInvitation};
use crate::domain::role::MemberStatus;
use crate::domain::time::{date, date_time};
use crate::server::auth::LogOut;
use crate::server::my_organizations::{
    AcceptWaitingInvitation, decline_invitation, list_my_organizations,
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
    } = data;
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
            <div class="page-head">
                <h1>"My organizations"</h1>
            </div>
            {move || notice.get().map(|text| view! { <div class="alert alert-info" role="status">{text}</div> })}
            <Invitations invitations notice />
            <Organizations organizations notice />
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
) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="organizations-heading">
            <h2 id="organizations-heading">"Your organizations"</h2>
            {if organizations.is_empty() {
                view! {
                    <div class="empty">
                        <p>"You are not a member of any organization right now."</p>
                        <p class="muted">"When an organization invites you, the invitation appears here and in your email."</p>
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
