//! Password rules that need no server: length. (The common-password check
//! runs on the server, which holds the list.)

pub const MIN_CHARS: usize = 8;
pub const MAX_CHARS: usize = 1024;

pub fn check_length(password: &str) -> Result<(), &'static str> {
    let n = password.chars().count();
    if n < MIN_CHARS {
        Err("Use at least 8 characters.")
    } else if n > MAX_CHARS {
        Err("Use at most 1024 characters.")
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_bounds_count_characters_not_bytes() {
        assert!(check_length("1234567").is_err());
        assert!(check_length("12345678").is_ok());
        assert!(check_length(&"é".repeat(1024)).is_ok());
        assert!(check_length(&"a".repeat(1025)).is_err());
    }
}
