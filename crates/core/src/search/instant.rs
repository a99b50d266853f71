//! Instant search over the knowledge-base index, run on every keystroke in the browser.
//!
//! Matching is graded, not all-or-nothing. The query becomes terms: its words, words joined by
//! a hyphen or dot ("HB-2310", "sign-in"), or a phrase the vendor's synonyms know ("log in"),
//! each also searched in its other forms (the synonyms; a phrase also as one word, "login").
//! Stop words ([`super::words`]) are no terms, except the last word while it is being typed,
//! which may still grow into a telling word ("at" into "atomic"): that one is optional, it
//! ranks but is never required, and it only matches the start of a longer word. A term matches
//! an article word whole, as its start, with another inflection ("backups", "syncing" and
//! "sync", by a light stem), or, for words of [`TYPO_MIN_LEN`] characters or more that match
//! nothing otherwise, within one typo (substitution, insertion, deletion or swap; two from
//! [`TWO_TYPOS_MIN_LEN`]). The article words are those of the title (weighing most), the tags
//! and keywords (with the initials of long tags, "eol" for "end of life"), and the summary.
//! Article bodies are never matched here: that is the server's engine. Nor is the category,
//! which names a shelf of articles rather than what one of them answers.
//!
//! Each term weighs by how few articles it matches (an IDF), so an article matching the telling
//! words ranks above one matching common ones. A hit must match a good share of the weight the
//! best hit matches (so a word no article has never empties the results), and its
//! [`SearchHit::coverage`] is the share of the whole query's weight it matches: [`answers`]
//! says from it whether the hits can be trusted or the server's engine should be asked.
//!
//! Speed, because a keystroke must stay within a few milliseconds over 10,000 articles:
//! - [`SearchIndex::new`] builds a vocabulary of every distinct article word with the articles
//!   holding it (an inverted index), sorted, so a word's starts and inflections are found by
//!   binary search; only a typo looks at every distinct word, and nothing at article text;
//! - the articles each term matches, with how well, are kept from one search to the next (in
//!   the search box's [`Narrowing`], apart from the index, which never changes): a keystroke
//!   looks up only the terms that changed (the last word, or a phrase ending in it) and adds
//!   up the kept ones with it. What a term matches depends on its words alone (they
//!   are its key), so a search gives exactly what a fresh one would, whatever came before. The
//!   previous hits are not merely narrowed down: with graded matching, an article that matched
//!   fewer words can rise as words are added;
//! - the added-up scores live in arrays over all articles kept between searches, and only the
//!   hits returned are highlighted.

use std::cmp::Ordering;
use std::collections::HashMap;

use super::synonyms::{SynonymGroups, SynonymMatcher};
use super::words::{Word, is_stop_word, words};
use crate::api::KbIndexEntry;

/// Query words at least this long may match with one typo.
pub const TYPO_MIN_LEN: usize = 4;
/// Query words at least this long may match with two typos.
pub const TWO_TYPOS_MIN_LEN: usize = 8;
/// The share of the query's weight the best hit must match for the hits to answer the query
/// (see [`answers`]).
pub const ANSWER_COVERAGE: f32 = 0.6;

/// A hit must match at least this share of the weight the best hit matches.
const MIN_SHARE: f32 = 0.3;

/// How much a match counts by where it is. A word in several fields counts a little more.
const TITLE_FIELD: f32 = 1.0;
const TAGS_FIELD: f32 = 0.8;
const SUMMARY_FIELD: f32 = 0.5;
const EACH_OTHER_FIELD: f32 = 0.05;

/// How much a match counts by how the word matched.
const WHOLE_WORD: f32 = 1.0;
const INFLECTION: f32 = 0.85;
/// The start of an article word, for the word being typed: probably what is being typed.
const TYPED_START: f32 = 0.9;
/// The start of an article word, for a finished word ("log" of "login"): maybe another word.
const FINISHED_START: f32 = 0.6;
const SYNONYM: f32 = 0.8;
const ONE_TYPO: f32 = 0.7;
const TWO_TYPOS: f32 = 0.55;
/// An optional term (a stop word being typed) only breaks ties between its neighbours.
const OPTIONAL_TERM: f32 = 0.2;

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

    fn is_empty(&self) -> bool {
        self.product.is_none() && self.category.is_none()
    }
}

/// One article that matched, best first in the results of [`SearchIndex::search`].
#[derive(Debug, Clone, PartialEq)]
pub struct SearchHit {
    /// Position of the article in the entries given to [`SearchIndex::new`].
    pub entry_index: usize,
    /// Relevance, higher is better; comparable only within one search.
    pub score: f32,
    /// The share of the query's weight the article matches, 0 to 1: 1 when it matches every
    /// term, less the more telling the terms it misses.
    pub coverage: f32,
    /// Indices of the title's characters (`char`s, not bytes) to highlight, ascending.
    pub title_matches: Vec<usize>,
}

/// Whether `hits` (best first) answer their query: the best matches enough of the query's
/// weight ([`ANSWER_COVERAGE`]). When they do not, the server's ranking engine, which also
/// reads the article bodies, should be asked.
pub fn answers(hits: &[SearchHit]) -> bool {
    hits.first()
        .is_some_and(|hit| hit.coverage >= ANSWER_COVERAGE)
}

/// The instant search index. Build it once per downloaded index; it never changes after, so
/// one index serves every search box at once (each with its own [`Narrowing`]).
pub struct SearchIndex {
    entries: Vec<KbIndexEntry>,
    vocabulary: Vocabulary,
    synonyms: SynonymMatcher,
    /// Characters per title, for ties (the shorter title is the closer match).
    title_lengths: Vec<usize>,
}

/// What one search box keeps from one keystroke to the next ([`SearchIndex::search_as_typed`]):
/// what the previous query's terms matched, the filters' verdicts and the working space.
#[derive(Default)]
pub struct Narrowing {
    previous_terms: Vec<TermMatches>,
    filtered: FilteredArticles,
    scratch: Scratch,
}

