//! The rules of the edge: only Consort's own host is served, a state-changing
//! request must come from Consort's own pages, and every response carries the
//! security headers (no caching but for static files, HSTS behind https).

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::header::{self, HeaderMap, HeaderValue};
use http::uri::{Authority, Uri};
use http::{Method, StatusCode, Version};
use std::net::SocketAddr;
use std::sync::Arc;

/// The policy for pages; `{nonce}` is replaced per response.
pub const PAGE_CSP: &str = "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
    style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; \
    base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
/// The policy for everything else (files, server function answers, the mailbox).
const DEFAULT_CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
/// Behind https, a year of https only, subdomains included.
pub const HSTS: &str = "max-age=31536000; includeSubDomains";
/// Static files may be kept, but are checked again before each use: their
/// names carry no content hash, so a new release changes them in place.
pub const STATIC_CACHE: &str = "public, no-cache";
/// Answers load balancers that probe an instance by its address, whatever the Host.
pub const HEALTH_PATH: &str = "/healthz";

pub fn page_csp(nonce: &str) -> String {
    PAGE_CSP.replace("{nonce}", nonce)
}

/// Who Consort answers for, worked out once from the public URL and the
/// listen address.
#[derive(Clone, Debug)]
pub struct Edge {
    /// The public URL's site, then (on a loopback address) the listen address's.
    sites: Vec<Site>,
    /// The public URL is https: browsers are told to use nothing else.
    hsts: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Site {
    /// Lowercase; an IPv6 address in brackets, as in a Host header.
    host: String,
    port: u16,
    /// The port a Host header without one means (80 for http, 443 for https).
    default_port: u16,
    /// As browsers send it in `Origin`: `scheme://host[:port]`, default port left out.
    origin: String,
}

impl Site {
    fn from_url(url: &str) -> Option<Site> {
        let url = url::Url::parse(url).ok()?;
        let default_port = match url.scheme() {
            "http" => 80,
            "https" => 443,
            _ => return None,
        };
        Some(Site {
            host: url.host_str()?.to_ascii_lowercase(),
            port: url.port_or_known_default()?,
            default_port,
            origin: url.origin().ascii_serialization(),
        })
    }
}

impl Edge {
    /// The public URL's host is served. When Consort listens on a loopback
    /// address, so is that address, and `localhost` on its port: only this
    /// machine reaches them, and no other site's name can resolve to them and
    /// still send them as its Host (what a DNS-rebinding page would need).
    pub fn new(public_url: &str, listen: SocketAddr) -> Edge {
        let mut sites = Vec::new();
        match Site::from_url(public_url) {
            Some(site) => sites.push(site),
            None => tracing::error!(
                public_url,
                "the public URL is not an http(s) URL; only a loopback listen address is served"
            ),
        }
        if listen.ip().is_loopback() {
            let local = [
                format!("http://{listen}"),
                format!("http://localhost:{}", listen.port()),
            ];
            for site in local.iter().filter_map(|url| Site::from_url(url)) {
                if !sites.contains(&site) {
                    sites.push(site);
                }
            }
        }
        Edge {
            sites,
            hsts: public_url.starts_with("https://"),
        }
    }

    /// Whether a request is for one of our hosts: every host it names — its
    /// Host header and, in HTTP/2 (`:authority`) or an absolute request line,
    /// its URI — is ours. A request that names none (HTTP/1.0 allows it) is
    /// served: browsers always name the host, and nothing Consort answers is
    /// built from it (links come from the public URL).
    pub fn addressed_to_us(&self, uri: &Uri, headers: &HeaderMap) -> bool {
        uri.authority().is_none_or(|a| self.serves(a.as_str()))
            && headers
                .get_all(header::HOST)
                .iter()
                .all(|host| host.to_str().is_ok_and(|host| self.serves(host)))
    }

    /// Whether `host[:port]` names one of our sites.
    pub fn serves(&self, authority: &str) -> bool {
        let Ok(authority) = authority.parse::<Authority>() else {
            return false;
        };
        if authority.as_str().contains('@') {
            return false;
        }
        let host = authority.host().to_ascii_lowercase();
        self.sites.iter().any(|site| {
            site.host == host && authority.port_u16().unwrap_or(site.default_port) == site.port
        })
    }

    /// Whether an `Origin` header names one of our sites (browsers send it
    /// exactly as `scheme://host[:port]`).
    pub fn is_our_origin(&self, origin: &str) -> bool {
        self.sites.iter().any(|site| site.origin == origin)
    }

