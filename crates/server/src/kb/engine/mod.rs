//! The ranking engine behind full-text search and ticket suggestions: tantivy (BM25 with
//! block-max WAND, Snowball stemming) over an index in this server's memory, with Lantern's
//! own query understanding (`question`), re-ranking by coverage and confidence (`rank`) and
//! snippets (`snippet`). Why tantivy and not SQLite's FTS5: `DEVELOPERS.md`, "Search".
//!
//! Each server builds its own index from the database at start and again whenever the stored
//! knowledge-base index changes (an import, by this server or another): nothing is shared on
//! disk, and every server answers from the same articles.

mod analysis;
mod index;
mod question;
mod rank;
mod snippet;

use std::sync::{Arc, RwLock};

use anyhow::Context;
use lantern_core::api::MatchConfidence;
use lantern_core::policy::Policy;
use lantern_core::search::synonyms::{SynonymGroups, SynonymMatcher};
use tantivy::Term;
use tantivy::postings::Postings;
use tantivy::schema::IndexRecordOption;

use crate::db;
use analysis::WordStemmer;
use index::ArticleIndex;
pub use index::IndexedArticle;
pub use question::QuestionPart;
use question::{ProductNames, Question, Reading, Vocabulary, understand};
pub use rank::Filter;
use rank::{Ranked, contains, rank};
use snippet::{MatchedWord, densest_window_weight, snippet};

/// Words within which a question's words count as found together in an article's text.
const TOGETHER_WORDS: u32 = 12;

/// The policy's products as (id, display name), as the engine takes them.
pub fn product_names(policy: &Policy) -> Vec<(String, String)> {
    policy
        .products
        .iter()
        .map(|product| (product.id.clone(), product.name.clone()))
        .collect()
}

/// The articles as the engine searches them, with the synonyms it reads questions with.
pub struct Engine {
    index: ArticleIndex,
    synonyms: SynonymMatcher,
    stemmer: WordStemmer,
    products: ProductNames,
    /// The ETag of the stored knowledge-base index this engine was built from.
    version: Option<String>,
}

/// One article found, best first.
#[derive(Debug, Clone)]
pub struct EngineHit<'a> {
    pub article: &'a IndexedArticle,
    pub score: f32,
    pub confidence: MatchConfidence,
    /// Sanitised HTML with the matched words in `<mark>`: where the body matches best, else
    /// the summary (with its matches marked when it has some).
    pub snippet_html: String,
}

impl Engine {
    /// `products` are the policy's (id, display name): a question that names one is answered
    /// by articles about it.
    pub fn build(
        articles: Vec<db::kb::SearchableArticle>,
        synonyms: &SynonymGroups,
        products: &[(String, String)],
        version: Option<String>,
    ) -> tantivy::Result<Self> {
        let stemmer = WordStemmer::default();
        Ok(Self {
            index: ArticleIndex::build(articles)?,
            synonyms: SynonymMatcher::new(synonyms, |word| stemmer.stem(word)),
            products: ProductNames::new(products, &stemmer),
            stemmer,
            version,
        })
    }

    /// Builds the engine from what the database holds now.
    pub async fn load(db: &db::Db, products: &[(String, String)]) -> anyhow::Result<Self> {
        let mut connection = db.acquire().await?;
        // The version first: should an import come between the reads, the engine has the
        // newer articles under the older version, and the next refresh builds it again.
        let version = db::kb::index_etag(&mut connection).await?;
        let articles = db::kb::searchable_articles(&mut connection).await?;
        let synonyms = db::kb::synonyms(&mut connection).await?;
        drop(connection);
        let products = products.to_vec();
        tokio::task::spawn_blocking(move || Self::build(articles, &synonyms, &products, version))
            .await
            .context("the search index build stopped")?
            .context("cannot build the search index")
    }

    /// The ETag of the stored knowledge-base index this engine was built from.
    pub fn version(&self) -> Option<&str> {
        self.version.as_deref()
    }

    pub fn article_count(&self) -> usize {
        self.index.len()
    }

