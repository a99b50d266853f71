//! Ranking in two steps. First BM25 over the weighted fields finds the best candidates among
//! the articles sharing any term with the question (tantivy's block-max WAND skips the rest).
//! Then each candidate's score is multiplied by how much of the question it covers: the share
//! of the concepts' weight it matches anywhere, rare words counting more (a graded blend of
//! "all words" and "any word"), halved for an article about another product than the question
//! names. How well it covers each part of the question, in its text and in its title, keywords
//! or summary, and whether its title or keywords carry a code the question quotes, then say
//! whether it is a strong or a partial match ([`Ranked::confidence`]).

use std::collections::HashMap;

use lantern_core::api::MatchConfidence;
use tantivy::collector::TopDocs;
use tantivy::postings::SegmentPostings;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, DocId, DocSet, SegmentReader, Term};

use super::index::ArticleIndex;
use super::question::{PartKind, Question, QuestionPart};

/// Candidates re-weighed per hit asked for, and at least.
const CANDIDATES_PER_HIT: usize = 4;
const MIN_CANDIDATES: usize = 40;
/// An article about another product than the question names keeps this share of its score.
const OTHER_PRODUCT_FACTOR: f32 = 0.5;
/// A strong match has at least this share in its title, keywords or summary...
const STRONG_HEAD_COVERAGE: f32 = 0.3;
/// ...or at least this share within a few words of its text...
const STRONG_TOGETHER: f32 = 0.8;
/// ...scores at least this share of the best hit's score...
const STRONG_RELATIVE_SCORE: f32 = 0.3;

/// Narrows a search to one product and/or one category.
#[derive(Debug, Clone, Copy, Default)]
pub struct Filter<'a> {
    pub product: Option<&'a str>,
    pub category: Option<&'a str>,
}

/// One ranked article.
#[derive(Debug, Clone)]
pub struct Ranked {
    /// The article's position in [`ArticleIndex::articles`].
    pub ordinal: usize,
    pub address: DocAddress,
    pub score: f32,
    /// How well it covers each part of the question (`None`: a part no article could match).
    pub parts: Vec<Option<PartCoverage>>,
    /// Which variants of each concept this article matches.
    pub matched_variants: ConceptMatches,
    /// The question names products and the article is about none of them.
    pub other_product: bool,
    /// [`Question::is_mostly_unknown`].
    pub mostly_unknown: bool,
    /// Its title or keywords carry a code the question quotes ("RS-401"): it is about the
    /// error the customer saw.
    pub names_quoted_code: bool,
}

/// How well an article covers one part of a question.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PartCoverage {
    pub kind: PartKind,
    /// The share of the part's weight matched anywhere in the article...
    pub anywhere: f32,
    /// ...and in its title, keywords or summary.
    pub head: f32,
    /// Whether it matches the part's most telling concept (of most weight) anywhere.
    pub most_telling: bool,
    most_telling_weight: f32,
}

impl Ranked {
    /// Strong when the article covers the parts of the question that have a say (the geometric
    /// mean of each part's coverage against what an answer typically covers: all of a search or
    /// subject, half of a description), is about it (its title, keywords or summary cover a
    /// part, the question's words stand together in its text — `together` is the share of the
    /// weight found within a few words — or it answers both a subject and a description),
    /// scores close to the best hit (`relative`: its share of the best score), the question is
    /// mostly about things the knowledge base knows, and it names no other product. For a
    /// search, it must also have the search's most telling word (of most weight): covering the
    /// common words of "get two factor codes by sms text message" ("codes", "text", "message")
    /// is not answering it, as a page about searching does not.
    ///
    /// A code the question quotes that the article's title or keywords carry stands for
    /// coverage and aboutness (the score, the unknown words and the product still count): an
    /// error code is the most telling thing a customer writes, and the vendor wrote the
    /// article about that error, however the rest of a ticket tells the story ("Everyone has
    /// to sign in again every morning" + "RS-401 Sign-in expired"). A code only its text
    /// mentions does not count: catalogues and examples mention many.
    pub fn confidence(&self, together: f32, relative: f32) -> MatchConfidence {
        let decisive: Vec<(&PartCoverage, f32)> = self
            .parts
            .iter()
            .flatten()
            .filter_map(|part| {
                QuestionPart::expected_coverage(part.kind).map(|expected| (part, expected))
            })
            .collect();
        if decisive.is_empty() {
            return MatchConfidence::Partial;
        }
        let log_sum: f32 = decisive
            .iter()
            .map(|(part, expected)| (part.anywhere / expected).clamp(f32::EPSILON, 1.0).ln())
            .sum();
        let covered = (log_sum / decisive.len() as f32).exp();
        let about_it = decisive.len() > 1
            || decisive
                .iter()
                .any(|(part, _)| part.head >= STRONG_HEAD_COVERAGE)
            || together >= STRONG_TOGETHER;
        let strong_coverage = decisive
            .iter()
            .map(|(part, _)| QuestionPart::strong_coverage(part.kind))
            .fold(f32::MAX, f32::min);
        let telling = decisive
            .iter()
            .all(|(part, _)| part.kind != PartKind::Search || part.most_telling);
        let answers_it =
            (covered >= strong_coverage && about_it && telling) || self.names_quoted_code;
        if answers_it
            && relative >= STRONG_RELATIVE_SCORE
            && !self.mostly_unknown
            && !self.other_product
        {
            MatchConfidence::Strong
        } else {
            MatchConfidence::Partial
        }
    }
}

