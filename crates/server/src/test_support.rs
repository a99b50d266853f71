//! Building a real app on a temporary SQLite file, for the API tests of every module.
//!
//! ```ignore
//! let dir = tempfile::tempdir()?;
//! let clock = Arc::new(ManualClock::new(start));
//! let state = lantern_server::test_support::state_in(dir.path(), clock).await?;
//! let app = lantern_server::router(state.clone());
//! ```

use std::path::Path;
use std::sync::Arc;

use crate::clock::Clock;
use crate::config::Config;
use crate::policy_file;
use crate::state::AppState;

/// A configuration whose database and built app live in `dir` (the app folder `dir/dist` is
/// not created; tests that need it write their own files there).
pub fn config_in(dir: &Path) -> Config {
    let database = dir.join("lantern.db");
    let dist = dir.join("dist");
    let attachments = dir.join("attachments");
    let policy = policy_file::default_path();
    let lookup = |name: &str| match name {
        "LANTERN_DATABASE_URL" => Some(format!("sqlite://{}", database.display())),
        "LANTERN_DIST" => Some(dist.display().to_string()),
        "LANTERN_POLICY" => Some(policy.display().to_string()),
        "LANTERN_ATTACHMENTS" => Some(attachments.display().to_string()),
        _ => None,
    };
    match Config::load(None, lookup) {
        Ok(config) => config,
        Err(error) => panic!("the test configuration is invalid: {error}"),
    }
}

/// A ready state (migrated database) in `dir`.
pub async fn state_in(dir: &Path, clock: Arc<dyn Clock>) -> anyhow::Result<AppState> {
    AppState::build(config_in(dir), clock).await
}
