//! The vendor's synonyms: words and phrases a customer may use for what the articles call
//! otherwise ("recover" for "restore", "laptop" for "computer", "leave out" for "exclude").
//!
//! The file (`synonyms.txt` next to the articles) has one group per line, its members
//! separated by commas; `#` starts a comment:
//!
//! ```text
//! restore, recover, get back
//! computer, laptop, pc
//! ```
//!
//! A query word or phrase that is a member of a group also searches for the other members.
//! Matching is by words (see [`super::words`]), each passed through a normaliser: the server's
//! engine stems them, so "recovered" finds "restore" too.

use std::collections::HashMap;

use super::words::{is_stop_word, words};

/// The groups of a synonyms file, each member as written (trimmed). This is also the form the
/// instant-search index carries to the browser.
pub type SynonymGroups = Vec<Vec<String>>;

/// A line of the synonyms file that was skipped, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SynonymsProblem {
    /// 1-based.
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for SynonymsProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// Reads a synonyms file. Lines that are not a group of at least two members with searchable
/// words are skipped and reported; the other groups are kept.
pub fn parse_synonyms(text: &str) -> (SynonymGroups, Vec<SynonymsProblem>) {
    let mut groups = Vec::new();
    let mut problems = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line_number = index + 1;
        let content = line.split('#').next().unwrap_or_default().trim();
        if content.is_empty() {
            continue;
        }
        let members: Vec<String> = content
            .split(',')
            .map(|member| member.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect();
        let problem = if members.iter().any(String::is_empty) {
            Some("a member is empty (two commas in a row, or one at the end)".to_owned())
        } else if let Some(member) = members
            .iter()
            .find(|member| words(member).all(|word| is_stop_word(&word.text)))
        {
            Some(format!("“{member}” has no word worth searching for"))
        } else if members.len() < 2 {
            Some("a group needs at least two members separated by commas".to_owned())
        } else {
            None
        };
        match problem {
            Some(message) => problems.push(SynonymsProblem {
                line: line_number,
                message,
            }),
            None => groups.push(members),
        }
    }
    (groups, problems)
}

/// A member of a group, as normalised words.
type Phrase = Vec<String>;

/// Finds the synonyms of the words of a query.
#[derive(Debug, Clone, Default)]
pub struct SynonymMatcher {
    /// Every group's members, normalised.
    groups: Vec<Vec<Phrase>>,
    /// (group, member) of every member, by its first normalised word.
    by_first_word: HashMap<String, Vec<(usize, usize)>>,
}

/// The synonyms found at one place of a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SynonymMatch<'a> {
    /// How many query words the matched member spans.
    pub len: usize,
    /// The other members of its group (normalised words; stop words included).
    pub alternatives: Vec<&'a [String]>,
}

impl SynonymMatcher {
    /// `normalize` maps a lower-cased word to the form it is compared in (the server's stemmer;
    /// the identity in the browser).
    pub fn new(groups: &SynonymGroups, normalize: impl Fn(&str) -> String) -> Self {
        let mut matcher = Self::default();
        for group in groups {
            let phrases: Vec<Phrase> = group
                .iter()
                .map(|member| words(member).map(|word| normalize(&word.text)).collect())
                .filter(|phrase: &Phrase| !phrase.is_empty())
                .collect();
            let group_index = matcher.groups.len();
            for (member_index, phrase) in phrases.iter().enumerate() {
                matcher
                    .by_first_word
                    .entry(phrase[0].clone())
                    .or_default()
                    .push((group_index, member_index));
            }
            matcher.groups.push(phrases);
        }
        matcher
    }

    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// The longest member starting at `words[at]` (normalised words), with the other members of
    /// its group; `None` when no member starts there. A word in several groups gets the
    /// alternatives of all of them (with the longest match's length).
    pub fn at(&self, words: &[String], at: usize) -> Option<SynonymMatch<'_>> {
        let candidates = self.by_first_word.get(words.get(at)?)?;
        let rest = &words[at..];
        let matching: Vec<(usize, usize, usize)> = candidates
            .iter()
            .filter_map(|&(group, member)| {
                let phrase = &self.groups[group][member];
                rest.starts_with(phrase)
                    .then_some((group, member, phrase.len()))
            })
            .collect();
        let len = matching.iter().map(|&(_, _, len)| len).max()?;
        let mut alternatives: Vec<&[String]> = Vec::new();
        for &(group, member, member_len) in &matching {
            if member_len != len {
                continue;
            }
            for (index, phrase) in self.groups[group].iter().enumerate() {
                if index != member && !alternatives.contains(&phrase.as_slice()) {
                    alternatives.push(phrase);
                }
            }
        }
        Some(SynonymMatch { len, alternatives })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "# Customer words for what the articles say\n\
        restore, recover, get back\n\
        computer, laptop, PC   # any machine with an agent\n\
        \n\
        exclude, leave out\n\
        lonely\n\
        sign in, log in, , login\n\
        the, a\n";

    fn owned(words: &[&str]) -> Vec<String> {
        words.iter().map(|word| (*word).to_owned()).collect()
    }

    #[test]
    fn groups_are_read_and_bad_lines_reported() {
        let (groups, problems) = parse_synonyms(FILE);
        assert_eq!(
            groups,
            [
                owned(&["restore", "recover", "get back"]),
                owned(&["computer", "laptop", "PC"]),
                owned(&["exclude", "leave out"]),
            ]
        );
        let lines: Vec<usize> = problems.iter().map(|problem| problem.line).collect();
        assert_eq!(lines, [6, 7, 8], "{problems:?}");
        assert!(
            problems[2]
                .to_string()
                .contains("“the” has no word worth searching for")
        );
    }

    #[test]
    fn the_longest_member_at_a_place_gives_the_others() {
        let (groups, _) = parse_synonyms(FILE);
        let matcher = SynonymMatcher::new(&groups, str::to_owned);
        let query = owned(&["how", "to", "leave", "out", "my", "pc"]);
        assert_eq!(matcher.at(&query, 0), None);
        let leave_out = matcher.at(&query, 2).expect("a match");
        assert_eq!(leave_out.len, 2);
        assert_eq!(leave_out.alternatives, [owned(&["exclude"]).as_slice()]);
        let pc = matcher.at(&query, 5).expect("a match");
        assert_eq!(
            pc.alternatives,
            [
                owned(&["computer"]).as_slice(),
                owned(&["laptop"]).as_slice()
            ]
        );
        assert_eq!(matcher.at(&query, 6), None);
    }

    #[test]
    fn words_are_compared_normalised() {
        let (groups, _) = parse_synonyms("restore, recover\n");
        let crude_stem = |word: &str| word.trim_end_matches("ed").trim_end_matches('e').to_owned();
        let matcher = SynonymMatcher::new(&groups, crude_stem);
        let query = vec![crude_stem("recovered")];
        assert_eq!(
            matcher.at(&query, 0).expect("a match").alternatives,
            [owned(&["restor"]).as_slice()]
        );
    }
}