/// The best `limit` articles for `question`, best first.
pub fn rank(
    index: &ArticleIndex,
    question: &Question,
    filter: Filter<'_>,
    limit: usize,
) -> tantivy::Result<Vec<Ranked>> {
    let mostly_unknown = question.is_mostly_unknown();
    let part_weights = question.known_weight_by_part();
    if limit == 0 || part_weights.iter().sum::<f32>() <= 0.0 {
        return Ok(Vec::new());
    }
    let Some(query) = retrieval_query(index, question, filter) else {
        return Ok(Vec::new());
    };
    let wanted = (limit * CANDIDATES_PER_HIT).max(MIN_CANDIDATES);
    let candidates = index
        .searcher
        .search(&query, &TopDocs::with_limit(wanted).order_by_score())?;
    let mut by_segment: HashMap<u32, Vec<(DocId, f32)>> = HashMap::new();
    for (score, address) in candidates {
        by_segment
            .entry(address.segment_ord)
            .or_default()
            .push((address.doc_id, score));
    }
    let mut ranked = Vec::new();
    for (segment_ord, mut docs) in by_segment {
        docs.sort_unstable_by_key(|(doc, _)| *doc);
        let segment = index.searcher.segment_reader(segment_ord);
        let ordinals = segment.fast_fields().u64("ordinal")?;
        let in_all = concept_matches(segment, index.fields.all, question, &docs)?;
        let in_head = concept_matches(segment, index.fields.head, question, &docs)?;
        for (position, &(doc, score)) in docs.iter().enumerate() {
            let Some(ordinal) = ordinals.first(doc) else {
                continue;
            };
            let (coverage, parts) = coverage_of(
                question,
                &part_weights,
                &in_all[position],
                &in_head[position],
            );
            let article = &index.articles[ordinal as usize];
            let other_product = !question.products.is_empty()
                && !article
                    .products
                    .iter()
                    .any(|product| question.products.contains(product));
            let product_factor = if other_product {
                OTHER_PRODUCT_FACTOR
            } else {
                1.0
            };
            let names_quoted_code = article
                .codes
                .iter()
                .any(|code| question.codes.contains(code));
            ranked.push(Ranked {
                names_quoted_code,
                ordinal: ordinal as usize,
                address: DocAddress::new(segment_ord, doc),
                score: score * coverage * product_factor,
                other_product,
                mostly_unknown,
                parts,
                matched_variants: in_all[position].clone(),
            });
        }
    }
    ranked.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.ordinal.cmp(&b.ordinal)));
    ranked.truncate(limit);
    Ok(ranked)
}

/// The share of the question's known weight a document matches, and how well it covers each
/// part, from which of each concept's variants it matches anywhere and in its head.
fn coverage_of(
    question: &Question,
    part_weights: &[f32],
    anywhere: &ConceptMatches,
    in_head: &ConceptMatches,
) -> (f32, Vec<Option<PartCoverage>>) {
    let total_weight: f32 = part_weights.iter().sum();
    let mut coverage = 0.0;
    let mut parts: Vec<Option<PartCoverage>> = vec![None; part_weights.len()];
    for (index, concept) in question.concepts.iter().enumerate() {
        let part_weight = part_weights[concept.part];
        if part_weight <= 0.0 {
            continue;
        }
        let part = parts[concept.part].get_or_insert(PartCoverage {
            kind: concept.part_kind,
            anywhere: 0.0,
            head: 0.0,
            most_telling: false,
            most_telling_weight: 0.0,
        });
        if concept.weight > part.most_telling_weight {
            part.most_telling_weight = concept.weight;
            part.most_telling = !anywhere[index].is_empty();
        }
        if !anywhere[index].is_empty() {
            coverage += concept.weight / total_weight;
            part.anywhere += concept.weight / part_weight;
        }
        if !in_head[index].is_empty() {
            part.head += concept.weight / part_weight;
        }
    }
    (coverage, parts)
}

