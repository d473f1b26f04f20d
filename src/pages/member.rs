//! `/o/:slug/members/:user_id`: one member — what they can do, their role,
//! modules and sub-accounts, and deactivate, reactivate or remove (admins).

use super::org_layout::ShellResource;
use crate::components::access_end::{AccessEndCard, ReactivatePartner};
use crate::components::access_fields::{AccessDraft, AccessFields};
use crate::components::confirm::ConfirmButton;
use crate::components::error_panel::LoadError;
use crate::components::form::FormAlert;
use crate::components::list::Outcome;
use crate::domain::member::{AccessChange, MemberDetail};
use crate::domain::policy::may_grant_role;
use crate::domain::role::{MemberStatus, MembershipKind, Role};
use crate::domain::sub_account::SubAccount;
use crate::domain::time::date;
use crate::error::AppError;
use crate::server::members::{
    change_member_kind, load_member, remove_member, set_member_active, transfer_ownership,
    update_member_access,
};
use crate::server::settings::load_settings;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map};
use uuid::Uuid;

lazy_page!(MemberRoute, MemberPage);

#[component]
pub fn MemberPage() -> impl IntoView {
    let params = use_params_map();
    let slug = Signal::derive(move || params.read().get("slug").unwrap_or_default());
    let user_id = Signal::derive(move || {
        params
            .read()
            .get("user_id")
            .and_then(|id| Uuid::parse_str(&id).ok())
            .unwrap_or_default()
    });
    let shell = expect_context::<ShellResource>();
    let member = Resource::new(
        move || (slug.get(), user_id.get()),
        |(s, u)| load_member(s, u),
    );
    let settings = Resource::new(move || slug.get(), load_settings);
    // Lives above the data, so the outcome of an action survives the refetch it causes.
    let status = RwSignal::new(None::<Result<String, String>>);
    view! {
        <Title text="Member · Consort" />
        <p class="breadcrumb"><a href=move || format!("/o/{}/members", slug.get())>"← Members"</a></p>
        <Transition fallback=|| view! { <p class="loading" role="status">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let viewer = shell.await.map(|s| s.organization.your_role).unwrap_or(Role::User);
                let subs = settings.await.map(|s| s.sub_accounts).unwrap_or_default();
                match member.await {
                    Ok(detail) => view! {
                        <Member detail subs viewer slug status on_change=Callback::new(move |_| member.refetch()) />
                    }.into_any(),
                    Err(error) => view! { <LoadError error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Member(
    detail: MemberDetail,
    subs: Vec<SubAccount>,
    viewer: Role,
    slug: Signal<String>,
    status: RwSignal<Option<Result<String, String>>>,
    on_change: Callback<()>,
) -> impl IntoView {
    let navigate = use_navigate();
    let (id, version, name) = (detail.user_id, detail.version, detail.name.clone());
    let active = detail.status == MemberStatus::Active;
    let report = move |result: Result<(), AppError>, done: String| {
        status.set(Some(result.map(|_| done).map_err(|e| e.to_string())));
        on_change.run(());
    };
    let toggle_name = name.clone();
    let toggle = Callback::new(move |_| {
        let name = toggle_name.clone();
        leptos::task::spawn_local(async move {
            let done = if active {
                format!("{name} was deactivated.")
            } else {
                format!("{name} was reactivated.")
            };
            report(
                set_member_active(slug.get_untracked(), id, !active, version, None).await,
                done,
            );
        });
    });
    let remove = Callback::new(move |_| {
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            match remove_member(slug.get_untracked(), id, version).await {
                Ok(()) => navigate(
                    &format!("/o/{}/members", slug.get_untracked()),
                    Default::default(),
                ),
                Err(e) => status.set(Some(Err(e.to_string()))),
            }
        });
    });
    let partner = detail.kind == MembershipKind::Partner;
    // A partner is deleted ("Delete user", as the seeds say); a team member removed.
    let removal = if partner {
        (
            "Delete user",
            format!(
                "Delete {name}? Their partner access to this organization ends at once and cannot be undone; they are told by email. You can invite them again later (within 90 days with the same access)."
            ),
        )
    } else {
        (
            "Remove",
            format!(
                "Remove {name} from this organization? They lose access at once; you can invite them again later (within 90 days with the same access)."
            ),
        )
    };
    let until = detail
        .access_until
        .map(|day| format!(" · access until {}", date(day)))
        .unwrap_or_default();
    let org_facts = format!(
        "{} · {} · joined {}{until}",
        detail.role.label(),
        detail.kind.label(),
        date(detail.joined_at)
    );
    let manages = !detail.is_you
        && viewer.rank() >= Role::Admin.rank()
        && (detail.role != Role::Owner || viewer == Role::Owner);
    view! {
        <div class="page-head">
            <h1>{detail.name.clone()}{detail.is_you.then_some(" (you)")}</h1>
            <p class="muted">{detail.email.clone()}" · "{org_facts}</p>
            {(!active).then(|| view! { <p><span class="badge badge-expired">"Deactivated"</span></p> })}
        </div>
        <Outcome notice=status />
        <div class="grid-2">
            <section class="card" aria-labelledby="can-heading">
                <h2 id="can-heading">"What this person can do"</h2>
                <p class="muted">"From the role "{detail.role.label()}" and the modules granted on top of it."</p>
                <h3>"Modules"</h3>
                {if detail.effective_modules.is_empty() {
                    view! { <p>"No modules: only the organization's overview."</p> }.into_any()
                } else {
                    view! { <ul class="plain-list">{detail.effective_modules.iter().map(|m| view! { <li>{m.label()}</li> }).collect_view()}</ul> }.into_any()
                }}
                <h3>"Sub-accounts"</h3>
                {if detail.sub_accounts.is_none() {
                    view! { <p>"All sub-accounts"{(!detail.effective_sub_accounts.is_empty()).then(|| format!(": {}", detail.effective_sub_accounts.join(", ")))}"."</p> }.into_any()
                } else if detail.effective_sub_accounts.is_empty() {
                    view! { <p>"None."</p> }.into_any()
                } else {
                    view! { <ul class="plain-list">{detail.effective_sub_accounts.iter().map(|s| view! { <li>{s.clone()}</li> }).collect_view()}</ul> }.into_any()
                }}
                {(!active).then(|| view! { <p class="alert alert-warning">"Deactivated: nothing, until reactivated."</p> })}
            </section>
            <AccessForm detail=detail.clone() subs viewer slug on_saved=Callback::new(move |_| report(Ok(()), "Saved.".into())) />
        </div>
        {(viewer == Role::Owner && !detail.is_you && active && detail.role != Role::Owner).then(|| view! {
            <OwnershipCard name=name.clone() id version slug status on_change />
        })}
        {(manages && partner).then(|| view! {
            <AccessEndCard name=name.clone() id version access_until=detail.access_until
                access_ended=detail.access_ended slug status on_change />
        })}
        {manages.then(|| view! {
            <KindCard name=name.clone() kind=detail.kind id version slug status on_change />
        })}
        {(!detail.is_you).then(|| view! {
            <section class="card danger-zone" aria-labelledby="status-heading">
                <h2 id="status-heading">"Access to the organization"</h2>
                <div class="actions">
                    {(partner && !active).then(|| view! {
                        <ReactivatePartner name=name.clone() id version slug status on_change />
                    })}
                    {(!partner || active).then(|| view! { <ConfirmButton
                        label=if active { "Deactivate" } else { "Reactivate" }
                        name=format!("{} {name}", if active { "Deactivate" } else { "Reactivate" })
                        question=if active {
                            format!("Deactivate {name}? They keep their membership but cannot open this organization until reactivated; their open sessions stop working here at once.")
                        } else {
                            format!("Reactivate {name}? They get back the access shown above.")
                        }
                        confirm=if active { "Deactivate" } else { "Reactivate" }
                        harmless=!active
                        on_confirm=toggle
                    /> })}
                    <ConfirmButton
                        label=removal.0
                        name=format!("{} {name}", removal.0)
                        question=removal.1
                        confirm=removal.0
                        on_confirm=remove
                    />
                </div>
            </section>
        })}
    }
}

#[component]
fn AccessForm(
    detail: MemberDetail,
    subs: Vec<SubAccount>,
    viewer: Role,
    slug: Signal<String>,
    on_saved: Callback<()>,
) -> impl IntoView {
    let draft = AccessDraft::new(
        detail.role,
        detail.granted.clone(),
        detail.sub_accounts.clone(),
    );
    let result = RwSignal::new(None::<Result<(), AppError>>);
    let pending = RwSignal::new(false);
    let (id, version) = (detail.user_id, detail.version);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        pending.set(true);
        let change = AccessChange {
            role: draft.role.get_untracked(),
            modules: draft.module_names(),
            sub_accounts: draft.sub_accounts(),
            version,
        };
        leptos::task::spawn_local(async move {
            let outcome = update_member_access(slug.get_untracked(), id, change).await;
            pending.set(false);
            let ok = outcome.is_ok();
            result.set(Some(outcome));
            if ok {
                on_saved.run(());
            }
        });
    };
    let failure = move || result.with(|r| r.as_ref().and_then(|r| r.as_ref().err()).cloned());
    let error_for =
        Callback::new(move |field: &'static str| failure().and_then(|e| e.message_for(field)));
    let form_error = Signal::derive(move || failure().and_then(|e| e.form_message()));
    let editable_owner = detail.role != Role::Owner || viewer == Role::Owner;
    let roles = Role::ALL
        .into_iter()
        .filter(|r| may_grant_role(viewer, *r) || *r == detail.role)
        .collect();
    view! {
        <section class="card" aria-labelledby="access-heading">
            <h2 id="access-heading">"Role and permissions"</h2>
            <form on:submit=save aria-label="Role and permissions">
                <FormAlert message=form_error />
                <AccessFields draft prefix="member".to_string() roles role_locked=!editable_owner subs error_for />
                <button type="submit" class="button button-primary" disabled=move || pending.get()>
                    {move || if pending.get() { "Saving…" } else { "Save changes" }}
                </button>
            </form>
        </section>
    }
}

/// Team member or partner: admins switch one for the other, keeping the access.
#[component]
fn KindCard(
    name: String,
    kind: MembershipKind,
    id: Uuid,
    version: i64,
    slug: Signal<String>,
    status: RwSignal<Option<Result<String, String>>>,
    on_change: Callback<()>,
) -> impl IntoView {
    let other = match kind {
        MembershipKind::Team => MembershipKind::Partner,
        MembershipKind::Partner => MembershipKind::Team,
    };
    let done = format!("{name} is now a {}.", other.noun());
    let switch = Callback::new(move |_| {
        let done = done.clone();
        leptos::task::spawn_local(async move {
            let result = change_member_kind(slug.get_untracked(), id, other, version).await;
            status.set(Some(result.map(|_| done).map_err(|e| e.to_string())));
            on_change.run(());
        });
    });
    let (label, question) = match other {
        MembershipKind::Partner => (
            "Make partner",
            format!(
                "Make {name} a partner? They keep their role and permissions here, and become free to be a team member of their own organization. They are told by email."
            ),
        ),
        MembershipKind::Team => (
            "Make team member",
            format!(
                "Make {name} a team member? They keep their role and permissions. A person can be a team member of only one organization, so this is refused if they are one elsewhere. They are told by email."
            ),
        ),
    };
    view! {
        <section class="card" aria-labelledby="kind-heading">
            <h2 id="kind-heading">"Kind of membership"</h2>
            <p class="muted">{format!("{name} is a {} of this organization. ", kind.noun())}"A team member belongs to one organization; a partner (an accountant, a designer, an agency) can belong to several."</p>
            <div class="actions">
                <ConfirmButton label=label name=format!("{label}: {name}") question confirm=label on_confirm=switch />
            </div>
        </section>
    }
}

/// Owners make another active member owner, and may step down to admin with it.
#[component]
fn OwnershipCard(
    name: String,
    id: Uuid,
    version: i64,
    slug: Signal<String>,
    status: RwSignal<Option<Result<String, String>>>,
    on_change: Callback<()>,
) -> impl IntoView {
    let shell = expect_context::<ShellResource>();
    let make = move |step_down: bool, done: String| {
        Callback::new(move |_| {
            let done = done.clone();
            leptos::task::spawn_local(async move {
                let result = transfer_ownership(slug.get_untracked(), id, version, step_down).await;
                let ok = result.is_ok();
                status.set(Some(result.map(|_| done).map_err(|e| e.to_string())));
                if ok && step_down {
                    // The viewer's own role changed: the navigation follows.
                    shell.refetch();
                }
                on_change.run(());
            });
        })
    };
    let everything = "They get every module and sub-account, and can manage, transfer and delete the organization.";
    view! {
        <section class="card" aria-labelledby="ownership-heading">
            <h2 id="ownership-heading">"Ownership"</h2>
            <p class="muted">"Owners hold the organization. It always has at least one active owner."</p>
            <div class="actions">
                <ConfirmButton
                    label="Make owner"
                    name=format!("Make owner: {name}")
                    question=format!("Make {name} an owner? {everything} You stay an owner too.")
                    confirm="Make owner"
                    on_confirm=make(false, format!("{name} is now an owner."))
                />
                <ConfirmButton
                    label="Transfer ownership"
                    name=format!("Transfer ownership to {name}")
                    question=format!("Transfer ownership to {name}? {everything} You become an admin.")
                    confirm="Transfer ownership"
                    on_confirm=make(true, format!("{name} is now an owner, and you are an admin."))
                />
            </div>
        </section>
    }
}