impl SearchIndex {
    /// `synonyms` are the vendor's groups ([`crate::api::KbIndex::synonyms`]).
    pub fn new(entries: Vec<KbIndexEntry>, synonyms: &SynonymGroups) -> Self {
        Self {
            vocabulary: Vocabulary::new(&entries),
            synonyms: SynonymMatcher::new(synonyms, stem),
            title_lengths: entries
                .iter()
                .map(|entry| entry.title.chars().count())
                .collect(),
            entries,
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

    /// The best `limit` articles for `query`, best first. A query without a term (empty, or
    /// only finished stop words) matches nothing.
    pub fn search(&self, query: &str, filters: &SearchFilters, limit: usize) -> Vec<SearchHit> {
        self.search_as_typed(&mut Narrowing::default(), query, filters, limit)
    }

    /// [`search`](Self::search) for a search box, reusing what `narrowing` kept from its
    /// previous query: the same hits, found faster.
    pub fn search_as_typed(
        &self,
        narrowing: &mut Narrowing,
        query: &str,
        filters: &SearchFilters,
        limit: usize,
    ) -> Vec<SearchHit> {
        let Narrowing {
            previous_terms,
            filtered,
            scratch,
        } = narrowing;
        let mut kept = std::mem::take(previous_terms);
        let terms: Vec<TermMatches> = query_terms(query, &self.synonyms)
            .into_iter()
            .map(
                |term| match kept.iter().position(|done| done.key == term.key) {
                    Some(position) => kept.swap_remove(position),
                    None => self.vocabulary.match_term(term, scratch),
                },
            )
            .collect();
        filtered.update(filters, &self.entries);
        let accepted = filtered.accepted.as_deref();
        let hits = self.rank(&terms, accepted, MIN_SHARE, limit, scratch);
        *previous_terms = terms;
        hits
    }

    /// Looser matches, for a query without good results: the best `limit` articles matching any
    /// of its terms, those matching more of its weight first.
    pub fn close_matches(
        &self,
        query: &str,
        filters: &SearchFilters,
        limit: usize,
    ) -> Vec<SearchHit> {
        let mut scratch = Scratch::default();
        let terms: Vec<TermMatches> = query_terms(query, &self.synonyms)
            .into_iter()
            .map(|term| self.vocabulary.match_term(term, &mut scratch))
            .collect();
        let accepted: Vec<bool> = self
            .entries
            .iter()
            .map(|entry| filters.accepts(entry))
            .collect();
        self.rank(&terms, Some(&accepted), 0.0, limit, &mut scratch)
    }

    /// Scores the articles the terms match, keeps those matching at least `min_share` of the
    /// weight the best one matches, and returns the best `limit`.
    fn rank(
        &self,
        terms: &[TermMatches],
        accepted: Option<&[bool]>,
        min_share: f32,
        limit: usize,
        scratch: &mut Scratch,
    ) -> Vec<SearchHit> {
        let required = required_terms(terms);
        let query_weight: f32 = terms
            .iter()
            .zip(&required)
            .filter(|(_, required)| **required)
            .map(|(term, _)| term.weight)
            .sum();
        // An optional term alone does not make a hit.
        let required_match = (terms.iter().zip(&required))
            .any(|(term, required)| *required && !term.articles.is_empty());
        if limit == 0 || !required_match {
            return Vec::new();
        }
        scratch.add_up(terms, &required, self.len(), accepted);
        let candidates = scratch.take_candidates(min_share);
        self.best(candidates, limit)
            .into_iter()
            .map(|candidate| SearchHit {
                entry_index: candidate.article,
                score: candidate.score,
                coverage: (candidate.covered / query_weight).min(1.0),
                title_matches: self.title_highlights(candidate.article, terms),
            })
            .collect()
    }

    /// The best `limit` candidates, best first. Ties go to shorter titles (closer matches), then
    /// to index order, so equal queries always give equal results.
    fn best(&self, mut candidates: Vec<Candidate>, limit: usize) -> Vec<Candidate> {
        let order = |a: &Candidate, b: &Candidate| {
            b.score
                .total_cmp(&a.score)
                .then(self.title_lengths[a.article].cmp(&self.title_lengths[b.article]))
                .then(a.article.cmp(&b.article))
        };
        if candidates.len() > limit && limit > 0 {
            candidates.select_nth_unstable_by(limit - 1, order);
        }
        candidates.truncate(limit);
        candidates.sort_unstable_by(order);
        candidates
    }

    /// Original-title character indices matched by any term.
    fn title_highlights(&self, article: usize, terms: &[TermMatches]) -> Vec<usize> {
        let title = TitleWords::new(&self.entries[article].title, &self.vocabulary);
        let mut highlighted: Vec<usize> = terms
            .iter()
            .flat_map(|term| title.highlights_of(term))
            .collect();
        highlighted.sort_unstable();
        highlighted.dedup();
        highlighted
    }
}

/// Which terms a hit is measured by: all but an optional one (a stop word being typed), unless
/// that is all there is.
fn required_terms(terms: &[TermMatches]) -> Vec<bool> {
    let optional: Vec<bool> = terms.iter().map(|term| term.key.is_optional()).collect();
    if optional.iter().all(|&optional| optional) {
        vec![true; terms.len()]
    } else {
        optional.iter().map(|&optional| !optional).collect()
    }
}

/// An article being ranked.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    article: usize,
    score: f32,
    /// Weight of the required terms it matches.
    covered: f32,
}

/// Which articles the current filters accept, kept while the filters stay the same.
#[derive(Default)]
struct FilteredArticles {
    filters: SearchFilters,
    /// `None` when there is no filter: every article is accepted.
    accepted: Option<Vec<bool>>,
}

impl FilteredArticles {
    fn update(&mut self, filters: &SearchFilters, entries: &[KbIndexEntry]) {
        let unchanged = self.filters == *filters
            && self
                .accepted
                .as_ref()
                .is_none_or(|a| a.len() == entries.len());
        if unchanged {
            return;
        }
        self.filters = filters.clone();
        self.accepted = (!filters.is_empty())
            .then(|| entries.iter().map(|entry| filters.accepts(entry)).collect());
    }
}

/// Per-article working space, reused by every search so that a keystroke allocates little.
/// Every entry is back to zero between uses.
#[derive(Default)]
struct Scratch {
    /// Best quality of the word being gathered ([`Vocabulary::articles_of`]).
    quality: Vec<f32>,
    score: Vec<f32>,
    covered: Vec<f32>,
    touched: Vec<usize>,
}

impl Scratch {
    fn fit(&mut self, articles: usize) {
        for values in [&mut self.quality, &mut self.score, &mut self.covered] {
            if values.len() != articles {
                *values = vec![0.0; articles];
            }
        }
    }

    /// Sums every term's matches per article: score from all, covered weight from the required.
    fn add_up(
        &mut self,
        terms: &[TermMatches],
        required: &[bool],
        articles: usize,
        accepted: Option<&[bool]>,
    ) {
        self.fit(articles);
        for (term, &required) in terms.iter().zip(required) {
            let weight = if required {
                term.weight
            } else {
                term.weight * OPTIONAL_TERM
            };
            for found in &term.articles {
                let article = found.article as usize;
                if accepted.is_some_and(|accepted| !accepted[article]) {
                    continue;
                }
                if self.score[article] == 0.0 && self.covered[article] == 0.0 {
                    self.touched.push(article);
                }
                self.score[article] += weight * found.quality;
                if required {
                    self.covered[article] += term.weight;
                }
            }
        }
    }

    /// The summed articles covering at least `min_share` of what the best covers, leaving the
    /// sums at zero.
    fn take_candidates(&mut self, min_share: f32) -> Vec<Candidate> {
        let best_covered = self
            .touched
            .iter()
            .map(|&article| self.covered[article])
            .fold(0.0, f32::max);
        let min_covered = min_share * best_covered;
        let mut candidates = Vec::new();
        for article in self.touched.drain(..) {
            let candidate = Candidate {
                article,
                score: self.score[article],
                covered: self.covered[article],
            };
            self.score[article] = 0.0;
            self.covered[article] = 0.0;
            if candidate.covered >= min_covered {
                candidates.push(candidate);
            }
        }
        candidates
    }
}

// ---------------------------------------------------------------------------------------------
// The query's terms

/// What a term is known by: a search that has the same key matches the same articles.
#[derive(Debug, Clone, PartialEq, Eq)]
struct TermKey {
    /// The query words it spans, lower-cased (several when they are a synonym phrase or joined
    /// by hyphens and the like).
    words: Vec<String>,
    /// Whether its last word is the query's last and still being typed (nothing follows it).
    typing: bool,
}

impl TermKey {
    /// A stop word being typed: it may grow into a telling word, but is never required.
    fn is_optional(&self) -> bool {
        self.typing && self.words.len() == 1 && is_stop_word(&self.words[0])
    }
}

/// One thing the query asks for, with the forms it may take in an article.
struct Term {
    key: TermKey,
    /// The words as typed (stop words left out) first, then each synonym's. Every word of a
    /// form must match for the form to match.
    forms: Vec<Vec<FormWord>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct FormWord {
    text: String,
    rule: WordRule,
}

/// How a word of a term may match an article word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum WordRule {
    /// A word the customer typed: whole, as the start of a word, as another inflection, or
    /// with typos when nothing else matches. `typing`: the word is still being typed.
    Typed { typing: bool },
    /// A stop word being typed: only as the start of a longer word.
    StopWordStart,
    /// A word of a synonym, as its stem ([`stem`]): only its inflections.
    Synonym,
}

/// The terms of a query, in order, each once.
fn query_terms(query: &str, synonyms: &SynonymMatcher) -> Vec<Term> {
    let query_words: Vec<Word> = words(query).collect();
    let typing = query_words
        .last()
        .is_some_and(|word| word.end == query.len());
    let stems: Vec<String> = query_words.iter().map(|word| stem(&word.text)).collect();
    let mut terms: Vec<Term> = Vec::new();
    let mut start = 0;
    while start < query_words.len() {
        let joined = joined_words(query, &query_words[start..]);
        let synonym = synonyms
            .at(&stems, start)
            .filter(|found| found.len >= joined);
        let end = start + synonym.as_ref().map_or(joined, |found| found.len);
        let key = TermKey {
            words: query_words[start..end]
                .iter()
                .map(|word| word.text.clone())
                .collect(),
            typing: typing && end == query_words.len(),
        };
        let mut forms = typed_forms(&key);
        for alternative in synonym.iter().flat_map(|found| &found.alternatives) {
            forms.extend(synonym_form(alternative));
        }
        if !forms.is_empty() && terms.iter().all(|term| term.key != key) {
            terms.push(Term { key, forms });
        }
        start = end;
    }
    terms
}

/// How many of `following` (at least one) are joined by single hyphens, dots and the like
/// ("HB-2310", "6.9", "partner's"): one term, as such a chain names one thing.
fn joined_words(text: &str, following: &[Word]) -> usize {
    1 + following
        .windows(2)
        .take_while(|pair| is_joiner(&text[pair[0].end..pair[1].start]))
        .count()
}

/// The forms of a term as typed: its words without the stop words (a stop word being typed
/// alone stays, as the start of a longer word), and several words also joined into one ("log
/// in" as "login", "HB-2310" as "hb2310"), as the index holds words joined by a hyphen.
fn typed_forms(key: &TermKey) -> Vec<Vec<FormWord>> {
    let typed = |text: &str, last: bool| FormWord {
        text: text.to_owned(),
        rule: WordRule::Typed {
            typing: key.typing && last,
        },
    };
    if key.is_optional() {
        let rule = WordRule::StopWordStart;
        return vec![vec![FormWord {
            text: key.words[0].clone(),
            rule,
        }]];
    }
    let last = key.words.len() - 1;
    let telling: Vec<FormWord> = key
        .words
        .iter()
        .enumerate()
        .filter(|(_, word)| !is_stop_word(word))
        .map(|(index, word)| typed(word, index == last))
        .collect();
    let joined = key.words.concat();
    let joined =
        (key.words.len() > 1 && !is_stop_word(&joined)).then(|| vec![typed(&joined, true)]);
    (!telling.is_empty())
        .then_some(telling)
        .into_iter()
        .chain(joined)
        .collect()
}

/// A synonym's words (stems) but its stop words. A phrase that would be left with one word is
/// searched joined instead: "get back" is not "back", and "log in" is "login" more than "log".
fn synonym_form(stems: &[String]) -> Option<Vec<FormWord>> {
    let synonym = |text: &str| FormWord {
        text: text.to_owned(),
        rule: WordRule::Synonym,
    };
    let telling: Vec<FormWord> = stems
        .iter()
        .filter(|stem| !is_stop_word(stem))
        .map(|stem| synonym(stem))
        .collect();
    if telling.len() == 1 && stems.len() > 1 {
        return Some(vec![synonym(&stems.concat())]);
    }
    (!telling.is_empty()).then_some(telling)
}

// ---------------------------------------------------------------------------------------------
// The vocabulary

/// The fields of an article a word occurs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Fields(u8);

impl Fields {
    const TITLE: Self = Self(1);
    const TAGS: Self = Self(2);
    const SUMMARY: Self = Self(4);

