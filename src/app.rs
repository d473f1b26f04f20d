//! The HTML shell, the root component and the route table.

use crate::components::hydration::HydrationMarker;
use crate::components::raw_text::EscapeTitles;
use crate::pages::{
    accept_invitation::AcceptInvitationRoute, access_requests::AccessRequestsRoute,
    account::AccountRoute, audit_log::AuditLogRoute, billing::BillingRoute,
    confirm_signup::ConfirmSignUpRoute, contacts::ContactsRoute,
    forgot_password::ForgotPasswordPage, home::HomePage, invitations::InvitationsRoute,
    login::LoginPage, member::MemberRoute, members::DeactivatedMembersRoute, members::MembersRoute,
    my_organizations::MyOrganizationsRoute, not_found::NotFound, org_home::OrgHomePage,
    org_layout::OrgLayout, partners::PartnersRoute, partnership_timeline::PartnershipTimelineRoute,
    reset_password::ResetPasswordPage, settings::SettingsRoute, signup::SignUpPage,
};
use leptos::prelude::*;
use leptos_meta::{MetaTags, provide_meta_context};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{Lazy, SsrMode, path};

pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    {
        set_page_security_policy();
        crate::pages::preloads::provide(&options);
    }
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <link rel="stylesheet" href="/pkg/consort.css" />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// Pages allow only their own files, this response's inline scripts and WebAssembly.
#[cfg(feature = "ssr")]
fn set_page_security_policy() {
    use http::header::{CONTENT_SECURITY_POLICY, HeaderValue};
    let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) else {
        return;
    };
    if let Ok(value) = HeaderValue::from_str(&crate::web::security::page_csp(&nonce)) {
        response.insert_header(CONTENT_SECURITY_POLICY, value);
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        // Before any page's <Title>: stored names go into titles.
        <EscapeTitles />
        <HydrationMarker />
        <Router>
            <Routes fallback=NotFound>
                <Route path=path!("") view=HomePage ssr=SsrMode::Async />
                <Route path=path!("signup") view=SignUpPage />
                <Route path=path!("signup/confirm") view={Lazy::<ConfirmSignUpRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("login") view=LoginPage />
                <Route path=path!("forgot-password") view=ForgotPasswordPage />
                <Route path=path!("reset-password") view=ResetPasswordPage ssr=SsrMode::Async />
                <Route path=path!("organizations") view={Lazy::<MyOrganizationsRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("invitations/accept") view={Lazy::<AcceptInvitationRoute>::new()} ssr=SsrMode::Async />
                <ParentRoute path=path!("o/:slug") view=OrgLayout ssr=SsrMode::Async>
                    <Route path=path!("") view=OrgHomePage />
                    <Route path=path!("account") view={Lazy::<AccountRoute>::new()} />
                    <Route path=path!("members") view={Lazy::<MembersRoute>::new()} />
                    <Route path=path!("members/deactivated") view={Lazy::<DeactivatedMembersRoute>::new()} />
                    <Route path=path!("members/invitations") view={Lazy::<InvitationsRoute>::new()} />
                    <Route path=path!("members/requests") view={Lazy::<AccessRequestsRoute>::new()} />
                    <Route path=path!("members/:user_id") view={Lazy::<MemberRoute>::new()} />
                    <Route path=path!("contacts") view={Lazy::<ContactsRoute>::new()} />
                    <Route path=path!("partners") view={Lazy::<PartnersRoute>::new()} />
                    <Route path=path!("partners/timeline") view={Lazy::<PartnershipTimelineRoute>::new()} />
                    <Route path=path!("billing") view={Lazy::<BillingRoute>::new()} />
                    <Route path=path!("audit-log") view={Lazy::<AuditLogRoute>::new()} />
                    <Route path=path!("settings") view={Lazy::<SettingsRoute>::new()} />
                </ParentRoute>
            </Routes>
        </Router>
    }
}
