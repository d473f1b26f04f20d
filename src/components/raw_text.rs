//! Text in the escapable raw-text elements, `<title>` and `<textarea>`.
//!
//! Leptos 0.8 writes what goes into these elements into the server's HTML as it
//! is: tachys renders a `<textarea>`'s children unescaped (as for `<script>` and
//! `<style>`), and leptos_meta copies the `<Title>` text between `<title>` and
//! `</title>` verbatim. A stored name holding `</title>` or `</textarea>` would
//! close the element there and open markup of its own. So on the server the
//! text is escaped here; a browser decodes the references back in both elements.
//!
//! In the browser the same text goes through the DOM — a text node created for
//! a `<textarea>` rendered there, `document.title` set as a property — which
//! never parses markup; escaping it there would show `&lt;` to the person. So
//! the escaping is for the server build only.
//!
//! Upstream Leptos has begun escaping `<textarea>` children itself (after the
//! 0.8 versions locked here). When an upgrade escapes either element, drop the
//! escaping here: tests/integration/hostile_text.rs then fails on a value
//! escaped twice (`&amp;lt;`), which is the sign.

use leptos::prelude::*;
use leptos_meta::Title;

/// The text as the content of a `<textarea>` (or `<title>`): escaped in the
/// server's HTML, as it is in the browser. Hydration leaves a textarea's
/// content alone, so the two never meet.
pub fn raw_text(text: String) -> String {
    #[cfg(feature = "ssr")]
    {
        crate::domain::html::escape_html(&text)
    }
    #[cfg(not(feature = "ssr"))]
    {
        text
    }
}

/// Escapes every page's `<Title text=…/>` in the server's HTML: the root
/// formatter of leptos_meta, applied to whichever title the page sets. Put
/// once in the root component. A page's own `<Title formatter=…/>` would take
/// its place, so pages set none. The browser renders the same component (so
/// hydration finds what the server rendered), where [`raw_text`] leaves the
/// text as it is and leptos_meta sets `document.title` to it.
#[component]
pub fn EscapeTitles() -> impl IntoView {
    view! { <Title formatter=raw_text /> }
}
