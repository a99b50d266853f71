//! Query understanding: what a customer typed becomes a list of concepts, each the terms that
//! may stand for it in an article.
//!
//! - Stop words (`lantern_core::search::words`) and lone letters never become concepts.
//! - A word or phrase of the synonyms file also stands for the other members of its group.
//! - A word the articles never use is read as a typo of the closest words they do use:
//!   within one edit from [`TYPO_MIN_CHARS`] characters, two from [`TWO_TYPOS_MIN_CHARS`].
//! - The last word of a query typed halfway also stands for the words it begins.
//! - Every concept weighs what it tells apart (its inverse document frequency); long text keeps
//!   only its most telling concepts, so a ticket's description is not cut before its point.
//! - The codes it quotes ("RS-401 Sign-in expired") are kept as written: an article whose
//!   title or keywords carry one is about what the customer saw ([`codes_in`]).

use std::collections::HashMap;

use lantern_core::search::synonyms::SynonymMatcher;
use lantern_core::search::words::{is_stop_word, words};
use tantivy::Searcher;
use tantivy::query::FuzzyTermQuery;
use tantivy::schema::Field;
use tantivy::{TantivyError, Term};

use super::analysis::{WordStemmer, is_indexable};

/// Typo tolerance starts at this many characters (one edit)...
pub const TYPO_MIN_CHARS: usize = 4;
/// ...and allows two edits from this many.
pub const TWO_TYPOS_MIN_CHARS: usize = 8;
/// A word typed halfway stands for at most this many words it begins (the most used first).
const MAX_PREFIX_TERMS: usize = 6;
/// A word read as a typo stands for at most this many words.
const MAX_TYPO_TERMS: usize = 3;
/// Prefixes shorter than this begin too many words to mean anything yet.
const MIN_PREFIX_CHARS: usize = 3;
/// A word this few articles use may still be a typo of a common word ("bakup" in an article
/// about typos): it also stands for neighbours used at least [`COMMON_FACTOR`] times as often,
/// unless an article's title, keywords or summary use it, which nobody writes typos into.
const RARE_DOC_FREQ: u64 = 2;
const COMMON_FACTOR: u64 = 5;
/// The weight of a word of a product's name the question names, relative to other words.
const PRODUCT_NAME_WEIGHT: f32 = 0.25;
/// A description keeps this many of its most telling concepts...
const DESCRIPTION_CONCEPTS: usize = 24;
/// ...of which the article answering it typically covers this share.
const DESCRIPTION_EXPECTED_COVERAGE: f32 = 0.5;
/// No question has more concepts than this; the least telling go first.
const MAX_CONCEPTS: usize = 32;
/// A code ([`codes_in`]) is this many letters and this many digits.
const MAX_CODE_LETTERS: usize = 5;
const MIN_CODE_DIGITS: usize = 2;
const MAX_CODE_DIGITS: usize = 6;

/// How much a term stands for its concept, by how it was found.
const SYNONYM_BOOST: f32 = 0.85;
const PREFIX_BOOST: f32 = 0.8;
const ONE_TYPO_BOOST: f32 = 0.7;
const TWO_TYPOS_BOOST: f32 = 0.5;

/// What a piece of a question is: it decides how much its words count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartKind {
    /// A search box: every word was chosen, and the last may be unfinished while typing.
    Search,
    /// A ticket's subject: every word was chosen.
    Subject,
    /// A ticket's description: it tells the story, so only its most telling words are searched
    /// for, and words no article uses (names, chat) do not count against a match.
    Description,
    /// A hint such as the case type's name ("Performance issue"): a little weight, no say in
    /// whether a match is strong.
    Hint,
}

/// A piece of what the customer wrote.
#[derive(Debug, Clone, Copy)]
pub struct QuestionPart<'a> {
    pub text: &'a str,
    pub kind: PartKind,
}

impl<'a> QuestionPart<'a> {
    pub fn search(text: &'a str) -> Self {
        Self {
            text,
            kind: PartKind::Search,
        }
    }

