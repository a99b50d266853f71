//! The front matter of an article file: a small, YAML-like block between `---` lines.
//!
//! ```text
//! ---
//! title: Restore a backup
//! slug: restore-a-backup
//! summary: Restore files, folders or a whole computer.
//! category: Backup & restore
//! products: [harbor-backup]
//! tags: [restore, recovery]
//! keywords: [recover, get files back]
//! updated: 2026-03-03
//! ---
//! Markdown body ...
//! ```
//!
//! Values are plain text (optionally in matching single or double quotes); lists are either
//! `[a, b]` on one line or one `- item` per following line. `keywords` (optional) lists words
//! and phrases customers search for that the article may not use itself. Only the keys above are allowed,
//! so a typo such as `tittle:` is reported instead of silently ignored.

use chrono::NaiveDate;

/// An article as written in its file, checked but not yet rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleSource {
    pub title: String,
    pub slug: String,
    pub summary: String,
    /// Display name, e.g. `Backup & restore`.
    pub category: String,
    pub products: Vec<String>,
    pub tags: Vec<String>,
    pub keywords: Vec<String>,
    /// `YYYY-MM-DD`.
    pub updated: String,
    pub body_md: String,
}

/// What is wrong with a file, in words an author can act on (the caller adds the file name).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct FrontMatterError(String);

fn error(message: impl Into<String>) -> FrontMatterError {
    FrontMatterError(message.into())
}

const KEYS: &[&str] = &[
    "title", "slug", "summary", "category", "products", "tags", "keywords", "updated",
];

/// Parses a whole article file. `default_slug` (the file name without `.md`) is used when the
/// front matter has no `slug`.
pub fn parse_article(text: &str, default_slug: &str) -> Result<ArticleSource, FrontMatterError> {
    let (front, body) = split(text)?;
    let fields = Fields::parse(front)?;
    let slug = match fields.scalar("slug") {
        Some(slug) => slug.to_owned(),
        None => default_slug.to_owned(),
    };
    if !is_valid_slug(&slug) {
        return Err(error(format!(
            "slug {slug:?} must be lower-case letters, digits and single hyphens"
        )));
    }
    let updated = fields.required("updated")?.to_owned();
    if NaiveDate::parse_from_str(&updated, "%Y-%m-%d").is_err() {
        return Err(error(format!(
            "updated {updated:?} is not a date of the form YYYY-MM-DD"
        )));
    }
    let body_md = body.trim().to_owned();
    if body_md.is_empty() {
        return Err(error("the article has no body below the front matter"));
    }
    Ok(ArticleSource {
        title: fields.required("title")?.to_owned(),
        summary: fields.required("summary")?.to_owned(),
        category: fields.required("category")?.to_owned(),
        products: fields.list("products")?,
        tags: fields.list("tags")?,
        keywords: fields.list("keywords")?,
        slug,
        updated,
        body_md,
    })
}

/// Whether `slug` is usable in a URL as is: `a-z`, `0-9` and single inner hyphens.
pub fn is_valid_slug(slug: &str) -> bool {
    !slug.is_empty()
        && !slug.starts_with('-')
        && !slug.ends_with('-')
        && !slug.contains("--")
        && slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// Splits the file into the front-matter lines and the body.
fn split(text: &str) -> Result<(&str, &str), FrontMatterError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let rest = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))
        .ok_or_else(|| error("the file must start with a `---` line opening the front matter"))?;
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            return Ok((&rest[..offset], &rest[offset + line.len()..]));
        }
        offset += line.len();
    }
    Err(error("the front matter is not closed by a `---` line"))
}

#[derive(Debug)]
enum Value {
    Scalar(String),
    List(Vec<String>),
}

/// The key/value pairs of the front matter, in file order.
struct Fields(Vec<(String, Value)>);

impl Fields {
    fn parse(front: &str) -> Result<Self, FrontMatterError> {
        let mut fields: Vec<(String, Value)> = Vec::new();
        for (index, raw) in front.lines().enumerate() {
            let line_number = index + 2; // line 1 is the opening `---`
            let line = raw.trim_end();
            if line.trim().is_empty() || line.trim_start().starts_with('#') {
                continue;
            }
            if let Some(item) = line.trim_start().strip_prefix("- ") {
                let Some((key, Value::List(items))) = fields.last_mut() else {
                    return Err(error(format!(
                        "line {line_number}: a `- item` line must follow a list key such as `tags:`"
                    )));
                };
                items.push(list_item(item, key, line_number)?);
                continue;
            }
            let (key, value) = line.split_once(':').ok_or_else(|| {
                error(format!(
                    "line {line_number}: expected `key: value`, found {line:?}"
                ))
            })?;
            let key = key.trim();
            if !KEYS.contains(&key) {
                return Err(error(format!(
                    "line {line_number}: unknown key `{key}` (allowed: {})",
                    KEYS.join(", ")
                )));
            }
            if fields.iter().any(|(existing, _)| existing == key) {
                return Err(error(format!("line {line_number}: `{key}` is given twice")));
            }
            fields.push((key.to_owned(), parse_value(value.trim(), key, line_number)?));
        }
        Ok(Self(fields))
    }

    fn get(&self, key: &str) -> Option<&Value> {
        self.0
            .iter()
            .find(|(name, _)| name == key)
            .map(|(_, value)| value)
    }

    fn scalar(&self, key: &str) -> Option<&str> {
        match self.get(key) {
            Some(Value::Scalar(text)) if !text.is_empty() => Some(text),
            _ => None,
        }
    }