    /// How much a match in these fields counts: the best field's weight, plus a little for each
    /// other one.
    fn weight(self) -> f32 {
        let best = [
            (Self::TITLE, TITLE_FIELD),
            (Self::TAGS, TAGS_FIELD),
            (Self::SUMMARY, SUMMARY_FIELD),
        ]
        .into_iter()
        .find(|(field, _)| self.0 & field.0 != 0)
        .map_or(0.0, |(_, weight)| weight);
        let others = self.0.count_ones().saturating_sub(1) as f32;
        best + EACH_OTHER_FIELD * others
    }
}

/// An article holding a word, and where.
#[derive(Debug, Clone, Copy)]
struct Posting {
    article: u32,
    fields: Fields,
}

/// Every distinct word of the searched fields (stop words left out), with the articles holding
/// it. Words joined by a hyphen, slash, dot, underscore or apostrophe are also kept as one
/// ("sign-in" is "sign", "in" and "signin"), as customers type them either way.
struct Vocabulary {
    /// Sorted by text.
    words: Vec<VocabularyWord>,
    /// Indices into `words`, sorted by stem.
    by_stem: Vec<u32>,
    /// Every word's postings, one after the other, each word's in article order.
    postings: Vec<Posting>,
    articles: usize,
}

struct VocabularyWord {
    text: String,
    stem: String,
    /// See [`char_mask`]; rules out most typo comparisons.
    mask: u64,
    chars: usize,
    postings: std::ops::Range<usize>,
}

/// One vocabulary word a term's word matched, and how.
#[derive(Debug, Clone, Copy, PartialEq)]
struct WordMatch {
    word: u32,
    quality: f32,
    /// How many of its (lower-cased) characters to highlight, from its start.
    highlight: usize,
}

/// An article a term or word matched, and how well (0 to about 1).
#[derive(Debug, Clone, Copy, PartialEq)]
struct ArticleMatch {
    article: u32,
    quality: f32,
}

/// What a term matched: the vocabulary words per word of each form (to highlight them) and
/// the articles, with how telling the term is.
struct TermMatches {
    key: TermKey,
    /// Per form, per word: the vocabulary words it matched, by index.
    forms: Vec<Vec<Vec<WordMatch>>>,
    /// Ascending by article.
    articles: Vec<ArticleMatch>,
    /// The fewer articles the term matches, the more it weighs (a smoothed inverse document
    /// frequency; a term matching nothing weighs as much as one matching a single article).
    weight: f32,
}

impl Vocabulary {
    fn new(entries: &[KbIndexEntry]) -> Self {
        let mut builder = VocabularyBuilder::default();
        for (article, entry) in entries.iter().enumerate() {
            // wasm32 cannot hold more articles than a u32 counts.
            let article = article as u32;
            for (fields, text) in searched_fields(entry) {
                let mut add = |word: String| builder.add(word, article, fields);
                for_each_field_word(text, &mut add);
                if let Some(initials) = (fields == Fields::TAGS).then(|| acronym(text)).flatten() {
                    add(initials);
                }
            }
        }
        let VocabularyBuilder { ids, lists } = builder;
        let mut sorted: Vec<(String, usize)> = ids
            .into_iter()
            .filter_map(|(word, id)| Some((word, id?)))
            .collect();
        sorted.sort_unstable();
        let mut postings = Vec::with_capacity(lists.iter().map(Vec::len).sum());
        let words: Vec<VocabularyWord> = sorted
            .into_iter()
            .map(|(text, id)| {
                let start = postings.len();
                postings.extend_from_slice(&lists[id]);
                VocabularyWord {
                    stem: stem(&text),
                    mask: char_mask(&text),
                    chars: text.chars().count(),
                    text,
                    postings: start..postings.len(),
                }
            })
            .collect();
        let mut by_stem: Vec<u32> = (0..words.len() as u32).collect();
        by_stem.sort_unstable_by(|&a, &b| words[a as usize].stem.cmp(&words[b as usize].stem));
        Self {
            words,
            by_stem,
            postings,
            articles: entries.len(),
        }
    }

    /// The index of `text` in the vocabulary.
    fn find(&self, text: &str) -> Option<u32> {
        self.words
            .binary_search_by(|word| word.text.as_str().cmp(text))
            .ok()
            .map(|index| index as u32)
    }

    /// Everything `term` matches.
    fn match_term(&self, term: Term, scratch: &mut Scratch) -> TermMatches {
        scratch.fit(self.articles);
        let mut forms = Vec::with_capacity(term.forms.len());
        let mut articles: Vec<ArticleMatch> = Vec::new();
        for form in &term.forms {
            let word_matches: Vec<Vec<WordMatch>> =
                form.iter().map(|word| self.matches(word)).collect();
            let form_articles = word_matches
                .iter()
                .map(|matches| self.articles_of(matches, scratch))
                .reduce(|all, next| intersect(&all, &next));
            if let Some(form_articles) = form_articles {
                articles = unite(&articles, &form_articles);
            }
            forms.push(word_matches);
        }
        TermMatches {
            weight: inverse_frequency(self.articles, articles.len()),
            key: term.key,
            forms,
            articles,
        }
    }

    /// The vocabulary words `word` matches, ascending by index.
    fn matches(&self, word: &FormWord) -> Vec<WordMatch> {
        let mut found = match word.rule {
            WordRule::Typed { typing } => self.typed_matches(&word.text, typing),
            WordRule::StopWordStart => self
                .starting_with(&word.text)
                .map(|index| WordMatch {
                    word: index,
                    quality: TYPED_START,
                    highlight: word.text.chars().count(),
                })
                .collect(),
            WordRule::Synonym => self
                .with_stem(&word.text)
                .map(|index| WordMatch {
                    word: index,
                    quality: SYNONYM,
                    highlight: usize::MAX,
                })
                .collect(),
        };
        found.sort_unstable_by_key(|found| found.word);
        found
    }

