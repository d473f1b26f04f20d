//! `/reset-password?token=…`: choose a new password with an emailed link.

use crate::components::auth_frame::AuthFrame;
use crate::components::form::{Field, FormAlert, Submit, field_error, form_error};
use crate::server::auth::{ResetPassword, check_reset_link};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::server::context::no_referrer();
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    let check = Resource::new(token, check_reset_link);
    let action = ServerAction::<ResetPassword>::new();
    let value = action.value();
    view! {
        <Title text="Choose a new password · Consort" />
        <AuthFrame title="Choose a new password">
            <Suspense fallback=|| view! { <p class="loading" role="status">"Checking your link…"</p> }>
                {move || Suspend::new(async move {
                    match check.await {
                        Ok(()) => view! {
                            <ActionForm action=action attr:novalidate=true attr:aria-label="Choose a new password">
                                <FormAlert message=form_error(value) />
                                <input type="hidden" name="token" value=token />
                                <Field
                                    label="New password"
                                    name="password"
                                    kind="password"
                                    autocomplete="new-password"
                                    hint="At least 8 characters, and not a common password. Every session of your account will be signed out."
                                    error=field_error(value, "password")
                                />
                                <Submit label="Set new password" busy_label="Saving…" pending=action.pending() />
                            </ActionForm>
                        }
                        .into_any(),
                        Err(error) => view! {
                            <div class="alert alert-error" role="alert">{error.to_string()}</div>
                            <p><a class="button" href="/forgot-password">"Ask for a new link"</a></p>
                        }
                        .into_any(),
                    }
                })}
            </Suspense>
            <p class="below"><a href="/login">"Back to log in"</a></p>
        </AuthFrame>
    }
}
