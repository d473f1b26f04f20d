//! `/signup/confirm?token=…`: the emailed sign-up link. It shows what will be
//! created and creates it on a click (a POST: mail scanners that open links do
//! not create accounts).

use crate::components::auth_frame::AuthFrame;
use crate::components::form::{FormAlert, Submit, form_error};
use crate::server::auth::{ConfirmSignUp, sign_up_preview};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

lazy_page!(ConfirmSignUpRoute, ConfirmSignUpPage);

#[component]
pub fn ConfirmSignUpPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::server::context::no_referrer();
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    let preview = Resource::new(token, sign_up_preview);
    let action = ServerAction::<ConfirmSignUp>::new();
    let value = action.value();
    view! {
        <Title text="Finish signing up · Consort" />
        <AuthFrame title="Finish signing up">
            <Suspense fallback=|| view! { <p class="loading" role="status">"Checking your link…"</p> }>
                {move || Suspend::new(async move {
                    match preview.await {
                        Ok(preview) => view! {
                            <p>"Your email address is confirmed. Create your account and your organization:"</p>
                            <dl class="facts">
                                <dt>"Name"</dt><dd>{preview.name}</dd>
                                <dt>"Email"</dt><dd>{preview.email}</dd>
                                <dt>"Organization"</dt><dd>{preview.organization}</dd>
                            </dl>
                            <ActionForm action=action attr:aria-label="Finish signing up">
                                <FormAlert message=form_error(value) />
                                <input type="hidden" name="token" value=token />
                                <Submit label="Create my organization" busy_label="Creating your organization…" pending=action.pending() />
                            </ActionForm>
                        }
                        .into_any(),
                        Err(error) => view! {
                            <div class="alert alert-error" role="alert">{error.to_string()}</div>
                            <p><a class="button" href="/signup">"Sign up again"</a>" "<a href="/login">"Log in"</a></p>
                        }
                        .into_any(),
                    }
                })}
            </Suspense>
        </AuthFrame>
    }
}
