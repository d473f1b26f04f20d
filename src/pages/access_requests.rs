//! `/o/:slug/members/requests`: requests for partner access from people who
//! have the organization's partner request code. Owners and admins change the
//! access asked for, then approve or decline.

use crate::components::access_fields::{AccessDraft, AccessFields};
use crate::components::confirm::ConfirmButton;
use crate::components::error_panel::LoadError;
use crate::components::form::FormAlert;
use crate::components::member_tabs::{MembersHead, MembersTab};
use crate::domain::access_request::{AccessGrant, AccessRequestView};
use crate::domain::module;
use crate::domain::policy::may_grant_role;
use crate::domain::role::Role;
use crate::domain::sub_account::SubAccount;
use crate::domain::time::date_time;
use crate::error::AppError;
use crate::server::access_requests::{
    approve_access_request, decline_access_request, list_access_requests,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

lazy_page!(AccessRequestsRoute, AccessRequestsPage);

#[component]
pub fn AccessRequestsPage() -> impl IntoView {
    let params = use_params_map();
    let slug = Signal::derive(move || params.read().get("slug").unwrap_or_default());
    let requests = Resource::new(move || slug.get(), list_access_requests);
    let notice = RwSignal::new(None::<String>);
    let refresh = Callback::new(move |_| requests.refetch());
    let answered = Callback::new(move |text: String| {
        notice.set(Some(text));
        requests.refetch();
    });
    view! {
        <Title text="Access requests · Consort" />
        <MembersHead current=MembersTab::Requests can_invite=true on_sent=refresh />
        <p class="muted">"People who have your partner request code (Settings → Partners) ask to work here as partners. Change what they asked for if you like, then approve or decline; they are told by email."</p>
        {move || notice.get().map(|text| view! { <div class="alert alert-info" role="status">{text}</div> })}
        <Transition fallback=|| view! { <p class="loading" role="status">"Loading requests…"</p> }>
            {move || Suspend::new(async move {
                match requests.await {
                    Ok(data) if data.requests.is_empty() => view! {
                        <div class="empty card">
                            <p>"No requests are waiting."</p>
                            <p class="muted">"Give people your partner request code from Settings → Partners; what they ask for appears here."</p>
                        </div>
                    }.into_any(),
                    Ok(data) => {
                        let roles: Vec<Role> = [Role::Admin, Role::BillingAdmin, Role::User]
                            .into_iter()
                            .filter(|r| may_grant_role(data.your_role, *r))
                            .collect();
                        view! {
                            <ul class="request-cards">
                                {data.requests.into_iter().map(|request| view! {
                                    <RequestCard request slug roles=roles.clone() subs=data.sub_accounts.clone() answered />
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }
                    Err(error) => view! { <LoadError error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn RequestCard(
    request: AccessRequestView,
    slug: Signal<String>,
    roles: Vec<Role>,
    subs: Vec<SubAccount>,
    answered: Callback<String>,
) -> impl IntoView {
    let draft = AccessDraft::new(
        request.role,
        request.modules.clone(),
        // Asked for some: the admin ticks which (with none to tick, all it is).
        (!request.all_sub_accounts && !subs.is_empty()).then(Vec::new),
    );
    let access_until = RwSignal::new(String::new());
    let result = RwSignal::new(None::<AppError>);
    let pending = RwSignal::new(false);
    let id = request.id;
    let name = request.name.clone();
    let approve = {
        let name = name.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            pending.set(true);
            let grant = AccessGrant {
                role: draft.role.get_untracked(),
                modules: draft.module_names(),
                sub_accounts: draft.sub_accounts(),
                access_until: access_until.get_untracked(),
            };
            let name = name.clone();
            leptos::task::spawn_local(async move {
                let outcome = approve_access_request(slug.get_untracked(), id, grant).await;
                pending.set(false);
                match outcome {
                    Ok(()) => answered.run(format!(
                        "{name} is now a partner here. They have been told by email."
                    )),
                    Err(e) => result.set(Some(e)),
                }
            });
        }
    };
    let decline = {
        let name = name.clone();
        Callback::new(move |_| {
            let name = name.clone();
            leptos::task::spawn_local(async move {
                match decline_access_request(slug.get_untracked(), id).await {
                    Ok(()) => answered.run(format!(
                        "You declined the request from {name}. They have been told by email."
                    )),
                    Err(e) => result.set(Some(e)),
                }
            });
        })
    };
    let error_for = Callback::new(move |field: &'static str| {
        result.with(|r| r.as_ref().and_then(|e| e.message_for(field)))
    });
    let form_error =
        Signal::derive(move || result.with(|r| r.as_ref().and_then(AppError::form_message)));
    let asked = format!(
        "Asked for {}{} · {}",
        request.role.label(),
        if request.modules.is_empty() {
            String::new()
        } else {
            format!(" with {}", module::labels(&request.modules).join(", "))
        },
        if request.all_sub_accounts {
            "all sub-accounts"
        } else {
            "the sub-accounts you choose"
        },
    );
    let until_id = format!("req-{id}-until");
    view! {
        <li class="card request-card" aria-label=format!("Request from {name}")>
            <div class="request-who">
                <h2>{name.clone()}</h2>
                <p class="muted">{request.email.clone()}" · asked "{date_time(request.requested_at)}</p>
                <p>{asked}</p>
                {(!request.message.is_empty()).then(|| view! {
                    <blockquote class="request-message">{request.message.clone()}</blockquote>
                })}
            </div>
            <form on:submit=approve aria-label=format!("Access for {name}") novalidate=true>
                <FormAlert message=form_error />
                <AccessFields draft prefix=format!("req-{id}") roles subs error_for />
                <div class="field">
                    <label for=until_id.clone()>"Access until (optional)"</label>
                    <input id=until_id type="date" on:input=move |ev| access_until.set(event_target_value(&ev)) />
                    {move || error_for.run("access_until").map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
                </div>
                <div class="form-actions">
                    <button type="submit" class="button button-primary" disabled=move || pending.get()
                        aria-label=format!("Approve {name}")>
                        {move || if pending.get() { "Approving…" } else { "Approve" }}
                    </button>
                    <ConfirmButton
                        label="Decline"
                        name=format!("Decline the request from {name}")
                        question=format!("Decline {name}'s request? They are told by email and may ask again later.")
                        confirm="Decline"
                        on_confirm=decline
                    />
                </div>
            </form>
        </li>
    }
}
