//! `cargo xtask app`, Trunk's `pre_build` hook: the WebAssembly app, split into lazily loaded
//! parts, in Trunk's staging folder.
//!
//! Why not Trunk's own Rust pipeline: it runs `cargo build`, then the `wasm-bindgen` it finds on
//! PATH, then wasm-opt, with no hook in between (trunk#1022), and the split has to come between
//! the first two: wasm-split reads the linker's relocations, which wasm-bindgen drops, and
//! wasm-bindgen must see the split main part (with `--keep-lld-exports`: the parts use the main
//! part's function table) or its loader would import the split points' placeholders. The only
//! way in is to shadow `wasm-bindgen` on PATH. So this step does what cargo-leptos does (its
//! `compile/front.rs`): cargo build, `wasm_split_cli_support::transform`, wasm-bindgen (here the
//! library `wasm-bindgen-cli-support`, at the app's wasm-bindgen version), wasm-opt; and Trunk
//! does the rest (HTML, CSS, copied files, `trunk serve`). `index.html` marks its Rust link
//! `data-trunk-skip` and takes `target/app/entry.html`, written here, as an inline asset.
//!
//! Names: the main module's JavaScript and WebAssembly are named by the hash of what cargo
//! built, as Trunk names them, so the loader can import the main JavaScript by its final name
//! (`Options::main_module`) before it exists. Each part is named by the hash of its optimised
//! bytes: a page whose code did not change keeps its cached part. The loader itself,
//! `__wasm_split.js`, keeps its name (the server revalidates it), since it names the parts.

use crate::names;
use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The binary `index.html` builds (its `data-bin`).
const APP: &str = "lantern";
/// The parts' loader: the main module imports the split points' loaders from it.
const LOADER: &str = "__wasm_split.js";
/// Put in front of the generated loader (see `names::loader`); it ships to every visitor, so its
/// comments are few. The loader fetches each part with `fetch(...)`, and the prelude's
/// module-level `fetch` takes the browser's place there: a part that cannot be fetched would stop
/// the app (the Rust side cannot go on without it). That happens when the app was updated while
/// a page was open, so its old parts are gone, or when the network failed: the page is then
/// loaded once more, which fetches the current app.
const LOADER_PRELUDE: &str = include_str!("../loader/fetch-part.js");
/// binaryen's wasm-opt, from npm into `tools/` (scripts/lib.sh, `BINARYEN_VERSION`): Debian's
/// version 108 produces a module that fails at run time.
const WASM_OPT_VERSION: &str = "132";
/// wasm-opt for the release build, the main module and every part alike. `strip = true` (the
/// release profile) drops the target_features section, so wasm-opt is told the features that
/// Rust enables by default for wasm32-unknown-unknown.
const WASM_OPT_ARGS: &[&str] = &[
    "-Oz",
    "--enable-bulk-memory",
    "--enable-bulk-memory-opt",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-reference-types",
    "--enable-multivalue",
];

pub struct Settings {
    pub root: PathBuf,
    pub release: bool,
    /// Trunk's staging folder, which becomes `dist/`.
    pub staging: PathBuf,
    /// Trunk's public URL, `/` here.
    pub public_url: String,
}

impl Settings {
    pub fn from_trunk_env(root: &Path) -> Result<Self> {
        Ok(Settings {
            root: root.to_path_buf(),
            release: crate::trunk_env("TRUNK_PROFILE")? == "release",
            staging: PathBuf::from(crate::trunk_env("TRUNK_STAGING_DIR")?),
            public_url: crate::trunk_env("TRUNK_PUBLIC_URL")?,
        })
    }
}

