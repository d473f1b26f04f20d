//! `/forgot-password`: ask for a reset link by email.

use crate::components::auth_frame::AuthFrame;
use crate::components::form::{
    Field, FormAlert, Notice, Submit, field_error, form_error, succeeded,
};
use crate::server::auth::RequestPasswordReset;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let action = ServerAction::<RequestPasswordReset>::new();
    let value = action.value();
    let sent = succeeded(value);
    view! {
        <Title text="Forgot password · Consort" />
        <AuthFrame title="Reset your password" lead="Enter the email of your account and we will send you a link to choose a new password.">
            <Notice
                when=sent
                text="If an account uses that address, a reset link is on its way. It works once, for one hour. Check your spam folder if it does not arrive."
            />
            <ActionForm action=action attr:novalidate=true attr:aria-label="Request a reset link" attr:hidden=move || sent.get()>
                <FormAlert message=form_error(value) />
                <Field label="Email" name="email" kind="email" autocomplete="email" error=field_error(value, "email") />
                <Submit label="Send reset link" busy_label="Sending…" pending=action.pending() />
            </ActionForm>
            <p class="below"><a href="/login">"Back to log in"</a></p>
        </AuthFrame>
    }
}
