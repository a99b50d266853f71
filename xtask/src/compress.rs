//! `cargo xtask precompress`, Trunk's `post_build` hook: `<file>.br` and `<file>.gz` beside each
//! file of the built app, which tower-http's ServeDir serves to browsers that accept them.
//! Brotli at quality 11 and gzip at level 9 once at build time, where compressing every response
//! on the fly would use a fast, weaker level (the main WebAssembly module: 222 KB at quality 11
//! against 268 KB as the server compressed it). A file that would not shrink is left alone.

use anyhow::{Context, Result};
use std::io::Write;
use std::path::Path;

const COMPRESSIBLE: &[&str] = &["wasm", "js", "css", "svg", "html"];

pub fn precompress_dir(dir: &Path) -> Result<()> {
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        let compressible = path
            .extension()
            .and_then(|extension| extension.to_str())
            .is_some_and(|extension| COMPRESSIBLE.contains(&extension));
        if !compressible || !path.is_file() {
            continue;
        }
        let bytes = std::fs::read(&path)?;
        for (extension, compressed) in [("br", brotli(&bytes)?), ("gz", gzip(&bytes)?)] {
            if compressed.len() < bytes.len() {
                let mut name = path.file_name().expect("a file").to_os_string();
                name.push(format!(".{extension}"));
                std::fs::write(path.with_file_name(name), compressed)?;
            }
        }
    }
    Ok(())
}

fn brotli(bytes: &[u8]) -> Result<Vec<u8>> {
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        size_hint: bytes.len(),
        ..Default::default()
    };
    let mut out = Vec::new();
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params)?;
    Ok(out)
}

fn gzip(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes)?;
    Ok(encoder.finish()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn compressible_files_get_brotli_and_gzip_beside_them_that_decode_to_them() {
        let dir = std::env::temp_dir().join(format!("xtask-precompress-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let text = "the same words again and again ".repeat(200);
        std::fs::write(dir.join("app.js"), &text).unwrap();
        std::fs::write(dir.join("tiny.css"), "a{}").unwrap();
        std::fs::write(dir.join("notes.txt"), &text).unwrap();
        precompress_dir(&dir).unwrap();

        let mut from_gzip = String::new();
        let gz = std::fs::read(dir.join("app.js.gz")).unwrap();
        flate2::read::GzDecoder::new(&gz[..])
            .read_to_string(&mut from_gzip)
            .unwrap();
        assert_eq!(from_gzip, text);
        let mut from_brotli = String::new();
        let br = std::fs::read(dir.join("app.js.br")).unwrap();
        brotli::Decompressor::new(&br[..], 4096)
            .read_to_string(&mut from_brotli)
            .unwrap();
        assert_eq!(from_brotli, text);

        assert!(!dir.join("tiny.css.gz").exists(), "3 bytes do not shrink");
        assert!(
            !dir.join("notes.txt.br").exists(),
            "not a file the server precompresses"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