    pub fn subject(text: &'a str) -> Self {
        Self {
            text,
            kind: PartKind::Subject,
        }
    }

    pub fn description(text: &'a str) -> Self {
        Self {
            text,
            kind: PartKind::Description,
        }
    }

    pub fn hint(text: &'a str) -> Self {
        Self {
            text,
            kind: PartKind::Hint,
        }
    }

    /// Multiplies the scores and the weight of its concepts.
    fn importance(&self) -> f32 {
        match self.kind {
            PartKind::Search | PartKind::Subject => 1.0,
            PartKind::Description => 0.6,
            PartKind::Hint => 0.25,
        }
    }

    /// Keep only this many of its most telling concepts.
    fn max_concepts(&self) -> Option<usize> {
        (self.kind == PartKind::Description).then_some(DESCRIPTION_CONCEPTS)
    }

    /// Whether its words no article uses count against a match.
    fn unknown_words_count(&self) -> bool {
        matches!(self.kind, PartKind::Search | PartKind::Subject)
    }

    /// Whether the last word may be unfinished.
    fn typed_halfway(&self) -> bool {
        self.kind == PartKind::Search && !self.text.ends_with(char::is_whitespace)
    }

    /// The largest share of its weight that may be in words no article uses for a match to be
    /// strong: a search's words are all chosen; a subject's sentence carries context ("every
    /// morning"); a description's unknown words never count.
    pub fn max_unknown_share(kind: PartKind) -> f32 {
        match kind {
            PartKind::Search => 0.35,
            PartKind::Subject => 0.75,
            PartKind::Description | PartKind::Hint => 1.0,
        }
    }

    /// The coverage (against [`Self::expected_coverage`]) a strong match reaches: a search's
    /// few words must nearly all match; a ticket tells more, and an answer covers less of it.
    pub fn strong_coverage(kind: PartKind) -> f32 {
        match kind {
            PartKind::Search => 0.7,
            PartKind::Subject | PartKind::Description | PartKind::Hint => 0.55,
        }
    }

    /// How much of it a strong match covers (a description tells more than any one article
    /// answers), or `None` when it has no say in whether a match is strong.
    pub fn expected_coverage(kind: PartKind) -> Option<f32> {
        match kind {
            PartKind::Search | PartKind::Subject => Some(1.0),
            PartKind::Description => Some(DESCRIPTION_EXPECTED_COVERAGE),
            PartKind::Hint => None,
        }
    }
}

/// One thing the customer asked about.
#[derive(Debug, Clone, PartialEq)]
pub struct Concept {
    /// The words as written, lower-cased.
    pub label: String,
    /// Empty when no article uses any word that could stand for it.
    pub variants: Vec<Variant>,
    /// Its share in how well an article matches: how telling it is, times its part's importance.
    pub weight: f32,
    pub importance: f32,
    /// Which part of the question it comes from (the first, when several name it).
    pub part: usize,
    pub part_kind: PartKind,
}

/// Terms that stand for a concept together: one word, or the words of a phrase.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    pub terms: Vec<String>,
    pub boost: f32,
}

/// What the engine understood of a question.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Question {
    pub concepts: Vec<Concept>,
    /// The products it names (ids): an article about none of them cannot answer it.
    pub products: Vec<String>,
    /// The codes it quotes ([`codes_in`]), from the parts that have a say in a strong match.
    pub codes: Vec<String>,
}

impl Question {
    /// The weight of the concepts some article could match.
    pub fn known_weight(&self) -> f32 {
        self.concepts
            .iter()
            .filter(|concept| concept.is_known())
            .map(|concept| concept.weight)
            .sum()
    }

