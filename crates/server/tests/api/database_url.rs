//! `LANTERN_DATABASE_URL` through the real binary: a URL the server cannot serve stops it at
//! start, naming the key, and never leaves a SQLite file behind in its place. (The API suite
//! runs the server on PostgreSQL with `LANTERN_TEST_BACKEND=postgres`.)

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const EXIT_TIMEOUT: Duration = Duration::from_secs(30);

/// `lantern-server serve` in `dir` with `url`; its output once it has exited. A server that is
/// still running after [`EXIT_TIMEOUT`] has accepted the URL, which fails the test.
fn serve_with(dir: &Path, url: &str) -> Output {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut child = Command::new(env!("CARGO_BIN_EXE_lantern-server"))
        .arg("serve")
        .current_dir(dir)
        .env_remove("LANTERN_CONFIG")
        .env("LANTERN_ADDR", "127.0.0.1:0")
        .env("LANTERN_DATABASE_URL", url)
        .env("LANTERN_POLICY", repo.join("policies/default.toml"))
        .env("LANTERN_CONTENT", dir.join("no-articles"))
        .env("LANTERN_ATTACHMENTS", dir.join("attachments"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the server binary starts");
    let started = Instant::now();
    while child
        .try_wait()
        .expect("the server can be waited for")
        .is_none()
    {
        if started.elapsed() > EXIT_TIMEOUT {
            child.kill().ok();
            panic!("the server accepted LANTERN_DATABASE_URL={url} and kept running");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().expect("the server's output")
}

fn files_in(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .expect("the working folder is readable")
        .map(|entry| entry.expect("a folder entry").path())
        .collect()
}

#[test]
fn an_unreachable_postgres_url_stops_the_server_naming_the_key_but_not_the_password() {
    for url in [
        "postgres://lantern:s3cret@127.0.0.1:1/lantern",
        "postgresql://lantern@127.0.0.1:1/lantern",
    ] {
        let dir = tempfile::tempdir().unwrap();
        let output = serve_with(dir.path(), url);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "{url}: {stderr}");
        assert!(stderr.contains("LANTERN_DATABASE_URL"), "{stderr}");
        assert!(
            stderr.contains("cannot open the PostgreSQL database"),
            "{stderr}"
        );
        assert!(
            !stderr.contains("s3cret"),
            "the password was printed: {stderr}"
        );
        assert_eq!(files_in(dir.path()), Vec::<PathBuf>::new(), "{url}");
    }
}

#[test]
fn a_url_of_another_kind_stops_the_server_naming_the_key() {
    for url in ["mysql://root@127.0.0.1/lantern", "data/lantern.db"] {
        let dir = tempfile::tempdir().unwrap();
        let output = serve_with(dir.path(), url);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "{url}: {stderr}");
        assert!(
            stderr.contains("invalid configuration: LANTERN_DATABASE_URL"),
            "{stderr}"
        );
        assert!(
            stderr.contains("sqlite:") && stderr.contains("postgres://"),
            "{stderr}"
        );
        assert_eq!(files_in(dir.path()), Vec::<PathBuf>::new(), "{url}");
    }
}
