//! Pieces of every list page: the scrolling frame of a table, how many match
//! with previous / next, and the outcome of the latest action.

use super::pager::Pager;
use crate::domain::page::count_label;
use leptos::prelude::*;

#[component]
pub fn ListFooter(
    page: RwSignal<u32>,
    total: u64,
    pages: u32,
    /// The thing counted, singular: "member".
    noun: &'static str,
    /// The pager's accessible name: "Members pages".
    label: &'static str,
) -> impl IntoView {
    view! {
        <p class="muted">{count_label(total, noun)}</p>
        <Pager page pages=Signal::derive(move || pages) label />
    }
}

/// The outcome of the latest action on a page: a status or an alert.
#[component]
pub fn Outcome(notice: RwSignal<Option<Result<String, String>>>) -> impl IntoView {
    move || {
        notice.get().map(|n| match n {
            Ok(text) => {
                view! { <div class="alert alert-info" role="status">{text}</div> }.into_any()
            }
            Err(text) => {
                view! { <div class="alert alert-error" role="alert">{text}</div> }.into_any()
            }
        })
    }
}

/// The frame of a wide table: it scrolls sideways on a narrow screen, and can be
/// reached with the keyboard to do so.
#[component]
pub fn TableWrap(
    /// What the table holds, e.g. "Active users".
    label: &'static str,
    #[prop(optional)] class: &'static str,
    children: Children,
) -> impl IntoView {
    view! {
        <div class=format!("table-wrap {class}") tabindex="0" role="region" aria-label=label>
            {children()}
        </div>
    }
}
