//! Synthetic knowledge bases for benchmarks (`lantern-server admin generate-kb`): plausible
//! support articles combined from small vocabularies with a seeded RNG, so the same count and
//! seed always give the same files. No external data.

use std::path::Path;

use anyhow::Context;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

/// The seed used when none is given.
pub const DEFAULT_SEED: u64 = 4;

struct Product {
    id: &'static str,
    name: &'static str,
    components: &'static [&'static str],
    code_prefix: &'static str,
}

const PRODUCTS: &[Product] = &[
    Product {
        id: "harbor-backup",
        name: "Harbor Backup",
        components: &[
            "backup agent",
            "server console",
            "cloud vault",
            "local vault",
            "recovery media",
        ],
        code_prefix: "HB",
    },
    Product {
        id: "relay-sync",
        name: "Relay Sync",
        components: &[
            "desktop client",
            "mobile app",
            "admin portal",
            "web client",
            "LAN sync",
        ],
        code_prefix: "RS",
    },
    Product {
        id: "beacon-file-gateway",
        name: "Beacon File Gateway",
        components: &[
            "gateway service",
            "web client",
            "SFTP connector",
            "FTPS connector",
            "audit log",
        ],
        code_prefix: "BG",
    },
];

const CATEGORIES: &[&str] = &[
    "Getting started",
    "Installation & upgrades",
    "Backup & restore",
    "Sync",
    "File transfer",
    "Accounts & sign-in",
    "Troubleshooting & logs",
    "Error codes",
    "Policies & support",
];

const VERBS: &[&str] = &[
    "Fix",
    "Troubleshoot",
    "Configure",
    "Resolve",
    "Diagnose",
    "Set up",
    "Speed up",
    "Reset",
    "Migrate",
    "Monitor",
    "Recover",
    "Understand",
];

const SUBJECTS: &[&str] = &[
    "slow uploads",
    "failed restores",
    "stalled jobs",
    "missing files",
    "sign-in loops",
    "certificate warnings",
    "proxy errors",
    "high memory use",
    "quota warnings",
    "scheduled tasks",
    "license seats",
    "LDAP group sync",
    "SSO redirects",
    "bandwidth limits",
    "deduplication cache",
    "retention rules",
    "port conflicts",
    "permission errors",
    "disk space alerts",
    "upgrade failures",
    "log rotation",
    "timeouts",
    "duplicate devices",
    "encryption keys",
];

const PLATFORMS: &[&str] = &[
    "Windows 11",
    "Windows Server 2022",
    "Windows Server 2025",
    "macOS 15",
    "macOS 14",
    "Ubuntu 24.04",
    "Debian 12",
    "RHEL 9",
    "iOS 18",
    "Android 15",
];

const CAUSES: &[&str] = &[
    "a firewall blocks the outbound connection",
    "the service account lost its permissions",
    "the clock on the computer is more than five minutes off",
    "an antivirus product scans every file the service opens",
    "the disk that holds the cache is almost full",
    "a proxy inspects and re-signs TLS traffic",
    "the configuration still points at the old server name",
    "two devices were registered with the same identifier",
    "the identity provider sends an unexpected attribute",
    "an upgrade was interrupted before it finished",
];

const STEPS: &[&str] = &[
    "Open the admin console and check the status page of the affected device.",
    "Restart the service and wait until it reports that it is running.",
    "Run the built-in network test and note the first step that fails.",
    "Compare the configured server address with the address in the installation guide.",
    "Free at least 2 GB on the disk that holds the cache and logs.",
    "Exclude the program folder from real-time antivirus scanning.",
    "Synchronise the computer clock with your time server.",
    "Sign out, sign in again and repeat the action that failed.",
    "Collect a diagnostics package right after the problem happens.",
    "Check the audit log for the time the problem started.",
];

const TAGS: &[&str] = &[
    "performance",
    "network",
    "firewall",
    "proxy",
    "logs",
    "upgrade",
    "install",
    "restore",
    "backup",
    "sync",
    "sso",
    "mfa",
    "ldap",
    "licence",
    "certificate",
    "storage",
    "quota",
    "permissions",
    "windows",
    "macos",
    "linux",
    "mobile",
    "retention",
    "encryption",
];

/// One generated article file: its name and its text.
pub struct GeneratedArticle {
    pub file_name: String,
    pub text: String,
}

