//! argon2id password hashes. Hashing is deliberately slow, so it runs on the blocking pool.

use std::sync::OnceLock;

use anyhow::Context;
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use lantern_core::accounts::{personal_words, validate_new_password};
use rand::rngs::OsRng;
use zxcvbn::Score;

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

pub async fn hash_async(password: String) -> anyhow::Result<String> {
    tokio::task::spawn_blocking(move || hash(&password))
        .await
        .context("the password hashing task failed")?
}

/// Verifies against `phc`, or, when there is no account, against a decoy hash so that the
/// answer takes as long either way and timing does not tell whether an e-mail is known.
pub async fn verify_async(password: String, phc: Option<String>) -> anyhow::Result<bool> {
    tokio::task::spawn_blocking(move || match phc {
        Some(phc) => Ok(verify(&password, &phc)),
        None => {
            let decoy = decoy_hash()?;
            verify(&password, decoy);
            Ok(false)
        }
    })
    .await
    .context("the password verification task failed")?
}

fn decoy_hash() -> anyhow::Result<&'static str> {
    static DECOY: OnceLock<String> = OnceLock::new();
    if let Some(decoy) = DECOY.get() {
        return Ok(decoy);
    }
    let decoy = hash(&crate::auth::new_token())?;
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
    fn the_passwords_of_the_demo_and_the_tests_are_strong_enough() {
        for (password, email) in [
            (crate::seed::DEMO_PASSWORD, "alice@northwind.example"),
            ("a-long-password", "nina@northwind.example"),
        ] {
            assert_eq!(check_strength(password, email), Ok(()), "{password}");
        }
    }
}