/// Every term of every concept in every weighted field, boosted by the field's weight, how well
/// the term stands for its concept and how much its part counts; `None` when no term is left.
fn retrieval_query(
    index: &ArticleIndex,
    question: &Question,
    filter: Filter<'_>,
) -> Option<Box<dyn Query>> {
    let mut boosts: HashMap<Term, f32> = HashMap::new();
    for concept in &question.concepts {
        for variant in &concept.variants {
            // The words of a phrase share the boost of a single word.
            let per_term = variant.boost * concept.importance / variant.terms.len() as f32;
            for term in &variant.terms {
                for (field, field_weight) in index.fields.weighted() {
                    let boost = boosts
                        .entry(Term::from_field_text(field, term))
                        .or_default();
                    *boost = boost.max(per_term * field_weight);
                }
            }
        }
    }
    if boosts.is_empty() {
        return None;
    }
    let mut clauses: Vec<(Term, f32)> = boosts.into_iter().collect();
    // A repeatable order, so equal questions always give equal results.
    clauses.sort_by(|a, b| a.0.cmp(&b.0));
    let union: Box<dyn Query> = Box::new(BooleanQuery::union(
        clauses
            .into_iter()
            .map(|(term, boost)| -> Box<dyn Query> {
                Box::new(BoostQuery::new(
                    Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)),
                    boost,
                ))
            })
            .collect(),
    ));
    let filters: Vec<Box<dyn Query>> = [
        (index.fields.product, filter.product),
        (index.fields.category, filter.category),
    ]
    .into_iter()
    .filter_map(|(field, value)| {
        value.map(|value| -> Box<dyn Query> {
            Box::new(BoostQuery::new(
                Box::new(TermQuery::new(
                    Term::from_field_text(field, value),
                    IndexRecordOption::Basic,
                )),
                0.0,
            ))
        })
    })
    .collect();
    if filters.is_empty() {
        return Some(union);
    }
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = filters
        .into_iter()
        .map(|query| (Occur::Must, query))
        .collect();
    clauses.push((Occur::Must, union));
    Some(Box::new(BooleanQuery::new(clauses)))
}

/// Per concept of a question: the indices of its variants a document matches.
pub type ConceptMatches = Vec<Vec<usize>>;

/// For each of `docs` (ascending): which variants of each concept occur in `field` of the
/// document (all the terms of a variant).
fn concept_matches(
    segment: &SegmentReader,
    field: Field,
    question: &Question,
    docs: &[(DocId, f32)],
) -> tantivy::Result<Vec<ConceptMatches>> {
    let inverted = segment.inverted_index(field)?;
    let mut matches = vec![vec![Vec::new(); question.concepts.len()]; docs.len()];
    for (concept_index, concept) in question.concepts.iter().enumerate() {
        for (variant_index, variant) in concept.variants.iter().enumerate() {
            let mut postings: Vec<SegmentPostings> = Vec::with_capacity(variant.terms.len());
            for term in &variant.terms {
                match inverted.read_postings(
                    &Term::from_field_text(field, term),
                    IndexRecordOption::Basic,
                )? {
                    Some(found) => postings.push(found),
                    None => break,
                }
            }
            if postings.len() < variant.terms.len() {
                continue;
            }
            for (position, &(doc, _)) in docs.iter().enumerate() {
                if postings.iter_mut().all(|list| contains(list, doc)) {
                    matches[position][concept_index].push(variant_index);
                }
            }
        }
    }
    Ok(matches)
}

/// Whether the postings list holds `doc`; `doc` must not be below an earlier call's.
pub fn contains(list: &mut SegmentPostings, doc: DocId) -> bool {
    // A list whose last lookup went past `doc` must not seek backwards.
    if list.doc() < doc {
        list.seek(doc);
    }
    list.doc() == doc
}
