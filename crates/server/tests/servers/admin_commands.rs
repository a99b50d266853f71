//! `lantern-server admin` commands as a deploy script runs them.

use crate::common;

use common::servers::lantern_server;

#[test]
fn generating_articles_opens_no_database() {
    let data = tempfile::tempdir().expect("a temporary directory");
    let database = data.path().join("lantern.db");
    let out = data.path().join("kb");
    let output = lantern_server(data.path(), &format!("sqlite://{}", database.display()))
        .args(["admin", "generate-kb", "--count", "3", "--out"])
        .arg(&out)
        .output()
        .expect("the admin command runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let written = std::fs::read_dir(&out)
        .expect("the articles' folder")
        .count();
    assert_eq!(written, 3);
    assert!(!database.exists(), "no database was created");
}
