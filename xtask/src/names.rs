//! File names by content hash, subresource integrity, the parts' loader and the HTML that loads
//! the app: the pure pieces of `cargo xtask app`.

use anyhow::{Result, bail};
use base64::Engine;
use sha2::{Digest, Sha256, Sha384};

/// 16 hex digits of the SHA-256 of `bytes`: what the server takes for a hashed name
/// (`crates/server/src/assets.rs`, cached for a year).
pub fn content_hash(bytes: &[u8]) -> String {
    Sha256::digest(bytes)[..8]
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// `chunk_3.wasm` named by `hash`: `chunk_3-<hash>.wasm`.
pub fn hashed_file_name(name: &str, hash: &str) -> String {
    match name.rsplit_once('.') {
        Some((stem, extension)) => format!("{stem}-{hash}.{extension}"),
        None => format!("{name}-{hash}"),
    }
}

/// The `integrity` attribute value of a file (SRI, SHA-384 as Trunk writes it).
pub fn integrity(bytes: &[u8]) -> String {
    let digest = Sha384::digest(bytes);
    format!(
        "sha384-{}",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// The parts' loader as wasm-split generated it, pointed at the hashed names of the parts
/// (`renames`: generated file name, hashed file name) and prefixed with `prelude`.
///
/// The loader names each part once, as the string `"./<file>.wasm"`; anything else means that
/// the generator changed, so the build stops instead of publishing a loader that fetches a file
/// that is not there. The prelude declares the module's own `fetch`, which the loader's
/// `fetch(new URL(...))` calls instead of the browser's, so the loader must call it so.
pub fn loader(generated: &str, prelude: &str, renames: &[(String, String)]) -> Result<String> {
    let mut loader = generated.to_string();
    for (from, to) in renames {
        let quoted = format!("\"./{from}\"");
        let found = loader.matches(&quoted).count();
        if found != 1 {
            bail!("the parts' loader names {quoted} {found} times instead of once");
        }
        loader = loader.replace(&quoted, &format!("\"./{to}\""));
    }
    if !renames.is_empty() && !loader.contains("fetch(new URL(") {
        bail!("the parts' loader no longer fetches its parts with `fetch(new URL(...))`");
    }
    Ok(format!("{prelude}\n{loader}"))
}

/// The files `index.html` loads the app from, with their integrity.
pub struct Entry<'a> {
    pub public_url: &'a str,
    pub js: &'a str,
    pub js_integrity: &'a str,
    pub wasm: &'a str,
    pub wasm_integrity: &'a str,
    pub loader: Option<&'a str>,
}

/// The HTML that takes the place of `<link data-trunk rel="inline" href="target/app/entry.html">`
/// in `index.html`: preloads (which the server's rendered pages leave out) and the script tag.
/// The app is started by the external `boot.js`, so the Content-Security-Policy needs no inline
/// script.
pub fn entry_html(entry: &Entry) -> String {
    let Entry {
        public_url: base,
        js,
        js_integrity,
        wasm,
        wasm_integrity,
        loader,
    } = entry;
    let mut lines = vec![
        format!(
            r#"<link rel="modulepreload" href="{base}{js}" crossorigin="anonymous" integrity="{js_integrity}">"#
        ),
        format!(
            r#"<link rel="preload" href="{base}{wasm}" crossorigin="anonymous" integrity="{wasm_integrity}" as="fetch" type="application/wasm">"#
        ),
    ];
    if let Some(loader) = loader {
        lines.push(format!(
            r#"<link rel="modulepreload" href="{base}{loader}">"#
        ));
    }
    lines.push(format!(
        r#"<script type="module" src="{base}boot.js" data-js="{base}{js}" data-wasm="{base}{wasm}"></script>"#
    ));
    // Trunk puts it where the link was, indented in <head>.
    lines.join("\n    ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_content_hash_is_16_hex_digits_of_sha256() {
        // SHA-256("abc") = ba7816bf8f01cfea 414140de5dae2223...
        assert_eq!(content_hash(b"abc"), "ba7816bf8f01cfea");
        assert_ne!(content_hash(b"abc"), content_hash(b"abd"));
    }

    #[test]
    fn hashed_names_keep_their_extension_and_read_as_hashed() {
        assert_eq!(
            hashed_file_name("chunk_3.wasm", "0123456789abcdef"),
            "chunk_3-0123456789abcdef.wasm"
        );
        assert_eq!(
            hashed_file_name("lantern.js", "0123456789abcdef"),
            "lantern-0123456789abcdef.js"
        );
        assert_eq!(
            hashed_file_name("split___ticket_route_view_40711.wasm", "0123456789abcdef"),
            "split___ticket_route_view_40711-0123456789abcdef.wasm"
        );
    }

    #[test]
    fn integrity_is_base64_sha384() {
        assert_eq!(
            integrity(b"abc"),
            "sha384-ywB1P0WjXou1oD1pmsZQBycsMqsO3tFjGotgWkP/W+2AhgcroefMI1i67KE0yCWn"
        );
    }

    const GENERATED: &str = r#"import { initSync } from "./lantern-0123456789abcdef.js";
const __chunk_1 = makeLoad(() => {
    const src = fetch(new URL("./chunk_1.wasm", import.meta.url));
}, []);
export const __wasm_split_load_a = wrapAsyncCb(makeLoad(() => {
    const src = fetch(new URL("./split_a.wasm", import.meta.url));
}, [__chunk_1]));
"#;

    fn renames(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn the_loader_fetches_the_hashed_parts_after_its_prelude() {
        let loader = loader(
            GENERATED,
            "async function fetch(url) {}",
            &renames(&[
                ("chunk_1.wasm", "chunk_1-aa.wasm"),
                ("split_a.wasm", "split_a-bb.wasm"),
            ]),
        )
        .unwrap();
        assert!(loader.starts_with("async function fetch(url) {}\nimport { initSync }"));
        assert!(loader.contains(r#"fetch(new URL("./chunk_1-aa.wasm", import.meta.url))"#));
        assert!(loader.contains(r#"fetch(new URL("./split_a-bb.wasm", import.meta.url))"#));
        assert!(!loader.contains("\"./chunk_1.wasm\""));
    }

    #[test]
    fn a_part_the_loader_does_not_name_stops_the_build() {
        let error = loader(
            GENERATED,
            "",
            &renames(&[("chunk_2.wasm", "chunk_2-aa.wasm")]),
        )
        .unwrap_err();
        assert!(
            error.to_string().contains("\"./chunk_2.wasm\" 0 times"),
            "{error}"
        );
        let twice = format!("{GENERATED}// \"./chunk_1.wasm\"\n");
        assert!(loader(&twice, "", &renames(&[("chunk_1.wasm", "chunk_1-aa.wasm")])).is_err());
    }

    #[test]
    fn a_loader_that_fetches_otherwise_stops_the_build() {
        let other = GENERATED.replace("fetch(new URL(", "load(new URL(");
        assert!(loader(&other, "", &renames(&[("chunk_1.wasm", "chunk_1-aa.wasm")])).is_err());
    }

    #[test]
    fn the_entry_preloads_and_starts_the_app_through_boot_js() {
        let html = entry_html(&Entry {
            public_url: "/",
            js: "lantern-01.js",
            js_integrity: "sha384-J",
            wasm: "lantern-01_bg.wasm",
            wasm_integrity: "sha384-W",
            loader: Some("__wasm_split.js"),
        });
        assert!(html.contains(
            r#"<link rel="modulepreload" href="/lantern-01.js" crossorigin="anonymous" integrity="sha384-J">"#
        ));
        assert!(html.contains(
            r#"href="/lantern-01_bg.wasm" crossorigin="anonymous" integrity="sha384-W" as="fetch""#
        ));
        assert!(html.contains(r#"<link rel="modulepreload" href="/__wasm_split.js">"#));
        assert!(html.contains(
            r#"<script type="module" src="/boot.js" data-js="/lantern-01.js" data-wasm="/lantern-01_bg.wasm"></script>"#
        ));
        assert!(
            !html.contains("<script>"),
            "no inline script: the CSP forbids them"
        );
    }
}
