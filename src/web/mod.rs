//! The HTTP edge: the router, security headers, the same-origin check, the
//! health check, the development mailbox and the metrics.

pub mod health;
pub mod mailbox;
pub mod metrics;
pub mod router;
pub mod security;
