//! Words as every part of the search sees them: runs of letters and digits, lower-cased (the
//! same split as the server engine's tokenizer), and the stop words that never decide whether
//! or how well an article matches.

use std::ops::Range;

/// Words too common in questions to tell one article from another: function words, question
/// words and the filler of a support request ("hi", "please", "since last week"). They are never
/// searched for, never required and never highlighted. Sorted, for [`is_stop_word`].
pub const STOP_WORDS: &[&str] = &[
    "a",
    "about",
    "after",
    "again",
    "ago",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "anymore",
    "anyone",
    "are",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "but",
    "by",
    "can",
    "cannot",
    "cant",
    "could",
    "couldn",
    "couldnt",
    "d",
    "dear",
    "did",
    "didn",
    "didnt",
    "do",
    "does",
    "doesn",
    "doesnt",
    "doing",
    "don",
    "dont",
    "during",
    "each",
    "either",
    "else",
    "even",
    "ever",
    "every",
    "for",
    "from",
    "get",
    "gets",
    "getting",
    "got",
    "had",
    "hadn",
    "has",
    "hasn",
    "have",
    "haven",
    "having",
    "he",
    "hello",
    "her",
    "here",
    "hey",
    "hi",
    "him",
    "his",
    "how",
    "i",
    "if",
    "im",
    "in",
    "into",
    "is",
    "isn",
    "isnt",
    "it",
    "its",
    "itself",
    "ive",
    "just",
    "keep",
    "keeps",
    "kind",
    "know",
    "last",
    "lately",
    "let",
    "ll",
    "m",
    "may",
    "me",
    "might",
    "mine",
    "month",
    "months",
    "more",
    "most",
    "much",
    "must",
    "my",
    "myself",
    "need",
    "needs",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "ok",
    "okay",
    "on",
    "once",
    "only",
    "or",
    "other",
    "our",
    "ours",
    "ourselves",
    "please",
    "re",
    "really",
    "recently",
    "regards",
    "s",
    "same",
    "seem",
    "seems",
    "shall",
    "she",
    "should",
    "shouldn",
    "since",
    "so",
    "some",
    "somebody",
    "someone",
    "something",
    "still",
    "such",
    "suddenly",
    "t",
    "than",
    "thank",
    "thanks",
    "that",
    "thats",
    "the",
    "their",
    "theirs",
    "them",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "though",
    "thx",
    "to",
    "today",
    "too",
    "tried",
    "try",
    "trying",
    "us",
    "ve",
    "very",
    "wanna",
    "want",
    "wants",
    "was",
    "wasn",
    "we",
    "week",
    "weeks",
    "were",
    "weren",
    "what",
    "whats",
    "when",
    "where",
    "whether",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "won",
    "wont",
    "would",
    "wouldn",
    "yesterday",
    "yet",
    "you",
    "your",
    "yours",
    "yourself",
];

/// Whether `word` (lower-cased) is a stop word.
pub fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.binary_search(&word).is_ok()
}

/// One word of a text, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// Lower-cased.
    pub text: String,
    /// Byte range of the word in the original text.
    pub start: usize,
    pub end: usize,
}

/// The words of `text`: runs of letters and digits (so `HB-1042` is `hb` and `1042`, and
/// `can't` is `can` and `t`), lower-cased.
pub fn words(text: &str) -> impl Iterator<Item = Word> + '_ {
    word_spans(text).map(|span| Word {
        text: text[span.clone()].to_lowercase(),
        start: span.start,
        end: span.end,
    })
}

/// Where the [`words`] of `text` are (byte ranges), without lower-casing them: for callers that
/// only cut the text, such as a snippet skipping to its window.
pub fn word_spans(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut chars = text.char_indices().peekable();
    std::iter::from_fn(move || {
        let (start, _) = chars.by_ref().find(|(_, ch)| ch.is_alphanumeric())?;
        let mut end = text.len();
        while let Some(&(index, ch)) = chars.peek() {
            if !ch.is_alphanumeric() {
                end = index;
                break;
            }
            chars.next();
        }
        Some(start..end)
    })
}

/// The lower-cased words of `text` that are worth searching for, in order.
pub fn search_words(text: &str) -> Vec<String> {
    words(text)
        .map(|word| word.text)
        .filter(|word| !is_stop_word(word))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stop_words_are_sorted_lower_case_and_unique() {
        assert!(STOP_WORDS.windows(2).all(|pair| pair[0] < pair[1]));
        assert!(
            STOP_WORDS
                .iter()
                .all(|word| word.chars().all(|ch| ch.is_ascii_lowercase()))
        );
    }

    #[test]
    fn words_are_runs_of_letters_and_digits() {
        let found: Vec<(String, usize, usize)> = words("Error HB-1042: can't reach Überwachung")
            .map(|word| (word.text, word.start, word.end))
            .collect();
        let texts: Vec<&str> = found.iter().map(|(text, ..)| text.as_str()).collect();
        assert_eq!(
            texts,
            ["error", "hb", "1042", "can", "t", "reach", "überwachung"]
        );
        let (_, start, end) = &found[6];
        assert_eq!(
            &"Error HB-1042: can't reach Überwachung"[*start..*end],
            "Überwachung"
        );
    }

    #[test]
    fn filler_does_not_decide_a_search() {
        assert_eq!(
            search_words("Hi, my backup is slow since last week, thanks!"),
            ["backup", "slow"]
        );
        assert!(search_words("how do I ...").is_empty());
    }
}