    /// A typed word's matches: whole, as a word start, as another inflection, and only when
    /// none of those exists, with typos.
    fn typed_matches(&self, text: &str, typing: bool) -> Vec<WordMatch> {
        let text_stem = stem(text);
        let chars = text.chars().count();
        // A finished number is not the start of a longer one ("10" of "1042").
        let finished_start = !text.ends_with(|ch: char| ch.is_ascii_digit());
        let mut found: Vec<WordMatch> = self
            .starting_with(text)
            .filter_map(|index| {
                let candidate = &self.words[index as usize];
                let quality = if candidate.text == text {
                    WHOLE_WORD
                } else if candidate.stem == text_stem {
                    INFLECTION
                } else if typing {
                    TYPED_START
                } else if finished_start {
                    FINISHED_START
                } else {
                    return None;
                };
                Some(WordMatch {
                    word: index,
                    quality,
                    highlight: chars,
                })
            })
            .collect();
        let other_inflections: Vec<WordMatch> = self
            .with_stem(&text_stem)
            .filter(|&index| !self.words[index as usize].text.starts_with(text))
            .map(|index| WordMatch {
                word: index,
                quality: INFLECTION,
                highlight: usize::MAX,
            })
            .collect();
        found.extend(other_inflections);
        if found.is_empty() {
            found = self.typo_matches(text, typing);
        }
        found
    }

    /// Words within the typos allowed for `text` of their start: any start while typing, but
    /// nearly the whole word for a finished one (leaving at most an inflection's letters).
    fn typo_matches(&self, text: &str, typing: bool) -> Vec<WordMatch> {
        let query: Vec<char> = text.chars().collect();
        let max_typos = allowed_typos(query.len());
        if max_typos == 0 {
            return Vec::new();
        }
        let query_mask = char_mask(text);
        self.words
            .iter()
            .enumerate()
            .filter(|(_, word)| {
                word.chars + max_typos >= query.len()
                    && (query_mask & !word.mask).count_ones() as usize <= max_typos
            })
            .filter_map(|(index, word)| {
                let candidate: Vec<char> = word.text.chars().collect();
                let (typos, prefix) = typos_to_prefix(&query, &candidate, max_typos)?;
                let rest: String = candidate[prefix..].iter().collect();
                (typing || is_inflection(&rest)).then_some(WordMatch {
                    word: index as u32,
                    quality: if typos <= 1 { ONE_TYPO } else { TWO_TYPOS },
                    highlight: prefix,
                })
            })
            .collect()
    }

    /// Indices of the words starting with `text` (a contiguous run of the sorted vocabulary).
    fn starting_with<'a>(&'a self, text: &'a str) -> impl Iterator<Item = u32> + 'a {
        let first = self.words.partition_point(|word| word.text.as_str() < text);
        self.words[first..]
            .iter()
            .take_while(move |word| word.text.starts_with(text))
            .enumerate()
            .map(move |(offset, _)| (first + offset) as u32)
    }

    /// Indices of the words whose stem is `stem`.
    fn with_stem<'a>(&'a self, stem: &'a str) -> impl Iterator<Item = u32> + 'a {
        let stem_of = |index: u32| self.words[index as usize].stem.as_str();
        let first = self.by_stem.partition_point(|&index| stem_of(index) < stem);
        self.by_stem[first..]
            .iter()
            .copied()
            .take_while(move |&index| stem_of(index) == stem)
    }

    /// The articles holding any of `matches`, each with its best quality, ascending.
    fn articles_of(&self, matches: &[WordMatch], scratch: &mut Scratch) -> Vec<ArticleMatch> {
        for found in matches {
            let word = &self.words[found.word as usize];
            for posting in &self.postings[word.postings.clone()] {
                let article = posting.article as usize;
                let quality = found.quality * posting.fields.weight();
                let best = &mut scratch.quality[article];
                if *best == 0.0 {
                    scratch.touched.push(article);
                }
                *best = best.max(quality);
            }
        }
        // Reading every article in order is cheaper than sorting when most are touched.
        if scratch.touched.len() > self.articles / 8 {
            scratch.touched.clear();
            scratch
                .quality
                .iter_mut()
                .enumerate()
                .filter(|(_, quality)| **quality > 0.0)
                .map(|(article, quality)| ArticleMatch {
                    article: article as u32,
                    quality: std::mem::take(quality),
                })
                .collect()
        } else {
            scratch.touched.sort_unstable();
            scratch
                .touched
                .drain(..)
                .map(|article| ArticleMatch {
                    article: article as u32,
                    quality: std::mem::take(&mut scratch.quality[article]),
                })
                .collect()
        }
    }
}

/// Gathers every word's postings while the articles are read.
#[derive(Default)]
struct VocabularyBuilder {
    /// Each word seen, with the index of its postings in `lists`; `None` for a stop word, so
    /// that whether it is one is looked up once.
    ids: HashMap<String, Option<usize>>,
    lists: Vec<Vec<Posting>>,
}

impl VocabularyBuilder {
    fn add(&mut self, word: String, article: u32, fields: Fields) {
        let id = match self.ids.get(&word) {
            Some(&id) => id,
            None => {
                let id = (!is_stop_word(&word)).then(|| {
                    self.lists.push(Vec::new());
                    self.lists.len() - 1
                });
                self.ids.insert(word, id);
                id
            }
        };
        let Some(list) = id.map(|id| &mut self.lists[id]) else {
            return;
        };
        match list.last_mut() {
            Some(last) if last.article == article => last.fields.0 |= fields.0,
            _ => list.push(Posting { article, fields }),
        }
    }
}

/// The fields an article is searched in, with their text.
fn searched_fields(entry: &KbIndexEntry) -> impl Iterator<Item = (Fields, &str)> {
    let tags = entry
        .tags
        .iter()
        .chain(&entry.keywords)
        .map(|tag| (Fields::TAGS, tag.as_str()));
    [
        (Fields::TITLE, entry.title.as_str()),
        (Fields::SUMMARY, entry.summary.as_str()),
    ]
    .into_iter()
    .chain(tags)
}

/// Passes `add` the words of a field, and each pair of words joined by a single hyphen, slash,
/// dot, underscore or apostrophe as one word. Stop words too: the index leaves them out.
fn for_each_field_word(text: &str, mut add: impl FnMut(String)) {
    let mut previous: Option<Word> = None;
    for word in words(text) {
        if let Some(previous) = previous.take() {
            if is_joiner(&text[previous.end..word.start]) {
                add(format!("{}{}", previous.text, word.text));
            }
            add(previous.text);
        }
        previous = Some(word);
    }
    if let Some(last) = previous {
        add(last.text);
    }
}

/// The initials of a tag of three words or more ("eol" of "end of life"): customers type
/// acronyms of what articles spell out. Shorter ones would stand for too many things.
fn acronym(tag: &str) -> Option<String> {
    let initials: String = words(tag)
        .filter_map(|word| word.text.chars().next())
        .collect();
    (initials.chars().count() >= 3 && !is_stop_word(&initials)).then_some(initials)
}

fn is_joiner(between: &str) -> bool {
    matches!(between, "-" | "/" | "." | "_" | "'" | "’")
}

/// Articles in both lists (ascending), with the lower quality.
fn intersect(a: &[ArticleMatch], b: &[ArticleMatch]) -> Vec<ArticleMatch> {
    let mut both = Vec::new();
    let (mut i, mut j) = (0, 0);
    while let (Some(x), Some(y)) = (a.get(i), b.get(j)) {
        match x.article.cmp(&y.article) {
            Ordering::Less => i += 1,
            Ordering::Greater => j += 1,
            Ordering::Equal => {
                both.push(ArticleMatch {
                    quality: x.quality.min(y.quality),
                    ..*x
                });
                i += 1;
                j += 1;
            }
        }
    }
    both
}

/// Articles in either list (ascending), with the better quality.
fn unite(a: &[ArticleMatch], b: &[ArticleMatch]) -> Vec<ArticleMatch> {
    if a.is_empty() {
        return b.to_vec();
    }
    let mut either = Vec::with_capacity(a.len().max(b.len()));
    let (mut i, mut j) = (0, 0);
    loop {
        match (a.get(i), b.get(j)) {
            (Some(x), Some(y)) => match x.article.cmp(&y.article) {
                Ordering::Less => {
                    either.push(*x);
                    i += 1;
                }
                Ordering::Greater => {
                    either.push(*y);
                    j += 1;
                }
                Ordering::Equal => {
                    either.push(ArticleMatch {
                        quality: x.quality.max(y.quality),
                        ..*x
                    });
                    i += 1;
                    j += 1;
                }
            },
            (Some(x), None) => {
                either.push(*x);
                i += 1;
            }
            (None, Some(y)) => {
                either.push(*y);
                j += 1;
            }
            (None, None) => return either,
        }
    }
}

/// A term's weight from how many of the `articles` it matches (BM25's inverse document
/// frequency, always positive).
fn inverse_frequency(articles: usize, matching: usize) -> f32 {
    let articles = articles as f32;
    let matching = matching.max(1) as f32;
    ((articles - matching + 0.5) / (matching + 0.5)).ln_1p()
}

// ---------------------------------------------------------------------------------------------
// Titles of the shortlisted articles

/// A title's words, for highlighting.
struct TitleWords {
    words: Vec<TitleWord>,
}

struct TitleWord {
    /// Its index in the vocabulary (`None` for a stop word).
    word: Option<u32>,
    /// The word joined with the next one, when the vocabulary holds that ("sign-in").
    joined: Option<u32>,
    /// For each lower-cased character, the index of the title character it came from
    /// (lower-casing may turn one character into several).
    original_chars: Vec<usize>,
}

impl TitleWords {
    fn new(title: &str, vocabulary: &Vocabulary) -> Self {
        let all: Vec<Word> = words(title).collect();
        let words = all
            .iter()
            .enumerate()
            .map(|(index, word)| {
                let joined = all
                    .get(index + 1)
                    .filter(|next| is_joiner(&title[word.end..next.start]))
                    .and_then(|next| vocabulary.find(&format!("{}{}", word.text, next.text)));
                let found = (!is_stop_word(&word.text))
                    .then(|| vocabulary.find(&word.text))
                    .flatten();
                TitleWord {
                    word: found,
                    joined,
                    original_chars: original_chars(title, word),
                }
            })
            .collect();
        Self { words }
    }

