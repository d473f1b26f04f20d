//! The HTTP edge: the router, security headers, the same-origin check, the
//! health check and the development mailbox.

pub mod health;
pub mod mailbox;
pub mod router;
pub mod security;
