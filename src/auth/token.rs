//! Secret tokens (sessions, password resets, invitations): 256 random bits,
//! sent to the person once, stored only as a SHA-256 hash.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use rand::rngs::OsRng;
use sha2::{Digest, Sha256};

/// A fresh token and its hash.
pub fn generate() -> (String, String) {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let hash = hash(&token);
    (token, hash)
}

/// A random number from the operating system (for codes people type).
pub fn random_u64() -> u64 {
    OsRng.next_u64()
}

/// The stored form of a token.
pub fn hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// A token as sent is 43 URL-safe base64 characters; anything else is forged or
/// truncated and need not reach the database.
pub fn looks_valid(token: &str) -> bool {
    token.len() == 43
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_hashed() {
        let (a, ha) = generate();
        let (b, hb) = generate();
        assert_ne!(a, b);
        assert_ne!(ha, hb);
        assert_eq!(a.len(), 43, "32 bytes in unpadded base64");
        assert!(looks_valid(&a));
        assert!(!looks_valid(&a[..42]));
        assert!(!looks_valid(&format!("{}!", &a[..42])));
        assert_eq!(hash(&a), ha);
        assert_eq!(ha.len(), 64);
        assert_ne!(ha, a);
    }
}