    /// The title characters `term` matches: for each of its forms all of whose words are in the
    /// title, those words (as far as they matched).
    fn highlights_of(&self, term: &TermMatches) -> Vec<usize> {
        let mut highlighted = Vec::new();
        for form in &term.forms {
            let per_word: Vec<Vec<usize>> = form
                .iter()
                .map(|matches| self.highlights_of_word(matches))
                .collect();
            if per_word.iter().all(|chars| !chars.is_empty()) {
                highlighted.extend(per_word.into_iter().flatten());
            }
        }
        highlighted
    }

    fn highlights_of_word(&self, matches: &[WordMatch]) -> Vec<usize> {
        let mut highlighted = Vec::new();
        for (index, title_word) in self.words.iter().enumerate() {
            if let Some(found) = lookup(matches, title_word.word) {
                highlighted.extend(title_word.original_chars.iter().take(found.highlight));
            } else if let Some(found) = lookup(matches, title_word.joined) {
                let both = self.words[index..].iter().take(2);
                let chars = both.flat_map(|word| &word.original_chars);
                highlighted.extend(chars.take(found.highlight));
            }
        }
        highlighted
    }
}

fn lookup(matches: &[WordMatch], word: Option<u32>) -> Option<&WordMatch> {
    let word = word?;
    let index = matches
        .binary_search_by_key(&word, |found| found.word)
        .ok()?;
    matches.get(index)
}

/// For each lower-cased character of `word`, the index of the character of `text` it came from.
fn original_chars(text: &str, word: &Word) -> Vec<usize> {
    let first = text[..word.start].chars().count();
    text[word.start..word.end]
        .chars()
        .enumerate()
        .flat_map(|(offset, ch)| std::iter::repeat_n(first + offset, ch.to_lowercase().count()))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Word rules

/// Whether `ending`, the rest of an article word after what a finished query word matched, is
/// an inflection ("backup" of "backups", "schedul" of "scheduled").
fn is_inflection(ending: &str) -> bool {
    matches!(ending, "" | "s" | "es" | "e" | "d" | "ed" | "ing")
}

fn allowed_typos(chars: usize) -> usize {
    if chars >= TWO_TYPOS_MIN_LEN {
        2
    } else if chars >= TYPO_MIN_LEN {
        1
    } else {
        0
    }
}

/// A light stem: the word without one common English inflection, so that "backups",
/// "syncing", "changed" and "devices" find "backup", "sync", "change" and "device". Crude on
/// purpose (a stemmer crate would weigh on the browser's download), but both sides of every
/// comparison go through it, so it only needs to be consistent. Stop words stay as they are.
fn stem(word: &str) -> String {
    if is_stop_word(word) {
        return word.to_owned();
    }
    let long_enough = |stem: &str| stem.chars().count() >= 3;
    let mut stem = word.to_owned();
    let endings: [(&str, &str); 6] = [
        ("ies", "y"),
        ("ied", "y"),
        ("ing", ""),
        ("ed", ""),
        ("es", ""),
        ("s", ""),
    ];
    for (ending, replacement) in endings {
        if let Some(rest) = word.strip_suffix(ending) {
            let keeps_its_s = ending == "s" && (rest.ends_with(['s', 'u', 'i']));
            if long_enough(rest) && !keeps_its_s {
                stem = format!("{rest}{replacement}");
                break;
            }
        }
    }
    if let Some(rest) = stem.strip_suffix('e').filter(|rest| long_enough(rest)) {
        stem.truncate(rest.len());
    }
    // "stopped" and "running" leave "stopp" and "runn".
    let mut last_two = stem.chars().rev();
    if let (Some(last), Some(before)) = (last_two.next(), last_two.next()) {
        let rest = &stem[..stem.len() - last.len_utf8()];
        if last == before && last.is_alphabetic() && long_enough(rest) {
            stem.pop();
        }
    }
    stem
}

/// The fewest typos (substitutions, insertions, deletions, swaps of neighbours) that turn
/// `query` into a start of `word`, if at most `max_typos`, with the length of that start (the
/// longest, when several are as close).
fn typos_to_prefix(query: &[char], word: &[char], max_typos: usize) -> Option<(usize, usize)> {
    // A start longer than this is more typos away than allowed.
    let word = &word[..word.len().min(query.len() + max_typos)];
    let width = word.len() + 1;
    // Rows of the edit-distance table: `current[j]` is the distance between the query's first
    // `i` characters and the word's first `j`.
    let mut before_previous = vec![0; width];
    let mut previous: Vec<usize> = (0..width).collect();
    let mut current = vec![0; width];
    for i in 1..=query.len() {
        current[0] = i;
        for j in 1..width {
            let substitution = previous[j - 1] + usize::from(query[i - 1] != word[j - 1]);
            let mut best = substitution.min(previous[j] + 1).min(current[j - 1] + 1);
            let swapped =
                i > 1 && j > 1 && query[i - 1] == word[j - 2] && query[i - 2] == word[j - 1];
            if swapped {
                best = best.min(before_previous[j - 2] + 1);
            }
            current[j] = best;
        }
        if current.iter().all(|&typos| typos > max_typos) {
            return None;
        }
        std::mem::swap(&mut before_previous, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    let (prefix, typos) = previous
        .iter()
        .copied()
        .enumerate()
        .min_by(|(a_len, a_typos), (b_len, b_typos)| a_typos.cmp(b_typos).then(b_len.cmp(a_len)))?;
    (typos <= max_typos && prefix > 0).then_some((typos, prefix))
}

/// A 64-bit set of the characters in `text`: one bit per ASCII letter and digit, the other
/// characters share the remaining bits. Each typo brings at most one character the word lacks.
fn char_mask(text: &str) -> u64 {
    text.chars().fold(0, |mask, ch| {
        mask | match ch {
            'a'..='z' => 1 << (ch as u32 - 'a' as u32),
            '0'..='9' => 1 << (26 + ch as u32 - '0' as u32),
            _ => 1 << (36 + ch as u32 % 28),
        }
    })
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
            keywords: Vec::new(),
        }
    }

    fn groups(lines: &[&[&str]]) -> SynonymGroups {
        lines
            .iter()
            .map(|group| group.iter().map(|member| (*member).to_owned()).collect())
            .collect()
    }

    fn demo_synonyms() -> SynonymGroups {
        groups(&[
            &["restore", "recover", "get back"],
            &["computer", "laptop", "pc"],
            &["sign in", "log in", "login"],
            &["slow", "sluggish", "takes forever"],
        ])
    }

    /// Realistic neighbours of "Restore a backup" and of the slow-backup checklist.
    fn demo_entries() -> Vec<KbIndexEntry> {
        vec![
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
            entry(
                7,
                "Backups are slow: a performance checklist",
                "Find out whether a slow backup is limited by the network, the disk or antivirus.",
                "backup-and-restore",
                &["performance", "slow backup", "bandwidth"],
            ),
            entry(
                8,
                "Run your first backup",
                "Create a backup plan, assign it to a computer and check the last backup completed.",
                "getting-started",
                &["backup plan", "first backup"],
            ),
            entry(
                9,
                "Transfers are slow or time out",
                "Diagnose slow file transfers, from latency to storage.",
                "file-transfer",
                &["performance", "timeout"],
            ),
            entry(
                10,
                "Fix sign-in loops",
                "When the login page keeps coming back after you sign in.",
                "sign-in",
                &["sso"],
            ),
        ]
    }

    fn demo_index() -> SearchIndex {
        SearchIndex::new(demo_entries(), &demo_synonyms())
    }

    fn titles(index: &SearchIndex, hits: &[SearchHit]) -> Vec<String> {
        hits.iter()
            .map(|hit| index.entries()[hit.entry_index].title.clone())
            .collect()
    }

    fn search_titles(index: &SearchIndex, query: &str) -> Vec<String> {
        let hits = index.search(query, &SearchFilters::default(), 10);
        titles(index, &hits)
    }

    fn first_title(index: &SearchIndex, query: &str) -> Option<String> {
        search_titles(index, query).into_iter().next()
    }

    fn hit_for<'a>(index: &SearchIndex, hits: &'a [SearchHit], title: &str) -> &'a SearchHit {
        hits.iter()
            .find(|hit| index.entries()[hit.entry_index].title == title)
            .unwrap_or_else(|| panic!("{title:?} among {:?}", titles(index, hits)))
    }

