//! Search quality on the judged query set (`benches/search-quality.toml`) over the demo
//! knowledge base (`content/kb`): recall@1, recall@5, MRR@10 and nDCG@5 of full-text search,
//! instant search (the final keystroke, typed one character at a time; and "as shown": the list
//! the home page shows once the server's answer is in, `lantern_core::search::rated`) and ticket
//! suggestions, how often the first hit is a strong answer and how often a question no article
//! answers still gets a strong match, with two other engines over the same articles in the same
//! run:
//! - the baseline, tantivy's default English setup: a `QueryParser` over title, summary and
//!   body with the `en_stem` tokenizer;
//! - SQLite FTS5 reworked as far as it goes: porter stemming, stop words left out, any word
//!   matching (bm25 ranks those matching more first), the last word a prefix, the engine's field
//!   weights. FTS5 has no typo tolerance, synonyms or confidence.
//!
//! Each engine's time per query (in this process, one thread, the set's queries) is printed
//! too. `SEARCH_QUALITY_CONTENT=DIR` times the engines over another folder of articles, e.g. a
//! generated one of 10,000 (`lantern-server admin generate-kb`); its quality figures are then
//! meaningless, since the judgements name the demo articles.
//!
//! `cargo bench -p lantern-server --bench search_quality` (or `scripts/bench.sh search-quality`)
//! prints the tables and a `BENCH_JSON` line. `SEARCH_QUALITY_VERBOSE=1` also lists every
//! question whose best answer is not among the first five, with what came instead.
//!
//! Definitions, per question with at least one article graded 2 ("answers it"):
//! - recall@k: the share of its grade-2 articles among the first k (of at most k of them);
//! - MRR@10: 1 / the rank of the first grade-2 article within the first 10, else 0;
//! - nDCG@5: graded gains (2^grade - 1) of the first 5, over the ideal order's.
//!
//! Questions without a grade-2 article are the "no answer" ones: for them only whether the
//! engine gave a strong match (any suggestion, for tickets) counts.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use lantern_core::api::{KbIndexEntry, KbSuggestionRequest, MatchConfidence};
use lantern_core::policy::Policy;
use lantern_core::search::rated::{FoundArticle, InstantMatches, RatedResults};
use lantern_core::search::words::search_words;
use lantern_core::search::{Narrowing, SearchFilters, SearchIndex, answers};
use lantern_server::kb::engine::{Engine, product_names};
use lantern_server::kb::{self, SearchRequest};
use lantern_server::{db, policy_file};
use serde::Deserialize;
use sqlx::SqlitePool;
use tantivy::collector::TopDocs;
use tantivy::query::QueryParser;
use tantivy::schema::{Schema, TEXT};
use tantivy::{Index, TantivyDocument};

/// What the home page shows while typing.
const INSTANT_LIMIT: usize = 8;
/// Hits per full-text search, as the home page asks.
const FULL_TEXT_LIMIT: u32 = 10;
/// Suggestions the wizard shows.
const SUGGESTION_LIMIT: u32 = 5;

#[derive(Debug, Deserialize)]
struct JudgedSet {
    query: Vec<JudgedQuery>,
    ticket: Vec<JudgedTicket>,
}

#[derive(Debug, Deserialize)]
struct JudgedQuery {
    text: String,
    kind: String,
    judgements: Judgements,
}

#[derive(Debug, Deserialize)]
struct JudgedTicket {
    subject: String,
    description: String,
    product: String,
    case_type: String,
    judgements: Judgements,
}

/// Article slug to grade: 2 answers it, 1 is related.
type Judgements = BTreeMap<String, u8>;

/// One question of the set: its text (for tickets, subject and description) and judgements.
type Judged<'a> = (&'a str, &'a Judgements);

/// An article in a results list.
#[derive(Debug, Clone)]
struct Listed {
    id: i64,
    slug: String,
}

