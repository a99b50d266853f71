//! Per-keystroke time of the instant knowledge-base search over synthetic indexes.
//!
//! `cargo run --release -p lantern-core --example search_bench`
//!
//! Types a handful of realistic queries (with typos, filler words and synonyms) one character at
//! a time, the way the search box calls the index, and prints p50 / p95 / max per keystroke for
//! 1k, 10k and 50k articles, as a table and as one `BENCH_JSON {...}` line that `scripts/bench.sh`
//! collects.

use std::time::{Duration, Instant};

use lantern_core::api::KbIndexEntry;
use lantern_core::search::{SearchFilters, SearchIndex};

const SIZES: [usize; 3] = [1_000, 10_000, 50_000];
const RESULT_LIMIT: usize = 8;
/// Each query is typed this many times; each keystroke keeps its fastest time.
const ROUNDS: usize = 5;
const QUERIES: [&str; 12] = [
    "restore a backup",
    "resore bakup",
    "sign in problem",
    "error 0x80070005",
    "upgrade agent linux",
    "collect logs",
    "computer id",
    "perfomance tunning",
    // Written as customers type: filler words, synonyms, a long question.
    "backup is slow since last week",
    "recover my laptop after an upgrade",
    "log in keeps failing behind the proxy",
    "how do i move the database to a new server without downtime",
];
/// Synonym groups like a vendor's, some of whose members the titles use.
const SYNONYMS: [&[&str]; 5] = [
    &["restore", "recover", "get back"],
    &["computer", "laptop", "pc", "machine"],
    &["sign in", "log in", "login"],
    &["slow", "sluggish", "takes forever"],
    &["upgrade", "update", "new version"],
];

const VERBS: [&str; 16] = [
    "Restore",
    "Upgrade",
    "Configure",
    "Troubleshoot",
    "Collect",
    "Find",
    "Reset",
    "Install",
    "Migrate",
    "Schedule",
    "Verify",
    "Export",
    "Import",
    "Repair",
    "Monitor",
    "Tune",
];
const OBJECTS: [&str; 24] = [
    "a backup",
    "the agent",
    "diagnostic logs",
    "the computer ID",
    "sign-in",
    "the database",
    "performance",
    "a license",
    "the proxy",
    "certificates",
    "user accounts",
    "the dashboard",
    "email alerts",
    "the API token",
    "storage quotas",
    "replication",
    "the firewall rules",
    "single sign-on",
    "audit logs",
    "the mobile app",
    "the search index",
    "webhooks",
    "scheduled jobs",
    "the cluster",
];
const CONTEXTS: [&str; 16] = [
    "on Linux",
    "on Windows",
    "on macOS",
    "after an upgrade",
    "behind a proxy",
    "in the cloud",
    "when it fails",
    "with error 0x80070005",
    "with error E1042",
    "for large sites",
    "step by step",
    "for administrators",
    "without downtime",
    "on version 7",
    "on version 8",
    "in a container",
];
const CATEGORIES: [&str; 8] = [
    "backup-and-restore",
    "upgrades",
    "sign-in",
    "troubleshooting",
    "performance",
    "error-codes",
    "installation",
    "licensing",
];
const PRODUCTS: [&str; 3] = ["vault", "beacon", "harbor"];

/// A tiny deterministic generator: the same indexes on every run and machine.
struct Lcg(u64);

impl Lcg {
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        items[(self.0 >> 33) as usize % items.len()]
    }
}

fn synthetic_entries(count: usize) -> Vec<KbIndexEntry> {
    let mut random = Lcg(42);
    (0..count)
        .map(|i| {
            let title = format!(
                "{} {} {}",
                random.pick(&VERBS),
                random.pick(&OBJECTS),
                random.pick(&CONTEXTS)
            );
            let summary = format!(
                "How to {} {} {}, and what to check first if it does not work.",
                random.pick(&VERBS).to_lowercase(),
                random.pick(&OBJECTS),
                random.pick(&CONTEXTS)
            );
            KbIndexEntry {
                id: i as i64,
                slug: format!("article-{i}"),
                title,
                summary,
                category: random.pick(&CATEGORIES).to_owned(),
                tags: vec![
                    random.pick(&OBJECTS).to_owned(),
                    random.pick(&CATEGORIES).to_owned(),
                ],
                products: vec![random.pick(&PRODUCTS).to_owned()],
                keywords: Vec::new(),
            }
        })
        .collect()
}

fn synonyms() -> Vec<Vec<String>> {
    SYNONYMS
        .iter()
        .map(|group| group.iter().map(|member| (*member).to_owned()).collect())
        .collect()
}

/// Times every keystroke of every query, as the search box would issue them. Each query is typed
/// [`ROUNDS`] times and each keystroke keeps its fastest time, so that other processes on a busy
/// machine do not pass for search time.
fn keystroke_times(index: &mut SearchIndex) -> Vec<Duration> {
    let filters = SearchFilters::default();
    let mut times = Vec::new();
    for query in QUERIES {
        let prefix_ends: Vec<usize> = query
            .char_indices()
            .skip(1)
            .map(|(end, _)| end)
            .chain([query.len()])
            .collect();
        let mut fastest = vec![Duration::MAX; prefix_ends.len()];
        for _ in 0..ROUNDS {
            index.search("", &filters, RESULT_LIMIT);
            for (end, best) in prefix_ends.iter().zip(&mut fastest) {
                let started = Instant::now();
                let hits = index.search(&query[..*end], &filters, RESULT_LIMIT);
                *best = (*best).min(started.elapsed());
                std::hint::black_box(hits);
            }
        }
        if std::env::var_os("SEARCH_BENCH_VERBOSE").is_some() {
            for (end, time) in prefix_ends.iter().zip(&fastest) {
                eprintln!("{:>7} {:?}", millis(*time), &query[..*end]);
            }
        }
        times.extend(fastest);
    }
    times.sort_unstable();
    times
}

fn percentile(sorted: &[Duration], fraction: f64) -> Duration {
    let rank = ((sorted.len() as f64 * fraction).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

fn millis(duration: Duration) -> String {
    format!("{:.3}", duration.as_secs_f64() * 1000.0)
}

/// Milliseconds rounded to microseconds, for the JSON figures.
fn millis_figure(duration: Duration) -> f64 {
    (duration.as_secs_f64() * 1_000_000.0).round() / 1000.0
}

fn main() {
    println!("| articles | keystrokes | p50 ms | p95 ms | max ms | build ms |");
    println!("|---------:|-----------:|-------:|-------:|-------:|---------:|");
    let mut figures = Vec::new();
    for size in SIZES {
        let entries = synthetic_entries(size);
        let started = Instant::now();
        let mut index = SearchIndex::new(entries, &synonyms());
        let build = started.elapsed();
        let times = keystroke_times(&mut index);
        println!(
            "| {size:>8} | {:>10} | {:>6} | {:>6} | {:>6} | {:>8} |",
            times.len(),
            millis(percentile(&times, 0.5)),
            millis(percentile(&times, 0.95)),
            millis(percentile(&times, 1.0)),
            millis(build),
        );
        figures.push(serde_json::json!({
            "articles": size,
            "keystrokes": times.len(),
            "p50_ms": millis_figure(percentile(&times, 0.5)),
            "p95_ms": millis_figure(percentile(&times, 0.95)),
            "max_ms": millis_figure(percentile(&times, 1.0)),
            "build_ms": millis_figure(build),
        }));
    }
    let json = serde_json::json!({ "instant_search_native": figures });
    println!("BENCH_JSON {json}");
}