    /// [`Self::known_weight`] of the concepts of each part.
    pub fn known_weight_by_part(&self) -> Vec<f32> {
        let parts = self
            .concepts
            .iter()
            .map(|concept| concept.part + 1)
            .max()
            .unwrap_or(0);
        let mut weights = vec![0.0; parts];
        for concept in self.concepts.iter().filter(|concept| concept.is_known()) {
            weights[concept.part] += concept.weight;
        }
        weights
    }

    /// Whether a part is mostly about things no article mentions (its share of weight in such
    /// words is over what its kind allows): then no article answers the question strongly.
    pub fn is_mostly_unknown(&self) -> bool {
        let parts = self
            .concepts
            .iter()
            .map(|concept| concept.part + 1)
            .max()
            .unwrap_or(0);
        (0..parts).any(|part| {
            let of_part = || {
                self.concepts
                    .iter()
                    .filter(move |concept| concept.part == part)
            };
            let Some(kind) = of_part().next().map(|concept| concept.part_kind) else {
                return false;
            };
            let total: f32 = of_part().map(|concept| concept.weight).sum();
            let unknown: f32 = of_part()
                .filter(|concept| !concept.is_known())
                .map(|concept| concept.weight)
                .sum();
            total > 0.0 && unknown / total > QuestionPart::max_unknown_share(kind)
        })
    }
}

impl Concept {
    pub fn is_known(&self) -> bool {
        !self.variants.is_empty()
    }
}

/// How a question names a product: its whole name, or its first word when no other product's
/// name starts with it ("Harbor" for Harbor Backup), compared as stems.
#[derive(Debug, Clone, Default)]
pub struct ProductNames(Vec<(String, Vec<Vec<String>>)>);

impl ProductNames {
    /// From the policy's products: (id, display name).
    pub fn new(products: &[(String, String)], stemmer: &WordStemmer) -> Self {
        let stems_of = |name: &str| -> Vec<String> {
            words(name).map(|word| stemmer.stem(&word.text)).collect()
        };
        let first_words: Vec<Option<String>> = products
            .iter()
            .map(|(_, name)| stems_of(name).into_iter().next())
            .collect();
        Self(
            products
                .iter()
                .zip(&first_words)
                .map(|((id, name), first)| {
                    let mut forms = vec![stems_of(name)];
                    let distinct = first_words.iter().filter(|other| *other == first).count() == 1;
                    if let Some(first) = first.as_ref().filter(|_| distinct) {
                        forms.push(vec![first.clone()]);
                    }
                    forms.retain(|form| !form.is_empty());
                    (id.clone(), forms)
                })
                .collect(),
        )
    }

    /// The stems of the names of `products` (ids).
    fn name_stems(&self, products: &[String]) -> Vec<String> {
        self.0
            .iter()
            .filter(|(id, _)| products.contains(id))
            .flat_map(|(_, forms)| forms.iter().flatten().cloned())
            .collect()
    }

    /// The ids of the products named in `stems` (a question's stemmed words).
    fn named_in(&self, stems: &[String]) -> Vec<String> {
        self.0
            .iter()
            .filter(|(_, forms)| {
                forms.iter().any(|form| {
                    stems
                        .windows(form.len())
                        .any(|window| window == form.as_slice())
                })
            })
            .map(|(id, _)| id.clone())
            .collect()
    }
}

/// The terms the articles use: stems (the index's `all` field), those of their titles,
/// keywords and summaries (`head`) and words as written (`words`).
pub struct Vocabulary<'a> {
    pub searcher: &'a Searcher,
    pub stems: Field,
    pub head: Field,
    pub words: Field,
}

