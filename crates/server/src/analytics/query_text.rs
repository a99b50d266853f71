//! What is kept of a query: lower-cased, whitespace collapsed, and the parts that could name a
//! person replaced by placeholders. Customers paste whatever they have into a search box: their
//! e-mail address, a link to their own system, a phone, card, order or licence number.

/// Stands for an e-mail address.
pub const EMAIL: &str = "<email>";
/// Stands for a URL (anything with a scheme, or starting with `www.`).
pub const URL: &str = "<url>";
/// Stands for a run of [`LONG_NUMBER_DIGITS`] or more digits, spaces and dashes inside it
/// included (`+1 555 010 4477`, `4111-1111-1111-1111`).
pub const NUMBER: &str = "<number>";
/// Error codes (`HB-4004`), versions (`8.2.1`) and years stay; phone, card and order numbers
/// have more digits than this.
pub const LONG_NUMBER_DIGITS: usize = 6;
/// The longest text kept, in characters (queries are at most 200 characters anyway).
pub const MAX_CHARS: usize = 200;

/// The query as analytics keeps it. Searching "Backup  FAILS for bob@example.com" and "backup
/// fails for <email>" count as the same search.
pub fn normalise(query: &str) -> String {
    let words: Vec<String> = query
        .split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|word| !word.is_empty())
        .map(|word| redact_word(&word.to_lowercase()))
        .collect();
    let text = redact_long_numbers(&words.join(" "));
    match text.char_indices().nth(MAX_CHARS) {
        Some((cut, _)) => text[..cut].trim_end().to_owned(),
        None => text,
    }
}