    /// The highlighted characters of the hit for `title`, as text.
    fn highlighted(index: &SearchIndex, query: &str, title: &str) -> String {
        let hits = index.search(query, &SearchFilters::default(), 10);
        let hit = hit_for(index, &hits, title);
        let chars: Vec<char> = title.chars().collect();
        let mut marked = String::new();
        for (position, ch) in chars.iter().enumerate() {
            let on = hit.title_matches.contains(&position);
            let was_on = position > 0 && hit.title_matches.contains(&(position - 1));
            match (on, was_on) {
                (true, false) => marked.push('['),
                (false, true) => marked.push(']'),
                _ => {}
            }
            marked.push(*ch);
        }
        if hit.title_matches.contains(&(chars.len().saturating_sub(1))) && !chars.is_empty() {
            marked.push(']');
        }
        marked
    }

    // --- Stop words and graded matching

    #[test]
    fn the_slow_backup_sentence_finds_the_checklist_first_at_every_word() {
        let index = demo_index();
        let query = "backup is slow since last week";
        for end in [
            "backup is slow",
            "backup is slow since",
            "backup is slow since last",
            query,
        ] {
            assert_eq!(
                first_title(&index, end).as_deref(),
                Some("Backups are slow: a performance checklist"),
                "after typing {end:?}"
            );
        }
    }

    #[test]
    fn filler_words_do_not_empty_the_results() {
        let index = demo_index();
        for query in [
            "how do i restore my backup",
            "restore a backup please",
            "my backup",
        ] {
            assert!(!search_titles(&index, query).is_empty(), "{query:?}");
        }
        assert_eq!(
            first_title(&index, "how do i restore a backup").as_deref(),
            Some("Restore a backup")
        );
    }

    #[test]
    fn a_query_of_finished_stop_words_matches_nothing() {
        let index = demo_index();
        assert!(search_titles(&index, "how do i ").is_empty());
        assert!(search_titles(&index, "  ").is_empty());
    }

    #[test]
    fn a_stop_word_being_typed_may_start_a_longer_word_but_is_not_required() {
        let index = SearchIndex::new(
            vec![
                entry(1, "Atomic snapshots", "", "x", &[]),
                entry(2, "Restore a backup", "", "x", &[]),
                entry(3, "Restore at the command line", "", "x", &[]),
            ],
            &SynonymGroups::new(),
        );
        // Alone, "at" is the start of "Atomic" (and the word "at" itself is never a match).
        assert_eq!(search_titles(&index, "at"), ["Atomic snapshots"]);
        // After other words it is optional: both restore articles stay.
        let hits = search_titles(&index, "restore at");
        assert_eq!(hits.len(), 2, "{hits:?}");
        // Finished, it is no term at all.
        assert_eq!(
            search_titles(&index, "restore at "),
            search_titles(&index, "restore")
        );
    }

    #[test]
    fn an_article_matching_the_telling_word_ranks_above_one_matching_a_common_one() {
        let index = demo_index();
        // "backup" is in most articles, "password" in one.
        assert_eq!(
            first_title(&index, "password backup").as_deref(),
            Some("Reset your password")
        );
    }

    #[test]
    fn words_no_article_has_do_not_empty_the_results() {
        let index = demo_index();
        assert_eq!(
            first_title(&index, "restore zzqxjv backup").as_deref(),
            Some("Restore a backup")
        );
    }

    #[test]
    fn hits_must_match_a_good_share_of_what_the_best_matches() {
        let index = demo_index();
        // Many articles mention a backup; matching only that is too little beside the best.
        let found = search_titles(&index, "slow backup performance checklist");
        assert_eq!(
            found,
            [
                "Backups are slow: a performance checklist",
                "Transfers are slow or time out"
            ]
        );
    }

    #[test]
    fn word_order_does_not_matter() {
        let index = demo_index();
        assert_eq!(
            first_title(&index, "backup restore").as_deref(),
            Some("Restore a backup")
        );
    }

    #[test]
    fn a_title_match_outranks_a_summary_only_match() {
        let index = demo_index();
        let ranked = search_titles(&index, "restore");
        let position = |title: &str| ranked.iter().position(|found| found == title);
        let summary_only = position("Collect diagnostic logs").expect("the summary says restore");
        let in_title = position("Restore a backup").expect("the title says restore");
        assert!(in_title < summary_only, "{ranked:?}");
    }

    #[test]
    fn the_whole_title_outranks_titles_that_contain_the_words_apart() {
        let index = demo_index();
        assert_eq!(
            first_title(&index, "restore a backup").as_deref(),
            Some("Restore a backup")
        );
    }

    #[test]
    fn other_inflections_match() {
        let index = demo_index();
        assert_eq!(
            first_title(&index, "scheduling backup").as_deref(),
            Some("Schedule automatic backups")
        );
        assert_eq!(
            first_title(&index, "transfer slowness").as_deref(),
            Some("Transfers are slow or time out")
        );
    }

    #[test]
    fn a_finished_number_is_not_the_start_of_a_longer_one() {
        let index = SearchIndex::new(
            vec![
                entry(1, "Error 1042", "", "x", &[]),
                entry(2, "Version 10", "", "x", &[]),
            ],
            &SynonymGroups::new(),
        );
        assert_eq!(search_titles(&index, "10 "), ["Version 10"]);
        // Still being typed, it may be.
        assert_eq!(search_titles(&index, "10").len(), 2);
    }

