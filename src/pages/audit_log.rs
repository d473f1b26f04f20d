//! `/o/:slug/audit-log`: the Audit log module — every change in the
//! organization with who, what, to whom, before → after and when; filtered by
//! person, action and days; exported as CSV.

use crate::components::download::save_file;
use crate::components::error_panel::LoadError;
use crate::components::list::{ListFooter, TableWrap};
use crate::components::per_organization::PerOrganization;
use crate::domain::audit::{AuditAction, AuditEntry, AuditQuery, ORGANIZATION_ACTIONS, PersonRef};
use crate::domain::time::{short_date, time_of_day};
use crate::error::AppError;
use crate::server::audit_log::{export_audit_log, list_audit_events};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

lazy_page!(AuditLogRoute, AuditLogPage);

#[component]
pub fn AuditLogPage() -> impl IntoView {
    let params = use_params_map();
    let slug = Signal::derive(move || params.read().get("slug").unwrap_or_default());
    let page = RwSignal::new(1_u32);
    let person = RwSignal::new(String::new());
    let action = RwSignal::new(None::<AuditAction>);
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let query = move || AuditQuery {
        person: person.get(),
        action: action.get(),
        from: from.get(),
        to: to.get(),
        page: page.get(),
    };
    let events = Resource::new(
        move || (slug.get(), query()),
        |(s, q)| list_audit_events(s, q),
    );
    let exporting = RwSignal::new(false);
    let export_error = RwSignal::new(None::<String>);
    let export = move |_| {
        exporting.set(true);
        export_error.set(None);
        let q = query();
        leptos::task::spawn_local(async move {
            let result = export_audit_log(slug.get_untracked(), q).await;
            exporting.set(false);
            let saved = result
                .map_err(|e| e.to_string())
                .and_then(|csv| save_file("audit-log.csv", "text/csv;charset=utf-8", &csv));
            export_error.set(saved.err());
        });
    };
    // A filter change starts again at the first page.
    let set = move |signal: RwSignal<String>| {
        move |ev| {
            signal.set(event_target_value(&ev));
            page.set(1);
        }
    };
    let field_error = move |field: &'static str| {
        move || {
            events
                .get()
                .and_then(|r| r.err())
                .and_then(|e: AppError| e.message_for(field))
                .map(|m| view! { <p class="field-error" role="alert">{m}</p> })
        }
    };
    view! {
        <Title text="Audit log · Consort" />
        <div class="page-head page-head-row">
            <div>
                <h1>"Audit log"</h1>
                <p class="muted">"Every change to members, invitations, roles, permissions, sub-accounts and settings."</p>
            </div>
            <button type="button" class="button" on:click=export disabled=move || exporting.get()>
                {move || if exporting.get() { "Exporting…" } else { "Export CSV" }}
            </button>
        </div>
        {move || export_error.get().map(|m| view! { <div class="alert alert-error" role="alert">{m}</div> })}
        <form class="toolbar filters" role="search" aria-label="Filter the audit log" on:submit=|ev| ev.prevent_default()>
            <div class="field">
                <label for="audit-person">"Person"</label>
                <input id="audit-person" type="search" placeholder="Name or email" on:input=set(person) />
            </div>
            <div class="field">
                <label for="audit-action">"Action"</label>
                <select id="audit-action" on:change=move |ev| {
                    action.set(AuditAction::parse(&event_target_value(&ev)));
                    page.set(1);
                }>
                    <option value="">"All actions"</option>
                    {ORGANIZATION_ACTIONS.into_iter().map(|a| view! { <option value=a.as_str()>{a.describe()}</option> }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="audit-from">"From"</label>
                <input id="audit-from" type="date" on:change=set(from) />
                {field_error("from")}
            </div>
            <div class="field">
                <label for="audit-to">"To"</label>
                <input id="audit-to" type="date" on:change=set(to) />
                {field_error("to")}
            </div>
        </form>
        <PerOrganization>
            <Transition fallback=|| view! { <p class="loading" role="status">"Loading the audit log…"</p> }>
            {move || Suspend::new(async move {
                match events.await {
                    Ok(list) if list.items.is_empty() => view! {
                        <div class="empty"><p><strong>"No events match these filters."</strong></p></div>
                    }.into_any(),
                    Ok(list) => {
                        let (total, pages) = (list.total, list.pages());
                        view! {
                            <TableWrap label="Audit events" class="stack">
                                <table>
                                    <caption class="visually-hidden">"Audit events"</caption>
                                    <thead><tr>
                                        <th scope="col">"When"</th><th scope="col">"Who"</th><th scope="col">"Action"</th>
                                        <th scope="col">"Target"</th><th scope="col">"Changes"</th>
                                    </tr></thead>
                                    <tbody>{list.items.into_iter().map(|e| view! { <Row e /> }).collect_view()}</tbody>
                                </table>
                            </TableWrap>
                            <ListFooter page total pages noun="event" label="Audit log pages" />
                        }.into_any()
                    }
                    Err(AppError::Invalid(_)) => view! { <p class="muted">"Correct the dates above."</p> }.into_any(),
                    Err(error) => view! { <LoadError error /> }.into_any(),
                }
            })}
            </Transition>
        </PerOrganization>
    }
}

#[component]
fn Row(e: AuditEntry) -> impl IntoView {
    view! {
        <tr>
            <td class="nowrap" data-label="When">{short_date(e.at)}<br /><span class="muted">{time_of_day(e.at)}</span></td>
            <td data-label="Who">{match e.actor {
                Some(a) => view! { <Person person=a /> }.into_any(),
                None => view! { <span class="muted">"A deleted account"</span> }.into_any(),
            }}</td>
            <td data-label="Action">{e.action.describe()}</td>
            <td data-label="Target">{match e.target {
                Some(t) => view! { <Person person=t /> }.into_any(),
                None => view! { <span class="muted">"—"</span> }.into_any(),
            }}</td>
            <td data-label="Changes">
                <ul class="changes">
                    {e.changes.into_iter().map(|c| view! {
                        <li>
                            <span class="muted">{c.field}": "</span>
                            {c.before.map(|b| view! { <del>{b}</del>" → " })}
                            <ins>{c.after}</ins>
                        </li>
                    }).collect_view()}
                </ul>
            </td>
        </tr>
    }
}

/// A name over its address (or the address alone).
#[component]
fn Person(person: PersonRef) -> impl IntoView {
    let named = !person.name.is_empty();
    view! {
        <span class="person">
            {named.then(|| view! { <span>{person.name.clone()}</span> })}
            <span class:muted=named>{person.email}</span>
        </span>
    }
}
