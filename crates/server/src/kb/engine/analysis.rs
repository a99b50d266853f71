//! How the engine turns text into terms: the words of `lantern_core::search::words` (letters
//! and digits, lower-cased), without its stop words, stemmed with Snowball's English stemmer.
//! Articles are indexed and questions are read through the same rules.

use lantern_core::search::words::STOP_WORDS;
use tantivy::tokenizer::{
    Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, StopWordFilter, TextAnalyzer,
};

/// The names the analyzers are registered under in the index's tokenizer manager.
pub const ANALYZER: &str = "lantern_english";
pub const WORDS_ANALYZER: &str = "lantern_words";

/// Longer "words" are base64, hashes or paths run together: nobody searches for them.
const MAX_WORD_BYTES: usize = 40;

/// The analyzer of every searched field.
pub fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_WORD_BYTES))
        .filter(LowerCaser)
        .filter(stop_words())
        .filter(Stemmer::new(Language::English))
        .build()
}

/// The words as written (lower-cased, unstemmed): the vocabulary typos and unfinished words
/// are looked up in, since a typo often defeats the stemmer ("deduplicaton").
pub fn words_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_WORD_BYTES))
        .filter(LowerCaser)
        .filter(stop_words())
        .build()
}

fn stop_words() -> StopWordFilter {
    StopWordFilter::remove(STOP_WORDS.iter().map(|word| (*word).to_owned()))
}

/// Stems lower-cased words exactly as the analyzer does.
pub struct WordStemmer(frostem::Stemmer);

impl Default for WordStemmer {
    fn default() -> Self {
        Self(frostem::Stemmer::new(frostem::Algorithm::English))
    }
}

impl WordStemmer {
    pub fn stem(&self, lower_cased_word: &str) -> String {
        self.0.stem(lower_cased_word).into_owned()
    }
}

/// Whether a word is too long to have been indexed.
pub fn is_indexable(word: &str) -> bool {
    word.len() < MAX_WORD_BYTES
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::tokenizer::TokenStream;

    fn terms(text: &str) -> Vec<String> {
        let mut analyzer = analyzer();
        let mut stream = analyzer.token_stream(text);
        let mut terms = Vec::new();
        while stream.advance() {
            terms.push(stream.token().text.clone());
        }
        terms
    }

    #[test]
    fn stop_words_go_and_the_rest_is_stemmed() {
        assert_eq!(
            terms("Backups are slow since the last week: HB-1042"),
            ["backup", "slow", "hb", "1042"]
        );
    }

    #[test]
    fn the_word_stemmer_agrees_with_the_analyzer() {
        let stemmer = WordStemmer::default();
        for word in [
            "restoring",
            "recovered",
            "synchronisation",
            "licences",
            "überwachung",
        ] {
            assert_eq!(terms(word), [stemmer.stem(word)], "{word}");
        }
    }
}