impl Vocabulary<'_> {
    fn article_count(&self) -> u64 {
        self.searcher.num_docs()
    }

    fn doc_freq(&self, stem: &str) -> tantivy::Result<u64> {
        self.searcher
            .doc_freq(&Term::from_field_text(self.stems, stem))
    }

    /// Whether some article's title, keywords or summary use `stem`.
    fn in_a_head(&self, stem: &str) -> tantivy::Result<bool> {
        Ok(self
            .searcher
            .doc_freq(&Term::from_field_text(self.head, stem))?
            > 0)
    }

    /// The inverse document frequency of BM25: high for a term few articles use.
    pub fn idf(&self, doc_freq: u64) -> f32 {
        let count = self.article_count() as f32;
        let doc_freq = doc_freq as f32;
        (1.0 + (count - doc_freq + 0.5) / (doc_freq + 0.5)).ln()
    }

    /// Words within `distance` edits of `word` (swaps count as one), closest and most used first.
    fn near(&self, word: &str, distance: u8) -> tantivy::Result<Vec<(String, u64)>> {
        let automaton =
            FuzzyTermQuery::new(Term::from_field_text(self.words, word), distance, true)
                .automaton()?;
        let mut found: HashMap<String, u64> = HashMap::new();
        for segment in self.searcher.segment_readers() {
            let index = segment.inverted_index(self.words)?;
            let mut stream = index.terms().search(&automaton).into_stream()?;
            while stream.advance() {
                if let Ok(key) = std::str::from_utf8(stream.key()) {
                    *found.entry(key.to_owned()).or_default() += u64::from(stream.value().doc_freq);
                }
            }
        }
        let mut found: Vec<(usize, u64, String)> = found
            .into_iter()
            .filter(|(key, _)| key != word)
            .map(|(key, doc_freq)| (strsim::osa_distance(word, &key), doc_freq, key))
            .collect();
        found.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
        Ok(found
            .into_iter()
            .map(|(_, doc_freq, key)| (key, doc_freq))
            .collect())
    }

    /// Words beginning with `prefix`, most used first.
    fn beginning_with(&self, prefix: &str) -> tantivy::Result<Vec<(String, u64)>> {
        let mut found: HashMap<String, u64> = HashMap::new();
        for segment in self.searcher.segment_readers() {
            let index = segment.inverted_index(self.words)?;
            let mut stream = index.terms().range().ge(prefix.as_bytes()).into_stream()?;
            while stream.advance() && stream.key().starts_with(prefix.as_bytes()) {
                if let Ok(key) = std::str::from_utf8(stream.key()) {
                    *found.entry(key.to_owned()).or_default() += u64::from(stream.value().doc_freq);
                }
            }
        }
        let mut found: Vec<(String, u64)> = found.into_iter().collect();
        found.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        Ok(found)
    }
}

/// What the engine reads questions with.
pub struct Reading<'a> {
    pub vocabulary: Vocabulary<'a>,
    pub synonyms: &'a SynonymMatcher,
    pub stemmer: &'a WordStemmer,
    pub products: &'a ProductNames,
}

