//! The engine's index: the articles in tantivy's RAM directory, one document each, with a copy
//! of what a hit shows kept beside it.

use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::{Index, IndexReader, ReloadPolicy, Searcher, TantivyDocument};

use super::analysis::{ANALYZER, WORDS_ANALYZER, analyzer, words_analyzer};
use super::question::codes_in;
use crate::db::kb::SearchableArticle;

/// The indexing memory of the one writer thread: a knowledge base of 10,000 articles fits in
/// one segment, which keeps term statistics and typo lookups to one dictionary.
const WRITER_MEMORY_BYTES: usize = 200_000_000;

/// The fields of an article document.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    pub title: Field,
    /// Tags, keywords and the category's name.
    pub keywords: Field,
    pub summary: Field,
    pub body: Field,
    /// Title, keywords and summary together, documents only: what the article is about.
    pub head: Field,
    /// Every text field together, documents only: how many articles use a term, and which
    /// articles match a concept at all.
    pub all: Field,
    /// Every text field's words as written, documents only: the vocabulary typos and unfinished
    /// words are looked up in.
    pub words: Field,
    pub product: Field,
    pub category: Field,
    /// The article's position in [`EngineIndex::articles`].
    pub ordinal: Field,
}

impl Fields {
    /// The scored fields with their weights (BM25 per field, summed), tuned on the judged query
    /// set (`scripts/bench.sh search-quality`).
    pub fn weighted(&self) -> [(Field, f32); 4] {
        [
            (self.title, 2.5),
            (self.keywords, 1.5),
            (self.summary, 1.2),
            (self.body, 1.0),
        ]
    }
}

fn schema() -> (Schema, Fields) {
    let text = |record| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(ANALYZER)
                .set_index_option(record),
        )
    };
    let words = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(WORDS_ANALYZER)
            .set_index_option(IndexRecordOption::Basic),
    );
    let mut builder = Schema::builder();
    let fields = Fields {
        title: builder.add_text_field("title", text(IndexRecordOption::WithFreqsAndPositions)),
        keywords: builder.add_text_field("keywords", text(IndexRecordOption::WithFreqs)),
        summary: builder.add_text_field("summary", text(IndexRecordOption::WithFreqsAndPositions)),
        body: builder.add_text_field("body", text(IndexRecordOption::WithFreqsAndPositions)),
        head: builder.add_text_field("head", text(IndexRecordOption::Basic)),
        all: builder.add_text_field("all", text(IndexRecordOption::Basic)),
        words: builder.add_text_field("words", words),
        product: builder.add_text_field("product", STRING),
        category: builder.add_text_field("category", STRING),
        ordinal: builder.add_u64_field("ordinal", INDEXED | FAST),
    };
    (builder.build(), fields)
}

/// What a hit shows of an article, kept in memory.
#[derive(Debug, Clone)]
pub struct IndexedArticle {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub category_slug: String,
    pub products: Vec<String>,
    /// The plain text the body was indexed from: snippets are cut from it.
    pub body_text: String,
    /// The codes its title, tags or keywords carry ([`codes_in`]): the errors it is about.
    pub codes: Vec<String>,
}

/// The articles, searchable.
pub struct ArticleIndex {
    pub fields: Fields,
    pub searcher: Searcher,
    pub articles: Vec<IndexedArticle>,
    /// Kept so the searcher's segments stay open.
    _reader: IndexReader,
}

impl ArticleIndex {
    pub fn build(articles: Vec<SearchableArticle>) -> tantivy::Result<Self> {
        let (schema, fields) = schema();
        let index = Index::create_in_ram(schema);
        index.tokenizers().register(ANALYZER, analyzer());
        index
            .tokenizers()
            .register(WORDS_ANALYZER, words_analyzer());
        let mut writer = index.writer_with_num_threads(1, WRITER_MEMORY_BYTES)?;
        let mut indexed = Vec::with_capacity(articles.len());
        for (ordinal, article) in articles.into_iter().enumerate() {
            writer.add_document(document(&fields, ordinal as u64, &article))?;
            let mut codes = codes_in(&article.title);
            for keyword in article.tag_list().iter().chain(&article.keyword_list()) {
                codes.extend(codes_in(keyword));
            }
            codes.sort_unstable();
            codes.dedup();
            indexed.push(IndexedArticle {
                codes,
                products: article.product_list(),
                id: article.id,
                slug: article.slug,
                title: article.title,
                summary: article.summary,
                category_slug: article.category_slug,
                body_text: article.body_text,
            });
        }
        writer.commit()?;
        let segments = index.searchable_segment_ids()?;
        if segments.len() > 1 {
            writer.merge(&segments).wait()?;
        }
        writer.wait_merging_threads()?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(Self {
            fields,
            searcher: reader.searcher(),
            articles: indexed,
            _reader: reader,
        })
    }

    pub fn len(&self) -> usize {
        self.articles.len()
    }
}

fn document(fields: &Fields, ordinal: u64, article: &SearchableArticle) -> TantivyDocument {
    let mut keywords = article.tag_list();
    keywords.extend(article.keyword_list());
    keywords.push(article.category_name.clone());
    let keywords = keywords.join(", ");
    let mut document = TantivyDocument::default();
    document.add_text(fields.title, &article.title);
    document.add_text(fields.keywords, &keywords);
    document.add_text(fields.summary, &article.summary);
    document.add_text(fields.body, &article.body_text);
    for head in [&article.title, &keywords, &article.summary] {
        document.add_text(fields.head, head);
    }
    for text in [
        &article.title,
        &keywords,
        &article.summary,
        &article.body_text,
    ] {
        document.add_text(fields.all, text);
        document.add_text(fields.words, text);
    }
    for product in article.product_list() {
        document.add_text(fields.product, &product);
    }
    document.add_text(fields.category, &article.category_slug);
    document.add_u64(fields.ordinal, ordinal);
    document
}