    /// The best `limit` articles for a question made of `parts`.
    pub fn search(
        &self,
        parts: &[QuestionPart<'_>],
        filter: Filter<'_>,
        limit: usize,
    ) -> tantivy::Result<Vec<EngineHit<'_>>> {
        let question = self.understand(parts)?;
        let ranked = rank(&self.index, &question, filter, limit)?;
        let weights: Vec<f32> = question
            .concepts
            .iter()
            .map(|concept| concept.weight)
            .collect();
        let known_weight = question.known_weight();
        // One word is always "together" with itself: only two or more say something.
        let can_stand_together = question.concepts.iter().filter(|c| c.is_known()).count() > 1;
        let best_score = ranked.first().map_or(0.0, |best| best.score);
        ranked
            .into_iter()
            .map(|ranked| {
                let article = &self.index.articles[ranked.ordinal];
                let in_body = self.matched_words(&question, &ranked, self.index.fields.body)?;
                let together = if can_stand_together {
                    densest_window_weight(&in_body, &weights, TOGETHER_WORDS) / known_weight
                } else {
                    0.0
                };
                Ok(EngineHit {
                    snippet_html: self.snippet(&question, &ranked, article, &in_body, &weights)?,
                    article,
                    score: ranked.score,
                    confidence: ranked.confidence(together, ranked.score / best_score),
                })
            })
            .collect()
    }

    fn understand(&self, parts: &[QuestionPart<'_>]) -> tantivy::Result<Question> {
        let reading = Reading {
            vocabulary: Vocabulary {
                searcher: &self.index.searcher,
                stems: self.index.fields.all,
                head: self.index.fields.head,
                words: self.index.fields.words,
            },
            synonyms: &self.synonyms,
            stemmer: &self.stemmer,
            products: &self.products,
        };
        understand(parts, &reading)
    }

    /// Where the body matches best, else the summary (its matches marked when it has some).
    fn snippet(
        &self,
        question: &Question,
        ranked: &Ranked,
        article: &IndexedArticle,
        in_body: &[MatchedWord],
        weights: &[f32],
    ) -> tantivy::Result<String> {
        if let Some(html) = snippet(&article.body_text, in_body, weights) {
            return Ok(html);
        }
        let in_summary = self.matched_words(question, ranked, self.index.fields.summary)?;
        Ok(snippet(&article.summary, &in_summary, weights)
            .unwrap_or_else(|| crate::kb::render::escape_html(&article.summary)))
    }

    /// The positions of the words of `field` in the hit that match the question.
    fn matched_words(
        &self,
        question: &Question,
        ranked: &Ranked,
        field: tantivy::schema::Field,
    ) -> tantivy::Result<Vec<MatchedWord>> {
        let segment = self
            .index
            .searcher
            .segment_reader(ranked.address.segment_ord);
        let inverted = segment.inverted_index(field)?;
        let doc = ranked.address.doc_id;
        let mut matched = Vec::new();
        let mut positions = Vec::new();
        for (concept_index, variants) in ranked.matched_variants.iter().enumerate() {
            for &variant in variants {
                for term in &question.concepts[concept_index].variants[variant].terms {
                    let Some(mut postings) = inverted.read_postings(
                        &Term::from_field_text(field, term),
                        IndexRecordOption::WithFreqsAndPositions,
                    )?
                    else {
                        continue;
                    };
                    if !contains(&mut postings, doc) {
                        continue;
                    }
                    positions.clear();
                    postings.positions(&mut positions);
                    matched.extend(positions.iter().map(|&position| MatchedWord {
                        position,
                        concept: concept_index,
                    }));
                }
            }
        }
        Ok(matched)
    }
}

/// How often a server checks whether the articles changed (an import by the admin command or
/// another server): the longest a search may answer from the articles before.
pub const REFRESH_INTERVAL: std::time::Duration = std::time::Duration::from_secs(10);

/// The engine in use, replaced as a whole when the articles change.
#[derive(Clone)]
pub struct SearchEngine {
    current: Arc<RwLock<Arc<Engine>>>,
    products: Arc<[(String, String)]>,
}

impl SearchEngine {
    /// Builds the engine from the database; `products` as for [`Engine::build`].
    pub async fn load(db: &db::Db, products: Vec<(String, String)>) -> anyhow::Result<Self> {
        let engine = Engine::load(db, &products).await?;
        Ok(Self {
            current: Arc::new(RwLock::new(Arc::new(engine))),
            products: products.into(),
        })
    }

