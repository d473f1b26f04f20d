//! Who is on the other end of a request: address and user agent.

use axum::extract::ConnectInfo;
use http::HeaderMap;
use std::net::{IpAddr, SocketAddr};

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Client {
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

impl Client {
    /// From a request: the socket address or, behind `trusted_proxies` proxies of
    /// the operator's, the address the outermost of them saw (see [`forwarded_client`]).
    pub fn from_request(
        headers: &HeaderMap,
        extensions: &http::Extensions,
        trusted_proxies: usize,
    ) -> Client {
        let socket = extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip());
        let ip = match trusted_proxies {
            0 => socket,
            n => forwarded_client(headers, n).or(socket),
        };
        let user_agent = headers
            .get(http::header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|s| s.chars().take(300).collect());
        Client {
            ip: ip.map(|ip| ip.to_canonical().to_string()),
            user_agent,
        }
    }

    pub fn ip(&self) -> Option<&str> {
        self.ip.as_deref()
    }
}

/// The client address in X-Forwarded-For behind `trusted` proxies. Each proxy
/// appends the address it received the request from, so only the right-most
/// `trusted` hops were written by the operator's proxies; everything left of
/// them is whatever the client sent and is never believed. The client is the
/// `trusted`-th hop from the right (or the left-most, when the request passed
/// fewer proxies). Several headers count as one list, in order.
pub fn forwarded_client(headers: &HeaderMap, trusted: usize) -> Option<IpAddr> {
    let hops: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .map(|v| v.to_str().ok())
        .collect::<Option<Vec<_>>>()?
        .into_iter()
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    let index = hops.len().saturating_sub(trusted);
    hops.get(index)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forwarded(values: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for v in values {
            headers.append("x-forwarded-for", v.parse().unwrap());
        }
        headers
    }

    #[test]
    fn the_client_is_the_right_most_untrusted_hop() {
        let one = |v: &[&str]| forwarded_client(&forwarded(v), 1);
        let ip = |s: &str| Some(s.parse::<IpAddr>().unwrap());
        assert_eq!(one(&["203.0.113.9"]), ip("203.0.113.9"));
        // A client that forges left-most hops does not choose its address.
        assert_eq!(one(&["1.2.3.4, 203.0.113.9"]), ip("203.0.113.9"));
        assert_eq!(one(&["1.2.3.4", "203.0.113.9"]), ip("203.0.113.9"));
        // Two proxies: the outer one's view of the client is second from the right.
        let two = |v: &[&str]| forwarded_client(&forwarded(v), 2);
        assert_eq!(two(&["6.6.6.6, 203.0.113.9, 10.0.0.2"]), ip("203.0.113.9"));
        assert_eq!(two(&["203.0.113.9"]), ip("203.0.113.9"));
        assert_eq!(one(&["not-an-address"]), None);
        assert_eq!(one(&[]), None);
        assert_eq!(one(&["2001:db8::1"]), ip("2001:db8::1"));
    }
}
