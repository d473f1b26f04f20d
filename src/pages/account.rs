//! `/o/:slug/account`: Account settings — profile, password, the organization
//! information tile (with the organization switcher) and recent activity.

use super::org_layout::ShellResource;
use crate::components::confirm::ConfirmButton;
use crate::components::form::{
    Field, FormAlert, Notice, Submit, field_error, form_error, succeeded,
};
use crate::domain::account::OrganizationShell;
use crate::domain::role::MemberStatus;
use crate::domain::time::{date, date_time};
use crate::server::account::{ChangePassword, UpdateProfile, recent_activity};
use crate::server::account_closing::{CloseAccount, close_account_blockers};
use crate::server::organization::leave_organization;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_navigate;

lazy_page!(AccountRoute, AccountPage);

#[component]
pub fn AccountPage() -> impl IntoView {
    let shell = expect_context::<ShellResource>();
    // The actions live here, above the data-dependent part, so their results
    // (and the notices they show) survive a refetch of the shell.
    let update_profile = ServerAction::<UpdateProfile>::new();
    let change_password = ServerAction::<ChangePassword>::new();
    let saved = update_profile.version();
    Effect::new(move |previous: Option<usize>| {
        let now = saved.get();
        if previous.is_some_and(|p| p != now)
            && matches!(update_profile.value().get_untracked(), Some(Ok(_)))
        {
            shell.refetch();
        }
        now
    });
    view! {
        <Title text="Account settings · Consort" />
        <div class="page-head">
            <h1>"Account settings"</h1>
        </div>
        <Suspense fallback=|| view! { <p class="loading" role="status">"Loading…"</p> }>
            {move || Suspend::new(async move {
                shell.await.ok().map(|data| view! {
                    <div class="grid-2">
                        <ProfileCard data=data.clone() action=update_profile />
                        <OrganizationCard data />
                        <PasswordCard action=change_password />
                        <ActivityCard />
                    </div>
                    <CloseAccountCard />
                })
            })}
        </Suspense>
    }
}

#[component]
fn ProfileCard(data: OrganizationShell, action: ServerAction<UpdateProfile>) -> impl IntoView {
    let value = action.value();
    view! {
        <section class="card" aria-labelledby="profile-heading">
            <h2 id="profile-heading">"Profile"</h2>
            <ActionForm action=action attr:novalidate=true attr:aria-label="Profile">
                <FormAlert message=form_error(value) />
                <Notice when=succeeded(value) text="Your profile has been saved." />
                <Field label="Name" name="name" autocomplete="name" value=data.viewer.name.clone() error=field_error(value, "name") />
                <Field label="Email" name="email_display" kind="email" value=data.viewer.email.clone() readonly=true required=false
                    hint="Your email identifies your account and cannot be changed here." error=Signal::derive(|| None::<String>) />
                <p class="muted">"Member of Consort since "{date(data.viewer.member_since)}</p>
                <Submit label="Save profile" busy_label="Saving…" pending=action.pending() />
            </ActionForm>
        </section>
    }
}

