//! Knowledge-base search rules shared by the app and the server.
//!
//! - [`words`]: how text splits into words, and which words are too common to search for;
//! - [`synonyms`]: the vendor's synonyms file, which both the instant search in the browser
//!   and the server's ranking engine expand queries with;
//! - the instant-search index itself ([`SearchIndex`]), run on every keystroke in the browser;
//! - [`rated`]: the results list as the home page shows it, instant matches and the server's
//!   answer together.

mod instant;
pub mod rated;
pub mod synonyms;
pub mod words;

pub use instant::*;

/// The most characters a search query may have; longer ones are refused with a field error.
pub const MAX_QUERY_CHARS: usize = 200;
