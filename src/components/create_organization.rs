//! The form that creates an organization for a signed-in person who is a team
//! member nowhere (My organizations); the server goes to it once created.

use crate::components::form::{Field, FormAlert, Submit, field_error, form_error};
use crate::server::my_organizations::CreateOrganization;
use leptos::prelude::*;

#[component]
pub fn CreateOrganizationForm(open: RwSignal<bool>) -> impl IntoView {
    let create = ServerAction::<CreateOrganization>::new();
    let value = create.value();
    view! {
        <section class="card" id="create-organization" aria-labelledby="create-organization-heading">
            <h2 id="create-organization-heading">"Create an organization"</h2>
            <p class="muted">
                "You become its owner and invite its people. Partnership requests sent to your email address while you had no organization will be waiting under Partners."
            </p>
            <ActionForm action=create attr:aria-label="Create an organization" attr:novalidate=true>
                <FormAlert message=form_error(value) />
                <Field label="Organization name" name="name" autocomplete="organization"
                    error=field_error(value, "name") />
                <div class="form-actions">
                    <Submit label="Create organization" busy_label="Creating…" pending=create.pending() />
                    <button type="button" class="button" on:click=move |_| open.set(false)>"Cancel"</button>
                </div>
            </ActionForm>
        </section>
    }
}
