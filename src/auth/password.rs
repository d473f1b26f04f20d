//! Password hashing with argon2id at OWASP's settings (19 MiB, t=2, p=1), off
//! the async threads and bounded so a burst of log-ins cannot exhaust memory.

use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier as _, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use rand::rngs::OsRng;
use std::sync::{Arc, OnceLock};
use tokio::sync::Semaphore;

#[derive(Clone, Debug)]
pub struct Hasher {
    permits: Arc<Semaphore>,
}

fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("valid argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

impl Hasher {
    pub fn new(concurrency: usize) -> Hasher {
        Hasher {
            permits: Arc::new(Semaphore::new(concurrency.max(1))),
        }
    }

    pub async fn hash(&self, password: &str) -> String {
        let password = password.to_owned();
        self.run(move || {
            let salt = SaltString::generate(&mut OsRng);
            argon2()
                .hash_password(password.as_bytes(), &salt)
                .expect("argon2 hashing cannot fail")
                .to_string()
        })
        .await
    }

    /// True when `password` matches `hash`. With no hash (unknown account) it
    /// still spends the same time, so timing does not reveal whether an account exists.
    pub async fn verify(&self, password: &str, hash: Option<&str>) -> bool {
        let password = password.to_owned();
        let hash = hash.map(str::to_owned);
        self.run(move || {
            let stored = hash.as_deref().unwrap_or_else(|| dummy_hash());
            match PasswordHash::new(stored) {
                Ok(parsed) => {
                    argon2()
                        .verify_password(password.as_bytes(), &parsed)
                        .is_ok()
                        && hash.is_some()
                }
                Err(_) => false,
            }
        })
        .await
    }

    async fn run<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> T {
        let _permit = self
            .permits
            .acquire()
            .await
            .expect("the hashing semaphore is never closed");
        tokio::task::spawn_blocking(work)
            .await
            .expect("password hashing panicked")
    }
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        let salt = SaltString::generate(&mut OsRng);
        argon2()
            .hash_password(b"not a real password", &salt)
            .expect("argon2")
            .to_string()
    })
}

/// Length rules plus a list of about 100,000 common passwords.
pub fn check_strength(password: &str) -> Result<(), &'static str> {
    crate::domain::password::check_length(password)?;
    if passwords::analyzer::is_common_password(password)
        || passwords::analyzer::is_common_password(password.to_lowercase())
    {
        return Err(
            "This password is one of the most common ones and easy to guess. Choose another.",
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_and_use_owasp_parameters() {
        let hasher = Hasher::new(2);
        let hash = hasher.hash("correct horse battery").await;
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(hasher.verify("correct horse battery", Some(&hash)).await);
        assert!(!hasher.verify("wrong horse battery", Some(&hash)).await);
        assert!(!hasher.verify("correct horse battery", None).await);
        assert!(!hasher.verify("x", Some("not a hash")).await);
    }

    #[test]
    fn common_passwords_are_refused() {
        assert!(check_strength("password").is_err());
        assert!(
            check_strength("Password1").is_err(),
            "case does not make a common password rare"
        );
        assert!(check_strength("qwertyuiop").is_err());
        assert!(check_strength("short").is_err());
        assert!(check_strength("plum-river-47-lantern").is_ok());
    }
}
