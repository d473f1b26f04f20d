//! Reusable pieces of UI.

pub mod access_end;
pub mod access_fields;
pub mod auth_frame;
pub mod confirm;
pub mod create_organization;
pub mod download;
pub mod error_panel;
pub mod form;
pub mod hydration;
pub mod invite_dialog;
pub mod list;
pub mod member_tabs;
pub mod org_header;
pub mod org_switcher;
pub mod pager;
pub mod per_organization;
pub mod raw_text;