    #[test]
    fn words_joined_by_a_hyphen_are_one_term_typed_either_way() {
        let index = SearchIndex::new(
            vec![
                entry(1, "Error HB-2310: snapshot failed", "", "x", &[]),
                entry(2, "Error HB-1042: vault unreachable", "", "x", &[]),
                entry(3, "Fix sign-in loops", "", "x", &[]),
            ],
            &SynonymGroups::new(),
        );
        assert_eq!(
            search_titles(&index, "hb-2310"),
            ["Error HB-2310: snapshot failed"]
        );
        assert_eq!(
            search_titles(&index, "HB2310"),
            ["Error HB-2310: snapshot failed"]
        );
        assert_eq!(search_titles(&index, "hb-23").len(), 1);
        assert_eq!(search_titles(&index, "signin"), ["Fix sign-in loops"]);
    }

    #[test]
    fn the_initials_of_a_long_tag_match() {
        let index = SearchIndex::new(
            vec![
                entry(1, "Supported versions", "", "x", &["end of life"]),
                entry(2, "Eolian winds", "", "x", &["weather"]),
            ],
            &SynonymGroups::new(),
        );
        assert_eq!(
            first_title(&index, "eol ").as_deref(),
            Some("Supported versions")
        );
    }

    // --- Typos

    #[test]
    fn typos_in_every_word_still_find_the_article_first() {
        let index = demo_index();
        assert_eq!(
            first_title(&index, "resore bakup").as_deref(),
            Some("Restore a backup")
        );
    }

    #[test]
    fn swapped_and_wrong_letters_are_tolerated() {
        let index = demo_index();
        for query in ["restore bakcup", "rsetore backup", "restpre backup"] {
            assert_eq!(
                first_title(&index, query).as_deref(),
                Some("Restore a backup"),
                "query {query:?}"
            );
        }
    }

    #[test]
    fn long_words_tolerate_two_typos_and_short_ones_none() {
        let index = SearchIndex::new(
            vec![
                entry(1, "Set up multi-factor authentication", "", "x", &[]),
                entry(2, "Use a proxy", "", "x", &[]),
            ],
            &SynonymGroups::new(),
        );
        assert_eq!(
            first_title(&index, "authentification").as_deref(),
            Some("Set up multi-factor authentication")
        );
        assert_eq!(first_title(&index, "prosy").as_deref(), Some("Use a proxy"));
        assert!(
            search_titles(&index, "pxy ").is_empty(),
            "three letters: no typo"
        );
        assert!(
            search_titles(&index, "porsy ").is_empty(),
            "two typos in five letters"
        );
    }

    #[test]
    fn letters_scattered_over_a_title_do_not_match() {
        let index = SearchIndex::new(
            vec![entry(
                1,
                "Deploy agents silently with MSI or package managers",
                "",
                "installation",
                &[],
            )],
            &SynonymGroups::new(),
        );
        assert!(search_titles(&index, "awake").is_empty());
        assert_eq!(
            search_titles(&index, "pakage").len(),
            1,
            "a missing letter within a word still matches"
        );
    }

    #[test]
    fn a_typo_is_only_looked_for_when_the_word_matches_nothing_as_typed() {
        let index = SearchIndex::new(
            vec![
                entry(1, "Open ports", "", "x", &[]),
                entry(2, "Open posts", "", "x", &[]),
            ],
            &SynonymGroups::new(),
        );
        assert_eq!(search_titles(&index, "ports "), ["Open ports"]);
    }

    #[test]
    fn one_typo_of_a_word_start_is_tolerated_and_two_are_not() {
        let word: Vec<char> = "backup".chars().collect();
        let check = |query: &str| {
            typos_to_prefix(&query.chars().collect::<Vec<_>>(), &word, 1).map(|(typos, _)| typos)
        };
        assert_eq!(check("back"), Some(0));
        for near in ["bakcup", "bakup", "backkup", "bavkup", "backupx"] {
            assert_eq!(check(near), Some(1), "{near:?}");
        }
        assert_eq!(check("bkacpu"), None);
        assert_eq!(check("bcakpu"), None);
        let two = typos_to_prefix(&"bcakpu".chars().collect::<Vec<_>>(), &word, 2);
        assert_eq!(two, Some((2, 6)));
    }

    #[test]
    fn a_finished_word_with_a_typo_must_match_nearly_a_whole_word() {
        let index = SearchIndex::new(
            vec![
                entry(1, "Severity levels", "", "x", &[]),
                entry(2, "Backups", "", "x", &[]),
            ],
            &SynonymGroups::new(),
        );
        // "never" is one typo from "sever", the start of "severity": not enough when finished.
        assert!(search_titles(&index, "never ").is_empty());
        assert_eq!(search_titles(&index, "bakup "), ["Backups"]);
    }

    // --- Synonyms and keywords

    #[test]
    fn synonyms_find_what_the_articles_call_otherwise() {
        let index = demo_index();
        assert_eq!(
            first_title(&index, "recover a backup").as_deref(),
            Some("Restore a backup")
        );
        assert_eq!(
            first_title(&index, "my backup takes forever").as_deref(),
            Some("Backups are slow: a performance checklist")
        );
        assert_eq!(
            first_title(&index, "laptop backup plan").as_deref(),
            Some("Run your first backup")
        );
    }

    #[test]
    fn inflected_query_words_find_their_synonyms() {
        let index = demo_index();
        assert_eq!(
            first_title(&index, "recovered backups").as_deref(),
            Some("Restore a backup")
        );
    }

    #[test]
    fn a_synonym_left_with_one_word_without_its_stop_words_is_searched_joined() {
        let index = demo_index();
        // "get back" must not mean "back": "Back up before upgrading" is no restore article.
        let found = search_titles(&index, "recover ");
        assert!(
            !found.contains(&"Back up before upgrading".to_owned()),
            "{found:?}"
        );
        // "log in" finds "login" and "sign-in".
        assert_eq!(
            first_title(&index, "log in loops").as_deref(),
            Some("Fix sign-in loops")
        );
    }

    #[test]
    fn keywords_match_like_tags() {
        let mut with_keywords = entry(
            1,
            "Recover from an attack",
            "Steps after an incident.",
            "x",
            &[],
        );
        with_keywords.keywords = vec!["ransomware".to_owned(), "crypto locker".to_owned()];
        let index = SearchIndex::new(
            vec![with_keywords, entry(2, "Ransomware", "", "x", &[])],
            &SynonymGroups::new(),
        );
        let found = search_titles(&index, "ransomware");
        assert_eq!(
            found,
            ["Ransomware", "Recover from an attack"],
            "the title weighs more"
        );
        assert_eq!(
            search_titles(&index, "crypto locker"),
            ["Recover from an attack"]
        );
    }

    // --- Highlighting

    #[test]
    fn stop_words_and_parts_of_other_words_are_never_highlighted() {
        let index = demo_index();
        let title = "Backups are slow: a performance checklist";
        assert_eq!(
            highlighted(&index, "backup is slow since last week", title),
            "[Backup]s are [slow]: a performance checklist"
        );
        assert_eq!(
            highlighted(&index, "backups are slow ", title),
            "[Backups] are [slow]: a performance checklist"
        );
    }

    #[test]
    fn a_word_being_typed_highlights_the_start_it_matched() {
        let index = demo_index();
        assert_eq!(
            highlighted(&index, "restore a bac", "Restore a backup"),
            "[Restore] a [bac]kup"
        );
        assert_eq!(
            highlighted(&index, "sched", "Schedule automatic backups"),
            "[Sched]ule automatic backups"
        );
    }

    #[test]
    fn typo_and_synonym_matches_highlight_the_title_word() {
        let index = demo_index();
        assert_eq!(
            highlighted(&index, "rsetore", "Restore a backup"),
            "[Restore] a backup"
        );
        assert_eq!(
            highlighted(&index, "resore", "Restore a backup"),
            "[Restore] a backup"
        );
        assert_eq!(
            highlighted(&index, "recover my backup", "Restore a backup"),
            "[Restore] a [backup]"
        );
    }

    #[test]
    fn a_word_may_run_into_the_next_title_word() {
        let index = SearchIndex::new(
            vec![entry(1, "Fix sign-in loops", "", "x", &[])],
            &SynonymGroups::new(),
        );
        let hits = index.search("signin", &SearchFilters::default(), 10);
        assert_eq!(hits[0].title_matches, [4, 5, 6, 7, 9, 10]);
    }

