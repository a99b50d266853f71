//! What search engines read first: `/robots.txt` and the sitemap of every published page
//! (`/sitemap.xml`, a sitemap index past [`MAX_URLS_PER_SITEMAP`] addresses).

use lantern_core::addresses::{article_path, category_path};
use maud::{Markup, html};

use super::address::absolute;
use crate::db::{self, Db};

/// The most addresses one sitemap file may list (sitemaps.org).
pub const MAX_URLS_PER_SITEMAP: u64 = 50_000;
const XML_DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
const SITEMAP_NAMESPACE: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";

/// Crawlers may read the help centre, not the customers' own pages or the API.
pub fn robots_txt(public_url: &str) -> String {
    format!(
        "User-agent: *\n\
         Disallow: /api/\n\
         Disallow: /account\n\
         Disallow: /tickets\n\
         Disallow: /signin\n\
         Disallow: /register\n\
         Disallow: /reset-password\n\
         Disallow: /registrations/\n\
         Disallow: /password-resets/\n\
         Disallow: /invitations/\n\
         \n\
         Sitemap: {}\n",
        absolute(public_url, "/sitemap.xml")
    )
}

/// One address of a sitemap.
struct Entry {
    path: String,
    /// `YYYY-MM-DD`.
    last_modified: Option<String>,
}

/// `/sitemap.xml`: every page when they fit in one file, else the index of the files
/// (`/sitemaps/{n}.xml`, from 1).
pub async fn sitemap(db: &Db, public_url: &str, per_file: u64) -> sqlx::Result<String> {
    let (fixed, articles) = fixed_entries(db).await?;
    let total = fixed.len() as u64 + articles;
    if total <= per_file {
        let mut entries = fixed;
        entries.extend(article_entries(db, 0, articles).await?);
        return Ok(url_set(public_url, &entries));
    }
    let files = total.div_ceil(per_file);
    let index = html! {
        sitemapindex xmlns=(SITEMAP_NAMESPACE) {
            @for number in 1..=files {
                sitemap { loc { (absolute(public_url, &format!("/sitemaps/{number}.xml"))) } }
            }
        }
    };
    Ok(xml(index))
}

/// `/sitemaps/{number}.xml`: the `number`th file of a sitemap index; `None` past the last.
pub async fn sitemap_file(
    db: &Db,
    public_url: &str,
    per_file: u64,
    number: u64,
) -> sqlx::Result<Option<String>> {
    let (fixed, articles) = fixed_entries(db).await?;
    let total = fixed.len() as u64 + articles;
    if number == 0 || (number - 1) * per_file >= total || total <= per_file {
        return Ok(None);
    }
    // The fixed pages open the first file; the articles follow in id order.
    let start = (number - 1) * per_file;
    let fixed_count = fixed.len() as u64;
    let mut entries: Vec<Entry> = fixed
        .into_iter()
        .skip(usize::try_from(start).unwrap_or(usize::MAX))
        .take(usize::try_from(per_file).unwrap_or(usize::MAX))
        .collect();
    let article_start = start.saturating_sub(fixed_count);
    let wanted = per_file - entries.len() as u64;
    entries.extend(article_entries(db, article_start, wanted).await?);
    Ok(Some(url_set(public_url, &entries)))
}

/// The home page, the support page and every category listing, and how many articles follow
/// them.
async fn fixed_entries(db: &Db) -> sqlx::Result<(Vec<Entry>, u64)> {
    let (articles, last_change) = db::kb::published_summary(db).await?;
    let categories = db::kb::categories_about(db, None).await?;
    let mut entries = vec![
        Entry {
            path: "/".to_owned(),
            last_modified: last_change,
        },
        Entry {
            path: "/support".to_owned(),
            last_modified: None,
        },
    ];
    entries.extend(categories.into_iter().map(|category| Entry {
        path: category_path(&category.slug, None),
        last_modified: None,
    }));
    Ok((entries, articles))
}

async fn article_entries(db: &Db, offset: u64, limit: u64) -> sqlx::Result<Vec<Entry>> {
    Ok(db::kb::sitemap_entries(db, offset, limit)
        .await?
        .into_iter()
        .map(|article| Entry {
            path: article_path(&article.slug),
            last_modified: Some(article.updated),
        })
        .collect())
}

fn url_set(public_url: &str, entries: &[Entry]) -> String {
    xml(html! {
        urlset xmlns=(SITEMAP_NAMESPACE) {
            @for entry in entries {
                url {
                    loc { (absolute(public_url, &entry.path)) }
                    @if let Some(day) = &entry.last_modified {
                        lastmod { (day) }
                    }
                }
            }
        }
    })
}

/// maud escapes text and attributes as XML needs them too.
fn xml(markup: Markup) -> String {
    format!("{XML_DECLARATION}{}\n", markup.into_string())
}
