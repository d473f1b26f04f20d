//! `/o/:slug/partners/timeline`: the history of the organization's partnerships
//! — sent, rejected, accepted, deleted by either side, by whom and when — as
//! each side may read it, paged and exported as CSV.

use super::partners::PartnersTabs;
use crate::components::download::save_file;
use crate::components::error_panel::LoadError;
use crate::components::list::{ListFooter, TableWrap};
use crate::domain::time::date_time;
use crate::server::partnerships::{export_partnership_timeline, partnership_timeline};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

lazy_page!(PartnershipTimelineRoute, PartnershipTimelinePage);

#[component]
pub fn PartnershipTimelinePage() -> impl IntoView {
    let params = use_params_map();
    let slug = Signal::derive(move || params.read().get("slug").unwrap_or_default());
    let page = RwSignal::new(1_u32);
    let lines = Resource::new(
        move || (slug.get(), page.get()),
        |(slug, page)| partnership_timeline(slug, page),
    );
    let exporting = RwSignal::new(false);
    let export_error = RwSignal::new(None::<String>);
    let export = move |_| {
        exporting.set(true);
        export_error.set(None);
        leptos::task::spawn_local(async move {
            let result = export_partnership_timeline(slug.get_untracked()).await;
            exporting.set(false);
            let saved = result.map_err(|e| e.to_string()).and_then(|csv| {
                save_file("partnership-timeline.csv", "text/csv;charset=utf-8", &csv)
            });
            export_error.set(saved.err());
        });
    };
    view! {
        <Title text="Partnership timeline · Consort" />
        <div class="page-head page-head-row">
            <h1>"Partners"</h1>
            <button type="button" class="button" on:click=export disabled=move || exporting.get()>
                {move || if exporting.get() { "Exporting…" } else { "Export CSV" }}
            </button>
        </div>
        <PartnersTabs slug timeline=true current_timeline=true />
        <p class="muted">"What happened to each relationship with another organization: your organization's own steps, and the other side's while you held the relationship."</p>
        {move || export_error.get().map(|text| view! { <div class="alert alert-error" role="alert">{text}</div> })}
        <Transition fallback=|| view! { <p class="loading" role="status">"Loading the timeline…"</p> }>
            {move || Suspend::new(async move {
                match lines.await {
                    Ok(list) if list.items.is_empty() => view! {
                        <div class="empty card">
                            <p>"Nothing has happened yet."</p>
                            <p class="muted">"Requests sent and received, answers and deletions appear here."</p>
                        </div>
                    }.into_any(),
                    Ok(list) => {
                        let (total, pages) = (list.total, list.pages());
                        view! {
                            <TableWrap label="Partnership timeline" class="stack">
                                <table>
                                    <caption class="visually-hidden">"Partnership timeline"</caption>
                                    <thead><tr>
                                        <th scope="col">"When"</th><th scope="col">"Relationship"</th><th scope="col">"What happened"</th>
                                    </tr></thead>
                                    <tbody>
                                        {list.items.into_iter().map(|e| view! {
                                            <tr class:ours=e.ours>
                                                <td data-label="When">{date_time(e.at)}</td>
                                                <td data-label="Relationship">{e.relationship.clone()}</td>
                                                <td data-label="What happened">{e.sentence()}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </TableWrap>
                            <ListFooter page total pages noun="event" label="Timeline pages" />
                        }.into_any()
                    }
                    Err(error) => view! { <LoadError error /> }.into_any(),
                }
            })}
        </Transition>
    }
}
