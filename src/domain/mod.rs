//! Plain types and rules shared by the server and the browser. No I/O, no Leptos.

pub mod access_end;
pub mod access_request;
pub mod account;
pub mod address_list;
pub mod audit;
pub mod billing;
pub mod contact;
pub mod csv;
pub mod email;
pub mod former_access;
pub mod html;
pub mod invitation;
pub mod member;
pub mod module;
pub mod organization;
pub mod page;
pub mod partnership;
pub mod password;
pub mod policy;
pub mod role;
pub mod sub_account;
pub mod time;