/// Reads a question made of `parts`.
pub fn understand(
    parts: &[QuestionPart<'_>],
    reading: &Reading<'_>,
) -> Result<Question, TantivyError> {
    let Reading {
        vocabulary,
        synonyms,
        stemmer,
        products,
    } = reading;
    let mut concepts: Vec<Concept> = Vec::new();
    let mut named = Vec::new();
    for part in parts.iter().filter(|part| part.unknown_words_count()) {
        let stems: Vec<String> = words(part.text)
            .map(|word| stemmer.stem(&word.text))
            .collect();
        for product in products.named_in(&stems) {
            if !named.contains(&product) {
                named.push(product);
            }
        }
    }
    let name_stems = products.name_stems(&named);
    for (part_index, part) in parts.iter().enumerate() {
        let mut found = part_concepts(part, vocabulary, synonyms, stemmer)?;
        for concept in &mut found {
            // A product's name says which articles may answer, not what the question is about.
            if concept
                .variants
                .first()
                .is_some_and(|own| own.terms.iter().all(|term| name_stems.contains(term)))
            {
                concept.weight *= PRODUCT_NAME_WEIGHT;
            }
        }
        if let Some(max) = part.max_concepts() {
            keep_most_telling(&mut found, max);
        }
        for mut concept in found {
            concept.part = part_index;
            concept.part_kind = part.kind;
            match concepts
                .iter_mut()
                .find(|known| known.variants == concept.variants && known.label == concept.label)
            {
                Some(known) => {
                    known.weight = known.weight.max(concept.weight);
                    known.importance = known.importance.max(concept.importance);
                }
                None => concepts.push(concept),
            }
        }
    }
    keep_most_telling(&mut concepts, MAX_CONCEPTS);
    let mut codes: Vec<String> = parts
        .iter()
        .filter(|part| QuestionPart::expected_coverage(part.kind).is_some())
        .flat_map(|part| codes_in(part.text))
        .collect();
    codes.sort_unstable();
    codes.dedup();
    Ok(Question {
        concepts,
        products: named,
        codes,
    })
}

/// The codes in `text`, upper-cased ("RS-401"): a few letters, a hyphen and a number
/// ("HB-1042", "bg-530"), the way the products name their errors. A number alone is not one
/// (a count, a size, a time), nor are letters and a number apart ("Windows 11"). Letters and
/// a number run together ("hb1042") are one word to the index too, so they are no code.
pub fn codes_in(text: &str) -> Vec<String> {
    let is_letters = |piece: &str| {
        (1..=MAX_CODE_LETTERS).contains(&piece.len())
            && piece.chars().all(|ch| ch.is_ascii_alphabetic())
    };
    let is_number = |piece: &str| {
        (MIN_CODE_DIGITS..=MAX_CODE_DIGITS).contains(&piece.len())
            && piece.chars().all(|ch| ch.is_ascii_digit())
    };
    let code = |letters: &str, number: &str| format!("{}-{number}", letters.to_ascii_uppercase());
    let mut codes = Vec::new();
    for token in text.split(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '-')) {
        let pieces: Vec<&str> = token.split('-').collect();
        for pair in pieces.windows(2) {
            if is_letters(pair[0]) && is_number(pair[1]) {
                codes.push(code(pair[0], pair[1]));
            }
        }
    }
    codes
}

/// Keeps the `max` concepts of most weight, in their order.
fn keep_most_telling(concepts: &mut Vec<Concept>, max: usize) {
    if concepts.len() <= max {
        return;
    }
    let mut weights: Vec<f32> = concepts.iter().map(|concept| concept.weight).collect();
    weights.sort_by(|a, b| b.total_cmp(a));
    let threshold = weights[max - 1];
    let mut kept_at_threshold = weights[..max].iter().filter(|w| **w == threshold).count();
    concepts.retain(|concept| {
        if concept.weight > threshold {
            true
        } else if concept.weight == threshold && kept_at_threshold > 0 {
            kept_at_threshold -= 1;
            true
        } else {
            false
        }
    });
}

fn part_concepts(
    part: &QuestionPart<'_>,
    vocabulary: &Vocabulary<'_>,
    synonyms: &SynonymMatcher,
    stemmer: &WordStemmer,
) -> tantivy::Result<Vec<Concept>> {
    let written: Vec<String> = words(part.text)
        .map(|word| word.text)
        .filter(|word| is_indexable(word))
        .collect();
    let stems: Vec<String> = written.iter().map(|word| stemmer.stem(word)).collect();
    let mut concepts: Vec<Concept> = Vec::new();
    // Words repeated in long text make a concept more telling.
    let mut repeats: HashMap<String, usize> = HashMap::new();
    let mut at = 0;
    while at < written.len() {
        let is_last = at + 1 == written.len();
        let Some((span, variants)) = written_variants(&written, &stems, at, synonyms) else {
            at += 1;
            continue;
        };
        let label = written[at..at + span].join(" ");
        let (word, stem) = (&written[at], &stems[at]);
        at += span;
        let (mut known, mut doc_freq) = known_variants(variants, vocabulary)?;
        let single_word = span == 1;
        if single_word && is_last && part.typed_halfway() {
            for (variant, freq) in prefix_variants(word, &known, vocabulary, stemmer)? {
                doc_freq = doc_freq.max(freq);
                known.push(variant);
            }
        }
        if single_word {
            for (variant, freq) in typo_variants(word, stem, doc_freq, vocabulary, stemmer)? {
                doc_freq = doc_freq.max(freq);
                known.push(variant);
            }
        }
        if known.is_empty() && !(part.unknown_words_count() && counts_when_unknown(word)) {
            continue;
        }
        let count = repeats.entry(label.clone()).or_default();
        *count += 1;
        if *count > 1 {
            if let Some(concept) = concepts.iter_mut().find(|concept| concept.label == label) {
                concept.weight *= 1.0 + 0.3 / *count as f32;
            }
            continue;
        }
        // A word no article uses weighs like one a single article uses: telling, not decisive.
        concepts.push(Concept {
            label,
            weight: vocabulary.idf(doc_freq.max(1)) * part.importance(),
            importance: part.importance(),
            variants: known,
            part: 0,
            part_kind: part.kind,
        });
    }
    Ok(concepts)
}

