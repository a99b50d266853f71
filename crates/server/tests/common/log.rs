//! The server's log as it would write it, kept for a test to read: the configured subscriber
//! of `logging` at `info`, writing into a buffer, for as long as the capture lives (on the
//! test's thread, where the router's requests run).

use std::io::Write;
use std::sync::{Arc, Mutex};

use lantern_server::config::LogFormat;
use lantern_server::logging;
use tracing::subscriber::DefaultGuard;

use super::TestApp;

/// The log from [`capture`] on.
pub struct CapturedLog {
    buffer: Buffer,
    _default: DefaultGuard,
}

impl CapturedLog {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.buffer.0.lock().expect("the log buffer")).into_owned()
    }
}

/// Starts keeping `app`'s log in `format`.
pub fn capture(app: &TestApp, format: LogFormat) -> CapturedLog {
    let mut config = (*app.state.config).clone();
    config.log = "info".to_owned();
    config.log_format = format;
    let buffer = Buffer::default();
    let writer = buffer.clone();
    let subscriber = logging::subscriber(&config, move || writer.clone(), false);
    CapturedLog {
        buffer,
        _default: tracing::subscriber::set_default(subscriber),
    }
}

/// A log writer that keeps what it is given.
#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .expect("the log buffer")
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