/// Replaces the e-mail addresses and URLs inside one word, keeping what surrounds them
/// (`(bob@example.com),` becomes `(<email>),`, `=hyperlink("https://x.example")` becomes
/// `=hyperlink("<url>")`).
fn redact_word(word: &str) -> String {
    let mut out = String::new();
    let mut rest = word;
    while let Some((start, end, placeholder)) = first_sensitive_span(rest) {
        if end <= start {
            break; // cannot happen (every span holds a letter); never loop on an empty one
        }
        out.push_str(&rest[..start]);
        out.push_str(placeholder);
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// The byte span of the first URL or e-mail address in `word`, with its placeholder.
fn first_sensitive_span(word: &str) -> Option<(usize, usize, &'static str)> {
    let url = url_start(word).map(|start| (start, url_end(word, start), URL));
    let email = email_span(word).map(|(start, end)| (start, end, EMAIL));
    match (url, email) {
        (Some(url), Some(email)) => Some(if url.0 <= email.0 { url } else { email }),
        (url, email) => url.or(email),
    }
}

/// Where a URL starts: a scheme before `://` (`https://`, `smb://`), `mailto:`, or `www.` at
/// the start of a word part.
fn url_start(word: &str) -> Option<usize> {
    let with_scheme = word.match_indices("://").find_map(|(index, _)| {
        let scheme_start = word[..index]
            .char_indices()
            .rev()
            .take_while(|(_, c)| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
            .last()
            .map(|(start, _)| start)?;
        (index + 3 < word.len()).then_some(scheme_start)
    });
    let at_part_start = |index: usize| {
        word[..index]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric())
    };
    let named = ["mailto:", "www."].into_iter().find_map(|prefix| {
        word.match_indices(prefix)
            .map(|(index, _)| index)
            .find(|index| at_part_start(*index) && index + prefix.len() < word.len())
    });
    match (with_scheme, named) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Where the URL starting at `start` ends: at a character no URL holds unencoded (a quote or
/// an angle bracket), without the punctuation that closes a sentence or a bracket.
fn url_end(word: &str, start: usize) -> usize {
    let rest = &word[start..];
    let url = rest
        .find(['"', '<', '>', '`'])
        .map_or(rest, |end| &rest[..end]);
    start + url.trim_end_matches(is_closing_punctuation).len()
}

fn is_closing_punctuation(c: char) -> bool {
    matches!(
        c,
        ')' | ']' | '}' | '>' | '"' | '\'' | ',' | ';' | ':' | '!' | '?' | '.'
    )
}

/// `local@domain` with something on both sides: `@mentions` and a lone `@` are not addresses,
/// `root@fileserver` without a dot still names someone.
fn email_span(word: &str) -> Option<(usize, usize)> {
    word.match_indices('@').find_map(|(at, _)| {
        let start = word[..at]
            .char_indices()
            .rev()
            .take_while(|(_, c)| {
                c.is_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-' | '\'')
            })
            .last()
            .map(|(start, _)| start)?;
        let domain = word[at + 1..]
            .char_indices()
            .take_while(|(_, c)| c.is_alphanumeric() || matches!(c, '.' | '-'))
            .last()
            .map(|(index, c)| at + 1 + index + c.len_utf8())?;
        let end = at + 1 + word[at + 1..domain].trim_end_matches(['.', '-']).len();
        (end > at + 1).then_some((start, end))
    })
}

/// Replaces each run of digits (with the spaces, dashes, dots, slashes, brackets and plus signs
/// people write between groups) holding [`LONG_NUMBER_DIGITS`] or more digits.
fn redact_long_numbers(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut index = 0;
    while index < chars.len() {
        let Some((end, digits)) = number_run(&chars, index) else {
            out.push(chars[index]);
            index += 1;
            continue;
        };
        if digits >= LONG_NUMBER_DIGITS {
            out.push_str(NUMBER);
        } else {
            out.extend(&chars[index..end]);
        }
        index = end;
    }
    out
}

/// The end of the number run starting at `start` and its digit count, when one starts there:
/// a digit, or `+`/`(` right before one.
fn number_run(chars: &[char], start: usize) -> Option<(usize, usize)> {
    let mut index = start;
    while index < chars.len() && matches!(chars[index], '+' | '(') {
        index += 1;
    }
    if !chars.get(index).is_some_and(|c| c.is_numeric()) {
        return None;
    }
    let (mut end, mut digits) = (index, 0);
    while index < chars.len() {
        if chars[index].is_numeric() {
            digits += 1;
            index += 1;
            end = index;
            continue;
        }
        // Up to two separators ("- ", ") ") may join digit groups; anything else ends the run.
        let separators = chars[index..]
            .iter()
            .take_while(|c| is_number_separator(**c))
            .count();
        if separators == 0
            || separators > 2
            || !chars
                .get(index + separators)
                .is_some_and(|c| c.is_numeric())
        {
            break;
        }
        index += separators;
    }
    Some((end, digits))
}

fn is_number_separator(c: char) -> bool {
    matches!(c, ' ' | '-' | '.' | '/' | '(' | ')' | '+')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lower_cases_and_collapses_whitespace() {
        assert_eq!(normalise("  Backup\tIS   slow\n"), "backup is slow");
        assert_eq!(normalise("RESTORE a\u{0007}file"), "restore a file");
        assert_eq!(normalise("   "), "");
    }

    #[test]
    fn e_mail_addresses_become_a_placeholder() {
        assert_eq!(
            normalise("reset password for Alice@Northwind.example"),
            "reset password for <email>"
        );
        assert_eq!(normalise("(bob.b+test@example.com),"), "(<email>),");
        assert_eq!(
            normalise("root@fileserver cannot log in"),
            "<email> cannot log in"
        );
        // Not addresses: a mention, a lone at-sign.
        assert_eq!(normalise("@admins can't see it"), "@admins can't see it");
        assert_eq!(normalise("meet @ noon"), "meet @ noon");
        assert_eq!(
            normalise("cc:a@x.example,b@y.example"),
            "cc:<email>,<email>"
        );
    }

    #[test]
    fn urls_become_a_placeholder() {
        assert_eq!(
            normalise("error on https://backup.contoso.example/tenant/42?token=abc"),
            "error on <url>"
        );
        assert_eq!(normalise("www.contoso.example is down"), "<url> is down");
        assert_eq!(normalise("smb://nas01/share fails"), "<url> fails");
        assert_eq!(normalise("mailto:carl@contoso.example"), "<url>");
        assert_eq!(normalise("what is ://"), "what is ://");
        assert_eq!(
            normalise("=HYPERLINK(\"https://evil.example/x\")"),
            "=hyperlink(\"<url>\")"
        );
        assert_eq!(normalise("see(https://x.example)."), "see(<url>).");
        assert_eq!(
            normalise("=HYPERLINK(\"https://evil.example\",\"win\")"),
            "=hyperlink(\"<url>\",\"win\")"
        );
    }

    #[test]
    fn long_digit_runs_become_a_placeholder() {
        assert_eq!(normalise("order 1234567 missing"), "order <number> missing");
        assert_eq!(
            normalise("call me at +1 (555) 010-4477"),
            "call me at <number>"
        );
        assert_eq!(
            normalise("card 4111 1111 1111 1111 declined"),
            "card <number> declined"
        );
        assert_eq!(normalise("invoice INV-20250303-17"), "invoice inv-<number>");
        assert_eq!(normalise("ord123456"), "ord<number>");
        assert_eq!(
            normalise("server 192.168.10.20 unreachable"),
            "server <number> unreachable"
        );
    }

    #[test]
    fn short_numbers_codes_and_versions_stay() {
        assert_eq!(normalise("error HB-4004"), "error hb-4004");
        assert_eq!(normalise("upgrade to 8.2.1"), "upgrade to 8.2.1");
        assert_eq!(normalise("windows 10 22h2"), "windows 10 22h2");
        assert_eq!(normalise("since 2024"), "since 2024");
        assert_eq!(normalise("12345"), "12345");
        assert_eq!(normalise("a 40 % stall"), "a 40 % stall");
    }

    #[test]
    fn odd_input_ends_and_keeps_no_address() {
        for input in [
            "https://\"",
            "@@@",
            "a@",
            "@b",
            "www.",
            "mailto:",
            "://",
            ".://\"",
            "a@b@c",
            "((((",
            "+((",
            "1-",
            "--1--2--3--4--5--6",
        ] {
            let kept = normalise(input);
            assert!(kept.chars().count() <= MAX_CHARS, "{input:?}");
            assert!(!kept.contains("a@b"), "{input:?} -> {kept:?}");
        }
        assert_eq!(normalise("a@b@c"), "<email>@c");
        assert_eq!(normalise("--1--2--3--4--5--6"), "--<number>");
    }

    #[test]
    fn the_kept_text_is_bounded() {
        let long = "word ".repeat(100);
        let kept = normalise(&long);
        assert!(kept.chars().count() <= MAX_CHARS, "{}", kept.len());
        assert!(kept.starts_with("word word"));
        assert!(!kept.ends_with(' '));
    }

    #[test]
    fn multi_byte_text_is_cut_on_character_boundaries() {
        let text = "ü".repeat(300);
        assert_eq!(normalise(&text).chars().count(), MAX_CHARS);
        assert_eq!(normalise("ÉCHEC de SAUVEGARDE"), "échec de sauvegarde");
    }
}
