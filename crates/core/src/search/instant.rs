//! Instant search over the knowledge-base index, run on every keystroke in the browser.
//!
//! Each query word must match the article somewhere (word order does not matter): fuzzily in the
//! title (weighted highest), literally in the tags, category or summary, or, for words of
//! [`TYPO_MIN_LEN`] characters or more, within one typo (substitution, insertion, deletion or
//! swap) of the start of a title word. Article bodies are never matched here: that is the
//! server's full-text search.
//!
//! Speed, because a keystroke must stay within a few milliseconds over 10,000 articles:
//! - [`SearchIndex::new`] lower-cases every field once and records bit masks of the characters
//!   each article contains (and of those starting a title word), and hashed sets of neighbouring
//!   character pairs, so most articles are rejected without looking at their text, and a
//!   one-letter word (the first keystroke, which matches nearly everything) is scored from the
//!   masks alone;
//! - every matching article gets a cheap score (word starts, substrings, a greedy subsequence);
//!   only a shortlist of the best is ranked with the skim fuzzy matcher, which is accurate but
//!   costs a dynamic-programming table per article;
//! - when a query only extends the previous one, only the previous matches are searched again,
//!   and the scores of the words that did not change are reused: every rule above can only fail
//!   more often as a word grows or words are added. When a growing last word becomes typo
//!   tolerant, the articles matching the other words are kept, and those that did not match
//!   the shorter word are only checked for a typo.

use std::cmp::Reverse;

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

use crate::api::KbIndexEntry;

/// Query words at least this long may also match a title word with one typo.
pub const TYPO_MIN_LEN: usize = 4;

/// How many cheaply scored articles, at least, the fuzzy matcher ranks per search.
const MIN_SHORTLIST: usize = 64;
/// A skim title score counts this many times: the title outweighs every other field.
const TITLE_WEIGHT: i64 = 3;

/// Scores per query character of the cheap tier, best first. The skim tier replaces the title
/// ones by the matcher's own score times [`TITLE_WEIGHT`] (about 16 to 30 per character).
const TITLE_WORD_PER_CHAR: i64 = 60;
const TITLE_WORD_START_PER_CHAR: i64 = 48;
const TITLE_SUBSTRING_PER_CHAR: i64 = 36;
const TITLE_SUBSEQUENCE_PER_CHAR: i64 = 24;
const TYPO_PER_CHAR: i64 = 20;
const KEYWORD_PER_CHAR: i64 = 12;
const SUMMARY_PER_CHAR: i64 = 8;
/// Extra score per query character when the title contains the query words as one phrase;
/// twice that when the title is exactly the phrase.
const PHRASE_BONUS_PER_CHAR: i64 = 24;

/// Narrows a search to one product and/or one category (exact ids, as in the index).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchFilters {
    pub product: Option<String>,
    pub category: Option<String>,
}

impl SearchFilters {
    fn accepts(&self, entry: &KbIndexEntry) -> bool {
        let product_ok = self
            .product
            .as_deref()
            .is_none_or(|product| entry.products.iter().any(|p| p == product));
        let category_ok = self
            .category
            .as_deref()
            .is_none_or(|category| entry.category == category);
        product_ok && category_ok
    }
}

/// One article that matched, best first in the results of [`SearchIndex::search`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchHit {
    /// Position of the article in the entries given to [`SearchIndex::new`].
    pub entry_index: usize,
    pub score: i64,
    /// Indices of the title's characters (`char`s, not bytes) to highlight, ascending.
    pub title_matches: Vec<usize>,
}

/// The instant search index. Build it once per downloaded index; `search` keeps the previous
/// query's matches to narrow the next keystroke's work.
pub struct SearchIndex {
    entries: Vec<KbIndexEntry>,
    prepared: Vec<PreparedEntry>,
    matcher: SkimMatcherV2,
    previous: Option<PreviousSearch>,
}

/// What `new` precomputes per article.
struct PreparedEntry {
    title: LoweredText,
    title_words: Vec<TitleWord>,
    /// Title words joined by single spaces, for the phrase bonus.
    title_phrase: String,
    /// Tags and category, lower-cased, space separated.
    keywords: LiteralField,
    summary: LiteralField,
    title_mask: u64,
    /// First characters of the title words: every word-start and subsequence match begins with
    /// one of them.
    word_start_mask: u64,
    /// Title words of a single character.
    single_char_word_mask: u64,
    /// Pairs of neighbouring characters in the title, to rule out most substring searches.
    title_pairs: PairSet,
    /// See [`typo_heads`].
    typo_heads: PairSet,
    /// Characters present anywhere in title, keywords or summary.
    any_mask: u64,
}

/// Lower-cased text searched for whole query words, with what is needed to rule most of them
/// out without a substring search: the characters and the pairs of neighbouring characters
/// (hashed into 256 bits) that it contains.
struct LiteralField {
    text: String,
    mask: u64,
    pairs: PairSet,
}

type PairSet = [u64; 4];

/// Lower-cased text that remembers which original character each lower-cased one came from
/// (lower-casing can turn one character into several).
struct LoweredText {
    text: String,
    original_char_index: Vec<usize>,
}

struct TitleWord {
    /// The first of `chars`, kept beside the word: most comparisons stop there, and looking at
    /// `chars` means a cache miss per word.
    first: char,
    chars: Vec<char>,
    mask: u64,
    /// Index of the word's first character in the lower-cased title.
    start: usize,
}

/// One normalised query word.
#[derive(Debug, Clone, PartialEq, Eq)]
struct QueryWord {
    text: String,
    chars: Vec<char>,
    mask: u64,
    pairs: PairSet,
    /// For a single ASCII letter or digit, its character bit: the masks then tell exactly where
    /// it occurs (see [`single_char_score`]).
    single_char_bit: Option<u64>,
}

