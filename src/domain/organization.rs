//! Organization names and URL slugs.

pub const MAX_NAME_CHARS: usize = 100;
const MAX_SLUG_LEN: usize = 48;

/// The messages for one kind of name.
struct NameRules {
    empty: &'static str,
    too_long: &'static str,
    control: &'static str,
}

fn check(input: &str, rules: &NameRules) -> Result<String, &'static str> {
    let name = input.trim();
    if name.is_empty() {
        Err(rules.empty)
    } else if name.chars().count() > MAX_NAME_CHARS {
        Err(rules.too_long)
    } else if name.chars().any(char::is_control) {
        Err(rules.control)
    } else {
        Ok(name.to_string())
    }
}

/// Trims and checks an organization name.
pub fn check_name(input: &str) -> Result<String, &'static str> {
    check(
        input,
        &NameRules {
            empty: "Enter the organization's name.",
            too_long: "Keep the name to 100 characters or fewer.",
            control: "The name cannot contain control characters.",
        },
    )
}

/// Trims and checks a person's name.
pub fn check_person_name(input: &str) -> Result<String, &'static str> {
    check(
        input,
        &NameRules {
            empty: "Enter your name.",
            too_long: "Keep your name to 100 characters or fewer.",
            control: "Your name cannot contain control characters.",
        },
    )
}

/// Trims and checks a sub-account's name.
pub fn check_sub_account_name(input: &str) -> Result<String, &'static str> {
    check(
        input,
        &NameRules {
            empty: "Enter the sub-account's name.",
            too_long: "Keep the name to 100 characters or fewer.",
            control: "The name cannot contain control characters.",
        },
    )
}

/// A URL-safe slug: lower-case ASCII letters, digits and single hyphens.
pub fn slugify(name: &str) -> String {
    let mut slug = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        let c = fold_accent(c);
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
        if slug.len() >= MAX_SLUG_LEN {
            break;
        }
    }
    let slug = slug.trim_matches('-').to_string();
    if slug.is_empty() {
        "org".to_string()
    } else {
        slug
    }
}

/// The candidate slug for the n-th attempt (0 is the plain slug).
pub fn slug_candidate(base: &str, attempt: u32) -> String {
    if attempt == 0 {
        base.to_string()
    } else {
        format!("{base}-{}", attempt + 1)
    }
}

fn fold_accent(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
        'ç' => 'c',
        'è' | 'é' | 'ê' | 'ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'ñ' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => 'o',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        'ý' | 'ÿ' => 'y',
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(check_name("  Acme  ").unwrap(), "Acme");
        assert!(check_name("   ").is_err());
        assert!(check_name(&"a".repeat(200)).is_err());
        assert!(check_name(&"a".repeat(100)).is_ok());
        assert!(check_person_name("").is_err());
    }

    #[test]
    fn slugs_are_url_safe() {
        assert_eq!(slugify("Acme Corp."), "acme-corp");
        assert_eq!(slugify("  Café Müller & Söhne "), "cafe-muller-sohne");
        assert_eq!(slugify("日本"), "org");
        assert_eq!(
            slugify("<script>alert(1)</script>"),
            "script-alert-1-script"
        );
        assert!(slugify(&"x".repeat(300)).len() <= MAX_SLUG_LEN);
        assert_eq!(slug_candidate("acme", 0), "acme");
        assert_eq!(slug_candidate("acme", 1), "acme-2");
    }
}
