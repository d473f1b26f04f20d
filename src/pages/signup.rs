//! `/signup`: a new person and their organization. The form sends a link; the
//! account and the organization are created when it is followed
//! (`/signup/confirm`, [`super::confirm_signup`]).

use crate::components::auth_frame::AuthFrame;
use crate::components::form::{
    Field, FormAlert, Notice, Submit, field_error, form_error, succeeded,
};
use crate::server::auth::SignUp;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn SignUpPage() -> impl IntoView {
    let action = ServerAction::<SignUp>::new();
    let value = action.value();
    let sent = succeeded(value);
    view! {
        <Title text="Sign up · Consort" />
        <AuthFrame title="Create your organization" lead="You will be its owner. It takes a minute.">
            <div hidden=move || !sent.get()>
                <h2>"Check your email"</h2>
            </div>
            <Notice
                when=sent
                text="We sent a message to the address you entered. Follow its link within 24 hours to create your account and your organization. Check your spam folder if it does not arrive."
            />
            <ActionForm action=action attr:novalidate=true attr:aria-label="Sign up" attr:hidden=move || sent.get()>
                <FormAlert message=form_error(value) />
                <Field label="Your name" name="name" autocomplete="name" error=field_error(value, "name") />
                <Field label="Work email" name="email" kind="email" autocomplete="email" error=field_error(value, "email") />
                <Field
                    label="Password"
                    name="password"
                    kind="password"
                    autocomplete="new-password"
                    hint="At least 8 characters, and not a common password."
                    error=field_error(value, "password")
                />
                <Field label="Organization name" name="organization" autocomplete="organization" error=field_error(value, "organization") />
                <Submit label="Create organization" busy_label="Sending your link…" pending=action.pending() />
            </ActionForm>
            <p class="below">"Already have an account? "<a href="/login">"Log in"</a></p>
        </AuthFrame>
    }
}
