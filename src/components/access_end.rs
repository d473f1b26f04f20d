//! A partner's access end date on the member page: set, change, remove or
//! extend it; and reactivating a partner with a new end or none.

use crate::domain::access_end::{EXTENSION_DAYS, iso_day};
use crate::domain::time::{Timestamp, date};
use crate::error::AppError;
use crate::server::members::{extend_access, set_access_end, set_member_active};
use leptos::prelude::*;
use uuid::Uuid;

/// Where the member page reports the outcome of an action.
pub type Notice = RwSignal<Option<Result<String, String>>>;

#[component]
pub fn AccessEndCard(
    name: String,
    id: Uuid,
    version: i64,
    access_until: Option<Timestamp>,
    access_ended: bool,
    slug: Signal<String>,
    status: Notice,
    on_change: Callback<()>,
) -> impl IntoView {
    let chosen = RwSignal::new(access_until.map(iso_day).unwrap_or_default());
    let error = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    let finish = move |result: Result<(), AppError>, done: String| {
        pending.set(false);
        match result {
            Ok(()) => {
                error.set(None);
                status.set(Some(Ok(done)));
                on_change.run(());
            }
            Err(e) => match e.message_for("access_until") {
                Some(message) => error.set(Some(message)),
                None => status.set(Some(Err(e.to_string()))),
            },
        }
    };
    let save_name = name.clone();
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        pending.set(true);
        let day = chosen.get_untracked();
        let done = if day.is_empty() {
            format!("{save_name}'s access no longer has an end date.")
        } else {
            format!("Saved: {save_name}'s last day of access is set.")
        };
        leptos::task::spawn_local(async move {
            finish(
                set_access_end(slug.get_untracked(), id, day, version).await,
                done,
            );
        });
    };
    let extend_name = name.clone();
    let extend = move |_| {
        pending.set(true);
        let done = format!("{extend_name}'s access was extended by {EXTENSION_DAYS} days.");
        leptos::task::spawn_local(async move {
            finish(extend_access(slug.get_untracked(), id, version).await, done);
        });
    };
    let remove_name = name.clone();
    let remove = move |_| {
        pending.set(true);
        let done = format!("{remove_name}'s access no longer has an end date.");
        leptos::task::spawn_local(async move {
            finish(
                set_access_end(slug.get_untracked(), id, String::new(), version).await,
                done,
            );
        });
    };
    let state = match (access_until, access_ended) {
        (None, _) => "No end date: the access lasts until someone changes it.".to_string(),
        (Some(day), false) => format!("Access until {} (inclusive, UTC).", date(day)),
        (Some(day), true) => format!("Access ended after {}.", date(day)),
    };
    view! {
        <section class="card" aria-labelledby="access-end-heading">
            <h2 id="access-end-heading">"Access end date"</h2>
            <p>{state}</p>
            <p class="muted">"On the day after, the access ends by itself: the partner is deactivated and both sides get an email; a week before, they and the admins are reminded."</p>
            <form on:submit=save aria-label="Access end date">
                <div class="field">
                    <label for="access-until">"Last day of access"</label>
                    <input id="access-until" type="date" prop:value=move || chosen.get()
                        aria-describedby="access-until-hint"
                        aria-invalid=move || error.with(Option::is_some).then_some("true")
                        on:input=move |ev| chosen.set(event_target_value(&ev)) />
                    <p class="hint" id="access-until-hint">"Leave it empty for no end. At most 5 years ahead."</p>
                    {move || error.get().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
                </div>
                <div class="actions">
                    <button type="submit" class="button button-primary" disabled=move || pending.get()>"Save end date"</button>
                    {access_until.is_some().then(|| view! {
                        <button type="button" class="button" disabled=move || pending.get()
                            aria-label=format!("Extend {name}'s access by {EXTENSION_DAYS} days") on:click=extend>
                            {format!("Extend by {EXTENSION_DAYS} days")}
                        </button>
                        <button type="button" class="button" disabled=move || pending.get() on:click=remove>"Remove end date"</button>
                    })}
                </div>
            </form>
        </section>
    }
}

/// "Reactivate" for a partner: asks for the new last day of access, or none.
#[component]
pub fn ReactivatePartner(
    name: String,
    id: Uuid,
    version: i64,
    slug: Signal<String>,
    status: Notice,
    on_change: Callback<()>,
) -> impl IntoView {
    let asking = RwSignal::new(false);
    let chosen = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let done = format!("{name} was reactivated.");
    let reactivate = move |_| {
        let done = done.clone();
        let day = chosen.get_untracked();
        leptos::task::spawn_local(async move {
            match set_member_active(slug.get_untracked(), id, true, version, Some(day)).await {
                Ok(()) => {
                    asking.set(false);
                    status.set(Some(Ok(done)));
                    on_change.run(());
                }
                Err(e) => match e.message_for("access_until") {
                    Some(message) => error.set(Some(message)),
                    None => {
                        asking.set(false);
                        status.set(Some(Err(e.to_string())));
                    }
                },
            }
        });
    };
    let label = format!("Reactivate {name}");
    let question = format!(
        "Reactivate {name}? They get back the access shown above, until the last day you choose, or with no end."
    );
    view! {
        {move || if asking.get() {
            view! {
                <span class="confirm" role="group" aria-label="Confirm">
                    <span>{question.clone()}</span>
                    <label for="reactivate-until">"New last day of access (optional)"</label>
                    <input id="reactivate-until" type="date" prop:value=move || chosen.get()
                        on:input=move |ev| chosen.set(event_target_value(&ev)) />
                    {move || error.get().map(|m| view! { <span class="field-error" role="alert">{m}</span> })}
                    <button type="button" class="button button-danger" on:click=reactivate.clone()>"Reactivate"</button>
                    <button type="button" class="button" on:click=move |_| asking.set(false)>"Keep"</button>
                </span>
            }.into_any()
        } else {
            view! {
                <button type="button" class="button" aria-label=label.clone() on:click=move |_| asking.set(true)>"Reactivate"</button>
            }.into_any()
        }}
    }
}