pub fn run(settings: &Settings) -> Result<()> {
    let profile = if settings.release { "release" } else { "debug" };
    let work = settings.root.join("target").join("app").join(profile);
    let entry_path = settings.root.join("target").join("app").join("entry.html");
    // A stale entry.html would load an app that is not in dist/.
    remove_if_present(&entry_path)?;
    if work.exists() {
        std::fs::remove_dir_all(&work).with_context(|| format!("removing {}", work.display()))?;
    }
    let parts_dir = work.join("parts");
    std::fs::create_dir_all(&parts_dir)?;

    let wasm_opt = if settings.release {
        Some(wasm_opt()?)
    } else {
        None
    };
    let linked = cargo_build(&settings.root, settings.release)?;
    let linked_bytes =
        std::fs::read(&linked).with_context(|| format!("reading {}", linked.display()))?;
    let stem = format!("{APP}-{}", names::content_hash(&linked_bytes));
    let js_name = format!("{stem}.js");
    let wasm_name = format!("{stem}_bg.wasm");

    // (1) Split: the main part, the parts and their loader.
    let main_part = work.join(format!("{APP}.main-part.wasm"));
    let main_module = format!("./{js_name}");
    let link_name = format!("./{LOADER}");
    println!(
        "xtask: splitting {} into lazily loaded parts",
        linked.display()
    );
    let split = wasm_split_cli_support::transform({
        let mut options = wasm_split_cli_support::Options::new(&linked_bytes);
        options.output_dir = &parts_dir;
        options.main_out_path = &main_part;
        options.main_module = &main_module;
        options.link_name = &link_name;
        options
    })
    .map_err(|error| anyhow::anyhow!("wasm-split: {error:?}"))?;

    // (2) wasm-bindgen on the main part, as Trunk ran it (`--target web --no-typescript`).
    println!("xtask: wasm-bindgen");
    let bindgen_dir = work.join("bindgen");
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(&main_part)
        .out_name(APP)
        .web(true)?
        .typescript(false)
        .omit_default_module_path(false)
        .keep_lld_exports(!split.split_modules.is_empty())
        .generate(&bindgen_dir)
        .context("wasm-bindgen")?;

    // (3) wasm-opt (release only, as Trunk does), names, and into the staging folder.
    let staged_wasm = settings.staging.join(&wasm_name);
    optimise(
        wasm_opt.as_deref(),
        &bindgen_dir.join(format!("{APP}_bg.wasm")),
        &staged_wasm,
    )?;
    std::fs::copy(
        bindgen_dir.join(format!("{APP}.js")),
        settings.staging.join(&js_name),
    )?;
    let snippets = bindgen_dir.join("snippets");
    if snippets.exists() {
        copy_dir(&snippets, &settings.staging.join("snippets"))?;
    }

    let mut renames = Vec::new();
    for part in &split.split_modules {
        let name = file_name(part)?;
        let optimised = work.join(&name);
        optimise(wasm_opt.as_deref(), part, &optimised)?;
        let hashed =
            names::hashed_file_name(&name, &names::content_hash(&std::fs::read(&optimised)?));
        std::fs::rename(&optimised, settings.staging.join(&hashed))?;
        renames.push((name, hashed));
    }
    let has_parts = !renames.is_empty();
    if has_parts {
        let generated = std::fs::read_to_string(parts_dir.join(LOADER))?;
        let loader = names::loader(&generated, LOADER_PRELUDE, &renames)?;
        std::fs::write(settings.staging.join(LOADER), loader)?;
    } else if std::fs::read(&staged_wasm)?
        .windows(b"__wasm_split".len())
        .any(|window| window == b"__wasm_split")
    {
        bail!("the main module still refers to split points, but no parts were split off");
    }

    let js = std::fs::read(settings.staging.join(&js_name))?;
    let wasm = std::fs::read(&staged_wasm)?;
    let entry = names::entry_html(&names::Entry {
        public_url: &settings.public_url,
        js: &js_name,
        js_integrity: &names::integrity(&js),
        wasm: &wasm_name,
        wasm_integrity: &names::integrity(&wasm),
        loader: has_parts.then_some(LOADER),
    });
    std::fs::write(&entry_path, entry)?;
    println!(
        "xtask: {js_name}, {wasm_name} ({} bytes) and {} lazily loaded parts in {}",
        wasm.len(),
        renames.len(),
        settings.staging.display()
    );
    Ok(())
}

/// `cargo build` of the app for wasm32, as Trunk ran it; the path of the linked module.
fn cargo_build(root: &Path, release: bool) -> Result<PathBuf> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .current_dir(root)
        .args([
            "build",
            "--locked",
            "--target=wasm32-unknown-unknown",
            "--package",
            APP,
            "--bin",
            APP,
        ])
        .arg("--message-format=json-render-diagnostics")
        .stdout(Stdio::piped());
    if release {
        command.arg("--release");
    }
    println!(
        "xtask: cargo build of the app for wasm32 ({})",
        if release { "release" } else { "debug" }
    );
    let output = command
        .spawn()
        .context("running cargo")?
        .wait_with_output()?;
    if !output.status.success() {
        bail!("cargo could not build the app");
    }
    linked_wasm(&String::from_utf8_lossy(&output.stdout))
}

