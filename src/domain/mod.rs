//! Plain types and rules shared by the server and the browser. No I/O, no Leptos.

pub mod account;
pub mod address_list;
pub mod audit;
pub mod email;
pub mod module;
pub mod organization;
pub mod password;
pub mod policy;
pub mod role;
pub mod time;