    pub fn hsts(&self) -> bool {
        self.hsts
    }
}

/// Marks a response of the static file server (see [`static_file`]).
#[derive(Clone, Copy, Debug)]
pub struct StaticFile;

/// Wraps the static file server: what it found may be cached (and is marked so
/// that [`headers`] leaves it alone); what it did not find is not.
pub async fn static_file<B>(mut response: http::Response<B>) -> http::Response<B> {
    let status = response.status();
    if status.is_success() || status == StatusCode::NOT_MODIFIED {
        response.extensions_mut().insert(StaticFile);
        response
            .headers_mut()
            .entry(header::CACHE_CONTROL)
            .or_insert(HeaderValue::from_static(STATIC_CACHE));
    }
    response
}

pub async fn headers(State(edge): State<Arc<Edge>>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let static_file = response.extensions().get::<StaticFile>().is_some();
    let headers = response.headers_mut();
    headers
        .entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(DEFAULT_CSP));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers
        .entry(header::REFERRER_POLICY)
        .or_insert(HeaderValue::from_static("strict-origin-when-cross-origin"));
    headers.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
    );
    // Pages, server function answers, exports and redirects may hold a
    // person's data or a token: neither the browser nor a proxy keeps them.
    if !static_file {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if edge.hsts() {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        );
    }
    response
}

/// Refuses, before anything else runs, a request for a host that is not ours
/// (421 Misdirected Request), whatever its method. `/healthz` answers any host.
/// HTTP/1.1 requires a Host header: a request without one is malformed (400).
pub async fn our_host(State(edge): State<Arc<Edge>>, request: Request, next: Next) -> Response {
    if request.uri().path() == HEALTH_PATH {
        return next.run(request).await;
    }
    let names_no_host =
        request.uri().authority().is_none() && !request.headers().contains_key(header::HOST);
    if names_no_host && request.version() == Version::HTTP_11 {
        return (
            StatusCode::BAD_REQUEST,
            "Bad request: an HTTP/1.1 request must name its host.\n",
        )
            .into_response();
    }
    if edge.addressed_to_us(request.uri(), request.headers()) {
        return next.run(request).await;
    }
    tracing::warn!(
        host = ?request.headers().get(header::HOST),
        authority = ?request.uri().authority(),
        "request for another host refused"
    );
    (
        StatusCode::MISDIRECTED_REQUEST,
        "Misdirected request: this server does not answer for that host.\n",
    )
        .into_response()
}

/// Refuses a request that may change state (anything but GET, HEAD, OPTIONS)
/// when the browser says it comes from another site.
pub async fn same_origin(State(edge): State<Arc<Edge>>, request: Request, next: Next) -> Response {
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if !safe && !origin_allowed(request.headers(), &edge) {
        tracing::warn!(origin = ?request.headers().get(header::ORIGIN), "cross-site request refused");
        return (
            StatusCode::FORBIDDEN,
            "Cross-site request refused: this action must come from Consort's own pages.",
        )
            .into_response();
    }
    next.run(request).await
}