impl QueryWord {
    fn new(text: String) -> Self {
        let chars: Vec<char> = text.chars().collect();
        let mask = char_mask(&text);
        let pairs = pair_set(&text);
        let single_char_bit = match chars[..] {
            [ch] if ch.is_ascii_lowercase() || ch.is_ascii_digit() => Some(char_bit(ch)),
            _ => None,
        };
        Self {
            text,
            chars,
            mask,
            pairs,
            single_char_bit,
        }
    }

    fn typo_tolerant(&self) -> bool {
        self.chars.len() >= TYPO_MIN_LEN
    }

    fn len(&self) -> i64 {
        self.chars.len() as i64
    }
}

/// An article that matched the previous query, with its cheap scores.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    index: usize,
    /// Sum of the cheap scores of every word but the last.
    settled: i64,
    /// Cheap score of the last word.
    last: i64,
}

/// What one search leaves for the next keystroke. Both lists are in entry order.
struct PreviousSearch {
    words: Vec<QueryWord>,
    filters: SearchFilters,
    /// Articles passing the filters that match every word but the last (`last` is stale).
    settled: Vec<Candidate>,
    /// Those of `settled` that match the last word too.
    matches: Vec<Candidate>,
}

impl SearchIndex {
    pub fn new(entries: Vec<KbIndexEntry>) -> Self {
        let prepared = entries.iter().map(PreparedEntry::new).collect();
        Self {
            entries,
            prepared,
            // The text is lower-cased up front, so the matcher need not fold case.
            matcher: SkimMatcherV2::default().respect_case(),
            previous: None,
        }
    }

