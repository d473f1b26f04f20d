//! Authentication: password hashing, tokens, sessions, the client and the
//! current actor, and log-in rate limits.

pub mod actor;
pub mod client;
pub mod memo;
pub mod password;
pub mod rate_limit;
pub mod session;
pub mod token;
