//! The development mailbox: with no SMTP server configured, every message stays
//! in the outbox and can be read here. Never mounted when SMTP is configured.

use crate::db;
use crate::domain::html::escape_html;
use crate::mail::templates::format_time;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::response::Html;
use http::StatusCode;
use uuid::Uuid;

const SHOWN: i64 = 200;

fn page(title: &str, body: &str) -> Html<String> {
    Html(format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{} · Development mailbox · Consort</title><link rel=\"stylesheet\" href=\"/pkg/consort.css\"></head>\
         <body><header class=\"topbar\"><a class=\"brand\" href=\"/\">Consort</a><span class=\"topbar-note\">Development mailbox</span></header>\
         <main class=\"page page-wide\">{body}</main></body></html>",
        escape_html(title)
    ))
}

pub async fn list(State(state): State<AppState>) -> Result<Html<String>, StatusCode> {
    let mails = db::outbox::recent(&state.db, SHOWN)
        .await
        .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?;
    let mut body = String::from(
        "<h1>Development mailbox</h1><p class=\"muted\">No mail server is configured (set <code>MAIL</code>), so messages are kept here instead of being sent. Newest first.</p>",
    );
    if mails.is_empty() {
        body.push_str("<div class=\"empty\"><p>No messages yet. Mail appears here when Consort sends any.</p></div>");
    } else {
        body.push_str("<table class=\"table\"><caption class=\"visually-hidden\">Messages</caption><thead><tr><th scope=\"col\">To</th><th scope=\"col\">Subject</th><th scope=\"col\">Queued</th><th scope=\"col\">Status</th></tr></thead><tbody>");
        for mail in mails {
            body.push_str(&format!(
                "<tr><td>{}</td><td><a href=\"/dev/mailbox/{}\">{}</a></td><td>{}</td><td>{}</td></tr>",
                escape_html(&mail.to_address),
                mail.id,
                escape_html(&mail.subject),
                format_time(mail.created_at),
                escape_html(&mail.status)
            ));
        }
        body.push_str("</tbody></table>");
    }
    Ok(page("Messages", &body))
}

pub async fn show(
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
) -> Result<Html<String>, StatusCode> {
    let mail = db::outbox::find(&state.db, id)
        .await
        .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?
        .ok_or(StatusCode::NOT_FOUND)?;
    let body = format!(
        "<p><a href=\"/dev/mailbox\">← All messages</a></p><h1>{}</h1><dl class=\"facts\"><dt>To</dt><dd>{}</dd><dt>Queued</dt><dd>{}</dd><dt>Status</dt><dd>{}</dd></dl><article class=\"card mail-body\" aria-label=\"Message\">{}</article>",
        escape_html(&mail.subject),
        escape_html(&mail.to_address),
        format_time(mail.created_at),
        escape_html(&mail.status),
        linkify(&mail.text_body)
    );
    Ok(page(&mail.subject, &body))
}

/// Escapes the text and turns every http(s) URL into a link, paragraph by paragraph.
fn linkify(text: &str) -> String {
    text.split("\n\n")
        .map(|para| {
            let words: Vec<String> = para
                .split(' ')
                .map(|word| {
                    if word.starts_with("http://") || word.starts_with("https://") {
                        format!("<a href=\"{0}\">{0}</a>", escape_html(word))
                    } else {
                        escape_html(word)
                    }
                })
                .collect();
            format!("<p>{}</p>", words.join(" ").replace('\n', "<br>"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::linkify;

    #[test]
    fn links_are_clickable_and_text_is_escaped() {
        let html = linkify("Hi <b>\n\nhttp://x/reset?token=a&b=1");
        assert!(html.contains("<p>Hi &lt;b&gt;</p>"));
        assert!(html.contains("<a href=\"http://x/reset?token=a&amp;b=1\">"));
    }
}
