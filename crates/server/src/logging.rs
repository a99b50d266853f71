//! The log: plain text or JSON lines on standard error. Whatever a visitor typed can end up in
//! a field (a ticket subject in a logged mail, a cause of an error), so the text format escapes
//! control characters in every field and message: a newline or an ANSI escape in user text
//! never starts a line of its own or repaints a terminal. JSON escapes them by itself.

use std::fmt::{self, Write};

use tracing::Subscriber;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::field::RecordFields;
use tracing_subscriber::fmt::format::{DefaultFields, Writer};
use tracing_subscriber::fmt::{FormatFields, MakeWriter};

use crate::config::{Config, LogFormat};

/// The subscriber of the configured filter and format, writing to `writer`; `ansi` colours
/// the level and the like (for a terminal), never a field.
pub fn subscriber<W>(config: &Config, writer: W, ansi: bool) -> Box<dyn Subscriber + Send + Sync>
where
    W: for<'writer> MakeWriter<'writer> + Send + Sync + 'static,
{
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter(config))
        .with_writer(writer);
    match config.log_format {
        LogFormat::Json => Box::new(builder.json().finish()),
        LogFormat::Text => Box::new(
            builder
                .fmt_fields(EscapedFields::default())
                .with_ansi(ansi)
                .finish(),
        ),
    }
}

fn filter(config: &Config) -> EnvFilter {
    EnvFilter::try_new(&config.log).unwrap_or_else(|error| {
        eprintln!(
            "lantern-server: LANTERN_LOG {:?} is not a valid filter ({error}); using `info`",
            config.log
        );
        EnvFilter::new("info")
    })
}

/// tracing-subscriber's own field format with control characters escaped.
#[derive(Debug, Default)]
pub struct EscapedFields(DefaultFields);

impl<'writer> FormatFields<'writer> for EscapedFields {
    fn format_fields<R: RecordFields>(
        &self,
        mut writer: Writer<'writer>,
        fields: R,
    ) -> fmt::Result {
        let mut plain = String::new();
        self.0.format_fields(Writer::new(&mut plain), fields)?;
        write_escaped(&mut writer, &plain)
    }
}

/// Writes `text` with each character that could end or rewrite a line (C0 and C1 controls such
/// as newline, carriage return and ESC, and the Unicode line and paragraph separators) as its
/// Rust escape, e.g. `\n` or `\u{1b}`.
fn write_escaped(out: &mut impl Write, text: &str) -> fmt::Result {
    for c in text.chars() {
        if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') {
            write!(out, "{}", c.escape_default())?;
        } else {
            out.write_char(c)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn escaped(text: &str) -> String {
        let mut out = String::new();
        write_escaped(&mut out, text).unwrap();
        out
    }

    #[test]
    fn control_characters_are_escaped_and_other_text_kept() {
        assert_eq!(escaped("a\nb\r\tc"), "a\\nb\\r\\tc");
        assert_eq!(escaped("\u{1b}[31mred"), "\\u{1b}[31mred");
        assert_eq!(escaped("line\u{2028}sep"), "line\\u{2028}sep");
        assert_eq!(escaped("Zoë \"quoted\" ✓"), "Zoë \"quoted\" ✓");
    }
}