/// `count` articles, always the same for the same `count` and `seed`.
pub fn generate(count: usize, seed: u64) -> Vec<GeneratedArticle> {
    let mut rng = StdRng::seed_from_u64(seed);
    (1..=count)
        .map(|number| article(&mut rng, number))
        .collect()
}

/// Writes `count` generated articles into `dir` (created when missing).
pub fn write_articles(dir: &Path, count: usize, seed: u64) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    for article in generate(count, seed) {
        let path = dir.join(&article.file_name);
        std::fs::write(&path, article.text)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

/// `lantern-server admin generate-kb --count N --out DIR [--seed S]`.
pub fn generate_command(count: usize, out: &Path, seed: u64) -> anyhow::Result<String> {
    write_articles(out, count, seed)?;
    Ok(format!(
        "Wrote {count} synthetic articles (seed {seed}) to {}.",
        out.display()
    ))
}

fn pick<'a>(rng: &mut StdRng, items: &'a [&'a str]) -> &'a str {
    items.choose(rng).copied().unwrap_or_default()
}

fn article(rng: &mut StdRng, number: usize) -> GeneratedArticle {
    let product = PRODUCTS.choose(rng).unwrap_or(&PRODUCTS[0]);
    let component = pick(rng, product.components);
    let verb = pick(rng, VERBS);
    let subject = pick(rng, SUBJECTS);
    let platform = pick(rng, PLATFORMS);
    let cause = pick(rng, CAUSES);
    let code = format!("{}-{}", product.code_prefix, rng.gen_range(1000..6000));
    let title = format!(
        "{verb} {subject} in the {} {component} on {platform}",
        product.name
    );
    let slug = format!("{}-{number}", super::render::slugify(&title));
    let summary = format!(
        "{} {component} shows {code} when {cause}; how to confirm it and fix it.",
        product.name
    );
    let tag_count = rng.gen_range(2..5);
    let mut tags: Vec<&str> = TAGS.choose_multiple(rng, tag_count).copied().collect();
    tags.push(&code);
    let steps: Vec<&str> = STEPS.choose_multiple(rng, 4).copied().collect();
    let text = format!(
        "---\ntitle: {title}\nslug: {slug}\nsummary: {summary}\ncategory: {category}\nproducts: [{products}]\ntags: [{tags}]\nupdated: 2026-{month:02}-{day:02}\n---\n{body}",
        category = pick(rng, CATEGORIES),
        products = product.id,
        tags = tags.join(", "),
        month = rng.gen_range(1..=12),
        day = rng.gen_range(1..=28),
        body = body(product, component, platform, subject, cause, &code, &steps),
    );
    GeneratedArticle {
        file_name: format!("{slug}.md"),
        text,
    }
}

fn body(
    product: &Product,
    component: &str,
    platform: &str,
    subject: &str,
    cause: &str,
    code: &str,
    steps: &[&str],
) -> String {
    let numbered: String = steps
        .iter()
        .enumerate()
        .map(|(index, step)| format!("{}. {step}\n", index + 1))
        .collect();
    format!(
        "## Symptom\n\nUsers of the {name} {component} on {platform} report {subject}. The log shows `{code}` shortly before the problem becomes visible, and the status in the console changes to a warning.\n\n\
         ## Cause\n\nIn most cases {cause}. Less often the problem follows a recent change such as an upgrade, a new network device or a changed security policy.\n\n\
         ## Resolution\n\n{numbered}\n\
         ## If the problem remains\n\nOpen a ticket for {name} and include the product version, the operating system, the time the problem happened, the error code `{code}` and the diagnostics package. Describe any recent changes to the {component}.\n",
        name = product.name,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kb::front_matter::parse_article;

    #[test]
    fn the_same_seed_gives_the_same_articles() {
        let first = generate(20, 7);
        let second = generate(20, 7);
        assert!(
            first
                .iter()
                .zip(&second)
                .all(|(a, b)| a.text == b.text && a.file_name == b.file_name)
        );
        assert_ne!(generate(20, 8)[0].text, first[0].text);
    }

    #[test]
    fn generated_articles_are_valid_and_unique() {
        let articles = generate(300, DEFAULT_SEED);
        let mut slugs = std::collections::HashSet::new();
        for article in &articles {
            let stem = article.file_name.trim_end_matches(".md");
            let parsed = parse_article(&article.text, stem)
                .unwrap_or_else(|error| panic!("{}: {error}", article.file_name));
            assert_eq!(parsed.slug, stem);
            assert!(slugs.insert(parsed.slug));
        }
    }
}
