//! One file per route.

pub mod account;
pub mod forgot_password;
pub mod home;
pub mod login;
pub mod not_found;
pub mod org_home;
pub mod org_layout;
pub mod reset_password;
pub mod signup;
