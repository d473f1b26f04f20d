//! `/invitations/accept?token=…`: who invited you to what, and the one step
//! that fits: create an account, log in, accept, or switch accounts.

use crate::components::auth_frame::AuthFrame;
use crate::components::error_panel::encode_component;
use crate::components::form::{Field, FormAlert, Submit, field_error, form_error};
use crate::domain::invitation::{AcceptStep, InvitationPreview, LinkProblem};
use crate::domain::time::date_time;
use crate::server::auth::LogOut;
use crate::server::invitations::{
    AcceptInvitation, AcceptInvitationNewAccount, preview_invitation,
};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

lazy_page!(AcceptInvitationRoute, AcceptInvitationPage);

#[component]
pub fn AcceptInvitationPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::server::context::no_referrer();
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    let preview = Resource::new(token, preview_invitation);
    view! {
        <Title text="Invitation · Consort" />
        <AuthFrame title="Your invitation">
            <Suspense fallback=|| view! { <p class="loading" role="status">"Checking your invitation…"</p> }>
                {move || Suspend::new(async move {
                    match preview.await {
                        Ok(Ok(invitation)) => view! { <Invitation invitation token=token() /> }.into_any(),
                        Ok(Err(problem)) => view! { <Problem problem /> }.into_any(),
                        Err(error) => view! { <div class="alert alert-error" role="alert">{error.to_string()}</div> }.into_any(),
                    }
                })}
            </Suspense>
        </AuthFrame>
    }
}

#[component]
fn Problem(problem: LinkProblem) -> impl IntoView {
    view! {
        <section class="link-problem" aria-labelledby="problem-title">
            <h2 id="problem-title">{problem.title()}</h2>
            <p>{problem.message()}</p>
            <p><a class="button" href="/login">"Go to log in"</a></p>
        </section>
    }
}

#[component]
fn Invitation(invitation: InvitationPreview, token: String) -> impl IntoView {
    let inviter = invitation
        .inviter
        .clone()
        .unwrap_or_else(|| "Someone".to_string());
    let as_what = format!("a {}", invitation.kind.noun());
    let here = format!("/invitations/accept?token={token}");
    let step = match invitation.next.clone() {
        AcceptStep::CreateAccount => {
            view! { <CreateAccount email=invitation.email.clone() token=token.clone() /> }
                .into_any()
        }
        AcceptStep::LogIn => {
            let login = format!("/login?next={}", encode_component(&here));
            view! {
                <p>"An account with the address "<strong>{invitation.email.clone()}</strong>" already exists. Log in as it to accept."</p>
                <p><a class="button button-primary" href=login>"Log in to accept"</a></p>
            }
            .into_any()
        }
        AcceptStep::Accept => view! { <AcceptButton token=token.clone() /> }.into_any(),
        AcceptStep::WrongAccount { signed_in_as } => {
            // A plain form post, not an action: the browser then loads this page
            // afresh, signed out, instead of the router keeping its data.
            view! {
                <div class="alert alert-warning" role="alert">
                    "This invitation is for "<strong>{invitation.email.clone()}</strong>
                    ", but you are signed in as "<strong>{signed_in_as}</strong>"."
                </div>
                <form method="post" action=LogOut::url() aria-label="Log out">
                    <input type="hidden" name="next" value=here.clone() />
                    <button type="submit" class="button button-primary">"Log out and continue"</button>
                </form>
            }
            .into_any()
        }
    };
    view! {
        <div class="invitation-summary">
            <p class="lead"><strong>{inviter}</strong>" invited you to join "<strong>{invitation.organization.clone()}</strong>" as "{as_what}"."</p>
            <dl class="facts">
                <dt>"Role"</dt><dd>{invitation.role.label()}</dd>
                <dt>"Invited address"</dt><dd>{invitation.email.clone()}</dd>
                <dt>"Link expires"</dt><dd>{date_time(invitation.expires_at)}</dd>
                {invitation.access_until.map(|day| view! {
                    <dt>"Access until"</dt><dd>{crate::domain::time::date(day)}" (inclusive)"</dd>
                })}
            </dl>
        </div>
        {step}
    }
}

#[component]
fn CreateAccount(email: String, token: String) -> impl IntoView {
    let action = ServerAction::<AcceptInvitationNewAccount>::new();
    let value = action.value();
    view! {
        <ActionForm action=action attr:novalidate=true attr:aria-label="Create your account">
            <FormAlert message=form_error(value) />
            <input type="hidden" name="token" value=token />
            <Field label="Email" name="invited_email" kind="email" value=email readonly=true required=false
                hint="The address the invitation was sent to." error=Signal::derive(|| None::<String>) />
            <Field label="Your name" name="name" autocomplete="name" error=field_error(value, "name") />
            <Field label="Password" name="password" kind="password" autocomplete="new-password"
                hint="At least 8 characters, and not a common password." error=field_error(value, "password") />
            <Submit label="Create account and join" busy_label="Joining…" pending=action.pending() />
        </ActionForm>
    }
}

#[component]
fn AcceptButton(token: String) -> impl IntoView {
    let action = ServerAction::<AcceptInvitation>::new();
    let value = action.value();
    view! {
        <ActionForm action=action attr:aria-label="Accept the invitation">
            <FormAlert message=form_error(value) />
            <input type="hidden" name="token" value=token />
            <Submit label="Accept invitation" busy_label="Joining…" pending=action.pending() />
        </ActionForm>
    }
}