    pub fn entries(&self) -> &[KbIndexEntry] {
        &self.entries
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The best `limit` articles matching every word of `query`, best first. An empty query
    /// matches nothing.
    pub fn search(&mut self, query: &str, filters: &SearchFilters, limit: usize) -> Vec<SearchHit> {
        let words = query_words(query);
        if words.is_empty() {
            self.previous = None;
            return Vec::new();
        }
        let current = match self.previous.take() {
            Some(previous) if previous.filters == *filters => self.follow_up(previous, words),
            _ => self.fresh_search(filters.clone(), words),
        };
        // The phrase bonus is left to the fine tier: a title holding the phrase scores at the top
        // of the cheap tier anyway, word by word.
        let cheap: Vec<(i64, usize)> = current
            .matches
            .iter()
            .map(|c| (c.settled + c.last, c.index))
            .collect();
        let hits = self.rank(cheap, &current.words, limit);
        self.previous = Some(current);
        hits
    }

    /// For a query without results: the best `limit` articles matching at least one of its
    /// words, those matching more words first.
    pub fn close_matches(
        &self,
        query: &str,
        filters: &SearchFilters,
        limit: usize,
    ) -> Vec<SearchHit> {
        let words = query_words(query);
        let mut scored = Vec::new();
        for (index, entry) in self.entries.iter().enumerate() {
            if !filters.accepts(entry) {
                continue;
            }
            let word_scores: Vec<i64> = words
                .iter()
                .filter_map(|word| cheap_word_score(&self.prepared[index], word))
                .collect();
            if let Some(best) = word_scores.iter().max() {
                // Matching more words always ranks higher than a better score on fewer words.
                let rank = word_scores.len() as i64 * 1_000_000 + best;
                scored.push((rank, index));
            }
        }
        let best = self.best_of(scored, limit);
        self.hits(best, &words)
    }

    fn fresh_search(&self, filters: SearchFilters, words: Vec<QueryWord>) -> PreviousSearch {
        let settled = self.settle_all(&filters, &words);
        let matches = self.match_last_word(settled.clone(), &words);
        PreviousSearch {
            words,
            filters,
            settled,
            matches,
        }
    }

    /// The search for `words` after a search with the same filters, redoing only what the
    /// change of query requires.
    fn follow_up(&self, previous: PreviousSearch, words: Vec<QueryWord>) -> PreviousSearch {
        if previous.words == words {
            // Typically a trailing space: nothing to match again.
            return previous;
        }
        let same_settled_words =
            previous.words[..previous.words.len() - 1] == words[..words.len() - 1];
        let narrowed = narrows(&previous.words, &words);
        let (settled, matches) = if narrowed && same_settled_words {
            // Only the last word grew.
            let matches = self.match_last_word(previous.matches, &words);
            (previous.settled, matches)
        } else if narrowed {
            let settled = self.settle_grown_query(&previous.words, previous.matches, &words);
            let matches = self.match_last_word(settled.clone(), &words);
            (settled, matches)
        } else if same_settled_words && extends_last_word(&previous.words, &words) {
            // The last word grew into typo tolerance.
            let matches = self.match_grown_last_word(&previous.settled, &previous.matches, &words);
            (previous.settled, matches)
        } else if same_settled_words {
            // The last word was edited or shortened.
            let matches = self.match_last_word(previous.settled.clone(), &words);
            (previous.settled, matches)
        } else {
            return self.fresh_search(previous.filters, words);
        };
        PreviousSearch {
            words,
            filters: previous.filters,
            settled,
            matches,
        }
    }

    /// Candidates for a fresh query: every article passing the filters whose words before the
    /// last all match, with those words' scores settled.
    fn settle_all(&self, filters: &SearchFilters, words: &[QueryWord]) -> Vec<Candidate> {
        let settled_words = &words[..words.len() - 1];
        (0..self.entries.len())
            .filter(|&index| filters.accepts(&self.entries[index]))
            .filter_map(|index| {
                let settled = settled_words
                    .iter()
                    .map(|word| cheap_word_score(&self.prepared[index], word))
                    .sum::<Option<i64>>()?;
                Some(Candidate {
                    index,
                    settled,
                    last: 0,
                })
            })
            .collect()
    }

    /// Candidates for a query that extends the previous one: its matches, with the scores of the
    /// words that became settled added (reusing the previous last word's score if unchanged).
    fn settle_grown_query(
        &self,
        previous_words: &[QueryWord],
        mut matches: Vec<Candidate>,
        words: &[QueryWord],
    ) -> Vec<Candidate> {
        let first_new = previous_words.len() - 1;
        let newly_settled = &words[first_new..words.len() - 1];
        let previous_last_unchanged = newly_settled.first() == previous_words.last();
        matches.retain_mut(|candidate| {
            let added = newly_settled
                .iter()
                .enumerate()
                .map(|(offset, word)| {
                    if offset == 0 && previous_last_unchanged {
                        Some(candidate.last)
                    } else {
                        cheap_word_score(&self.prepared[candidate.index], word)
                    }
                })
                .sum::<Option<i64>>();
            added.map(|added| candidate.settled += added).is_some()
        });
        matches
    }

    /// The candidates that match the last word, with its score.
    fn match_last_word(
        &self,
        mut candidates: Vec<Candidate>,
        words: &[QueryWord],
    ) -> Vec<Candidate> {
        let last_word = &words[words.len() - 1];
        candidates.retain_mut(|candidate| {
            cheap_word_score(&self.prepared[candidate.index], last_word)
                .map(|score| candidate.last = score)
                .is_some()
        });
        candidates
    }

    /// [`Self::match_last_word`] over `settled` when the last word only grew since the search
    /// that left `previous_matches`. The articles that did not match the shorter word match the
    /// longer one nowhere but through a typo (every other rule only fails more often as a word
    /// grows), and that alone is much cheaper to check than everything.
    fn match_grown_last_word(
        &self,
        settled: &[Candidate],
        previous_matches: &[Candidate],
        words: &[QueryWord],
    ) -> Vec<Candidate> {
        let last_word = &words[words.len() - 1];
        let mut previous_matches = previous_matches.iter().map(|c| c.index).peekable();
        settled
            .iter()
            .filter_map(|candidate| {
                let prepared = &self.prepared[candidate.index];
                let last = if previous_matches.next_if_eq(&candidate.index).is_some() {
                    cheap_word_score(prepared, last_word)
                } else {
                    typo_match(prepared, last_word).map(|_| TYPO_PER_CHAR * last_word.len())
                }?;
                Some(Candidate { last, ..*candidate })
            })
            .collect()
    }

    /// Ranks the cheaply scored matches: the best shortlist is scored again with the fuzzy
    /// matcher, and the best `limit` of those become hits.
    fn rank(&self, cheap: Vec<(i64, usize)>, words: &[QueryWord], limit: usize) -> Vec<SearchHit> {
        if limit == 0 {
            return Vec::new();
        }
        let shortlist = self.best_of(cheap, MIN_SHORTLIST.max(limit * 4));
        let phrase = words_phrase(words);
        let fine = shortlist
            .into_iter()
            .filter_map(|(_, index)| {
                let prepared = &self.prepared[index];
                let total = words
                    .iter()
                    .map(|word| self.fine_word_score(prepared, word))
                    .sum::<Option<i64>>()?;
                Some((total + phrase_bonus(prepared, &phrase), index))
            })
            .collect();
        let best = self.best_of(fine, limit);
        self.hits(best, words)
    }

    /// Like [`cheap_word_score`], with the skim matcher scoring the title.
    fn fine_word_score(&self, prepared: &PreparedEntry, word: &QueryWord) -> Option<i64> {
        // The cheap tier decides whether the title matches; the matcher only scores it.
        let title = (word.mask & !prepared.title_mask == 0)
            .then(|| title_match(prepared, word, None))
            .flatten()
            .and_then(|_| self.matcher.fuzzy_match(&prepared.title.text, &word.text))
            .map(|score| score * TITLE_WEIGHT);
        best_with_other_fields(prepared, word, title)
    }

    /// The best `limit` of `scored` (score, entry index), best first. Ties go to shorter titles
    /// (closer matches), then to index order, so equal queries always give equal results.
    fn best_of(&self, scored: Vec<(i64, usize)>, limit: usize) -> Vec<(i64, usize)> {
        if limit == 0 {
            return Vec::new();
        }
        // Selection compares each article several times: look its title length up only once.
        let mut keyed: Vec<(Reverse<i64>, usize, usize)> = scored
            .into_iter()
            .map(|(score, index)| (Reverse(score), self.title_len(index), index))
            .collect();
        if keyed.len() > limit {
            keyed.select_nth_unstable(limit - 1);
            keyed.truncate(limit);
        }
        keyed.sort_unstable();
        keyed
            .into_iter()
            .map(|(Reverse(score), _, index)| (score, index))
            .collect()
    }

    fn hits(&self, best: Vec<(i64, usize)>, words: &[QueryWord]) -> Vec<SearchHit> {
        best.into_iter()
            .map(|(score, entry_index)| SearchHit {
                entry_index,
                score,
                title_matches: Self::title_highlights(&self.prepared[entry_index], words),
            })
            .collect()
    }

    fn title_len(&self, index: usize) -> usize {
        self.prepared[index].title.original_char_index.len()
    }

    /// Original-title character indices matched by any query word.
    fn title_highlights(prepared: &PreparedEntry, words: &[QueryWord]) -> Vec<usize> {
        let mut lowered_indices = Vec::new();
        for word in words {
            if title_match(prepared, word, Some(&mut lowered_indices)).is_some() {
                continue;
            }
            if let Some(range) = typo_match(prepared, word) {
                lowered_indices.extend(range);
            }
        }
        let mut original: Vec<usize> = lowered_indices
            .into_iter()
            .filter_map(|i| prepared.title.original_char_index.get(i).copied())
            .collect();
        original.sort_unstable();
        original.dedup();
        original
    }
}

/// The cheap tier's score of one word in one article, or `None` if it matches nowhere.
fn cheap_word_score(prepared: &PreparedEntry, word: &QueryWord) -> Option<i64> {
    if let Some(bit) = word.single_char_bit {
        return single_char_score(prepared, bit);
    }
    if word.mask & !prepared.any_mask != 0 {
        return best_with_other_fields(prepared, word, None);
    }
    let title = (word.mask & !prepared.title_mask == 0)
        .then(|| title_match(prepared, word, None))
        .flatten();
    best_with_other_fields(prepared, word, title)
}

/// [`cheap_word_score`] of a single ASCII letter or digit, read off the character masks, where
/// such a character has a bit of its own. The first keystroke matches nearly every article, so
/// scanning their text for it would make it the slowest of all.
fn single_char_score(prepared: &PreparedEntry, bit: u64) -> Option<i64> {
    let contains = |mask: u64| mask & bit != 0;
    // A single character matches a title word wholly, or starts it (which is also its only
    // subsequence match), or lies within it; it cannot be a typo.
    let per_char = if contains(prepared.single_char_word_mask) {
        TITLE_WORD_PER_CHAR
    } else if contains(prepared.word_start_mask) {
        TITLE_WORD_START_PER_CHAR
    } else if contains(prepared.title_mask) {
        TITLE_SUBSTRING_PER_CHAR
    } else if contains(prepared.keywords.mask) {
        KEYWORD_PER_CHAR
    } else if contains(prepared.summary.mask) {
        SUMMARY_PER_CHAR
    } else {
        return None;
    };
    Some(per_char)
}

/// Combines a word's title score with its matches in the other fields; a typo is only looked
/// for when the title has no match at all.
fn best_with_other_fields(
    prepared: &PreparedEntry,
    word: &QueryWord,
    title: Option<i64>,
) -> Option<i64> {
    let mut best = title;
    // The substring searches are the costliest part of a cheap score: skip those that cannot
    // beat the score already found.
    let may_improve = |best: Option<i64>, per_char: i64| best < Some(per_char * word.len());
    if may_improve(best, KEYWORD_PER_CHAR) && prepared.keywords.contains(word) {
        best = Some(KEYWORD_PER_CHAR * word.len());
    }
    if may_improve(best, SUMMARY_PER_CHAR) && prepared.summary.contains(word) {
        best = Some(SUMMARY_PER_CHAR * word.len());
    }
    if title.is_none() && typo_match(prepared, word).is_some() {
        best = best.max(Some(TYPO_PER_CHAR * word.len()));
    }
    best
}

/// Whether and how well a word matches the lower-cased title, as a cheap-tier score: a whole
/// word beats a word start, which beats a substring, which beats a subsequence (the more spread
/// out, the lower, but never below a match in the tags: the title outweighs them). With
/// `highlight`, also collects the matched lower-cased character indices.
///
/// A subsequence must start a title word and stay within it and the next one: spread over a
/// whole title, a few letters would match almost anything.
fn title_match(
    prepared: &PreparedEntry,
    word: &QueryWord,
    highlight: Option<&mut Vec<usize>>,
) -> Option<i64> {
    let len = word.chars.len();
    let literal = literal_title_match(prepared, word);
    if let Some((per_char, start)) = literal {
        if let Some(indices) = highlight {
            indices.extend(start..start + len);
        }
        return Some(per_char * word.len());
    }
    if !prepared.may_start_a_title_word(word) {
        return None;
    }
    let (spread, first_word) = (0..prepared.title_words.len())
        .filter_map(|index| {
            window_alignment(&prepared.title_words, index, &word.chars, None)
                .map(|spread| (spread, index))
        })
        .min()?;
    if let Some(indices) = highlight {
        window_alignment(
            &prepared.title_words,
            first_word,
            &word.chars,
            Some(indices),
        );
    }
    let score = TITLE_SUBSEQUENCE_PER_CHAR * word.len() - spread as i64;
    Some(score.max(KEYWORD_PER_CHAR * word.len()))
}

/// The best literal match of a word in the title: (score per character, index of its first
/// lower-cased character).
fn literal_title_match(prepared: &PreparedEntry, word: &QueryWord) -> Option<(i64, usize)> {
    // Query words and title words are both runs of letters and digits, so comparing word by
    // word finds every whole-word and word-start match.
    let word_start = prepared
        .title_words
        .iter()
        .filter(|_| prepared.may_start_a_title_word(word))
        .filter(|title_word| title_word.first == word.chars[0])
        .filter(|title_word| title_word.chars.starts_with(&word.chars))
        .map(|title_word| {
            let per_char = if title_word.chars.len() == word.chars.len() {
                TITLE_WORD_PER_CHAR
            } else {
                TITLE_WORD_START_PER_CHAR
            };
            (per_char, title_word.start)
        })
        .max_by_key(|&(per_char, start)| (per_char, Reverse(start)));
    word_start.or_else(|| {
        if !pairs_cover(&prepared.title_pairs, &word.pairs) {
            return None;
        }
        let text = &prepared.title.text;
        let byte = text.find(&word.text)?;
        Some((TITLE_SUBSTRING_PER_CHAR, text[..byte].chars().count()))
    })
}

/// Matches `pattern` as a subsequence of title word `first` followed by the next word, starting
/// with the first word's first character. Returns how many characters the match skips, and
/// pushes the matched character indices into `matched` if given.
fn window_alignment(
    words: &[TitleWord],
    first: usize,
    pattern: &[char],
    mut matched: Option<&mut Vec<usize>>,
) -> Option<usize> {
    if pattern.first() != Some(&words[first].first) {
        return None;
    }
    let window = words[first..].iter().take(2).flat_map(|word| {
        word.chars
            .iter()
            .enumerate()
            .map(move |(offset, ch)| (word.start + offset, *ch))
    });
    let mut remaining = pattern.iter().peekable();
    let start = words[first].start;
    for (index, ch) in window {
        if remaining.next_if_eq(&&ch).is_some() {
            if let Some(matched) = matched.as_deref_mut() {
                matched.push(index);
            }
            if remaining.peek().is_none() {
                return Some(index + 1 - start - pattern.len());
            }
        }
    }
    None
}

fn phrase_bonus(prepared: &PreparedEntry, phrase: &str) -> i64 {
    if !prepared.title_phrase.contains(phrase) {
        return 0;
    }
    let per_phrase = PHRASE_BONUS_PER_CHAR * phrase.chars().count() as i64;
    if prepared.title_phrase.len() == phrase.len() {
        2 * per_phrase
    } else {
        per_phrase
    }
}

impl PreparedEntry {
    fn new(entry: &KbIndexEntry) -> Self {
        let title = LoweredText::new(&entry.title);
        let title_words = title_words(&title.text);
        let title_phrase = title_words
            .iter()
            .map(|word| word.chars.iter().collect::<String>())
            .collect::<Vec<_>>()
            .join(" ");
        let mut keywords = entry.tags.join(" ");
        keywords.push(' ');
        keywords.push_str(&entry.category);
        let keywords = LiteralField::new(&keywords);
        let summary = LiteralField::new(&entry.summary);
        let title_mask = char_mask(&title.text);
        let any_mask = title_mask | keywords.mask | summary.mask;
        let mask_of_words = |keep: fn(&TitleWord) -> bool| {
            title_words
                .iter()
                .filter(|word| keep(word))
                .fold(0, |mask, word| mask | char_bit(word.first))
        };
        Self {
            word_start_mask: mask_of_words(|_| true),
            single_char_word_mask: mask_of_words(|word| word.chars.len() == 1),
            title_pairs: pair_set(&title.text),
            typo_heads: typo_heads(&title_words),
            title,
            title_words,
            title_phrase,
            keywords,
            summary,
            title_mask,
            any_mask,
        }
    }

