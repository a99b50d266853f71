//! Whether `dist/` was built from the present sources: a hash of every file the release app is
//! built from (names and contents), so that an unchanged app is not built again.

use anyhow::{Context, Result};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// What the app is built from, relative to the workspace root.
pub const APP_INPUTS: &[&str] = &[
    "Cargo.toml",
    "Cargo.lock",
    "Trunk.toml",
    "index.html",
    ".cargo",
    "src",
    "style",
    "public",
    "crates/core",
    "xtask",
];

pub fn of_paths(root: &Path, inputs: &[&str]) -> Result<String> {
    let mut files = Vec::new();
    for input in inputs {
        collect(&root.join(input), &mut files)?;
    }
    files.sort();
    let mut hasher = Sha256::new();
    for file in files {
        let relative = file.strip_prefix(root).unwrap_or(&file);
        let bytes = std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
        hasher.update(relative.to_string_lossy().as_bytes());
        hasher.update([0]);
        hasher.update((bytes.len() as u64).to_le_bytes());
        hasher.update(&bytes);
    }
    Ok(hasher
        .finalize()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect())
}

fn collect(path: &Path, files: &mut Vec<PathBuf>) -> Result<()> {
    if path.is_dir() {
        for entry in
            std::fs::read_dir(path).with_context(|| format!("reading {}", path.display()))?
        {
            collect(&entry?.path(), files)?;
        }
    } else if path.is_file() {
        files.push(path.to_path_buf());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fingerprint_changes_with_any_name_or_content_and_only_then() {
        let root = std::env::temp_dir().join(format!("xtask-fingerprint-{}", std::process::id()));
        std::fs::create_dir_all(root.join("src/pages")).unwrap();
        std::fs::write(root.join("index.html"), "<html>").unwrap();
        std::fs::write(root.join("src/pages/a.rs"), "fn a() {}").unwrap();
        std::fs::write(root.join("src/b.rs"), "fn b() {}").unwrap();
        let inputs = &["index.html", "src", "style"];
        let first = of_paths(&root, inputs).unwrap();
        assert_eq!(of_paths(&root, inputs).unwrap(), first);

        std::fs::write(root.join("src/pages/a.rs"), "fn a() { }").unwrap();
        let edited = of_paths(&root, inputs).unwrap();
        assert_ne!(edited, first);

        std::fs::rename(root.join("src/b.rs"), root.join("src/c.rs")).unwrap();
        let renamed = of_paths(&root, inputs).unwrap();
        assert_ne!(renamed, edited);

        std::fs::write(root.join("unrelated.txt"), "x").unwrap();
        assert_eq!(of_paths(&root, inputs).unwrap(), renamed);
        std::fs::remove_dir_all(&root).unwrap();
    }
}
