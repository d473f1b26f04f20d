//! `/o/:slug/billing`: the Billing module — billing contact, address and tax
//! ID; seats now and month by month, exportable as CSV.

use crate::components::download::save_file;
use crate::components::error_panel::LoadError;
use crate::components::form::{
    Field, FormAlert, Notice, Submit, field_error, form_error, succeeded,
};
use crate::components::list::TableWrap;
use crate::components::per_organization::PerOrganization;
use crate::components::raw_text::raw_text;
use crate::domain::billing::{BillingDetails, BillingOverview, SeatCounts, months_csv};
use crate::domain::time::month_name;
use crate::server::billing::{SaveBillingDetails, load_billing};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

lazy_page!(BillingRoute, BillingPage);

#[component]
pub fn BillingPage() -> impl IntoView {
    let params = use_params_map();
    let slug = Signal::derive(move || params.read().get("slug").unwrap_or_default());
    let overview = Resource::new(move || slug.get(), load_billing);
    let save = ServerAction::<SaveBillingDetails>::new();
    Effect::new(move |_| {
        if matches!(save.value().get(), Some(Ok(_))) {
            overview.refetch();
        }
    });
    view! {
        <Title text="Billing · Consort" />
        <div class="page-head">
            <h1>"Billing"</h1>
            <p class="muted">"Who receives the bills, and the seats this organization uses."</p>
        </div>
        <PerOrganization>
            <Transition fallback=|| view! { <p class="loading" role="status">"Loading billing…"</p> }>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok(data) => view! { <Billing data slug save /> }.into_any(),
                    Err(error) => view! { <LoadError error /> }.into_any(),
                }
            })}
            </Transition>
        </PerOrganization>
    }
}

#[component]
fn Billing(
    data: BillingOverview,
    slug: Signal<String>,
    save: ServerAction<SaveBillingDetails>,
) -> impl IntoView {
    let BillingOverview {
        details,
        now,
        months,
    } = data;
    view! {
        <section class="tiles" aria-label="Seats now">
            <SeatTile label="Team members" value=now.team_members />
            <SeatTile label="Partners" value=now.partners />
            <SeatTile label="Pending invitations" value=now.pending_invitations />
            <SeatTile label="Seats in all" value=total(now) />
        </section>
        <div class="grid-2 section-gap">
            <DetailsCard details slug save />
            <MonthsCard months />
        </div>
    }
}

fn total(s: SeatCounts) -> u32 {
    s.team_members + s.partners + s.pending_invitations
}

#[component]
fn SeatTile(label: &'static str, value: u32) -> impl IntoView {
    view! {
        <div class="tile" role="group" aria-label=label>
            <p class="tile-label" aria-hidden="true">{label}</p>
            <p class="tile-value">{value}</p>
        </div>
    }
}

#[component]
fn DetailsCard(
    details: BillingDetails,
    slug: Signal<String>,
    save: ServerAction<SaveBillingDetails>,
) -> impl IntoView {
    let value = save.value();
    let address_error = field_error(value, "address");
    view! {
        <section class="card" aria-labelledby="billing-details-heading">
            <h2 id="billing-details-heading">"Billing details"</h2>
            <ActionForm action=save attr:novalidate=true attr:aria-label="Billing details">
                <FormAlert message=form_error(value) />
                <Notice when=succeeded(value) text="The billing details were saved." />
                <input type="hidden" name="slug" value=slug />
                <input type="hidden" name="version" value=details.version.to_string() />
                <Field label="Billing contact" name="contact_name" autocomplete="name" required=false
                    value=details.contact_name error=field_error(value, "contact_name") />
                <Field label="Billing email" name="contact_email" kind="email" autocomplete="email" required=false
                    hint="Invoices and receipts go to this address." value=details.contact_email error=field_error(value, "contact_email") />
                <div class="field" class:field-invalid=move || address_error.with(Option::is_some)>
                    <label for="field-address">"Billing address"</label>
                    <textarea id="field-address" name="address" rows="4" autocomplete="street-address"
                        aria-invalid=move || address_error.with(Option::is_some).to_string()>{raw_text(details.address)}</textarea>
                    {move || address_error.get().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
                </div>
                <Field label="Tax ID" name="tax_id" required=false hint="VAT, GST or other tax number, e.g. DE123456789."
                    value=details.tax_id error=field_error(value, "tax_id") />
                <Submit label="Save billing details" busy_label="Saving…" pending=save.pending() />
            </ActionForm>
        </section>
    }
}

#[component]
fn MonthsCard(months: Vec<crate::domain::billing::SeatMonth>) -> impl IntoView {
    let csv = months_csv(&months);
    let error = RwSignal::new(None::<String>);
    let export = move |_| {
        error.set(save_file("seat-usage.csv", "text/csv;charset=utf-8", &csv).err());
    };
    view! {
        <section class="card" aria-labelledby="seats-heading">
            <div class="card-head">
                <h2 id="seats-heading">"Seats by month"</h2>
                <button type="button" class="button" on:click=export>"Export CSV"</button>
            </div>
            <p class="muted">"Everyone who held a seat at any time in the month (UTC), from the membership history: team members, partners, and people invited but not yet joined."</p>
            {move || error.get().map(|m| view! { <div class="alert alert-error" role="alert">{m}</div> })}
            <TableWrap label="Monthly seat counts">
                <table>
                    <caption class="visually-hidden">"Seats by month"</caption>
                    <thead><tr>
                        <th scope="col">"Month"</th><th scope="col">"Team"</th><th scope="col">"Partners"</th>
                        <th scope="col">"Invited"</th><th scope="col">"Total"</th>
                    </tr></thead>
                    <tbody>
                        {months.into_iter().map(|m| view! {
                            <tr>
                                <th scope="row" class="nowrap">{month_name(m.year, m.month)}</th>
                                <td>{m.seats.team_members}</td>
                                <td>{m.seats.partners}</td>
                                <td>{m.seats.pending_invitations}</td>
                                <td>{total(m.seats)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </TableWrap>
        </section>
    }
}