    fn required(&self, key: &str) -> Result<&str, FrontMatterError> {
        match self.get(key) {
            Some(Value::Scalar(text)) if !text.is_empty() => Ok(text),
            Some(Value::List(_)) => Err(error(format!("`{key}` must be text, not a list"))),
            _ => Err(error(format!("`{key}` is missing or empty"))),
        }
    }

    /// A list value; a missing key is an empty list, and a single value a list of one.
    fn list(&self, key: &str) -> Result<Vec<String>, FrontMatterError> {
        Ok(match self.get(key) {
            None => Vec::new(),
            Some(Value::List(items)) => items.clone(),
            Some(Value::Scalar(text)) if text.is_empty() => Vec::new(),
            Some(Value::Scalar(text)) => vec![text.clone()],
        })
    }
}

/// A value after `key:`: empty (a block list follows), `[a, b]`, or text.
fn parse_value(value: &str, key: &str, line_number: usize) -> Result<Value, FrontMatterError> {
    if value.is_empty() {
        return Ok(Value::List(Vec::new()));
    }
    if let Some(inner) = value.strip_prefix('[') {
        let inner = inner.strip_suffix(']').ok_or_else(|| {
            error(format!(
                "line {line_number}: the list of `{key}` is not closed by `]`"
            ))
        })?;
        return inner
            .split(',')
            .filter(|item| !item.trim().is_empty())
            .map(|item| list_item(item, key, line_number))
            .collect::<Result<_, _>>()
            .map(Value::List);
    }
    unquote(value, key, line_number).map(Value::Scalar)
}

fn list_item(item: &str, key: &str, line_number: usize) -> Result<String, FrontMatterError> {
    let item = unquote(item.trim(), key, line_number)?;
    if item.is_empty() {
        return Err(error(format!(
            "line {line_number}: `{key}` has an empty item"
        )));
    }
    Ok(item)
}

/// Removes one pair of matching quotes; a quote opened but not closed is an error.
fn unquote(value: &str, key: &str, line_number: usize) -> Result<String, FrontMatterError> {
    for quote in ['"', '\''] {
        if let Some(inner) = value.strip_prefix(quote) {
            return inner
                .strip_suffix(quote)
                .map(|text| text.trim().to_owned())
                .ok_or_else(|| {
                    error(format!(
                        "line {line_number}: the value of `{key}` opens a {quote} quote but does not close it"
                    ))
                });
        }
    }
    Ok(value.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "---\ntitle: \"Error HB-1042: vault unreachable\"\nslug: error-hb-1042\nsummary: Backups fail.\ncategory: Error codes\nproducts: [harbor-backup]\ntags:\n  - HB-1042\n  - network\nkeywords: [cannot reach the vault, offline]\nupdated: 2026-03-04\n---\n## Symptom\n\nText.\n";

    #[test]
    fn parses_every_field_with_inline_and_block_lists() {
        let article = parse_article(GOOD, "ignored").expect("a valid article");
        assert_eq!(article.title, "Error HB-1042: vault unreachable");
        assert_eq!(article.slug, "error-hb-1042");
        assert_eq!(article.category, "Error codes");
        assert_eq!(article.products, ["harbor-backup"]);
        assert_eq!(article.tags, ["HB-1042", "network"]);
        assert_eq!(article.keywords, ["cannot reach the vault", "offline"]);
        assert_eq!(article.updated, "2026-03-04");
        assert_eq!(article.body_md, "## Symptom\n\nText.");
    }

    #[test]
    fn the_file_name_is_the_default_slug() {
        let text = GOOD.replace("slug: error-hb-1042\n", "");
        let article = parse_article(&text, "from-file-name").expect("a valid article");
        assert_eq!(article.slug, "from-file-name");
    }

    fn error_of(text: &str) -> String {
        parse_article(text, "x")
            .expect_err("an invalid article")
            .to_string()
    }

    #[test]
    fn problems_are_named_precisely() {
        assert!(error_of("no front matter").contains("must start with"));
        assert!(error_of("---\ntitle: x\n").contains("not closed"));
        assert!(error_of(&GOOD.replace("title:", "tittle:")).contains("unknown key `tittle`"));
        assert!(
            error_of(&GOOD.replace("summary: Backups fail.\n", ""))
                .contains("`summary` is missing")
        );
        assert!(error_of(&GOOD.replace("2026-03-04", "March 4th")).contains("YYYY-MM-DD"));
        assert!(
            error_of(&GOOD.replace("[harbor-backup]", "[harbor-backup"))
                .contains("not closed by `]`")
        );
        assert!(error_of(&GOOD.replace("error-hb-1042", "Error HB")).contains("slug"));
        assert!(error_of(&GOOD.replace("## Symptom\n\nText.\n", "")).contains("no body"));
        assert!(
            error_of(&GOOD.replace("vault unreachable\"", "vault unreachable"))
                .contains("does not close")
        );
    }

    #[test]
    fn a_repeated_key_is_an_error() {
        let text = GOOD.replace(
            "category: Error codes\n",
            "category: Error codes\ncategory: Sync\n",
        );
        assert!(error_of(&text).contains("`category` is given twice"));
    }

    #[test]
    fn slugs_are_url_safe() {
        assert!(is_valid_slug("restore-a-backup"));
        assert!(is_valid_slug("hb-1042"));
        for bad in ["", "-a", "a-", "a--b", "A", "a b", "a/b", "ä"] {
            assert!(!is_valid_slug(bad), "{bad:?}");
        }
    }
}