/// What the words from `at` stand for as written: a member of a synonym group (how many words
/// it spans, its own terms and the other members'), else the word's stem; `None` for a stop
/// word or a lone letter.
fn written_variants(
    written: &[String],
    stems: &[String],
    at: usize,
    synonyms: &SynonymMatcher,
) -> Option<(usize, Vec<Variant>)> {
    if let Some(found) = synonyms.at(stems, at) {
        let span = at..at + found.len;
        let mut variants = vec![Variant {
            terms: searchable_terms(&written[span.clone()], &stems[span]),
            boost: 1.0,
        }];
        variants.extend(found.alternatives.into_iter().map(|alternative| {
            Variant {
                terms: alternative
                    .iter()
                    .filter(|stem| !is_stop_word(stem))
                    .cloned()
                    .collect(),
                boost: SYNONYM_BOOST,
            }
        }));
        variants.retain(|variant| !variant.terms.is_empty());
        return Some((found.len, variants));
    }
    let word = &written[at];
    if is_stop_word(word) || is_a_lone_letter(word) {
        return None;
    }
    Some((
        1,
        vec![Variant {
            terms: vec![stems[at].clone()],
            boost: 1.0,
        }],
    ))
}

/// The variants whose terms all occur in some article, and the most articles one occurs in.
fn known_variants(
    variants: Vec<Variant>,
    vocabulary: &Vocabulary<'_>,
) -> tantivy::Result<(Vec<Variant>, u64)> {
    let mut known = Vec::with_capacity(variants.len());
    let mut doc_freq = 0;
    for variant in variants {
        let mut least = u64::MAX;
        for term in &variant.terms {
            least = least.min(vocabulary.doc_freq(term)?);
        }
        if least > 0 && least != u64::MAX {
            doc_freq = doc_freq.max(least);
            known.push(variant);
        }
    }
    Ok((known, doc_freq))
}

/// The words an unfinished `word` begins (stemmed, the most used first), with their counts.
fn prefix_variants(
    word: &str,
    known: &[Variant],
    vocabulary: &Vocabulary<'_>,
    stemmer: &WordStemmer,
) -> tantivy::Result<Vec<(Variant, u64)>> {
    if word.chars().count() < MIN_PREFIX_CHARS {
        return Ok(Vec::new());
    }
    let begun = vocabulary.beginning_with(word)?;
    Ok(
        stemmed_alternatives(begun, stemmer, known, MAX_PREFIX_TERMS)
            .into_iter()
            .map(|(term, freq)| {
                let variant = Variant {
                    terms: vec![term],
                    boost: PREFIX_BOOST,
                };
                (variant, freq)
            })
            .collect(),
    )
}

