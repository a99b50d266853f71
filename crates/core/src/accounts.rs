//! Rules for account data that the sign-in pages and the server both check, so a person sees
//! the same message beside the form as the API would answer.

/// Shortest password accepted. Length beats composition rules (NIST SP 800-63B).
pub const MIN_PASSWORD_LENGTH: usize = 10;
/// Longest password accepted; keeps hashing cost bounded.
pub const MAX_PASSWORD_LENGTH: usize = 256;
/// The portal's name, which a password must not be.
pub const PORTAL_NAME: &str = "Lantern";
/// Longest display name accepted.
pub const MAX_NAME_LENGTH: usize = 100;

/// Checks a new password; `Err` holds the message to show beside the password field.
pub fn validate_password(password: &str) -> Result<(), String> {
    let length = password.chars().count();
    if length < MIN_PASSWORD_LENGTH {
        return Err(format!(
            "Use at least {MIN_PASSWORD_LENGTH} characters for the password."
        ));
    }
    if length > MAX_PASSWORD_LENGTH {
        return Err(format!(
            "Use at most {MAX_PASSWORD_LENGTH} characters for the password."
        ));
    }
    if password.trim().is_empty() {
        return Err("The password cannot be only spaces.".to_owned());
    }
    Ok(())
}

/// Checks the new password of the account `email`: [`validate_password`], and that it is not
/// the e-mail address, its local part or the portal's name (ignoring case and spaces around).
/// The server also estimates how guessable it is (zxcvbn, told [`personal_words`]).
pub fn validate_new_password(password: &str, email: &str) -> Result<(), String> {
    validate_password(password)?;
    let typed = password.trim().to_lowercase();
    if personal_words(email).contains(&typed) {
        return Err(
            "Choose a password that is not your e-mail address, your name in it or the portal's name."
                .to_owned(),
        );
    }
    Ok(())
}

/// The words that make a password easy to guess for this account: the e-mail address, its
/// local part, the names in its domain (the organisation's, usually) and the portal's name,
/// lower-cased.
pub fn personal_words(email: &str) -> Vec<String> {
    let email = email.trim().to_lowercase();
    let (local, domain) = email.split_once('@').unwrap_or(("", ""));
    let mut words = vec![email.clone(), local.to_owned()];
    // Every label but the top-level one: `northwind` of `northwind.example`.
    words.extend(domain.split('.').rev().skip(1).map(str::to_owned));
    words.push(PORTAL_NAME.to_lowercase());
    words.retain(|word| !word.is_empty());
    words
}

/// Checks a person's display name; `Err` holds the message for the name field.
pub fn validate_name(name: &str) -> Result<(), String> {
    let name = name.trim();
    if name.is_empty() {
        return Err("Enter your name.".to_owned());
    }
    if name.chars().count() > MAX_NAME_LENGTH {
        return Err(format!(
            "Use at most {MAX_NAME_LENGTH} characters for the name."
        ));
    }
    Ok(())
}

/// Checks the shape of an e-mail address (one `@`, a dotted domain, no spaces) and returns it
/// trimmed and lower-cased, the form in which accounts are stored and compared.
pub fn normalise_email(email: &str) -> Result<String, String> {
    let email = email.trim().to_lowercase();
    let invalid = || Err("Enter an e-mail address such as name@example.com.".to_owned());
    let Some((local, domain)) = email.split_once('@') else {
        return invalid();
    };
    let domain_ok = domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@');
    if local.is_empty() || !domain_ok || email.chars().any(char::is_whitespace) || email.len() > 254
    {
        return invalid();
    }
    Ok(email)
}

/// The domain part of a normalised e-mail address.
pub fn email_domain(normalised_email: &str) -> &str {
    normalised_email
        .rsplit_once('@')
        .map_or("", |(_, domain)| domain)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_passwords_are_refused_with_the_minimum_named() {
        let message = validate_password("nine-char").unwrap_err();
        assert!(message.contains("10"), "{message}");
        assert!(validate_password("ten-chars!").is_ok());
    }

    #[test]
    fn blank_and_overlong_passwords_are_refused() {
        assert!(validate_password(&" ".repeat(12)).is_err());
        assert!(validate_password(&"x".repeat(MAX_PASSWORD_LENGTH + 1)).is_err());
    }

    #[test]
    fn a_password_must_not_be_the_address_its_local_part_or_the_portal() {
        let email = "Alice.Andersen@Northwind.example";
        for password in [
            "alice.andersen@northwind.example",
            " ALICE.ANDERSEN ",
            "alice.andersen",
        ] {
            assert!(
                validate_new_password(password, email).is_err(),
                "{password}"
            );
        }
        assert!(
            validate_new_password("short", email)
                .unwrap_err()
                .contains("10")
        );
        assert!(validate_new_password("a-long-password", email).is_ok());
        assert_eq!(
            personal_words(email),
            [
                "alice.andersen@northwind.example",
                "alice.andersen",
                "northwind",
                "lantern"
            ]
        );
    }

    #[test]
    fn names_must_be_present_and_bounded() {
        assert!(validate_name("  ").is_err());
        assert!(validate_name(&"n".repeat(MAX_NAME_LENGTH + 1)).is_err());
        assert!(validate_name("Alice Andersen").is_ok());
    }

    #[test]
    fn emails_are_trimmed_and_lower_cased() {
        assert_eq!(
            normalise_email("  Alice@Northwind.Example ").unwrap(),
            "alice@northwind.example"
        );
        assert_eq!(email_domain("alice@northwind.example"), "northwind.example");
    }

    #[test]
    fn malformed_emails_are_refused() {
        for bad in [
            "",
            "alice",
            "@northwind.example",
            "alice@localhost",
            "a b@c.de",
            "a@b@c.de",
            "a@.de",
        ] {
            assert!(normalise_email(bad).is_err(), "{bad} was accepted");
        }
    }
}