#[component]
fn OrganizationCard(data: OrganizationShell) -> impl IntoView {
    let org = data.organization;
    let others: Vec<_> = data
        .organizations
        .into_iter()
        .filter(|o| o.slug != org.slug)
        .collect();
    let has_others = !others.is_empty();
    view! {
        <section class="card" aria-labelledby="org-heading">
            <h2 id="org-heading">"Organization information"</h2>
            <dl class="facts">
                <dt>"Organization"</dt><dd>{org.name.clone()}</dd>
                <dt>"Address"</dt><dd><code>{format!("/o/{}", org.slug)}</code></dd>
                <dt>"Your role"</dt><dd>{org.your_role.label()}</dd>
                <dt>"Membership"</dt><dd>{org.your_kind.label()}</dd>
                <dt>"Members"</dt><dd>{org.member_count()}</dd>
            </dl>
            <h3>"Switch organization"</h3>
            {if has_others {
                view! {
                    <ul class="org-list">
                        {others.into_iter().map(|o| {
                            let inactive = o.status != MemberStatus::Active;
                            view! {
                                <li>
                                    {if inactive {
                                        view! { <span>{o.name}" — deactivated"</span> }.into_any()
                                    } else {
                                        view! { <a href=format!("/o/{}", o.slug)>{o.name}</a> }.into_any()
                                    }}
                                    <span class="muted">{format!(" {} · {}", o.kind.label(), o.role.label())}</span>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            } else {
                view! { <p class="muted">"You belong to this organization only. Organizations that invite you as a partner will appear here."</p> }.into_any()
            }}
            <LeaveOrganization slug=org.slug.clone() name=org.name.clone() />
        </section>
    }
}

#[component]
fn PasswordCard(action: ServerAction<ChangePassword>) -> impl IntoView {
    let value = action.value();
    view! {
        <section class="card" aria-labelledby="password-heading">
            <h2 id="password-heading">"Change password"</h2>
            <ActionForm action=action attr:novalidate=true attr:aria-label="Change password">
                <FormAlert message=form_error(value) />
                <Notice
                    when=succeeded(value)
                    text="Your password has been changed. Your other sessions have been signed out."
                />
                <Field label="Current password" name="current_password" kind="password" autocomplete="current-password" error=field_error(value, "current_password") />
                <Field label="New password" name="new_password" kind="password" autocomplete="new-password"
                    hint="At least 8 characters, and not a common password." error=field_error(value, "new_password") />
                <Submit label="Change password" busy_label="Changing…" pending=action.pending() />
            </ActionForm>
        </section>
    }
}

#[component]
fn ActivityCard() -> impl IntoView {
    let activity = Resource::new(|| (), |_| recent_activity());
    view! {
        <section class="card" aria-labelledby="activity-heading">
            <h2 id="activity-heading">"Recent activity"</h2>
            <Suspense fallback=|| view! { <p class="loading" role="status">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match activity.await {
                        Ok(items) if items.is_empty() => view! { <p class="muted">"No activity yet."</p> }.into_any(),
                        Ok(items) => view! {
                            <ul class="activity">
                                {items.into_iter().map(|item| view! {
                                    <li>
                                        <span>{item.what}</span>
                                        <span class="muted">{date_time(item.at)}{item.ip.map(|ip| format!(" · {ip}"))}</span>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(error) => view! { <p class="alert alert-error" role="alert">{error.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// Leaving the organization (refused to its last active owner, with the reason).
#[component]
fn LeaveOrganization(slug: String, name: String) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let navigate = use_navigate();
    let leave = Callback::new(move |_| {
        let (slug, navigate) = (slug.clone(), navigate.clone());
        leptos::task::spawn_local(async move {
            match leave_organization(slug).await {
                Ok(()) => navigate("/", Default::default()),
                Err(e) => error.set(Some(e.to_string())),
            }
        });
    });
    view! {
        <h3>"Leave organization"</h3>
        {move || error.get().map(|m| view! { <div class="alert alert-error" role="alert">{m}</div> })}
        <ConfirmButton
            label=format!("Leave {name}")
            name=format!("Leave {name}")
            question=format!("Leave {name}? You lose access at once; to come back you need a new invitation.")
            confirm="Leave"
            on_confirm=leave
        />
    }
}

/// Closing the account: with the password, once the person is nobody's last owner.
#[component]
fn CloseAccountCard() -> impl IntoView {
    let blockers = Resource::new(|| (), |_| close_account_blockers());
    let action = ServerAction::<CloseAccount>::new();
    let value = action.value();
    let pending = action.pending();
    view! {
        <section class="card card-danger" aria-labelledby="close-heading">
            <h2 id="close-heading">"Close account"</h2>
            <Suspense fallback=|| view! { <p class="loading" role="status">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match blockers.await {
                        Ok(owned) if !owned.is_empty() => view! {
                            <p>"You are the last owner of these organizations. Make someone else owner on their member page, or delete the organization, before you close your account:"</p>
                            <ul class="org-list">
                                {owned.into_iter().map(|o| view! {
                                    <li><a href=format!("/o/{}/members", o.slug)>{o.name}</a></li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Ok(_) => view! {
                            <p>"Closing your account ends all your memberships and sessions at once and removes your name and address from the organizations' records. It cannot be undone; an organization can invite your address again later."</p>
                            <ActionForm action=action attr:novalidate=true attr:aria-label="Close your account">
                                <FormAlert message=form_error(value) />
                                <Field label="Password" name="password" kind="password" autocomplete="current-password"
                                    hint="Your password confirms that it is you." error=field_error(value, "password") />
                                <button type="submit" class="button button-danger" disabled=move || pending.get() aria-busy=move || pending.get().to_string()>
                                    {move || if pending.get() { "Closing…" } else { "Close my account" }}
                                </button>
                            </ActionForm>
                        }.into_any(),
                        Err(error) => view! { <p class="alert alert-error" role="alert">{error.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