    #[test]
    fn highlights_are_character_indices_of_the_original_title() {
        let index = SearchIndex::new(
            vec![entry(1, "Über die Sicherung", "", "de", &[])],
            &SynonymGroups::new(),
        );
        let hits = index.search("über", &SearchFilters::default(), 10);
        assert_eq!(hits[0].title_matches, [0, 1, 2, 3]);
        let hits = index.search("sicher", &SearchFilters::default(), 10);
        assert_eq!(hits[0].title_matches, [9, 10, 11, 12, 13, 14]);
    }

    #[test]
    fn highlights_survive_lower_casing_that_adds_characters() {
        // 'İ' lower-cases to two characters; the highlight must still point at the original.
        let index = SearchIndex::new(
            vec![entry(1, "İstanbul office hours", "", "x", &[])],
            &SynonymGroups::new(),
        );
        let hits = index.search("office", &SearchFilters::default(), 10);
        assert_eq!(hits[0].title_matches, [9, 10, 11, 12, 13, 14]);
        let hits = index.search("istanbul", &SearchFilters::default(), 10);
        assert_eq!(hits[0].title_matches, [0, 1, 2, 3, 4, 5, 6, 7]);
    }

    // --- Coverage and answers

    #[test]
    fn coverage_is_the_share_of_the_query_weight_matched() {
        let index = demo_index();
        let hits = index.search("restore backup", &SearchFilters::default(), 10);
        let whole = hit_for(&index, &hits, "Restore a backup");
        assert_eq!(whole.coverage, 1.0);
        let part = hit_for(&index, &hits, "Restore fails with error 0x80070005");
        assert!(0.0 < part.coverage && part.coverage < 1.0, "{part:?}");
        assert!(hits.iter().all(|hit| (0.0..=1.0).contains(&hit.coverage)));
    }

    #[test]
    fn hits_answer_a_query_only_when_the_best_covers_enough_of_it() {
        let index = demo_index();
        let hits = index.search("restore a backup", &SearchFilters::default(), 10);
        assert!(answers(&hits));
        // Only the common word matches: the server should be asked.
        let hits = index.search(
            "backup office mailboxes exchange",
            &SearchFilters::default(),
            10,
        );
        assert!(!hits.is_empty());
        assert!(!answers(&hits), "{:?}", titles(&index, &hits));
        assert!(!answers(&[]));
    }

    // --- Filters, limits, close matches

    #[test]
    fn category_and_product_filters_narrow_the_results() {
        let index = SearchIndex::new(
            vec![
                KbIndexEntry {
                    products: vec!["desk".to_owned()],
                    ..entry(1, "Restore a desk layout", "", "settings", &[])
                },
                entry(2, "Restore a backup", "", "backup-and-restore", &[]),
                entry(3, "Restore fails", "", "troubleshooting", &[]),
            ],
            &SynonymGroups::new(),
        );
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
    fn the_limit_keeps_the_best_hits_in_order() {
        let index = demo_index();
        let all = index.search("re", &SearchFilters::default(), 100);
        let top = index.search("re", &SearchFilters::default(), 2);
        assert!(all.len() > 2);
        assert_eq!(top, all[..2]);
        assert!(index.search("re", &SearchFilters::default(), 0).is_empty());
    }

    #[test]
    fn nonsense_finds_nothing_and_no_close_matches() {
        let index = demo_index();
        for query in ["zzqxjv", "zzqxjv is"] {
            assert!(
                index
                    .search(query, &SearchFilters::default(), 10)
                    .is_empty()
            );
            assert!(
                index
                    .close_matches(query, &SearchFilters::default(), 5)
                    .is_empty()
            );
        }
    }

    #[test]
    fn close_matches_include_articles_matching_any_word() {
        let index = demo_index();
        let query = "slow backup performance checklist";
        let listed = index.search(query, &SearchFilters::default(), 10).len();
        let close = index.close_matches(query, &SearchFilters::default(), 10);
        assert!(close.len() > listed, "{:?}", titles(&index, &close));
    }

    // --- Keystroke after keystroke

    /// Compares every search of `queries`, in turn on one index, with a fresh index's.
    fn assert_same_as_fresh(queries: &[String], filters: &[SearchFilters]) {
        let index = demo_index();
        let mut typed = Narrowing::default();
        for (step, query) in queries.iter().enumerate() {
            let filters = &filters[step % filters.len()];
            let fresh = demo_index();
            assert_eq!(
                index.search_as_typed(&mut typed, query, filters, 5),
                fresh.search(query, filters, 5),
                "after {:?}",
                &queries[..=step]
            );
        }
    }

    /// Every prefix of `text`, as typed.
    fn keystrokes(text: &str) -> Vec<String> {
        text.char_indices()
            .map(|(end, ch)| text[..end + ch.len_utf8()].to_owned())
            .collect()
    }

    #[test]
    fn every_keystroke_gives_the_same_results_as_a_fresh_search() {
        for query in [
            "backup is slow since last week",
            "resore bakup",
            "log in loops",
            "how do i recover my laptop",
            "error hb-2310 at",
            "sign in pasword",
        ] {
            assert_same_as_fresh(&keystrokes(query), &[SearchFilters::default()]);
        }
    }

    #[test]
    fn any_sequence_of_edits_gives_the_same_results_as_a_fresh_search() {
        // A property over pseudo-random sessions: typing, deleting, pasting and changing
        // filters in any order must never let the kept term matches show.
        const WORDS: [&str; 16] = [
            "restore",
            "backup",
            "is",
            "slow",
            "resore",
            "log",
            "in",
            "recover",
            "laptop",
            "at",
            "sign-in",
            "pasword",
            "takes",
            "forever",
            "zzqx",
            "0x80070005",
        ];
        let filters = [
            SearchFilters::default(),
            SearchFilters {
                category: Some("backup-and-restore".to_owned()),
                product: None,
            },
        ];
        let mut seed: u64 = 7;
        let mut next = |below: usize| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) as usize % below
        };
        for _ in 0..40 {
            let mut query = String::new();
            let mut session = Vec::new();
            for _ in 0..12 {
                match next(4) {
                    0 => {
                        query.pop();
                    }
                    1 => query.push(' '),
                    _ => query.push_str(WORDS[next(WORDS.len())]),
                }
                let typed = query.clone();
                // Each edit arrives keystroke by keystroke from the previous query's length.
                let common = session.last().map_or(0, |last: &String| {
                    last.chars()
                        .zip(typed.chars())
                        .take_while(|(a, b)| a == b)
                        .count()
                });
                let skip = typed
                    .chars()
                    .take(common)
                    .map(char::len_utf8)
                    .sum::<usize>();
                session.extend(
                    keystrokes(&typed)
                        .into_iter()
                        .filter(|prefix| prefix.len() > skip),
                );
                if session.last() != Some(&typed) {
                    session.push(typed);
                }
            }
            // Half the sessions switch filters at every search.
            let selected = if next(2) == 0 {
                &filters[..1]
            } else {
                &filters[..]
            };
            assert_same_as_fresh(&session, selected);
        }
    }

    // --- The word rules

    #[test]
    fn stems_strip_one_inflection_consistently() {
        let pairs = [
            ("backups", "backup"),
            ("syncing", "sync"),
            ("changed", "change"),
            ("changes", "changing"),
            ("devices", "device"),
            ("stopped", "stop"),
            ("running", "run"),
            ("policies", "policy"),
            ("statuses", "status"),
        ];
        for (a, b) in pairs {
            assert_eq!(stem(a), stem(b), "{a} and {b}");
        }
        assert_ne!(stem("login"), stem("log"));
        assert_eq!(stem("use"), "use", "too short to lose a letter");
        assert_eq!(stem("this"), "this", "stop words stay");
        assert_eq!(
            stem("gültiges"),
            "gültig",
            "non-ASCII letters are kept whole"
        );
    }

    #[test]
    fn the_vocabulary_leaves_out_stop_words_and_adds_joined_pairs() {
        let vocabulary =
            Vocabulary::new(&[entry(1, "Fix the sign-in loop of HB-2310", "", "x", &[])]);
        let texts: Vec<&str> = vocabulary
            .words
            .iter()
            .map(|word| word.text.as_str())
            .collect();
        assert_eq!(
            texts,
            ["2310", "fix", "hb", "hb2310", "loop", "sign", "signin"]
        );
        let contraction = Vocabulary::new(&[entry(2, "Can't", "", "x", &[])]);
        assert!(contraction.words.is_empty());
    }
}
