//! Text inside HTML.

/// Escapes text for HTML: `&`, `<`, `>`, `"` and `'` become character
/// references. The result reads as the same text in element content, in a quoted
/// attribute value, and in the escapable raw-text elements `<title>` and
/// `<textarea>` (which decode references but close at the first `</title>` or
/// `</textarea>`). It is no use inside `<script>` or `<style>`, which decode
/// nothing: text does not go there.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape_html;

    #[test]
    fn markup_characters_become_references_and_the_rest_stays() {
        assert_eq!(
            escape_html(r#"</title><a href="x" title='y'>Tom & Jerry</a>"#),
            "&lt;/title&gt;&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;Tom &amp; Jerry&lt;/a&gt;"
        );
        assert_eq!(
            escape_html("&amp;"),
            "&amp;amp;",
            "references are escaped again: text, not markup"
        );
        assert_eq!(escape_html("Café · Zürich"), "Café · Zürich");
        assert_eq!(escape_html(""), "");
    }
}
