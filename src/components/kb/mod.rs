//! Pieces of the knowledge-base pages: the search on the home page and the article page.

mod article_list;
mod breadcrumbs;
mod category_list;
mod helpful_vote;
mod highlighted_title;
mod knowledge_base;
mod no_good_match;
mod opened_article;
mod rated_results;
mod related_articles;
mod search_box;
mod search_filters;
mod search_results;
mod still_need_help;

pub use article_list::ArticleList;
pub use breadcrumbs::Breadcrumbs;
pub use category_list::{CategoryArticles, CategoryList};
pub use helpful_vote::HelpfulVote;
pub use highlighted_title::HighlightedTitle;
pub use knowledge_base::{
    Download, SharedKnowledgeBase, provide_knowledge_base, use_knowledge_base,
};
/// A product id as people read it (the server's public pages name them the same way).
pub use lantern_core::api::product_display_name as product_name;
pub use no_good_match::NoGoodMatch;
pub use opened_article::{opens_link, record_opened};
pub use rated_results::{InstantMatches, RatedResults};
pub use related_articles::RelatedArticles;
pub use search_box::{SearchBox, SearchKey};
pub use search_filters::SearchFilterBar;
pub use search_results::{ResultDetail, ResultItem, SearchResults};
pub use still_need_help::StillNeedHelp;
