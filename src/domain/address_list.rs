//! Addresses typed or pasted as a list: separated by commas, semicolons, spaces
//! or new lines, each either `address@example.com` or `Display Name <address@example.com>`
//! (the name may be quoted and contain commas). Every entry keeps what was typed,
//! so a person can see which piece of their paste each outcome belongs to.

use super::email::{EmailAddress, EmailError};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The piece of input this entry came from, trimmed.
    pub input: String,
    /// The display name, when given as `Name <address>`.
    pub name: Option<String>,
    pub email: Result<EmailAddress, EmailError>,
    /// The index of the earlier entry with the same address (compared case-insensitively).
    pub duplicate_of: Option<usize>,
}

/// Splits a pasted list into entries, in order, marking repeats.
pub fn parse(text: &str) -> Vec<Entry> {
    let mut entries: Vec<Entry> = pieces(text)
        .into_iter()
        .flat_map(|piece| entries_of(&piece))
        .collect();
    let mut seen: Vec<(String, usize)> = Vec::new();
    for (index, entry) in entries.iter_mut().enumerate() {
        let Ok(email) = &entry.email else { continue };
        let key = email.key();
        match seen.iter().find(|(k, _)| *k == key) {
            Some((_, first)) => entry.duplicate_of = Some(*first),
            None => seen.push((key, index)),
        }
    }
    entries
}

/// Top-level pieces: split on `,` `;` and line breaks outside quotes and angle brackets.
fn pieces(text: &str) -> Vec<String> {
    let (mut out, mut current) = (Vec::new(), String::new());
    let (mut in_quotes, mut in_angle) = (false, false);
    for c in text.chars() {
        match c {
            '"' if !in_angle => in_quotes = !in_quotes,
            '<' if !in_quotes => in_angle = true,
            '>' if !in_quotes => in_angle = false,
            ',' | ';' | '\n' | '\r' if !in_quotes && !in_angle => {
                out.push(std::mem::take(&mut current));
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    out.push(current);
    out.into_iter()
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

/// One piece is either `Name <address>` or one or more addresses separated by spaces.
fn entries_of(piece: &str) -> Vec<Entry> {
    if let (Some(open), Some(close)) = (piece.find('<'), piece.rfind('>'))
        && open < close
    {
        let name = piece[..open].trim().trim_matches('"').trim();
        return vec![Entry {
            input: piece.to_string(),
            name: (!name.is_empty()).then(|| name.to_string()),
            email: EmailAddress::parse(&piece[open + 1..close]),
            duplicate_of: None,
        }];
    }
    piece
        .split_whitespace()
        .map(|word| Entry {
            input: word.to_string(),
            name: None,
            email: EmailAddress::parse(word),
            duplicate_of: None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addresses(text: &str) -> Vec<String> {
        parse(text)
            .into_iter()
            .map(|e| {
                e.email
                    .map(|a| a.to_string())
                    .unwrap_or_else(|e| format!("!{e:?}"))
            })
            .collect()
    }

    #[test]
    fn every_separator_works() {
        assert_eq!(
            addresses("a@x.com, b@x.com;c@x.com\nd@x.com e@x.com\r\n\tf@x.com"),
            vec![
                "a@x.com", "b@x.com", "c@x.com", "d@x.com", "e@x.com", "f@x.com"
            ]
        );
        assert!(parse(" ,, ;\n ").is_empty());
    }

    #[test]
    fn display_names_are_kept_even_with_commas() {
        let entries = parse("Ana Lopez <ana@x.com>, \"Lopez, Bo\" <bo@x.com>; <cy@x.com>");
        assert_eq!(entries.len(), 3);
        assert_eq!(entries[0].name.as_deref(), Some("Ana Lopez"));
        assert_eq!(entries[0].email.as_ref().unwrap().as_str(), "ana@x.com");
        assert_eq!(entries[1].name.as_deref(), Some("Lopez, Bo"));
        assert_eq!(entries[1].input, "\"Lopez, Bo\" <bo@x.com>");
        assert_eq!(entries[2].name, None);
    }

    #[test]
    fn repeats_point_at_the_first_occurrence_whatever_the_case() {
        let entries = parse("a@x.com, b@x.com, A@X.COM, Ana <a@x.com>");
        assert_eq!(
            entries.iter().map(|e| e.duplicate_of).collect::<Vec<_>>(),
            vec![None, None, Some(0), Some(0)]
        );
    }

    #[test]
    fn bad_pieces_keep_their_input_and_reason() {
        let entries = parse("ana.example.com, <script>alert(1)</script>@x.com, Bo <>");
        assert_eq!(entries[0].email, Err(EmailError::MissingAt));
        assert_eq!(entries[0].input, "ana.example.com");
        assert!(entries[1].email.is_err());
        assert_eq!(entries[2].email, Err(EmailError::Empty));
        assert_eq!(
            entries.iter().filter(|e| e.duplicate_of.is_some()).count(),
            0
        );
    }
}
