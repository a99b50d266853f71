//! Turns what a reader typed into an FTS5 query that can never be a syntax error.
//!
//! Every word becomes a quoted phrase (inside quotes FTS5 treats `-`, `:`, `*`, `(` and
//! keywords such as `NOT` as plain text), and the last word is a prefix match so a query
//! typed halfway (`restore a back`) already finds "Restore a backup".

/// The most characters a query may have; longer ones are refused with a field error.
pub const MAX_QUERY_CHARS: usize = 200;

/// Words beyond this many are ignored: they only make the query slower, not better.
const MAX_WORDS: usize = 12;

/// Whether the words must all match, or any of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Match {
    All,
    Any,
}

/// The FTS5 query for `input`, or `None` when it has nothing searchable (only punctuation).
pub fn fts_query(input: &str, mode: Match) -> Option<String> {
    // Control characters separate words too: FTS5 reads a NUL as the end of the query text and
    // reports an unterminated string.
    let separates = |c: char| c.is_whitespace() || c.is_control();
    let prefix_last = !input.ends_with(separates);
    let words: Vec<&str> = input
        .split(separates)
        .filter(|word| word.chars().any(char::is_alphanumeric))
        .take(MAX_WORDS)
        .collect();
    let last = words.len().checked_sub(1)?;
    let phrases: Vec<String> = words
        .iter()
        .enumerate()
        .map(|(index, word)| {
            let phrase = format!("\"{}\"", word.replace('"', "\"\""));
            if index == last && prefix_last {
                phrase + "*"
            } else {
                phrase
            }
        })
        .collect();
    let separator = match mode {
        Match::All => " ",
        Match::Any => " OR ",
    };
    Some(phrases.join(separator))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_quoted_and_the_last_is_a_prefix() {
        assert_eq!(
            fts_query("restore a back", Match::All).as_deref(),
            Some("\"restore\" \"a\" \"back\"*")
        );
        assert_eq!(
            fts_query("restore backup ", Match::All).as_deref(),
            Some("\"restore\" \"backup\"")
        );
        assert_eq!(
            fts_query("vault sync", Match::Any).as_deref(),
            Some("\"vault\" OR \"sync\"*")
        );
    }

    #[test]
    fn fts_syntax_in_input_is_neutralised() {
        assert_eq!(
            fts_query("HB-1042 \"NOT\" (x OR y*)", Match::All).as_deref(),
            Some("\"HB-1042\" \"\"\"NOT\"\"\" \"(x\" \"OR\" \"y*)\"*")
        );
    }

    #[test]
    fn control_characters_separate_words() {
        assert_eq!(
            fts_query("ý\u{0}8\u{95}m", Match::All).as_deref(),
            Some("\"ý\" \"8\" \"m\"*")
        );
        assert_eq!(
            fts_query("restore\u{0}", Match::All).as_deref(),
            Some("\"restore\"")
        );
    }

    #[test]
    fn nothing_searchable_gives_no_query() {
        assert_eq!(fts_query("", Match::All), None);
        assert_eq!(fts_query("  -- ** \"\" ", Match::All), None);
    }

    #[test]
    fn very_long_queries_are_cut_to_a_few_words() {
        let query = fts_query(&"word ".repeat(50), Match::All).expect("a query");
        assert_eq!(query.matches("\"word\"").count(), MAX_WORDS);
    }
}
