//! Email addresses: validation with messages a person can act on, and the
//! case-insensitive key under which an address is stored and compared.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The longest address SMTP can carry (RFC 5321: 254 octets in a path).
pub const MAX_LEN: usize = 254;
const MAX_LOCAL_LEN: usize = 64;
const MAX_LABEL_LEN: usize = 63;

/// A syntactically valid address, trimmed, as the person typed it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct EmailAddress(String);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EmailError {
    Empty,
    TooLong,
    Whitespace,
    MissingAt,
    MultipleAt,
    EmptyLocal,
    LocalTooLong,
    BadLocal,
    BadDomain,
}

impl EmailError {
    pub fn message(self) -> &'static str {
        match self {
            EmailError::Empty => "Enter an email address.",
            EmailError::TooLong => {
                "This address is too long: an email address has at most 254 characters."
            }
            EmailError::Whitespace => "An email address cannot contain spaces.",
            EmailError::MissingAt => {
                "An email address needs an @ between the name and the domain, like name@example.com."
            }
            EmailError::MultipleAt => "An email address has exactly one @.",
            EmailError::EmptyLocal => "Add the part before the @, like name@example.com.",
            EmailError::LocalTooLong => {
                "The part before the @ is too long (at most 64 characters)."
            }
            EmailError::BadLocal => {
                "The part before the @ contains characters an email address cannot have."
            }
            EmailError::BadDomain => "The part after the @ must be a domain, like example.com.",
        }
    }
}

impl fmt::Display for EmailError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl EmailAddress {
    pub fn parse(input: &str) -> Result<EmailAddress, EmailError> {
        let value = input.trim();
        if value.is_empty() {
            return Err(EmailError::Empty);
        }
        if value.chars().count() > MAX_LEN {
            return Err(EmailError::TooLong);
        }
        if value.chars().any(char::is_whitespace) {
            return Err(EmailError::Whitespace);
        }
        let mut parts = value.split('@');
        let (local, domain) = match (parts.next(), parts.next(), parts.next()) {
            (Some(l), Some(d), None) => (l, d),
            (_, None, _) => return Err(EmailError::MissingAt),
            _ => return Err(EmailError::MultipleAt),
        };
        if local.is_empty() {
            return Err(EmailError::EmptyLocal);
        }
        if local.chars().count() > MAX_LOCAL_LEN {
            return Err(EmailError::LocalTooLong);
        }
        if !valid_local(local) {
            return Err(EmailError::BadLocal);
        }
        if !valid_domain(domain) {
            return Err(EmailError::BadDomain);
        }
        Ok(EmailAddress(value.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The comparison key: the whole address in lower case (Unicode-aware, so
    /// internationalized domains compare as people expect).
    pub fn key(&self) -> String {
        self.0.to_lowercase()
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn valid_local(local: &str) -> bool {
    const SPECIALS: &str = "!#$%&'*+-/=?^_`{|}~.";
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return false;
    }
    local
        .chars()
        .all(|c| c.is_alphanumeric() || SPECIALS.contains(c) || (!c.is_ascii() && !c.is_control()))
}

fn valid_domain(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2 {
        return false;
    }
    let label_ok = |label: &&str| {
        !label.is_empty()
            && label.chars().count() <= MAX_LABEL_LEN
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|c| {
                c.is_ascii_alphanumeric() || c == '-' || (!c.is_ascii() && c.is_alphanumeric())
            })
    };
    let tld = labels[labels.len() - 1];
    labels.iter().all(label_ok) && !tld.chars().all(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(input: &str) -> EmailError {
        EmailAddress::parse(input).unwrap_err()
    }

    #[test]
    fn accepts_ordinary_and_international_addresses() {
        for ok in [
            "ana@example.com",
            "  Ana.Lopez+work@Example.co.uk ",
            "o'brien@sub.example.org",
            "info@bücher.de",
            "用户@例子.广告",
        ] {
            assert!(EmailAddress::parse(ok).is_ok(), "{ok}");
        }
        let email = EmailAddress::parse(" Ana@Example.COM ").unwrap();
        assert_eq!(email.as_str(), "Ana@Example.COM");
        assert_eq!(email.key(), "ana@example.com");
        assert_eq!(
            EmailAddress::parse("X@BÜCHER.DE").unwrap().key(),
            "x@bücher.de"
        );
    }

    #[test]
    fn rejects_with_specific_reasons() {
        assert_eq!(err(""), EmailError::Empty);
        assert_eq!(err("   "), EmailError::Empty);
        assert_eq!(err("ana example.com"), EmailError::Whitespace);
        assert_eq!(err("ana.example.com"), EmailError::MissingAt);
        assert_eq!(err("ana@b@example.com"), EmailError::MultipleAt);
        assert_eq!(err("@example.com"), EmailError::EmptyLocal);
        assert_eq!(err("ana@"), EmailError::BadDomain);
        assert_eq!(err("ana@localhost"), EmailError::BadDomain);
        assert_eq!(err("ana@-bad.com"), EmailError::BadDomain);
        assert_eq!(err("ana@1.2.3.4"), EmailError::BadDomain);
        assert_eq!(err("<script>@x.com"), EmailError::BadLocal);
        assert_eq!(err("a..b@x.com"), EmailError::BadLocal);
        assert_eq!(
            err(&format!("{}@x.com", "a".repeat(65))),
            EmailError::LocalTooLong
        );
        assert_eq!(
            err(&format!("a@{}.com", "b".repeat(300))),
            EmailError::TooLong
        );
    }
}
