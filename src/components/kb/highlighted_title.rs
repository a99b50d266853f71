use leptos::prelude::*;

/// A title with the characters the instant search matched wrapped in `<mark>`.
#[component]
pub fn HighlightedTitle(
    title: String,
    /// Indices of the title's characters (not bytes) to mark, ascending.
    matches: Vec<usize>,
) -> impl IntoView {
    highlight_runs(&title, &matches)
        .into_iter()
        .map(|(text, marked)| {
            if marked {
                view! { <mark>{text}</mark> }.into_any()
            } else {
                text.into_any()
            }
        })
        .collect_view()
}

/// Splits `title` into runs of marked and unmarked characters.
fn highlight_runs(title: &str, matches: &[usize]) -> Vec<(String, bool)> {
    let mut runs: Vec<(String, bool)> = Vec::new();
    let mut pending = matches.iter().peekable();
    for (index, ch) in title.chars().enumerate() {
        while pending.next_if(|&&matched| matched < index).is_some() {}
        let marked = pending.next_if_eq(&&index).is_some();
        match runs.last_mut() {
            Some((text, run_marked)) if *run_marked == marked => text.push(ch),
            _ => runs.push((ch.to_string(), marked)),
        }
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_runs_of_matched_characters() {
        assert_eq!(
            highlight_runs("Restore a backup", &[0, 1, 2, 10, 11]),
            [
                ("Res".to_owned(), true),
                ("tore a ".to_owned(), false),
                ("ba".to_owned(), true),
                ("ckup".to_owned(), false),
            ]
        );
    }

    #[test]
    fn counts_characters_not_bytes() {
        assert_eq!(
            highlight_runs("Über", &[0, 1]),
            [("Üb".to_owned(), true), ("er".to_owned(), false)]
        );
    }
}
