//! The snippet of a hit: the stretch of its text where the question's concepts gather, with
//! exactly the words that matched in `<mark>` (found by their positions in the index, so a
//! stemmed, corrected or synonym match is marked and a stop word never is).

use lantern_core::search::words::word_spans;

use crate::kb::render::escape_html;

/// Words in a snippet.
const WINDOW_WORDS: u32 = 26;
/// Words shown before the first match, for context.
const LEAD_WORDS: u32 = 4;

/// A matched word: its position (its index among the words of the text) and its concept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MatchedWord {
    pub position: u32,
    pub concept: usize,
}

/// The best window of `text` as sanitised HTML, or `None` when nothing matched in it.
/// `concept_weights` says how much finding each concept counts.
pub fn snippet(text: &str, matched: &[MatchedWord], concept_weights: &[f32]) -> Option<String> {
    let mut matched = matched.to_vec();
    matched.sort_unstable_by_key(|word| word.position);
    matched.dedup_by_key(|word| word.position);
    let start = best_window_start(&matched, concept_weights)?;
    let from = start.saturating_sub(LEAD_WORDS);
    let to = from + WINDOW_WORDS;
    let mut html = String::new();
    if from > 0 {
        html.push('…');
    }
    let mut previous_end = None::<usize>;
    let mut more_after = false;
    let mut marks = matched.iter().map(|word| word.position).peekable();
    for (position, word) in word_spans(text).enumerate() {
        let position = position as u32;
        if position < from {
            continue;
        }
        if position >= to {
            more_after = true;
            break;
        }
        if let Some(end) = previous_end {
            html.push_str(&escape_html(&text[end..word.start]));
        }
        while marks.next_if(|mark| *mark < position).is_some() {}
        let word_html = escape_html(&text[word.clone()]);
        if marks.next_if_eq(&position).is_some() {
            html.push_str("<mark>");
            html.push_str(&word_html);
            html.push_str("</mark>");
        } else {
            html.push_str(&word_html);
        }
        previous_end = Some(word.end);
    }
    if more_after {
        html.push('…');
    } else if let Some(end) = previous_end {
        html.push_str(&escape_html(text[end..].trim_end()));
    }
    Some(html)
}

/// The most concept weight that occurs within any `window` consecutive words of a text (each
/// concept counted once): the question's words found together, as in a quoted error message.
pub fn densest_window_weight(matched: &[MatchedWord], concept_weights: &[f32], window: u32) -> f32 {
    let mut sorted = matched.to_vec();
    sorted.sort_unstable_by_key(|word| word.position);
    let mut best = 0.0_f32;
    for (index, first) in sorted.iter().enumerate() {
        let mut seen: Vec<usize> = Vec::new();
        let weight: f32 = sorted[index..]
            .iter()
            .take_while(|word| word.position < first.position + window)
            .filter(|word| {
                let new = !seen.contains(&word.concept);
                seen.push(word.concept);
                new
            })
            .map(|word| concept_weights.get(word.concept).copied().unwrap_or(0.0))
            .sum();
        best = best.max(weight);
    }
    best
}

/// Where the window with the most matched weight begins: each distinct concept in the window
/// counts its weight once, every further match a little.
fn best_window_start(matched: &[MatchedWord], concept_weights: &[f32]) -> Option<u32> {
    let mut best: Option<(f32, u32)> = None;
    for (index, first) in matched.iter().enumerate() {
        let end = first.position + WINDOW_WORDS - LEAD_WORDS;
        let mut seen: Vec<usize> = Vec::new();
        let mut score = 0.0;
        for word in matched[index..]
            .iter()
            .take_while(|word| word.position < end)
        {
            if seen.contains(&word.concept) {
                score += 0.1;
            } else {
                seen.push(word.concept);
                score += concept_weights.get(word.concept).copied().unwrap_or(0.0);
            }
        }
        if best.is_none_or(|(best_score, _)| score > best_score) {
            best = Some((score, first.position));
        }
    }
    best.map(|(_, start)| start)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(position: u32, concept: usize) -> MatchedWord {
        MatchedWord { position, concept }
    }

    #[test]
    fn the_matched_words_are_marked_and_the_rest_escaped() {
        let text = "Restores <fail> when the vault is full & offline.";
        let html = snippet(text, &[at(0, 0), at(4, 1)], &[1.0, 1.0]).expect("a snippet");
        assert_eq!(
            html,
            "<mark>Restores</mark> &lt;fail&gt; when the <mark>vault</mark> is full &amp; offline."
        );
    }

    #[test]
    fn the_window_goes_where_most_concepts_meet() {
        let filler = "word ".repeat(100);
        let text = format!("backup {filler}slow backup checklist {filler}");
        // "backup" at 0 and 102, "slow" at 101, "checklist" at 103.
        let matched = [at(0, 0), at(101, 1), at(102, 0), at(103, 2)];
        let html = snippet(&text, &matched, &[1.0, 2.0, 1.5]).expect("a snippet");
        assert!(html.starts_with('…'), "{html}");
        assert!(
            html.contains("<mark>slow</mark> <mark>backup</mark> <mark>checklist</mark>"),
            "{html}"
        );
        assert!(html.ends_with('…'), "{html}");
        assert_eq!(html.matches("<mark>").count(), 3);
    }

    #[test]
    fn the_densest_window_counts_each_concept_once() {
        let matched = [at(0, 0), at(1, 0), at(30, 1), at(31, 2), at(33, 0)];
        let weights = [1.0, 2.0, 4.0];
        assert_eq!(densest_window_weight(&matched, &weights, 5), 7.0);
        assert_eq!(densest_window_weight(&matched, &weights, 2), 6.0);
        assert_eq!(densest_window_weight(&[], &weights, 5), 0.0);
    }

    #[test]
    fn nothing_matched_gives_no_snippet() {
        assert_eq!(snippet("some text", &[], &[]), None);
    }
}
