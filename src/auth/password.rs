//! Password hashing with argon2id at OWASP's settings (19 MiB, t=2, p=1), on
//! its own few threads, so a burst of log-ins can neither exhaust memory nor
//! starve the pages.

use argon2::password_hash::{Output, ParamsString, PasswordHash, Salt, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use rand::rngs::OsRng;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Instant;

/// How much nicer than the server the hashing threads run: when pages and hashes both want the CPU,
/// pages come first (a log-in storm barely moves a page's latency); with
/// nothing else to do, hashes get every cycle.
pub const HASH_NICENESS: i32 = 10;

type Job = Box<dyn FnOnce(&mut Vec<Block>) + Send>;

/// Hashes and verifies passwords on `concurrency` threads of its own. Each
/// thread owns one 19 MiB block buffer, allocated at its first hash and reused
/// by every hash after: memory stays at `concurrency` buffers however many
/// log-ins arrive, and no hash pays to allocate and zero a fresh one. Hashes
/// waiting for a thread, and how long they waited, are metrics. The threads
/// end when the last clone of the hasher is dropped.
#[derive(Clone, Debug)]
pub struct Hasher {
    jobs: mpsc::Sender<Job>,
}

fn params() -> Params {
    Params::new(19 * 1024, 2, 1, None).expect("valid argon2 parameters")
}

fn argon2() -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params())
}

impl Hasher {
    pub fn new(concurrency: usize) -> Hasher {
        let (jobs, queue) = mpsc::channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        for i in 0..concurrency.max(1) {
            let queue = queue.clone();
            std::thread::Builder::new()
                .name(format!("consort-hash-{i}"))
                .spawn(move || work_through(&queue))
                .expect("start a hashing thread");
        }
        Hasher { jobs }
    }

    pub async fn hash(&self, password: &str) -> String {
        let password = password.to_owned();
        self.run(move |blocks| {
            let salt = SaltString::generate(&mut OsRng);
            hash_with(blocks, password.as_bytes(), salt.as_salt())
                .expect("argon2 hashing cannot fail")
        })
        .await
    }

    /// True when `password` matches `hash`. With no hash (unknown account) it
    /// still spends the same time, so timing does not reveal whether an account exists.
    pub async fn verify(&self, password: &str, hash: Option<&str>) -> bool {
        let password = password.to_owned();
        let hash = hash.map(str::to_owned);
        self.run(move |blocks| {
            let stored = hash.as_deref().unwrap_or_else(|| dummy_hash());
            verify_with(blocks, password.as_bytes(), stored) && hash.is_some()
        })
        .await
    }

    /// Runs `work` on a hashing thread with that thread's buffer.
    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Vec<Block>) -> T + Send + 'static,
    ) -> T {
        let waiting = metrics::gauge!("consort_password_hashes_waiting");
        waiting.increment(1);
        let queued = Instant::now();
        let (done, result) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move |blocks| {
            waiting.decrement(1);
            metrics::histogram!("consort_password_hash_wait_seconds")
                .record(queued.elapsed().as_secs_f64());
            let _ = done.send(work(blocks));
        });
        self.jobs
            .send(job)
            .expect("the hashing threads live as long as the hasher");
        result.await.expect("password hashing panicked")
    }
}

/// A hashing thread: lowers its priority, then runs jobs until the hasher is
/// gone. A job that panics fails its own caller, not the thread.
fn work_through(queue: &Mutex<mpsc::Receiver<Job>>) {
    lower_priority();
    let mut blocks: Vec<Block> = Vec::new();
    loop {
        let job = lock(queue).recv();
        let Ok(job) = job else { return };
        let _ = catch_unwind(AssertUnwindSafe(|| job(&mut blocks)));
        // A hash stored at larger parameters grew the buffer: back to our size.
        let ours = params().block_count();
        if blocks.len() > ours {
            blocks.truncate(ours);
            blocks.shrink_to_fit();
        }
    }
}

/// This thread's nice value, `HASH_NICENESS` above the server's own (at most 19).
#[cfg(target_os = "linux")]
fn lower_priority() {
    let nice = (thread_nice() + HASH_NICENESS).min(19);
    // SAFETY: on Linux, setpriority(PRIO_PROCESS, 0, n) sets the nice value of
    // the calling thread only; it reads and writes no memory of ours.
    let _ = unsafe { libc::setpriority(libc::PRIO_PROCESS, 0, nice) };
}

/// The calling thread's nice value.
#[cfg(target_os = "linux")]
fn thread_nice() -> i32 {
    // SAFETY: getpriority(PRIO_PROCESS, 0) reads the calling thread's nice value.
    unsafe { libc::getpriority(libc::PRIO_PROCESS, 0) }
}

#[cfg(not(target_os = "linux"))]
fn lower_priority() {}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// `blocks` grown (once) to what `params` needs.
fn memory_for<'b>(blocks: &'b mut Vec<Block>, params: &Params) -> &'b mut [Block] {
    if blocks.len() < params.block_count() {
        blocks.resize(params.block_count(), Block::default());
    }
    &mut blocks[..params.block_count()]
}

