//! A real SMTP server for the mail tests: aiosmtpd (`tests/support/smtp_sink.py`), writing each
//! message it accepts to a folder.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use lantern_server::test_support;

/// A Python with aiosmtpd; scripts/test.sh installs one into tools/venv and sets it.
pub const PYTHON_ENV: &str = "LANTERN_TEST_SMTP_PYTHON";

pub fn sink_python() -> Option<PathBuf> {
    test_support::test_resource(
        PYTHON_ENV,
        "the test against a real SMTP server is skipped",
        "scripts/test.sh installs aiosmtpd into tools/venv and sets it",
    )
    .map(PathBuf::from)
}

/// The SMTP server, killed when dropped.
pub struct Sink {
    process: Child,
}

impl Sink {
    pub fn start(python: &Path, port: u16, folder: &Path) -> Self {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/smtp_sink.py");
        let mut process = Command::new(python)
            .arg(script)
            .arg(port.to_string())
            .arg(folder)
            .stdout(Stdio::piped())
            .spawn()
            .expect("the SMTP sink starts");
        let stdout = process.stdout.take().expect("the sink's stdout");
        let mut line = String::new();
        // It prints "ready" once it listens, or exits (closing its stdout) when it cannot.
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("the sink's stdout is readable");
        assert_eq!(line.trim(), "ready", "the SMTP sink did not start");
        Self { process }
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

/// Each message the sink accepted, as (recipient, subject) with how often it came.
pub fn received(folder: &Path) -> BTreeMap<(String, String), usize> {
    let mut received = BTreeMap::new();
    for entry in std::fs::read_dir(folder).expect("the sink's folder") {
        let path = entry.expect("an entry").path();
        if path.extension().is_none_or(|extension| extension != "eml") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("a message");
        let header = |name: &str| {
            text.lines()
                .find_map(|line| line.strip_prefix(name))
                .map(str::trim)
                .unwrap_or_default()
                .to_owned()
        };
        *received
            .entry((header("To:"), header("Subject:")))
            .or_default() += 1;
    }
    received
}
