//! Who is on the other end of a request: address and user agent.

use axum::extract::ConnectInfo;
use http::HeaderMap;
use std::net::SocketAddr;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Client {
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

impl Client {
    /// From a request: the socket address, or the first X-Forwarded-For hop
    /// when Consort runs behind a proxy it trusts.
    pub fn from_request(
        headers: &HeaderMap,
        extensions: &http::Extensions,
        trust_proxy: bool,
    ) -> Client {
        let forwarded = trust_proxy
            .then(|| {
                headers
                    .get("x-forwarded-for")?
                    .to_str()
                    .ok()?
                    .split(',')
                    .next()
                    .map(|s| s.trim().to_string())
            })
            .flatten()
            .filter(|s| !s.is_empty());
        let socket = extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip().to_string());
        let user_agent = headers
            .get(http::header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|s| s.chars().take(300).collect());
        Client {
            ip: forwarded.or(socket),
            user_agent,
        }
    }

    pub fn ip(&self) -> Option<&str> {
        self.ip.as_deref()
    }
}
