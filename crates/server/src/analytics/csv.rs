//! The report's tables as CSV (RFC 4180: a header row, CRLF line ends, fields quoted when they
//! hold a comma, quote or line break). Queries are typed by customers and the files are opened
//! in spreadsheets, so a text cell that a spreadsheet would run as a formula (starting with
//! `=`, `+`, `-`, `@`, a tab or a carriage return) is prefixed with `'` (OWASP's advice).

use std::fmt::Write;

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use lantern_core::api::{ContentGap, SearchAnalytics, SelfServiceFunnel, TopSearch};

/// The media type of every download.
pub const CONTENT_TYPE: &str = "text/csv; charset=utf-8";

/// One cell: text from outside (guarded and quoted) or a number we computed.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell<'a> {
    Text(&'a str),
    Count(u64),
    /// A share or ratio; empty when undefined.
    Ratio(Option<f64>),
}

/// `body` as a CSV download named `file_name` (without `.csv`).
pub fn download(file_name: &str, body: String) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE));
    let disposition = format!("attachment; filename=\"{file_name}.csv\"");
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

/// A CSV document of `header` and `rows`.
pub fn table<'a>(header: &[&str], rows: impl IntoIterator<Item = Vec<Cell<'a>>>) -> String {
    let mut out = String::new();
    let header: Vec<Cell<'_>> = header.iter().map(|name| Cell::Text(name)).collect();
    write_row(&mut out, &header);
    for row in rows {
        write_row(&mut out, &row);
    }
    out
}

fn write_row(out: &mut String, cells: &[Cell<'_>]) {
    for (index, cell) in cells.iter().enumerate() {
        if index > 0 {
            out.push(',');
        }
        match cell {
            Cell::Text(text) => out.push_str(&text_field(text)),
            // Writing to a String cannot fail.
            Cell::Count(number) => {
                let _ = write!(out, "{number}");
            }
            Cell::Ratio(Some(ratio)) => {
                let _ = write!(out, "{ratio}");
            }
            Cell::Ratio(None) => {}
        }
    }
    out.push_str("\r\n");
}

/// A text cell: neutralised if a spreadsheet would take it for a formula, then quoted if needed.
fn text_field(text: &str) -> String {
    let guarded = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    if guarded.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

pub fn top_searches(rows: &[TopSearch]) -> String {
    table(
        &["query", "searches", "strong_share", "click_through"],
        rows.iter().map(|row| {
            vec![
                Cell::Text(&row.query),
                Cell::Count(row.searches),
                Cell::Ratio(Some(row.strong_share)),
                Cell::Ratio(Some(row.click_through)),
            ]
        }),
    )
}

pub fn content_gaps(rows: &[ContentGap]) -> String {
    table(
        &["query", "surface", "searches"],
        rows.iter().map(|row| {
            vec![
                Cell::Text(&row.query),
                Cell::Text(row.surface.as_str()),
                Cell::Count(row.searches),
            ]
        }),
    )
}

/// One row per step, with its share of the visits that searched.
pub fn funnel(funnel: &SelfServiceFunnel) -> String {
    let searched = i64::try_from(funnel.searched).unwrap_or(i64::MAX);
    let steps = [
        ("searched", funnel.searched),
        ("opened_article", funnel.opened_article),
        ("self_served", funnel.self_served),
        ("filed_ticket_within_hour", funnel.filed_ticket),
    ];
    table(
        &["step", "visits", "share_of_searching_visits"],
        steps.into_iter().map(|(step, visits)| {
            let part = i64::try_from(visits).unwrap_or(i64::MAX);
            vec![
                Cell::Text(step),
                Cell::Count(visits),
                Cell::Ratio(super::report::share(part, searched)),
            ]
        }),
    )
}

/// The report's single figures, one per row.
pub fn summary(report: &SearchAnalytics) -> String {
    let from = report.from.to_string();
    let to = report.to.to_string();
    let score = &report.self_service;
    table(
        &["metric", "value"],
        [
            vec![Cell::Text("from"), Cell::Text(&from)],
            vec![Cell::Text("to"), Cell::Text(&to)],
            vec![Cell::Text("searches"), Cell::Count(report.searches)],
            vec![
                Cell::Text("suggestion_answers"),
                Cell::Count(report.suggestion_answers),
            ],
            vec![
                Cell::Text("click_through_searches"),
                Cell::Ratio(report.click_through.searches),
            ],
            vec![
                Cell::Text("click_through_suggestions"),
                Cell::Ratio(report.click_through.suggestions),
            ],
            vec![
                Cell::Text("help_centre_visits"),
                Cell::Count(score.help_centre_visits),
            ],
            vec![
                Cell::Text("tickets_filed"),
                Cell::Count(score.tickets_filed),
            ],
            vec![
                Cell::Text("visits_per_ticket"),
                Cell::Ratio(score.visits_per_ticket),
            ],
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_cells_stay_plain() {
        assert_eq!(
            table(&["a", "b"], [vec![Cell::Text("restore"), Cell::Count(3)]]),
            "a,b\r\nrestore,3\r\n"
        );
    }

    #[test]
    fn commas_quotes_and_line_breaks_are_quoted() {
        assert_eq!(text_field("backup, restore"), "\"backup, restore\"");
        assert_eq!(
            text_field("the \"restore\" button"),
            "\"the \"\"restore\"\" button\""
        );
        assert_eq!(text_field("two\nlines"), "\"two\nlines\"");
    }

    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(
            text_field("=HYPERLINK(\"x\")"),
            "\"'=HYPERLINK(\"\"x\"\")\""
        );
        assert_eq!(text_field("+1"), "'+1");
        assert_eq!(text_field("-2+3"), "'-2+3");
        assert_eq!(text_field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(text_field("\tcmd"), "'\tcmd");
        assert_eq!(text_field("a=b"), "a=b");
    }

    #[test]
    fn undefined_ratios_are_empty_and_numbers_are_not_guarded() {
        assert_eq!(
            table(
                &["x"],
                [vec![Cell::Ratio(None)], vec![Cell::Ratio(Some(0.5))]]
            ),
            "x\r\n\r\n0.5\r\n"
        );
    }
}