impl FoundArticle for Listed {
    fn article_id(&self) -> i64 {
        self.id
    }
}

fn slugs<'a>(listed: impl IntoIterator<Item = &'a Listed>) -> Vec<String> {
    listed
        .into_iter()
        .map(|article| article.slug.clone())
        .collect()
}

/// One engine's answer to one question: slugs best first, and whether the first is strong
/// (`None` for an engine that does not say how sure it is).
struct Answer {
    slugs: Vec<String>,
    strong: Option<bool>,
}

impl Answer {
    fn unrated(slugs: Vec<String>) -> Self {
        Self {
            slugs,
            strong: None,
        }
    }
}

#[derive(Debug, Default, Clone, serde::Serialize)]
struct Figures {
    questions: usize,
    recall_at_1: f64,
    recall_at_5: f64,
    mrr_at_10: f64,
    ndcg_at_5: f64,
    no_answer_questions: usize,
    /// Share of the no-answer questions given a strong match.
    no_answer_with_strong_match: Option<f64>,
    /// Share of the answered questions whose first hit is strong and answers them (grade 2):
    /// confidence is only worth something if the right answers are called strong too.
    answered_with_strong_answer: Option<f64>,
    /// Mean time per question in this process, microseconds.
    micros_per_question: f64,
}

/// Everything searched, built from the same imported articles.
struct Engines {
    engine: Engine,
    instant: SearchIndex,
    instant_entries: Vec<KbIndexEntry>,
    baseline: Baseline,
    fts5: Fts5,
    policy: Policy,
    articles: usize,
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let verbose = std::env::var_os("SEARCH_QUALITY_VERBOSE").is_some();
    let content = std::env::var_os("SEARCH_QUALITY_CONTENT")
        .map_or_else(|| root.join("content/kb"), PathBuf::from);
    let set: JudgedSet = toml::from_str(
        &std::fs::read_to_string(root.join("crates/server/benches/search-quality.toml"))
            .expect("the judged set is readable"),
    )
    .expect("the judged set parses");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let temp = tempfile::tempdir().expect("a temp dir");
    let mut engines = runtime.block_on(Engines::build(&root, &content, temp.path()));

    let queries: Vec<Judged<'_>> = set
        .query
        .iter()
        .map(|query| (query.text.as_str(), &query.judgements))
        .collect();
    let full_text = evaluate("full text", &queries, verbose, |text| {
        engines.full_text(text, FULL_TEXT_LIMIT)
    });
    let baseline_full_text = evaluate("baseline", &queries, false, |text| {
        Answer::unrated(engines.baseline.search(text))
    });
    let fts5_full_text = evaluate("fts5", &queries, false, |text| {
        Answer::unrated(runtime.block_on(engines.fts5.search(text, FULL_TEXT_LIMIT)))
    });
    let instant = evaluate("instant", &queries, verbose, |text| {
        let found = engines.instant(text);
        Answer {
            slugs: slugs(&found.items),
            strong: Some(found.answer),
        }
    });
    // What the home page lists once the server has answered: the instant matches and the
    // full-text hits, grouped strong then partial.
    let instant_as_shown = evaluate("instant as shown", &queries, verbose, |text| {
        let shown = RatedResults::new(
            &engines.instant(text),
            Some(engines.full_text_hits(text, FULL_TEXT_LIMIT)),
        );
        Answer {
            slugs: slugs(shown.iter()),
            strong: Some(!shown.strong.is_empty()),
        }
    });

