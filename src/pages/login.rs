//! `/login`.

use crate::components::auth_frame::AuthFrame;
use crate::components::form::{Field, FormAlert, Notice, Submit, field_error, form_error};
use crate::server::auth::LogIn;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn LoginPage() -> impl IntoView {
    let action = ServerAction::<LogIn>::new();
    let value = action.value();
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    let flag = move |name: &'static str| query.read().get(name).is_some();
    view! {
        <Title text="Log in · Consort" />
        <AuthFrame title="Log in to Consort">
            <Notice when=Signal::derive(move || flag("reset")) text="Your password has been changed. Log in with your new password." />
            <Notice when=Signal::derive(move || flag("logged_out")) text="You have logged out." />
            <Notice when=Signal::derive(move || flag("closed")) text="Your account has been closed." />
            <ActionForm action=action attr:novalidate=true attr:aria-label="Log in">
                <FormAlert message=form_error(value) />
                <input type="hidden" name="next" value=next />
                <Field label="Email" name="email" kind="email" autocomplete="username" error=field_error(value, "email") />
                <Field label="Password" name="password" kind="password" autocomplete="current-password" error=field_error(value, "password") />
                <Submit label="Log in" busy_label="Logging in…" pending=action.pending() />
            </ActionForm>
            <p class="below"><a href="/forgot-password">"Forgot your password?"</a></p>
            <p class="below">"New to Consort? "<a href="/signup">"Create an organization"</a></p>
        </AuthFrame>
    }
}