/// `password` hashed with `salt` by `argon2` into `out`, in `blocks`.
fn hash_into(
    blocks: &mut Vec<Block>,
    argon2: &Argon2<'_>,
    password: &[u8],
    salt: Salt<'_>,
    out: &mut [u8],
) -> Result<(), argon2::password_hash::Error> {
    let mut salt_bytes = [0u8; Salt::MAX_LENGTH];
    let salt_bytes = salt.decode_b64(&mut salt_bytes)?;
    argon2.hash_password_into_with_memory(
        password,
        salt_bytes,
        out,
        memory_for(blocks, argon2.params()),
    )?;
    Ok(())
}

/// The PHC string of `password` hashed with `salt` at our parameters, in `blocks`.
fn hash_with(
    blocks: &mut Vec<Block>,
    password: &[u8],
    salt: Salt<'_>,
) -> Result<String, argon2::password_hash::Error> {
    let argon2 = argon2();
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    hash_into(blocks, &argon2, password, salt, &mut out)?;
    let hash = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(argon2.params())?,
        salt: Some(salt),
        hash: Some(Output::new(&out)?),
    };
    Ok(hash.to_string())
}

/// Whether `password` hashes to `stored` (a PHC string, at whatever argon2
/// parameters it records), compared in constant time. Work that needs more
/// memory than the buffer holds (a hash made with larger parameters) grows it.
fn verify_with(blocks: &mut Vec<Block>, password: &[u8], stored: &str) -> bool {
    let mut check = || -> Result<bool, argon2::password_hash::Error> {
        let parsed = PasswordHash::new(stored)?;
        let algorithm = Algorithm::try_from(parsed.algorithm)?;
        let version = parsed
            .version
            .map(Version::try_from)
            .transpose()?
            .unwrap_or_default();
        let params = Params::try_from(&parsed)?;
        let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
            return Ok(false);
        };
        let argon2 = Argon2::new(algorithm, version, params);
        let mut out = vec![0u8; expected.len()];
        hash_into(blocks, &argon2, password, salt, &mut out)?;
        // `Output`'s equality is constant-time.
        Ok(Output::new(&out)? == expected)
    };
    check().unwrap_or(false)
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        let salt = SaltString::generate(&mut OsRng);
        hash_with(&mut Vec::new(), b"not a real password", salt.as_salt()).expect("argon2")
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

    /// The reused buffers give the argon2 crate's own answers, both ways, and
    /// hashes made at other parameters (smaller or larger) still verify.
    #[tokio::test]
    async fn reused_buffers_agree_with_the_argon2_crate() {
        use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _};
        let hasher = Hasher::new(1);
        for _ in 0..3 {
            let ours = hasher.hash("plum-river-47").await;
            assert!(
                argon2()
                    .verify_password(b"plum-river-47", &PasswordHash::new(&ours).unwrap())
                    .is_ok()
            );
            assert!(
                argon2()
                    .verify_password(b"plum-river-48", &PasswordHash::new(&ours).unwrap())
                    .is_err()
            );
        }
        for m_cost in [8 * 1024, 19 * 1024, 24 * 1024] {
            let params = Params::new(m_cost, 1, 1, None).unwrap();
            let theirs = Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
                .hash_password(b"lantern", &SaltString::generate(&mut OsRng))
                .unwrap()
                .to_string();
            assert!(hasher.verify("lantern", Some(&theirs)).await, "m={m_cost}");
            assert!(
                !hasher.verify("lanterns", Some(&theirs)).await,
                "m={m_cost}"
            );
        }
        // Argon2i and Argon2d hashes verify too.
        for algorithm in [Algorithm::Argon2i, Algorithm::Argon2d] {
            let theirs = Argon2::new(algorithm, Version::V0x13, params())
                .hash_password(b"lantern", &SaltString::generate(&mut OsRng))
                .unwrap()
                .to_string();
            assert!(
                hasher.verify("lantern", Some(&theirs)).await,
                "{algorithm:?}"
            );
        }
    }

    /// The hashing threads run below the pages' priority, and a panic in a
    /// job fails that call, not the thread.
    #[cfg(target_os = "linux")]
    #[tokio::test]
    async fn hashing_threads_yield_to_pages_and_survive_a_panic() {
        let hasher = Hasher::new(1);
        let ours = thread_nice();
        let theirs = hasher.run(|_| thread_nice()).await;
        assert_eq!(theirs, (ours + HASH_NICENESS).min(19));
        let panicked = tokio::spawn({
            let hasher = hasher.clone();
            async move { hasher.run(|_| -> u8 { panic!("a bad job") }).await }
        })
        .await;
        assert!(panicked.is_err());
        assert!(!hasher.verify("x", None).await);
        let hash = hasher.hash("still-working-47").await;
        assert!(hasher.verify("still-working-47", Some(&hash)).await);
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
