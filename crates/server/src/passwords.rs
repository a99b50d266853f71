//! argon2id password hashes. Hashing is deliberately slow and takes 19 MiB each, so it runs on
//! the blocking pool behind a bounded queue ([`HashingQueue`]): as many hashes at once as there
//! are cores, a few more waiting, and beyond that the answer is 503 with `Retry-After`.

use std::num::NonZeroUsize;
use std::sync::{Arc, OnceLock};

use anyhow::Context;
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use rand::rngs::OsRng;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use lantern_core::accounts::{personal_words, validate_new_password};
use zxcvbn::Score;

use crate::error::{AppError, AppResult};

/// Hashes that may wait for a free core, per core; a few keep short bursts from being refused.
const WAITING_PER_CORE: usize = 4;
/// What a refused request is told to wait: a hash takes tens of milliseconds.
const RETRY_AFTER_SECONDS: u64 = 1;

/// The lowest zxcvbn score accepted for a new password. 3 is "safely unguessable: moderate
/// protection from an offline slow-hash scenario", which the estimator's authors recommend.
const MIN_SCORE: Score = Score::Three;

/// Checks a new password of the account `email`: the shared rules
/// ([`validate_new_password`]), then how guessable it is with the account's and the portal's
/// words taken into account. The estimator stays on the server: its word lists would more than
/// double the app's download (DEVELOPERS.md). `Err` holds the message for the password field.
pub fn check_strength(password: &str, email: &str) -> Result<(), String> {
    validate_new_password(password, email)?;
    let words = personal_words(email);
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    let estimate = zxcvbn::zxcvbn(password, &words);
    if estimate.score() >= MIN_SCORE {
        return Ok(());
    }
    let advice = estimate
        .feedback()
        .map(ToString::to_string)
        .filter(|advice| !advice.trim().is_empty())
        .unwrap_or_else(|| "Add another word or two; uncommon words are better.".to_owned());
    Err(format!(
        "This password is too easy to guess. {}",
        advice.trim()
    ))
}

/// The PHC string of `password` (argon2id with the crate's OWASP-recommended defaults).
pub fn hash(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|error| anyhow::anyhow!("cannot hash a password: {error}"))
}

/// Whether `password` matches the stored PHC string; a malformed hash never matches.
pub fn verify(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// Admits a bounded number of hashes: `running` at once, `waiting` more in line.
#[derive(Debug, Clone)]
pub struct HashingQueue {
    admitted: Arc<Semaphore>,
    running: Arc<Semaphore>,
    running_limit: usize,
}

impl Default for HashingQueue {
    /// One hash per core, [`WAITING_PER_CORE`] waiting per core.
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, NonZeroUsize::get);
        Self::new(cores, cores * WAITING_PER_CORE)
    }
}

impl HashingQueue {
    pub fn new(running: usize, waiting: usize) -> Self {
        let running = running.max(1);
        Self {
            admitted: Arc::new(Semaphore::new(running + waiting)),
            running: Arc::new(Semaphore::new(running)),
            running_limit: running,
        }
    }

    /// How many hashes run at this moment (never more than the cores).
    pub fn hashing_now(&self) -> usize {
        self.running_limit - self.running.available_permits()
    }

    /// A place in the queue, or `overloaded` (503) when it is full. Taken before anything else
    /// of the request is done, so a refused request costs nothing.
    pub fn admit(&self) -> AppResult<Admitted> {
        let admission = Arc::clone(&self.admitted)
            .try_acquire_owned()
            .map_err(|_| {
                // Debug, not warn: a flood would otherwise flood the log too.
                tracing::debug!(
                    hashing = self.hashing_now(),
                    "the password hashing queue is full; answering 503"
                );
                AppError::overloaded(RETRY_AFTER_SECONDS)
            })?;
        Ok(Admitted {
            admission,
            running: Arc::clone(&self.running),
        })
    }

    /// Hashes `password` once admitted.
    pub async fn hash(&self, password: String) -> AppResult<String> {
        self.admit()?.hash(password).await
    }
}

/// A place in the [`HashingQueue`], for one hash or one verification.
#[derive(Debug)]
pub struct Admitted {
    admission: OwnedSemaphorePermit,
    running: Arc<Semaphore>,
}

impl Admitted {
    pub async fn hash(self, password: String) -> AppResult<String> {
        Ok(self.run(move || hash(&password)).await??)
    }

    /// Verifies against `phc`, or, when there is no account, against a decoy hash so that the
    /// answer takes as long either way and timing does not tell whether an e-mail is known.
    pub async fn verify(self, password: String, phc: Option<String>) -> AppResult<bool> {
        let verified = self.run(move || -> anyhow::Result<bool> {
            match phc {
                Some(phc) => Ok(verify(&password, &phc)),
                None => {
                    verify(&password, decoy_hash()?);
                    Ok(false)
                }
            }
        });
        Ok(verified.await??)
    }

    /// Waits for a free core, then runs `work` on the blocking pool. The permits move into the
    /// blocking task, so a hash whose request went away still counts until it is done.
    async fn run<T: Send + 'static>(
        self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> AppResult<T> {
        let running = self
            .running
            .acquire_owned()
            .await
            .context("the password hashing queue is closed")?;
        let admission = self.admission;
        let done = tokio::task::spawn_blocking(move || {
            let _permits = (admission, running);
            work()
        })
        .await
        .context("the password hashing task failed")?;
        Ok(done)
    }
}

fn decoy_hash() -> anyhow::Result<&'static str> {
    static DECOY: OnceLock<String> = OnceLock::new();
    if let Some(decoy) = DECOY.get() {
        return Ok(decoy);
    }
    let decoy = hash(&crate::tokens::new_token())?;
    Ok(DECOY.get_or_init(|| decoy))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_only() {
        let phc = hash("correct horse battery").unwrap();
        assert!(phc.starts_with("$argon2id$"));
        assert!(verify("correct horse battery", &phc));
        assert!(!verify("wrong horse battery", &phc));
        assert!(!verify("correct horse battery", "not a hash"));
    }

    #[test]
    fn guessable_passwords_are_refused_with_advice() {
        let email = "alice@northwind.example";
        for weak in [
            "aaaaaaaaaa",
            "alice@northwind.example",
            "alicealice1",
            "password123",
            "lantern2025",
            "northwindalice",
        ] {
            let message = check_strength(weak, email).expect_err(weak);
            assert!(!message.trim().is_empty(), "{weak}");
        }
        let message = check_strength("aaaaaaaaaa", email).unwrap_err();
        assert!(message.contains("too easy to guess"), "{message}");
    }

    #[test]
    fn the_default_queue_runs_one_hash_per_core() {
        let queue = HashingQueue::default();
        let cores = std::thread::available_parallelism().unwrap().get();
        assert_eq!(queue.running_limit, cores);
        let admitted: Vec<Admitted> = std::iter::from_fn(|| queue.admit().ok())
            .take(1000)
            .collect();
        assert_eq!(admitted.len(), cores * (1 + WAITING_PER_CORE));
    }

    #[test]
    fn a_full_queue_answers_overloaded() {
        let queue = HashingQueue::new(1, 1);
        let first = queue.admit().unwrap();
        let _second = queue.admit().unwrap();
        let Err(error) = queue.admit() else {
            panic!("a third place was given");
        };
        assert_eq!(error.code(), "overloaded");
        drop(first);
        assert!(queue.admit().is_ok());
    }
}