    pub fn current(&self) -> Arc<Engine> {
        // A writer never panics while holding the lock (it only swaps an Arc).
        Arc::clone(
            &self
                .current
                .read()
                .unwrap_or_else(|poisoned| poisoned.into_inner()),
        )
    }

    /// Rebuilds the engine when the stored knowledge-base index is not the one it was built
    /// from; returns whether it did.
    pub async fn refresh(&self, db: &db::Db) -> anyhow::Result<bool> {
        let stored = db::kb::index_etag(db).await?;
        if stored == self.current().version {
            return Ok(false);
        }
        let engine = Engine::load(db, &self.products).await?;
        *self
            .current
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = Arc::new(engine);
        Ok(true)
    }
}

/// Keeps `engine` in step with the database for as long as the server runs.
pub fn spawn_refresh(engine: SearchEngine, db: db::Db) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(REFRESH_INTERVAL);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            match engine.refresh(&db).await {
                Ok(false) => {}
                Ok(true) => tracing::info!(
                    articles = engine.current().article_count(),
                    "search index rebuilt: the articles changed"
                ),
                Err(error) => {
                    tracing::error!(error = %format!("{error:#}"), "cannot rebuild the search index")
                }
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(id: i64, title: &str, products: &str, body: &str) -> db::kb::SearchableArticle {
        db::kb::SearchableArticle {
            id,
            slug: format!("article-{id}"),
            title: title.to_owned(),
            summary: String::new(),
            category_slug: "general".to_owned(),
            category_name: "General".to_owned(),
            products: format!("[\"{products}\"]"),
            tags: "[]".to_owned(),
            keywords: "[]".to_owned(),
            body_text: body.to_owned(),
        }
    }

    fn engine() -> Engine {
        let mut articles = vec![
            article(
                1,
                "Restore a backup",
                "harbor-backup",
                "Pick the files and restore them. HB-1042.",
            ),
            article(
                2,
                "Exclude folders",
                "harbor-backup",
                "Leave caches out of the backup.",
            ),
            article(
                3,
                "Sync conflicts",
                "relay-sync",
                "Conflicted copies appear when two devices edit a file.",
            ),
            // An article that writes a typo on purpose, as a knowledge base about typos might.
            article(
                4,
                "Search tips",
                "relay-sync",
                "Typos such as bakup are forgiven.",
            ),
        ];
        articles.extend((5..12).map(|id| {
            article(
                id,
                &format!("Backup report {id}"),
                "harbor-backup",
                "The backup ran.",
            )
        }));
        let synonyms = vec![vec!["restore".to_owned(), "get back".to_owned()]];
        let products = vec![
            ("harbor-backup".to_owned(), "Harbor Backup".to_owned()),
            ("relay-sync".to_owned(), "Relay Sync".to_owned()),
        ];
        Engine::build(articles, &synonyms, &products, None).expect("the engine builds")
    }

    /// Each concept's label with its variants' terms.
    fn read(engine: &Engine, part: QuestionPart<'_>) -> Vec<(String, Vec<String>)> {
        engine
            .understand(&[part])
            .expect("a question")
            .concepts
            .into_iter()
            .map(|concept| {
                let terms = concept.variants.iter().map(|v| v.terms.join(" ")).collect();
                (concept.label, terms)
            })
            .collect()
    }

    #[test]
    fn stop_words_and_lone_letters_are_no_concepts() {
        let engine = engine();
        assert!(read(&engine, QuestionPart::search("how do I x ")).is_empty());
        let labels: Vec<String> = read(&engine, QuestionPart::search("is my backup "))
            .into_iter()
            .map(|(label, _)| label)
            .collect();
        assert_eq!(labels, ["backup"]);
    }

    #[test]
    fn a_typo_is_read_as_the_common_word_it_is_near() {
        let engine = engine();
        // "bakup" is in one article, "backup" in many: it stands for both.
        let concepts = read(&engine, QuestionPart::search("bakup "));
        assert_eq!(
            concepts,
            [(
                "bakup".to_owned(),
                vec!["bakup".to_owned(), "backup".to_owned()]
            )]
        );
        // A word no article uses stands for its neighbours, stemmed.
        let concepts = read(&engine, QuestionPart::search("conflcited "));
        assert_eq!(concepts[0].1, ["conflict"]);
        // Codes are never corrected: HB-1043 is another error than HB-1042.
        assert!(read(&engine, QuestionPart::search("1043 ")).is_empty());
    }

    #[test]
    fn an_unfinished_last_word_stands_for_the_words_it_begins() {
        let engine = engine();
        let typing = read(&engine, QuestionPart::search("confl"));
        assert!(typing[0].1.contains(&"conflict".to_owned()), "{typing:?}");
        let finished = read(&engine, QuestionPart::search("confl "));
        assert!(
            !finished[0].1.contains(&"conflict".to_owned()),
            "{finished:?}"
        );
    }

    #[test]
    fn a_synonym_phrase_is_one_concept() {
        let engine = engine();
        let concepts = read(&engine, QuestionPart::search("get back my files "));
        assert_eq!(concepts[0].0, "get back");
        assert!(concepts[0].1.contains(&"restor".to_owned()), "{concepts:?}");
    }

    #[test]
    fn a_word_the_text_merely_mentions_is_a_partial_match() {
        let engine = engine();
        let hits = engine
            .search(&[QuestionPart::search("forgiven ")], Filter::default(), 5)
            .expect("a search");
        assert_eq!(hits[0].article.id, 4);
        assert_eq!(hits[0].confidence, MatchConfidence::Partial);
        // The same words together in the text, as a quoted message would be, are strong.
        let quoted = engine
            .search(
                &[QuestionPart::search("typos such as bakup are forgiven ")],
                Filter::default(),
                5,
            )
            .expect("a search");
        assert_eq!(quoted[0].article.id, 4);
        assert_eq!(quoted[0].confidence, MatchConfidence::Strong);
    }

    #[test]
    fn a_named_product_excludes_the_other_products_articles_from_strong_matches() {
        let engine = engine();
        let hits = engine
            .search(
                &[QuestionPart::search("relay sync restore ")],
                Filter::default(),
                5,
            )
            .expect("a search");
        let restore = hits
            .iter()
            .find(|hit| hit.article.id == 1)
            .expect("still listed");
        assert_eq!(restore.confidence, MatchConfidence::Partial);
    }

    #[test]
    fn an_article_without_the_searchs_most_telling_word_is_a_partial_match() {
        let mut articles = vec![
            article(
                1,
                "Two-factor sign-in",
                "relay-sync",
                "Enter the code from the authenticator app.",
            ),
            article(
                2,
                "Search the text of an error message",
                "relay-sync",
                "Search finds the text of every error message and every error code.",
            ),
            article(
                3,
                "Message log",
                "relay-sync",
                "Every error message and text search is logged.",
            ),
        ];
        articles.extend((4..14).map(|id| {
            article(
                id,
                &format!("Share folder {id}"),
                "relay-sync",
                "Share a folder with colleagues.",
            )
        }));
        let products = vec![("relay-sync".to_owned(), "Relay Sync".to_owned())];
        let engine =
            Engine::build(articles, &Vec::new(), &products, None).expect("the engine builds");
        let search = |text| {
            engine
                .search(&[QuestionPart::search(text)], Filter::default(), 5)
                .expect("a search")
        };
        // Article 2 has every word but "factor", the rarest: the search is about something else.
        let hits = search("factor code text message error search ");
        assert_eq!(hits[0].article.id, 2, "{hits:?}");
        assert_eq!(hits[0].confidence, MatchConfidence::Partial);
        let hits = search("code text message error search ");
        assert_eq!(hits[0].article.id, 2, "{hits:?}");
        assert_eq!(hits[0].confidence, MatchConfidence::Strong);
    }

    /// Relay Sync articles about signing in, one of them about error RS-401.
    fn sign_in_engine() -> Engine {
        let mut articles = vec![
            db::kb::SearchableArticle {
                tags: r#"["RS-401", "sign-in"]"#.to_owned(),
                ..article(
                    1,
                    "Error RS-401: sign-in token expired",
                    "relay-sync",
                    "Sync stops and the panel shows RS-401 Sign-in expired. Sign in again.",
                )
            },
            article(
                2,
                "Morning checklist for the whole team",
                "relay-sync",
                "Everyone on the team opens the checklist every morning and signs in.",
            ),
            article(
                3,
                "Error codes",
                "relay-sync",
                "RS-402 Storage full: free some space or buy more storage.",
            ),
            article(
                4,
                "Text message alerts",
                "relay-sync",
                "Alerts arrive as texts. A typo such as nexd is forgiven.",
            ),
        ];
        articles.extend((5..13).map(|id| {
            article(
                id,
                &format!("Share folder {id}"),
                "relay-sync",
                "Share a folder with colleagues, next to yours.",
            )
        }));
        let products = vec![("relay-sync".to_owned(), "Relay Sync".to_owned())];
        Engine::build(articles, &Vec::new(), &products, None).expect("the engine builds")
    }

    fn ticket<'a>(engine: &'a Engine, subject: &str, description: &str) -> Vec<EngineHit<'a>> {
        engine
            .search(
                &[
                    QuestionPart::subject(subject),
                    QuestionPart::description(description),
                ],
                Filter::default(),
                5,
            )
            .expect("a search")
    }

    fn confidence_of(hits: &[EngineHit<'_>], id: i64) -> MatchConfidence {
        hits.iter()
            .find(|hit| hit.article.id == id)
            .unwrap_or_else(|| panic!("article {id} is listed: {hits:?}"))
            .confidence
    }

    #[test]
    fn a_code_the_ticket_quotes_makes_the_article_named_by_it_a_strong_match() {
        let engine = sign_in_engine();
        let subject = "Everyone on the team signs in again every morning";
        // The subject tells the story in words the error's article does not use...
        let told = ticket(
            &engine,
            subject,
            "Each user sees that the sign-in expired and signs in again.",
        );
        assert_eq!(confidence_of(&told, 1), MatchConfidence::Partial);
        // ...but the code the description quotes is in the article's title and tags.
        let quoted = ticket(
            &engine,
            subject,
            "Each user sees \"RS-401 Sign-in expired\" and signs in again.",
        );
        assert_eq!(confidence_of(&quoted, 1), MatchConfidence::Strong);
    }

    #[test]
    fn a_rare_word_in_a_title_is_spelled_as_meant() {
        let engine = sign_in_engine();
        // One article has "text" in its title: it is not read as the far more common "next",
        // which would make "text message codes" match every article saying "next".
        assert_eq!(
            read(&engine, QuestionPart::search("text ")),
            [("text".to_owned(), vec!["text".to_owned()])]
        );
        // A word as rare that only a text uses may be a typo it quotes.
        assert_eq!(
            read(&engine, QuestionPart::search("nexd ")),
            [(
                "nexd".to_owned(),
                vec!["nexd".to_owned(), "next".to_owned()]
            )]
        );
    }

    #[test]
    fn a_code_only_the_text_mentions_makes_no_strong_match() {
        let engine = sign_in_engine();
        let hits = ticket(
            &engine,
            "Uploads stop every morning",
            "The panel shows RS-402 Storage full.",
        );
        assert_eq!(confidence_of(&hits, 3), MatchConfidence::Partial);
    }
}
