//! One file per route.

/// Declares `$route`, a route whose page `$page` is loaded on demand: its code
/// is a separate WebAssembly chunk (`cargo leptos build --split`).
macro_rules! lazy_page {
    ($route:ident, $page:ident) => {
        pub struct $route;

        #[leptos_router::lazy_route]
        impl leptos_router::LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(_this: Self) -> leptos::prelude::AnyView {
                $crate::pages::preloads::preload_route(stringify!($route));
                leptos::prelude::IntoAny::into_any($page())
            }
        }
    };
}

pub mod accept_invitation;
pub mod access_requests;
pub mod account;
pub mod audit_log;
pub mod billing;
pub mod confirm_signup;
pub mod contacts;
pub mod forgot_password;
pub mod home;
pub mod invitations;
pub mod login;
pub mod member;
pub mod members;
pub mod my_organizations;
pub mod not_found;
pub mod org_home;
pub mod org_layout;
pub mod partners;
pub mod partnership_timeline;
pub mod preloads;
pub mod reset_password;
pub mod settings;
pub mod signup;
