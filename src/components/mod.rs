//! Reusable pieces of UI.

pub mod auth_frame;
pub mod error_panel;
pub mod form;
pub mod hydration;
pub mod org_header;
