//! `cargo xtask <command>`: the build steps of the app that Trunk 0.21 cannot do itself.
//!
//! - `app`: Trunk's `pre_build` hook (Trunk.toml). Builds the WebAssembly app, splits it into
//!   the lazily loaded parts of `#[lazy_route]` pages, runs wasm-bindgen and wasm-opt, names
//!   every file by a hash and writes them into Trunk's staging folder, with the HTML that loads
//!   them for `index.html` (see `app.rs` for why Trunk's own Rust pipeline is not used).
//! - `precompress`: Trunk's `post_build` hook: brotli and gzip files beside the built ones
//!   (release builds only).
//! - `dist`: `trunk build --release` into `dist/`, unless `dist/` was built from exactly the
//!   present sources (scripts/lib.sh calls this).

mod app;
mod compress;
mod fingerprint;
mod names;

use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use std::process::Command;

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["app"] => app::run(&app::Settings::from_trunk_env(&workspace_root())?),
        // Only the release build is served by lantern-server; `trunk serve` does without.
        ["precompress"] if trunk_env("TRUNK_PROFILE")? != "release" => Ok(()),
        ["precompress"] => compress::precompress_dir(Path::new(&trunk_env("TRUNK_STAGING_DIR")?)),
        ["dist"] => dist(&workspace_root()),
        _ => bail!(
            "usage: cargo xtask app | precompress (Trunk hooks, see Trunk.toml) | dist (the release app in dist/)"
        ),
    }
}

/// The workspace root: the xtask package lives in `<root>/xtask`.
fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in a folder of the workspace")
        .to_path_buf()
}

fn trunk_env(name: &str) -> Result<String> {
    std::env::var(name).with_context(|| format!("{name} is not set: Trunk runs this as a hook"))
}

/// `trunk build --release`, skipped when `dist/` holds a build of the present sources.
fn dist(root: &Path) -> Result<()> {
    let stamp = root.join("target").join("app-sources.fingerprint");
    let fingerprint = fingerprint::of_paths(root, fingerprint::APP_INPUTS)?;
    let built = std::fs::read_to_string(&stamp).ok();
    if root.join("dist").join("index.html").is_file() && built.as_deref() == Some(&fingerprint) {
        println!("The release app in dist/ is up to date");
        return Ok(());
    }
    let status = Command::new("trunk")
        .args(["build", "--release"])
        .current_dir(root)
        .status()
        .context("could not run trunk (scripts/run.sh installs it)")?;
    if !status.success() {
        bail!("trunk build --release failed");
    }
    std::fs::create_dir_all(stamp.parent().expect("the stamp is in target/"))?;
    std::fs::write(&stamp, fingerprint).with_context(|| format!("writing {}", stamp.display()))
}