    let tickets: Vec<(String, &JudgedTicket)> = set
        .ticket
        .iter()
        .map(|ticket| {
            (
                format!("{}\n{}", ticket.subject, ticket.description),
                ticket,
            )
        })
        .collect();
    let ticket_questions: Vec<Judged<'_>> = tickets
        .iter()
        .map(|(text, ticket)| (text.as_str(), &ticket.judgements))
        .collect();
    let ticket_of = |text: &str| {
        tickets
            .iter()
            .find(|(ticket_text, _)| ticket_text == text)
            .map(|(_, ticket)| *ticket)
            .expect("a ticket of the set")
    };
    let suggestions = evaluate("suggestions", &ticket_questions, verbose, |text| {
        engines.suggestions(ticket_of(text))
    });
    let baseline_suggestions = evaluate("baseline", &ticket_questions, false, |text| {
        Answer::unrated(engines.baseline.search(text))
    });
    let fts5_suggestions = evaluate("fts5", &ticket_questions, false, |text| {
        Answer::unrated(runtime.block_on(engines.fts5.search(text, SUGGESTION_LIMIT)))
    });

    println!(
        "\nSearch quality: {} queries, {} ticket pairs, {} articles ({})",
        set.query.len(),
        set.ticket.len(),
        engines.articles,
        content.display()
    );
    print_table(&[
        ("full text", &full_text),
        ("baseline full text", &baseline_full_text),
        ("FTS5 reworked, full text", &fts5_full_text),
        ("instant (final keystroke)", &instant),
        (
            "instant as shown (with the server's answer)",
            &instant_as_shown,
        ),
        ("suggestions", &suggestions),
        ("baseline suggestions", &baseline_suggestions),
        ("FTS5 reworked, suggestions", &fts5_suggestions),
    ]);
    print_kinds(&set, &mut engines);
    let json = serde_json::json!({ "search_quality": {
        "queries": set.query.len(),
        "tickets": set.ticket.len(),
        "articles": engines.articles,
        "full_text": full_text,
        "baseline_full_text": baseline_full_text,
        "fts5_full_text": fts5_full_text,
        "instant": instant,
        "instant_as_shown": instant_as_shown,
        "suggestions": suggestions,
        "baseline_suggestions": baseline_suggestions,
        "fts5_suggestions": fts5_suggestions,
    }});
    println!("BENCH_JSON {json}");
}

impl Engines {
    async fn build(root: &Path, content: &Path, temp: &Path) -> Self {
        let pool = db::connect(&format!("sqlite://{}", temp.join("kb.db").display()))
            .await
            .expect("a database");
        let database = db::Db::Sqlite(pool.clone());
        kb::import::import_dir(&database, &db::WriteGate::default(), content)
            .await
            .expect("the knowledge base imports");
        let mut connection = database.acquire().await.expect("a connection");
        let instant_entries = db::kb::index_entries(&mut connection)
            .await
            .expect("the index");
        let synonyms = db::kb::synonyms(&mut connection)
            .await
            .expect("the synonyms");
        let articles = db::kb::searchable_articles(&mut connection)
            .await
            .expect("the articles");
        drop(connection);
        let policy = policy_file::load(&root.join("policies/default.toml")).expect("the policy");
        let engine = Engine::load(&database, &product_names(&policy))
            .await
            .expect("the engine builds");
        Self {
            engine,
            instant: SearchIndex::new(instant_entries.clone(), &synonyms),
            instant_entries,
            baseline: Baseline::build(&articles),
            fts5: Fts5::build(&pool, &articles).await,
            policy,
            articles: articles.len(),
        }
    }

    fn full_text(&self, text: &str, limit: u32) -> Answer {
        let hits = self.full_text_hits(text, limit);
        Answer {
            strong: Some(
                hits.first()
                    .is_some_and(|(_, confidence)| *confidence == MatchConfidence::Strong),
            ),
            slugs: hits.into_iter().map(|(article, _)| article.slug).collect(),
        }
    }

    fn full_text_hits(&self, text: &str, limit: u32) -> Vec<(Listed, MatchConfidence)> {
        kb::search(
            &self.engine,
            &SearchRequest {
                query: text,
                limit: Some(limit),
                ..SearchRequest::default()
            },
        )
        .expect("a search")
        .hits
        .into_iter()
        .map(|hit| {
            (
                Listed {
                    id: hit.id,
                    slug: hit.slug,
                },
                hit.confidence,
            )
        })
        .collect()
    }

