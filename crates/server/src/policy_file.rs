//! The vendor's support policy file (`LANTERN_POLICY`), read once at start.

use std::path::{Path, PathBuf};

use anyhow::Context;
use lantern_core::policy::Policy;

/// Reads and validates the support policy file. The error names the file, the key and the
/// problem, e.g. `invalid support policy policies/default.toml:
/// plans.professional.response_targets.critcal: unknown severity "critcal"`.
pub fn load(path: &Path) -> anyhow::Result<Policy> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the support policy {}", path.display()))?;
    Policy::from_toml_str(&text)
        .map_err(|error| anyhow::anyhow!("invalid support policy {}: {error}", path.display()))
}

/// The repository's default policy file, which the tests run with.
pub fn default_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../policies/default.toml")
}