/// What `word` may be a typo of: for a word no article uses, its closest neighbours; for a
/// rare one (`exact_freq` articles), the much more common neighbours ("bakup" next to
/// "backup"), unless an article is about it: a word in a title, keywords or summary is spelled
/// as meant ("Feature request: text message codes" is not about the "next" sign-in). Stemmed,
/// with their counts; codes and short words are never corrected.
fn typo_variants(
    word: &str,
    stem: &str,
    exact_freq: u64,
    vocabulary: &Vocabulary<'_>,
    stemmer: &WordStemmer,
) -> tantivy::Result<Vec<(Variant, u64)>> {
    if !may_be_a_typo(word)
        || exact_freq > RARE_DOC_FREQ
        || (exact_freq > 0 && vocabulary.in_a_head(stem)?)
    {
        return Ok(Vec::new());
    }
    let distance = if word.chars().count() >= TWO_TYPOS_MIN_CHARS {
        2
    } else {
        1
    };
    let mut corrections: Vec<(Variant, u64)> = Vec::new();
    for (surface, _) in vocabulary.near(word, distance)? {
        let term = stemmer.stem(&surface);
        if term == stem
            || corrections
                .iter()
                .any(|(known, _)| known.terms == [term.clone()])
        {
            continue;
        }
        let freq = vocabulary.doc_freq(&term)?;
        if exact_freq > 0 && freq < exact_freq * COMMON_FACTOR {
            continue;
        }
        let boost = if strsim::osa_distance(word, &surface) <= 1 {
            ONE_TYPO_BOOST
        } else {
            TWO_TYPOS_BOOST
        };
        corrections.push((
            Variant {
                terms: vec![term],
                boost,
            },
            freq,
        ));
        if corrections.len() == MAX_TYPO_TERMS {
            break;
        }
    }
    Ok(corrections)
}

/// The stems of `found` words (most used first) that are not variants yet, with their counts.
fn stemmed_alternatives(
    found: Vec<(String, u64)>,
    stemmer: &WordStemmer,
    known: &[Variant],
    max: usize,
) -> Vec<(String, u64)> {
    let mut stems: Vec<(String, u64)> = Vec::new();
    for (word, freq) in found {
        let stem = stemmer.stem(&word);
        if known.iter().any(|variant| variant.terms == [stem.clone()]) {
            continue;
        }
        match stems.iter_mut().find(|(known, _)| *known == stem) {
            Some((_, known_freq)) => *known_freq = (*known_freq).max(freq),
            None => stems.push((stem, freq)),
        }
    }
    stems.truncate(max);
    stems
}

/// The stems of the words of a phrase worth searching for.
fn searchable_terms(written: &[String], stems: &[String]) -> Vec<String> {
    written
        .iter()
        .zip(stems)
        .filter(|(word, _)| !is_stop_word(word))
        .map(|(_, stem)| stem.clone())
        .collect()
}

/// A letter on its own ("x", the "c" of "c: drive") is no topic; in a phrase of the synonyms
/// file ("os x") it still counts.
fn is_a_lone_letter(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(char::is_alphabetic) && chars.next().is_none()
}

/// Codes and numbers are looked up as written: a typo of `1042` is another error.
fn may_be_a_typo(word: &str) -> bool {
    word.chars().count() >= TYPO_MIN_CHARS && word.chars().all(char::is_alphabetic)
}

/// A word no article uses tells that the question may be about something the knowledge base
/// does not cover, unless it is a number (a size, a percentage, a date) or a scrap of a word.
fn counts_when_unknown(word: &str) -> bool {
    word.chars().count() >= 3 && !word.chars().all(|ch| ch.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_letters_a_hyphen_and_a_number() {
        assert_eq!(
            codes_in("every user gets \"RS-401 Sign-in expired\", then Bg-530 (HB-1042)."),
            ["RS-401", "BG-530", "HB-1042"]
        );
        // Numbers alone, dates, versions, words joined by hyphens, names with a number apart
        // and words run together are not codes.
        assert!(
            codes_in("40 laptops since 2026-02-14 on 6.9.5, re-encrypt, Windows 11, 4G, hb1042")
                .is_empty()
        );
    }
}