    /// What the instant index finds for `text` typed one character at a time, as the search box
    /// calls it.
    fn instant(&self, text: &str) -> InstantMatches<Listed> {
        let mut hits = Vec::new();
        let mut narrowing = Narrowing::default();
        for (end, _) in text.char_indices().skip(1).chain([(text.len(), ' ')]) {
            hits = self.instant.search_as_typed(
                &mut narrowing,
                &text[..end],
                &SearchFilters::default(),
                INSTANT_LIMIT,
            );
        }
        InstantMatches {
            answer: answers(&hits),
            items: hits
                .into_iter()
                .map(|hit| {
                    let entry = &self.instant_entries[hit.entry_index];
                    Listed {
                        id: entry.id,
                        slug: entry.slug.clone(),
                    }
                })
                .collect(),
        }
    }

    fn suggestions(&self, ticket: &JudgedTicket) -> Answer {
        let found = kb::suggest(
            &self.engine,
            &self.policy,
            &KbSuggestionRequest {
                subject: ticket.subject.clone(),
                description: ticket.description.clone(),
                product: Some(ticket.product.clone()),
                case_type: Some(ticket.case_type.clone()),
            },
        )
        .expect("suggestions");
        Answer {
            strong: Some(!found.articles.is_empty()),
            slugs: found
                .articles
                .into_iter()
                .map(|article| article.slug)
                .collect(),
        }
    }
}

