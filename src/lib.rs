//! Consort: a self-hosted portal for managing who may work in an organization.

pub mod app;
pub mod components;
pub mod domain;
pub mod error;
pub mod pages;
pub mod server;

#[cfg(feature = "ssr")]
pub mod auth;
#[cfg(feature = "ssr")]
pub mod config;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod mail;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod state;
#[cfg(feature = "ssr")]
pub mod web;

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    // Readable panics in development builds; release builds abort without the
    // formatting machinery (it costs a kilobyte of the bundle budget).
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    // Lazy routes and the invite dialog are separate chunks: hydration waits for
    // the chunk of the page being hydrated. Only then is the page marked ready
    // (a click before that would reach a button with no handler yet).
    let _ = any_spawner::Executor::init_wasm_bindgen();
    leptos::task::spawn_local(async {
        let body = leptos::tachys::dom::body();
        let owner = leptos::mount::hydrate_from_async(body, app::App).await;
        owner.forget();
        components::hydration::mark_ready();
    });
}