/// A browser always sends Origin (or at least Sec-Fetch-Site) with a POST; a
/// request with neither comes from a program, not from a page on another site.
/// The Origin must be one of our own sites; the Host header plays no part.
pub fn origin_allowed(headers: &HeaderMap, edge: &Edge) -> bool {
    let fetch_site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    if let Some(origin) = headers.get(header::ORIGIN) {
        let Ok(origin) = origin.to_str() else {
            return false;
        };
        // A page sent with `Referrer-Policy: no-referrer` (reset and invitation
        // links) posts its own forms with `Origin: null`; then only the
        // browser's own Sec-Fetch-Site can vouch for it.
        if origin == "null" {
            return fetch_site == Some("same-origin");
        }
        return edge.is_our_origin(origin);
    }
    match fetch_site {
        Some(site) => site == "same-origin" || site == "none",
        None => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.append(*k, v.parse().unwrap());
        }
        map
    }

    fn edge(public_url: &str, listen: &str) -> Edge {
        Edge::new(public_url, listen.parse().unwrap())
    }

    fn uri(value: &str) -> Uri {
        value.parse().unwrap()
    }

    #[test]
    fn only_the_public_host_is_served_and_the_loopback_listen_address() {
        let public = edge("https://Consort.Example", "127.0.0.1:3000");
        for host in [
            "consort.example",
            "CONSORT.example",
            "consort.example:443",
            "127.0.0.1:3000",
            "localhost:3000",
        ] {
            assert!(public.serves(host), "{host}");
        }
        for host in [
            "evil.example",
            "consort.example:80",
            "consort.example:8443",
            "consort.example.evil.example",
            "evil.example@consort.example",
            "127.0.0.1",
            "127.0.0.1:3001",
            "localhost",
            "",
            "consort.example/path",
        ] {
            assert!(!public.serves(host), "{host}");
        }

        let exposed = edge("https://consort.example", "0.0.0.0:3000");
        assert!(exposed.serves("consort.example"));
        assert!(!exposed.serves("0.0.0.0:3000"), "not a loopback address");
        assert!(!exposed.serves("127.0.0.1:3000"));
        assert!(!exposed.serves("localhost:3000"));

        let plain = edge("http://127.0.0.1:8080", "127.0.0.1:8080");
        assert!(plain.serves("127.0.0.1:8080"));
        assert!(!plain.serves("127.0.0.1"), "port 80 is not ours");

        let default_port = edge("http://consort.example", "[::1]:3000");
        assert!(default_port.serves("consort.example"));
        assert!(default_port.serves("consort.example:80"));
        assert!(default_port.serves("[::1]:3000"));
        assert!(!default_port.serves("[::2]:3000"));

        assert!(
            !edge("not a url", "10.0.0.1:3000").serves("not a url"),
            "a broken public URL serves nothing"
        );
    }

    #[test]
    fn every_host_a_request_names_must_be_ours() {
        let edge = edge("https://consort.example", "127.0.0.1:3000");
        let ours = headers(&[("host", "consort.example")]);
        let evil = headers(&[("host", "evil.example")]);
        assert!(edge.addressed_to_us(&uri("/login"), &ours));
        assert!(!edge.addressed_to_us(&uri("/login"), &evil));
        assert!(
            edge.addressed_to_us(&uri("/login"), &HeaderMap::new()),
            "HTTP/1.0 without a Host"
        );
        // HTTP/2's :authority (or an absolute request line) is the URI's authority.
        assert!(edge.addressed_to_us(&uri("https://consort.example/login"), &HeaderMap::new()));
        assert!(!edge.addressed_to_us(&uri("https://evil.example/login"), &HeaderMap::new()));
        assert!(!edge.addressed_to_us(&uri("https://evil.example/login"), &ours));
        assert!(!edge.addressed_to_us(&uri("https://consort.example/login"), &evil));
        let both = headers(&[("host", "consort.example"), ("host", "evil.example")]);
        assert!(!edge.addressed_to_us(&uri("/login"), &both));
        let mut binary = HeaderMap::new();
        binary.insert(
            "host",
            HeaderValue::from_bytes(b"consort.example\xff").unwrap(),
        );
        assert!(!edge.addressed_to_us(&uri("/login"), &binary));
    }

    #[test]
    fn https_alone_turns_on_strict_transport_security() {
        assert!(edge("https://consort.example", "0.0.0.0:3000").hsts());
        assert!(!edge("http://consort.example", "0.0.0.0:3000").hsts());
        assert!(!edge("http://127.0.0.1:3000", "127.0.0.1:3000").hsts());
    }

    #[test]
    fn same_origin_posts_pass_and_cross_site_ones_do_not() {
        let public = edge("https://consort.example", "127.0.0.1:3000");
        assert!(origin_allowed(
            &headers(&[("origin", "https://consort.example")]),
            &public
        ));
        assert!(origin_allowed(
            &headers(&[("origin", "http://127.0.0.1:3000")]),
            &public
        ));
        assert!(origin_allowed(
            &headers(&[("origin", "http://localhost:3000")]),
            &public
        ));
        assert!(!origin_allowed(
            &headers(&[("origin", "http://consort.example")]),
            &public
        ));
        assert!(!origin_allowed(
            &headers(&[
                ("origin", "https://evil.example"),
                ("host", "consort.example")
            ]),
            &public
        ));
        // The Host header vouches for nothing.
        assert!(!origin_allowed(
            &headers(&[("origin", "http://evil.example"), ("host", "evil.example")]),
            &public
        ));
        let exposed = edge("https://consort.example", "0.0.0.0:3000");
        assert!(!origin_allowed(
            &headers(&[("origin", "http://0.0.0.0:3000"), ("host", "0.0.0.0:3000")]),
            &exposed
        ));
        assert!(!origin_allowed(&headers(&[("origin", "null")]), &public));
        assert!(!origin_allowed(
            &headers(&[("origin", "null"), ("sec-fetch-site", "cross-site")]),
            &public
        ));
        assert!(origin_allowed(
            &headers(&[("origin", "null"), ("sec-fetch-site", "same-origin")]),
            &public
        ));
        assert!(!origin_allowed(
            &headers(&[("sec-fetch-site", "cross-site")]),
            &public
        ));
        assert!(origin_allowed(
            &headers(&[("sec-fetch-site", "same-origin")]),
            &public
        ));
        assert!(origin_allowed(&HeaderMap::new(), &public));
    }

    #[test]
    fn page_policy_allows_wasm_and_nonce_scripts_only() {
        let csp = page_csp("abc");
        assert!(csp.contains("'nonce-abc'"));
        assert!(csp.contains("'wasm-unsafe-eval'"));
        assert!(csp.contains("frame-ancestors 'none'"));
        assert!(!csp.contains("unsafe-inline"));
    }
}