/// Runs every question through `answer` and computes the figures.
fn evaluate(
    name: &str,
    questions: &[Judged<'_>],
    verbose: bool,
    mut answer: impl FnMut(&str) -> Answer,
) -> Figures {
    let mut figures = Figures::default();
    let mut rated = false;
    let mut strong_without_answer = 0;
    let mut strong_answers = 0;
    let started = Instant::now();
    for (text, judgements) in questions {
        let answer = answer(text);
        rated |= answer.strong.is_some();
        let strong = answer.strong == Some(true);
        let answers: Vec<&String> = judgements
            .iter()
            .filter(|(_, grade)| **grade == 2)
            .map(|(slug, _)| slug)
            .collect();
        if answers.is_empty() {
            figures.no_answer_questions += 1;
            if strong {
                strong_without_answer += 1;
                if verbose {
                    println!(
                        "[{name}] strong match without an answer: {text:?} -> {:?}",
                        answer.slugs.first()
                    );
                }
            }
            continue;
        }
        figures.questions += 1;
        if strong
            && answer
                .slugs
                .first()
                .is_some_and(|slug| answers.contains(&slug))
        {
            strong_answers += 1;
        }
        let found_within = |k: usize| {
            let found = answer
                .slugs
                .iter()
                .take(k)
                .filter(|slug| answers.contains(slug))
                .count();
            found as f64 / answers.len().min(k) as f64
        };
        figures.recall_at_1 += found_within(1);
        figures.recall_at_5 += found_within(5);
        if let Some(rank) = answer
            .slugs
            .iter()
            .take(10)
            .position(|slug| answers.contains(&slug))
        {
            figures.mrr_at_10 += 1.0 / (rank + 1) as f64;
        }
        figures.ndcg_at_5 += ndcg_at_5(&answer.slugs, judgements);
        if verbose && found_within(5) < 1.0 {
            print_miss(name, text, &answers, &answer.slugs, judgements);
        }
    }
    figures.micros_per_question =
        started.elapsed().as_secs_f64() * 1e6 / questions.len().max(1) as f64;
    let count = figures.questions.max(1) as f64;
    figures.recall_at_1 /= count;
    figures.recall_at_5 /= count;
    figures.mrr_at_10 /= count;
    figures.ndcg_at_5 /= count;
    if rated {
        figures.no_answer_with_strong_match =
            Some(strong_without_answer as f64 / figures.no_answer_questions.max(1) as f64);
        figures.answered_with_strong_answer = Some(strong_answers as f64 / count);
    }
    figures
}

fn print_miss(name: &str, text: &str, answers: &[&String], slugs: &[String], judged: &Judgements) {
    let mut shown: Vec<String> = slugs
        .iter()
        .take(5)
        .map(|slug| {
            let grade = judged.get(slug).map(|g| format!("({g})"));
            format!("{slug}{}", grade.unwrap_or_default())
        })
        .collect();
    if shown.is_empty() {
        shown.push("nothing".to_owned());
    }
    println!(
        "[{name}] {text:?}\n    wanted {answers:?}\n    got    {}",
        shown.join(", ")
    );
}

fn ndcg_at_5(slugs: &[String], judgements: &Judgements) -> f64 {
    let gain = |grade: u8| f64::from((1u32 << grade) - 1);
    let discounted = |gains: &mut dyn Iterator<Item = f64>| {
        gains
            .take(5)
            .enumerate()
            .map(|(rank, gain)| gain / ((rank + 2) as f64).log2())
            .sum::<f64>()
    };
    let actual = discounted(
        &mut slugs
            .iter()
            .map(|slug| gain(*judgements.get(slug).unwrap_or(&0))),
    );
    let mut ideal: Vec<u8> = judgements.values().copied().collect();
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    let best = discounted(&mut ideal.into_iter().map(gain));
    if best == 0.0 { 0.0 } else { actual / best }
}

fn print_table(rows: &[(&str, &Figures)]) {
    println!(
        "\n| engine | questions | recall@1 | recall@5 | MRR@10 | nDCG@5 | first hit strong and right | no answer, strong | µs per question |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|"
    );
    for (name, figures) in rows {
        let no_answer = figures
            .no_answer_with_strong_match
            .map_or("—".to_owned(), |share| {
                format!("{:.0} % of {}", share * 100.0, figures.no_answer_questions)
            });
        let answered = figures
            .answered_with_strong_answer
            .map_or("—".to_owned(), |share| format!("{:.0} %", share * 100.0));
        println!(
            "| {name} | {} | {:.3} | {:.3} | {:.3} | {:.3} | {answered} | {no_answer} | {:.0} |",
            figures.questions,
            figures.recall_at_1,
            figures.recall_at_5,
            figures.mrr_at_10,
            figures.ndcg_at_5,
            figures.micros_per_question
        );
    }
}

/// Full-text recall@5 and MRR@10 per kind of query.
fn print_kinds(set: &JudgedSet, engines: &mut Engines) {
    let mut kinds: BTreeMap<&str, Vec<Judged<'_>>> = BTreeMap::new();
    for query in &set.query {
        kinds
            .entry(&query.kind)
            .or_default()
            .push((&query.text, &query.judgements));
    }
    println!(
        "\n| full text by kind | questions | recall@5 | MRR@10 | no answer, strong |\n|---|---:|---:|---:|---:|"
    );
    for (kind, questions) in kinds {
        let figures = evaluate(kind, &questions, false, |text| {
            engines.full_text(text, FULL_TEXT_LIMIT)
        });
        let no_answer = figures
            .no_answer_with_strong_match
            .filter(|_| figures.no_answer_questions > 0)
            .map_or("—".to_owned(), |share| format!("{:.0} %", share * 100.0));
        println!(
            "| {kind} | {} | {:.3} | {:.3} | {no_answer} |",
            figures.questions, figures.recall_at_5, figures.mrr_at_10
        );
    }
}

/// tantivy's default English setup over the same articles.
struct Baseline {
    index: Index,
    parser: QueryParser,
    slugs: Vec<String>,
}

impl Baseline {
    fn build(articles: &[db::kb::SearchableArticle]) -> Self {
        let mut schema = Schema::builder();
        let text = TEXT.set_indexing_options(
            tantivy::schema::TextFieldIndexing::default()
                .set_tokenizer("en_stem")
                .set_index_option(tantivy::schema::IndexRecordOption::WithFreqsAndPositions),
        );
        let title = schema.add_text_field("title", text.clone());
        let summary = schema.add_text_field("summary", text.clone());
        let body = schema.add_text_field("body", text);
        let index = Index::create_in_ram(schema.build());
        let mut writer = index
            .writer_with_num_threads(1, 100_000_000)
            .expect("a writer");
        for article in articles {
            let mut document = TantivyDocument::default();
            document.add_text(title, &article.title);
            document.add_text(summary, &article.summary);
            document.add_text(body, &article.body_text);
            writer.add_document(document).expect("indexed");
        }
        writer.commit().expect("committed");
        let parser = QueryParser::for_index(&index, vec![title, summary, body]);
        Self {
            index,
            parser,
            slugs: articles
                .iter()
                .map(|article| article.slug.clone())
                .collect(),
        }
    }

    fn search(&self, text: &str) -> Vec<String> {
        let (query, _) = self.parser.parse_query_lenient(text);
        let searcher = self.index.reader().expect("a reader").searcher();
        searcher
            .search(&query, &TopDocs::with_limit(10).order_by_score())
            .expect("a search")
            .into_iter()
            .map(|(_, address)| self.slugs[address.doc_id as usize].clone())
            .collect()
    }
}

/// SQLite FTS5 as good as it gets without typo tolerance and synonyms (see the module's
/// documentation), with snippets as a search answer needs them.
struct Fts5 {
    pool: SqlitePool,
}

impl Fts5 {
    async fn build(pool: &SqlitePool, articles: &[db::kb::SearchableArticle]) -> Self {
        sqlx::query(
            "CREATE VIRTUAL TABLE bench_fts USING fts5 (slug UNINDEXED, title, keywords, summary,
                 body, tokenize = 'porter unicode61 remove_diacritics 2')",
        )
        .execute(pool)
        .await
        .expect("the FTS5 table");
        sqlx::query("INSERT INTO bench_fts (bench_fts, rank) VALUES ('rank', 'bm25(0, 2.5, 1.5, 1.2, 1.0)')")
            .execute(pool)
            .await
            .expect("the FTS5 ranking");
        let mut tx = pool.begin().await.expect("a transaction");
        for article in articles {
            let mut keywords = article.tag_list();
            keywords.extend(article.keyword_list());
            keywords.push(article.category_name.clone());
            sqlx::query(
                "INSERT INTO bench_fts (slug, title, keywords, summary, body) VALUES (?, ?, ?, ?, ?)",
            )
            .bind(&article.slug)
            .bind(&article.title)
            .bind(keywords.join(", "))
            .bind(&article.summary)
            .bind(&article.body_text)
            .execute(&mut *tx)
            .await
            .expect("an article indexed");
        }
        tx.commit().await.expect("committed");
        Self { pool: pool.clone() }
    }

    async fn search(&self, text: &str, limit: u32) -> Vec<String> {
        let words = search_words(text);
        if words.is_empty() {
            return Vec::new();
        }
        let typed_halfway = !text.ends_with(char::is_whitespace);
        let last = words.len() - 1;
        let query = words
            .iter()
            .enumerate()
            .map(|(index, word)| {
                let prefix = if index == last && typed_halfway {
                    "*"
                } else {
                    ""
                };
                format!("\"{}\"{prefix}", word.replace('"', "\"\""))
            })
            .collect::<Vec<_>>()
            .join(" OR ");
        let rows: Vec<(String, String)> = sqlx::query_as(
            "SELECT slug, snippet(bench_fts, 4, '<mark>', '</mark>', '…', 20) FROM bench_fts
             WHERE bench_fts MATCH ? ORDER BY rank LIMIT ?",
        )
        .bind(query)
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .expect("an FTS5 search");
        rows.into_iter().map(|(slug, _)| slug).collect()
    }
}
