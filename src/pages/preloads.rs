//! Preload hints for a lazy route's WebAssembly chunks, sent as `Link`
//! response headers when the route renders on the server: the chunks that
//! route needs, the same on every render, and nothing in the HTML.
//!
//! Leptos's own hints (from `pkg/__wasm_split_manifest.json`) came on some
//! renders and not on others, about 60 `<link>` elements each time, so
//! `make build` moves that file to `pkg/route-chunks.json`, which only this
//! module reads.

#[cfg(feature = "ssr")]
mod server {
    use leptos::config::LeptosOptions;
    use leptos::prelude::*;
    use std::collections::HashMap;
    use std::path::PathBuf;
    use std::sync::{Arc, Mutex, OnceLock};

    pub const FILE: &str = "route-chunks.json";

    /// The chunks of every lazy function, by its split name, for one site.
    #[derive(Clone, Debug, Default)]
    pub struct RouteChunks {
        pkg_url: String,
        chunks: Arc<HashMap<String, Vec<String>>>,
    }

    /// Reads the site's chunk list once (per site root) and offers it to the render.
    pub fn provide(options: &LeptosOptions) {
        static SITES: OnceLock<Mutex<HashMap<PathBuf, RouteChunks>>> = OnceLock::new();
        let pkg = PathBuf::from(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref());
        let mut sites = SITES
            .get_or_init(Default::default)
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let chunks = sites
            .entry(pkg.clone())
            .or_insert_with(|| RouteChunks {
                pkg_url: format!("/{}", options.site_pkg_dir),
                chunks: Arc::new(
                    std::fs::read_to_string(pkg.join(FILE))
                        .ok()
                        .and_then(|text| serde_json::from_str(&text).ok())
                        .unwrap_or_default(),
                ),
            })
            .clone();
        provide_context(chunks);
    }

    impl RouteChunks {
        /// The `Link` header value that preloads `route`'s chunks, if it has any.
        pub fn link_header(&self, route: &str) -> Option<String> {
            let prefix = format!("__{}_view_", snake_case(route));
            let (_, modules) = self
                .chunks
                .iter()
                .find(|(key, _)| key.starts_with(&prefix))?;
            let pkg = &self.pkg_url;
            let mut links: Vec<String> = modules
                .iter()
                .map(|module| {
                    format!(
                        "<{pkg}/{module}.wasm>; rel=preload; as=fetch; type=\"application/wasm\"; crossorigin=anonymous"
                    )
                })
                .collect();
            links.push(format!(
                "<{pkg}/__wasm_split.______________________.js>; rel=modulepreload"
            ));
            Some(links.join(", "))
        }
    }

    /// `MembersRoute` → `members_route`, as Leptos names a route's split.
    pub fn snake_case(name: &str) -> String {
        let mut out = String::with_capacity(name.len() + 4);
        for (i, c) in name.chars().enumerate() {
            if c.is_ascii_uppercase() {
                if i > 0 {
                    out.push('_');
                }
                out.push(c.to_ascii_lowercase());
            } else {
                out.push(c);
            }
        }
        out
    }

    /// Adds the `Link` header for `route`'s chunks to this response.
    pub fn preload_route(route: &str) {
        let (Some(chunks), Some(response)) = (
            use_context::<RouteChunks>(),
            use_context::<leptos_axum::ResponseOptions>(),
        ) else {
            return;
        };
        if let Some(value) = chunks
            .link_header(route)
            .and_then(|v| http::HeaderValue::from_str(&v).ok())
        {
            response.insert_header(http::header::LINK, value);
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn a_route_preloads_its_own_chunks_only() {
            let chunks = RouteChunks {
                pkg_url: "/pkg".into(),
                chunks: Arc::new(HashMap::from([
                    (
                        "__members_route_view_1288".to_owned(),
                        vec!["chunk_1".to_owned(), "chunk_7".to_owned()],
                    ),
                    (
                        "__deactivated_members_route_view_1288".to_owned(),
                        vec!["chunk_9".to_owned()],
                    ),
                    ("dialog_4872".to_owned(), vec!["chunk_2".to_owned()]),
                ])),
            };
            assert_eq!(
                snake_case("AcceptInvitationRoute"),
                "accept_invitation_route"
            );
            let header = chunks.link_header("MembersRoute").unwrap();
            assert!(
                header.starts_with("</pkg/chunk_1.wasm>; rel=preload; as=fetch"),
                "{header}"
            );
            assert!(header.contains("</pkg/chunk_7.wasm>"), "{header}");
            assert!(
                !header.contains("chunk_9") && !header.contains("chunk_2"),
                "{header}"
            );
            assert!(header.ends_with("rel=modulepreload"), "{header}");
            assert_eq!(chunks.link_header("BillingRoute"), None);
        }
    }
}

#[cfg(feature = "ssr")]
pub use server::{FILE, RouteChunks, preload_route, provide};

/// In the browser the chunks load themselves; nothing to hint.
#[cfg(not(feature = "ssr"))]
pub fn preload_route(_route: &str) {}