/// The `.wasm` file of the app's binary among cargo's JSON messages.
fn linked_wasm(messages: &str) -> Result<PathBuf> {
    let mut found = None;
    for line in messages.lines() {
        let Ok(message) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        if message["reason"] != "compiler-artifact" || message["target"]["name"] != APP {
            continue;
        }
        let files = message["filenames"].as_array().into_iter().flatten();
        if let Some(wasm) = files
            .filter_map(|file| file.as_str())
            .find(|file| file.ends_with(".wasm"))
        {
            found = Some(PathBuf::from(wasm));
        }
    }
    found.context("cargo named no .wasm file of the app")
}

fn wasm_opt() -> Result<PathBuf> {
    let path = match std::env::var_os("LANTERN_WASM_OPT") {
        Some(path) => PathBuf::from(path),
        None => crate::workspace_root().join("tools/node_modules/.bin/wasm-opt"),
    };
    let version = Command::new(&path)
        .arg("--version")
        .output()
        .with_context(|| {
            format!(
                "could not run {} (scripts/run.sh installs it)",
                path.display()
            )
        })?;
    let version = String::from_utf8_lossy(&version.stdout);
    if !version.contains(&format!("version_{WASM_OPT_VERSION}")) {
        bail!(
            "{} is {}, not wasm-opt version {WASM_OPT_VERSION}",
            path.display(),
            version.trim()
        );
    }
    Ok(path)
}

fn optimise(wasm_opt: Option<&Path>, from: &Path, to: &Path) -> Result<()> {
    let Some(wasm_opt) = wasm_opt else {
        std::fs::copy(from, to)?;
        return Ok(());
    };
    let status = Command::new(wasm_opt)
        .args(WASM_OPT_ARGS)
        .arg(from)
        .arg("-o")
        .arg(to)
        .status()?;
    if !status.success() {
        bail!("wasm-opt failed on {}", from.display());
    }
    Ok(())
}

fn file_name(path: &Path) -> Result<String> {
    path.file_name()
        .and_then(|name| name.to_str())
        .map(str::to_string)
        .with_context(|| format!("{} has no file name", path.display()))
}

fn remove_if_present(path: &Path) -> Result<()> {
    match std::fs::remove_file(path) {
        Err(error) if error.kind() != std::io::ErrorKind::NotFound => Err(error.into()),
        _ => Ok(()),
    }
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &to.join(entry.file_name()))?;
        } else {
            std::fs::copy(entry.path(), to.join(entry.file_name()))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_linked_module_is_found_among_cargo_messages() {
        let messages = r#"{"reason":"compiler-artifact","target":{"name":"lantern_core"},"filenames":["/t/liblantern_core.rlib"]}
{"reason":"compiler-artifact","target":{"name":"lantern"},"filenames":["/t/wasm32-unknown-unknown/release/lantern.wasm"]}
{"reason":"build-finished","success":true}"#;
        assert_eq!(
            linked_wasm(messages).unwrap(),
            PathBuf::from("/t/wasm32-unknown-unknown/release/lantern.wasm")
        );
        assert!(linked_wasm(r#"{"reason":"build-finished","success":true}"#).is_err());
    }

    /// The wasm-bindgen library must be the version of the `wasm-bindgen` crate the app links,
    /// or the generated JavaScript does not fit the module.
    #[test]
    fn wasm_bindgen_library_and_crate_are_the_same_version() {
        let lock = std::fs::read_to_string(crate::workspace_root().join("Cargo.lock")).unwrap();
        let version_of = |name: &str| {
            let start = lock
                .find(&format!("\nname = \"{name}\"\n"))
                .unwrap_or_else(|| panic!("{name} in Cargo.lock"));
            let rest = &lock[start..];
            let line = rest
                .lines()
                .find(|line| line.starts_with("version = "))
                .unwrap();
            line.trim_start_matches("version = ")
                .trim_matches('"')
                .to_string()
        };
        assert_eq!(
            version_of("wasm-bindgen"),
            version_of("wasm-bindgen-cli-support")
        );
    }
}