    /// False when no title word starts with the word's first character (true may be wrong: the
    /// mask shares bits between other characters).
    fn may_start_a_title_word(&self, word: &QueryWord) -> bool {
        self.word_start_mask & char_bit(word.chars[0]) != 0
    }
}

impl LiteralField {
    fn new(original: &str) -> Self {
        let text = original.to_lowercase();
        Self {
            mask: char_mask(&text),
            pairs: pair_set(&text),
            text,
        }
    }

    fn contains(&self, word: &QueryWord) -> bool {
        word.mask & !self.mask == 0
            && pairs_cover(&self.pairs, &word.pairs)
            && self.text.contains(&word.text)
    }
}

impl LoweredText {
    fn new(original: &str) -> Self {
        let mut text = String::with_capacity(original.len());
        let mut original_char_index = Vec::with_capacity(original.len());
        for (index, ch) in original.chars().enumerate() {
            for lower in ch.to_lowercase() {
                text.push(lower);
                original_char_index.push(index);
            }
        }
        Self {
            text,
            original_char_index,
        }
    }
}

/// Splits lower-cased text into words of letters and digits.
fn title_words(lowered: &str) -> Vec<TitleWord> {
    let mut words = Vec::new();
    let mut current: Option<TitleWord> = None;
    for (index, ch) in lowered.chars().enumerate() {
        if ch.is_alphanumeric() {
            let word = current.get_or_insert_with(|| TitleWord {
                first: ch,
                chars: Vec::new(),
                mask: 0,
                start: index,
            });
            word.chars.push(ch);
            word.mask |= char_bit(ch);
        } else if let Some(word) = current.take() {
            words.push(word);
        }
    }
    words.extend(current);
    words
}

/// The query's words: lower-cased runs of letters and digits.
fn query_words(query: &str) -> Vec<QueryWord> {
    query
        .to_lowercase()
        .split(|ch: char| !ch.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(|word| QueryWord::new(word.to_owned()))
        .collect()
}

fn words_phrase(words: &[QueryWord]) -> String {
    words
        .iter()
        .map(|word| word.text.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether every article matching `next` must also have matched `previous`: true when `next`
/// only lengthens the last previous word and/or adds words, and no word becomes typo-tolerant
/// (a typo match may succeed for a longer word whose shorter form was not allowed one).
fn narrows(previous: &[QueryWord], next: &[QueryWord]) -> bool {
    let Some((last, earlier)) = previous.split_last() else {
        return false;
    };
    if next.len() < previous.len() || next[..earlier.len()] != *earlier {
        return false;
    }
    let grown = &next[earlier.len()];
    grown.text.starts_with(&last.text) && grown.typo_tolerant() == last.typo_tolerant()
}

/// Whether `next` has the same words as `previous` but a longer last word.
fn extends_last_word(previous: &[QueryWord], next: &[QueryWord]) -> bool {
    previous.len() == next.len()
        && previous[..previous.len() - 1] == next[..next.len() - 1]
        && next[next.len() - 1]
            .text
            .starts_with(&previous[previous.len() - 1].text)
}

/// A 64-bit set of the characters in `text`: one bit per ASCII letter and digit, the other
/// characters share the remaining bits. A word can only match text whose mask covers its own.
fn char_mask(text: &str) -> u64 {
    text.chars().fold(0, |mask, ch| mask | char_bit(ch))
}

/// The set of pairs of neighbouring characters in `text`, hashed into 256 bits. A word can only
/// be a substring of text whose set covers its own.
fn pair_set(text: &str) -> PairSet {
    let mut set = [0; 4];
    let mut chars = text.chars().peekable();
    while let (Some(first), Some(&second)) = (chars.next(), chars.peek()) {
        insert_pair(&mut set, first, second);
    }
    set
}

fn insert_pair(set: &mut PairSet, first: char, second: char) {
    let bit = pair_bit(first, second);
    set[bit / 64] |= 1 << (bit % 64);
}

fn holds_pair(set: &PairSet, first: char, second: char) -> bool {
    let bit = pair_bit(first, second);
    set[bit / 64] & (1 << (bit % 64)) != 0
}

fn pair_bit(first: char, second: char) -> usize {
    let hash = (first as u32).wrapping_mul(0x9E37_79B1) ^ (second as u32).wrapping_mul(0x85EB_CA6B);
    (hash >> 24) as usize
}

/// The pairs among the first three characters of each title word: first and second, second and
/// third, first and third. Wherever its one typo is, a word within one typo of the start of a
/// title word shares one of these pairs with it (see [`may_be_a_typo_of_a_title_word`]).
fn typo_heads(title_words: &[TitleWord]) -> PairSet {
    let mut set = [0; 4];
    for word in title_words {
        if let [first, second, rest @ ..] = &word.chars[..] {
            insert_pair(&mut set, *first, *second);
            if let Some(third) = rest.first() {
                insert_pair(&mut set, *second, *third);
                insert_pair(&mut set, *first, *third);
            }
        }
    }
    set
}

/// False when a typo-tolerant word (of [`TYPO_MIN_LEN`] characters or more) is not within one
/// typo of the start of any title word; lets most articles skip the word-by-word check, which
/// has to look at every title word. With `q` the word and `w` the title word: an edit at the
/// third character or later leaves `q0 q1 = w0 w1`; one at the first or second character leaves
/// `q1 q2 = w1 w2` or `q0 q2 = w0 w2` (substitution), `q1 q2 = w0 w1` or `q0 q2 = w0 w1`
/// (extra query character), `q0 q1 = w1 w2` or `q0 q1 = w0 w2` (missing query character),
/// `q1 q2 = w0 w2` or `q0 q2 = w0 w1` (swap).
fn may_be_a_typo_of_a_title_word(prepared: &PreparedEntry, word: &QueryWord) -> bool {
    let [q0, q1, q2, ..] = word.chars[..] else {
        return true;
    };
    [(q0, q1), (q1, q2), (q0, q2)]
        .into_iter()
        .any(|(first, second)| holds_pair(&prepared.typo_heads, first, second))
}

/// Whether `text_pairs` holds every pair in `word_pairs`, as it must if the word is a substring.
fn pairs_cover(text_pairs: &PairSet, word_pairs: &PairSet) -> bool {
    word_pairs.iter().zip(text_pairs).all(|(w, t)| w & !t == 0)
}

fn char_bit(ch: char) -> u64 {
    match ch {
        'a'..='z' => 1 << (ch as u32 - 'a' as u32),
        '0'..='9' => 1 << (26 + ch as u32 - '0' as u32),
        ' ' => 0,
        _ => 1 << (36 + ch as u32 % 28),
    }
}

/// If a typo-tolerant word is within one typo of the start of a title word, the lower-cased
/// title character indices of that word start.
fn typo_match(prepared: &PreparedEntry, word: &QueryWord) -> Option<std::ops::Range<usize>> {
    // One typo leaves at most one query character absent from the title.
    if !word.typo_tolerant()
        || (word.mask & !prepared.title_mask).count_ones() > 1
        || !may_be_a_typo_of_a_title_word(prepared, word)
    {
        return None;
    }
    prepared
        .title_words
        .iter()
        .find(|title_word| {
            (word.mask & !title_word.mask).count_ones() <= 1
                && within_one_typo_of_prefix(&word.chars, &title_word.chars)
        })
        .map(|title_word| {
            let len = title_word.chars.len().min(word.chars.len());
            title_word.start..title_word.start + len
        })
}

/// Whether `query` becomes a prefix of `word` with at most one substitution, insertion,
/// deletion or swap of neighbouring characters. With a single edit everything before the first
/// mismatch agrees, so the edit can be placed there.
fn within_one_typo_of_prefix(query: &[char], word: &[char]) -> bool {
    let common = query.iter().zip(word).take_while(|(q, w)| q == w).count();
    if common == query.len() {
        return true;
    }
    let rest = &query[common..];
    let word_rest = &word[common..];
    let is_prefix = |q: &[char], w: &[char]| w.starts_with(q);
    let substituted = !word_rest.is_empty() && is_prefix(&rest[1..], &word_rest[1..]);
    let extra_in_query = is_prefix(&rest[1..], word_rest);
    let missing_in_query = !word_rest.is_empty() && is_prefix(rest, &word_rest[1..]);
    let swapped = rest.len() >= 2
        && word_rest.len() >= 2
        && rest[0] == word_rest[1]
        && rest[1] == word_rest[0]
        && is_prefix(&rest[2..], &word_rest[2..]);
    substituted || extra_in_query || missing_in_query || swapped
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: i64, title: &str, summary: &str, category: &str, tags: &[&str]) -> KbIndexEntry {
        KbIndexEntry {
            id,
            slug: format!("article-{id}"),
            title: title.to_owned(),
            summary: summary.to_owned(),
            category: category.to_owned(),
            tags: tags.iter().map(|tag| (*tag).to_owned()).collect(),
            products: vec!["vault".to_owned()],
        }
    }

    /// Realistic neighbours of "Restore a backup".
    fn demo_index() -> SearchIndex {
        SearchIndex::new(vec![
            entry(
                1,
                "Back up before upgrading",
                "Take a full backup of the server before you start an upgrade.",
                "upgrades",
                &["upgrade", "backup"],
            ),
            entry(
                2,
                "Restore fails with error 0x80070005",
                "Access denied while restoring files: check the service account.",
                "backup-and-restore",
                &["restore", "error-codes"],
            ),
            entry(
                3,
                "Restore a backup",
                "Bring files and folders back from an earlier backup.",
                "backup-and-restore",
                &["restore", "backup"],
            ),
            entry(
                4,
                "Schedule automatic backups",
                "Run backups every night without thinking about it.",
                "backup-and-restore",
                &["backup", "schedule"],
            ),
            entry(
                5,
                "Reset your password",
                "Sign-in problems? Reset the password from the sign-in page.",
                "sign-in",
                &["password", "account"],
            ),
            entry(
                6,
                "Collect diagnostic logs",
                "Support may ask for logs; this is how to restore verbose logging and collect them.",
                "troubleshooting",
                &["logs"],
            ),
        ])
    }

    fn titles(index: &SearchIndex, hits: &[SearchHit]) -> Vec<String> {
        hits.iter()
            .map(|hit| index.entries()[hit.entry_index].title.clone())
            .collect()
    }

    fn first_title(index: &mut SearchIndex, query: &str) -> Option<String> {
        let hits = index.search(query, &SearchFilters::default(), 10);
        hits.first()
            .map(|hit| index.entries()[hit.entry_index].title.clone())
    }

    #[test]
    fn typos_in_every_word_still_find_the_article_first() {
        let mut index = demo_index();
        assert_eq!(
            first_title(&mut index, "resore bakup").as_deref(),
            Some("Restore a backup")
        );
    }

    #[test]
    fn swapped_and_wrong_letters_are_tolerated() {
        let mut index = demo_index();
        for query in ["restore bakcup", "rsetore backup", "restpre backup"] {
            assert_eq!(
                first_title(&mut index, query).as_deref(),
                Some("Restore a backup"),
                "query {query:?}"
            );
        }
    }

    #[test]
    fn word_order_does_not_matter() {
        let mut index = demo_index();
        assert_eq!(
            first_title(&mut index, "backup restore").as_deref(),
            Some("Restore a backup")
        );
    }

    #[test]
    fn an_exact_title_match_outranks_a_summary_only_match() {
        let mut index = demo_index();
        let hits = index.search("restore", &SearchFilters::default(), 10);
        let ranked = titles(&index, &hits);
        let summary_only = ranked
            .iter()
            .position(|title| title == "Collect diagnostic logs")
            .expect("the summary mentions restore");
        let exact = ranked
            .iter()
            .position(|title| title == "Restore a backup")
            .expect("the title is a match");
        assert!(exact < summary_only, "{ranked:?}");
    }

    #[test]
    fn the_whole_title_outranks_titles_that_contain_the_words_apart() {
        let mut index = demo_index();
        assert_eq!(
            first_title(&mut index, "restore a backup").as_deref(),
            Some("Restore a backup")
        );
    }

    #[test]
    fn every_word_must_match_somewhere() {
        let mut index = demo_index();
        let hits = index.search("password backup", &SearchFilters::default(), 10);
        assert!(hits.is_empty(), "{:?}", titles(&index, &hits));
    }

    #[test]
    fn nonsense_finds_nothing_and_no_close_matches() {
        let mut index = demo_index();
        assert!(
            index
                .search("zzqxjv", &SearchFilters::default(), 10)
                .is_empty()
        );
        assert!(
            index
                .close_matches("zzqxjv", &SearchFilters::default(), 5)
                .is_empty()
        );
    }

    #[test]
    fn close_matches_rank_articles_matching_more_words_first() {
        let index = demo_index();
        let hits = index.close_matches("restore backup zzqxjv", &SearchFilters::default(), 3);
        assert_eq!(
            titles(&index, &hits).first().map(String::as_str),
            Some("Restore a backup")
        );
    }

    #[test]
    fn category_and_product_filters_narrow_the_results() {
        let mut index = SearchIndex::new(vec![
            KbIndexEntry {
                products: vec!["desk".to_owned()],
                ..entry(1, "Restore a desk layout", "", "settings", &[])
            },
            entry(2, "Restore a backup", "", "backup-and-restore", &[]),
            entry(3, "Restore fails", "", "troubleshooting", &[]),
        ]);
        let by_category = SearchFilters {
            category: Some("troubleshooting".to_owned()),
            product: None,
        };
        let by_product = SearchFilters {
            product: Some("desk".to_owned()),
            category: None,
        };
        let hits = index.search("restore", &by_category, 10);
        assert_eq!(titles(&index, &hits), ["Restore fails"]);
        let hits = index.search("restore", &by_product, 10);
        assert_eq!(titles(&index, &hits), ["Restore a desk layout"]);
        let hits = index.search("restore", &SearchFilters::default(), 10);
        assert_eq!(hits.len(), 3);
    }

    #[test]
    fn highlights_are_character_indices_of_the_original_title() {
        let mut index = SearchIndex::new(vec![entry(1, "Über die Sicherung", "", "de", &[])]);
        let hits = index.search("über", &SearchFilters::default(), 10);
        assert_eq!(hits[0].title_matches, [0, 1, 2, 3]);
        let hits = index.search("sicher", &SearchFilters::default(), 10);
        assert_eq!(hits[0].title_matches, [9, 10, 11, 12, 13, 14]);
    }

    #[test]
    fn highlights_survive_lower_casing_that_adds_characters() {
        // 'İ' lower-cases to two characters; the highlight must still point at the original.
        let mut index = SearchIndex::new(vec![entry(1, "İstanbul office hours", "", "x", &[])]);
        let hits = index.search("office", &SearchFilters::default(), 10);
        assert_eq!(hits[0].title_matches, [9, 10, 11, 12, 13, 14]);
    }

    #[test]
    fn letters_scattered_over_a_title_do_not_match() {
        let mut index = SearchIndex::new(vec![entry(
            1,
            "Deploy agents silently with MSI or package managers",
            "",
            "installation",
            &[],
        )]);
        let hits = index.search("awake", &SearchFilters::default(), 10);
        assert!(hits.is_empty(), "{hits:?}");
        let hits = index.search("pakage", &SearchFilters::default(), 10);
        assert_eq!(
            hits.len(),
            1,
            "a missing letter within a word still matches"
        );
    }

    #[test]
    fn a_word_may_run_into_the_next_title_word() {
        let mut index = SearchIndex::new(vec![entry(1, "Fix sign-in loops", "", "x", &[])]);
        let hits = index.search("signin", &SearchFilters::default(), 10);
        assert_eq!(hits[0].title_matches, [4, 5, 6, 7, 9, 10]);
    }

    #[test]
    fn subsequence_highlights_stay_within_the_matched_word() {
        let mut index = demo_index();
        let hits = index.search("resore", &SearchFilters::default(), 10);
        let restore_a_backup = hits
            .iter()
            .find(|hit| index.entries()[hit.entry_index].title == "Restore a backup")
            .expect("subsequence match");
        assert_eq!(restore_a_backup.title_matches, [0, 1, 2, 4, 5, 6]);
    }

    #[test]
    fn typo_matches_highlight_the_title_word() {
        let mut index = demo_index();
        let hits = index.search("rsetore", &SearchFilters::default(), 10);
        let restore_a_backup = hits
            .iter()
            .find(|hit| index.entries()[hit.entry_index].title == "Restore a backup")
            .expect("typo match");
        assert_eq!(restore_a_backup.title_matches, [0, 1, 2, 3, 4, 5, 6]);
    }

    #[test]
    fn the_limit_keeps_the_best_hits_in_order() {
        let mut index = demo_index();
        let all = index.search("re", &SearchFilters::default(), 100);
        let top = index.search("re", &SearchFilters::default(), 2);
        assert!(all.len() > 2);
        assert_eq!(top, all[..2]);
    }

    #[test]
    fn narrowing_gives_the_same_results_as_a_fresh_search() {
        let mut typed = demo_index();
        let query = "restpre backup";
        let mut incremental = Vec::new();
        for end in 1..=query.len() {
            incremental = typed.search(&query[..end], &SearchFilters::default(), 10);
        }
        let mut fresh = demo_index();
        assert_eq!(
            incremental,
            fresh.search(query, &SearchFilters::default(), 10)
        );
        assert!(!incremental.is_empty());
    }

    #[test]
    fn every_keystroke_gives_the_same_results_as_a_fresh_search() {
        let mut typed = demo_index();
        for query in [
            "resore bakup",
            "backup restore",
            "sign in pasword",
            "log colect",
        ] {
            for (end, _) in query.char_indices().skip(1).chain([(query.len(), ' ')]) {
                let prefix = &query[..end];
                let mut fresh = demo_index();
                assert_eq!(
                    typed.search(prefix, &SearchFilters::default(), 3),
                    fresh.search(prefix, &SearchFilters::default(), 3),
                    "after typing {prefix:?}"
                );
            }
        }
    }

    #[test]
    fn deleting_and_editing_give_the_same_results_as_a_fresh_search() {
        let mut typed = demo_index();
        for query in [
            "restore backup",
            "restore bac",
            "restore b",
            "restore bx",
            "restore bakup",
            "restore",
            "resto",
        ] {
            let mut fresh = demo_index();
            assert_eq!(
                typed.search(query, &SearchFilters::default(), 3),
                fresh.search(query, &SearchFilters::default(), 3),
                "after changing the query to {query:?}"
            );
        }
    }

    #[test]
    fn single_characters_score_the_same_from_the_masks_as_from_the_text() {
        let index = demo_index();
        for ch in ('a'..='z').chain('0'..='9') {
            let word = QueryWord::new(ch.to_string());
            assert!(word.single_char_bit.is_some());
            let scanned = QueryWord {
                single_char_bit: None,
                ..word.clone()
            };
            for prepared in &index.prepared {
                assert_eq!(
                    cheap_word_score(prepared, &word),
                    cheap_word_score(prepared, &scanned),
                    "{ch:?} in {:?}",
                    prepared.title.text
                );
            }
        }
    }

    #[test]
    fn narrowing_is_skipped_when_a_word_becomes_typo_tolerant() {
        let previous = query_words("rsp");
        assert!(!narrows(&previous, &query_words("rspt")));
        assert!(narrows(&query_words("rest"), &query_words("restp")));
        assert!(narrows(&query_words("rest"), &query_words("rest ba")));
        assert!(!narrows(&query_words("rest ba"), &query_words("rest")));
        assert!(!narrows(&query_words("rest"), &query_words("resp")));
    }

    #[test]
    fn one_typo_of_a_word_start_is_tolerated_and_two_are_not() {
        let word: Vec<char> = "backup".chars().collect();
        let check =
            |query: &str| within_one_typo_of_prefix(&query.chars().collect::<Vec<_>>(), &word);
        assert!(check("back"));
        assert!(check("bakcup"), "swap");
        assert!(check("bakup"), "missing letter");
        assert!(check("backkup"), "extra letter");
        assert!(check("bavkup"), "wrong letter");
        assert!(check("backupx"), "extra letter at the end");
        assert!(!check("bkacpu"));
        assert!(!check("bcakpu"));
    }

    #[test]
    fn the_typo_pair_check_keeps_every_word_within_one_typo() {
        let prepared = PreparedEntry::new(&entry(1, "Restore a backup", "", "x", &[]));
        let backup: Vec<char> = "backup".chars().collect();
        let letters: Vec<char> = ('a'..='z').collect();
        let mut variants = Vec::new();
        for at in 0..backup.len() {
            for &letter in &letters {
                let mut substituted = backup.clone();
                substituted[at] = letter;
                let mut inserted = backup.clone();
                inserted.insert(at, letter);
                variants.extend([substituted, inserted]);
            }
            let mut deleted = backup.clone();
            deleted.remove(at);
            let mut swapped = backup.clone();
            swapped.swap(at, (at + 1).min(backup.len() - 1));
            variants.extend([deleted, swapped]);
        }
        let mut checked = 0;
        for variant in variants {
            let word = QueryWord::new(variant.iter().collect());
            if word.typo_tolerant() && within_one_typo_of_prefix(&word.chars, &backup) {
                assert!(
                    may_be_a_typo_of_a_title_word(&prepared, &word),
                    "{:?}",
                    word.text
                );
                checked += 1;
            }
        }
        assert!(checked > 100, "{checked}");
        let unrelated = QueryWord::new("zzqx".to_owned());
        assert!(!may_be_a_typo_of_a_title_word(&prepared, &unrelated));
    }

    #[test]
    fn an_empty_query_matches_nothing() {
        let mut index = demo_index();
        assert!(index.search("  ", &SearchFilters::default(), 10).is_empty());
    }
}
