//! Reading a request's JSON body. A body of the wrong shape (`{"rating": "5"}`) is answered
//! like any invalid request: which field, and what it must hold, in words. serde's own message
//! ("invalid type: string \"5\", expected u8 at line 1 column 13") names Rust types, which the
//! API's clients never wrote.

use serde::de::DeserializeOwned;
use serde_path_to_error::{Path, Segment};

use crate::field_errors::FieldErrors;

/// Why a request body could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyError {
    /// Not JSON, or cut off: nothing to tie to a field.
    Syntax(String),
    /// JSON with fields of the wrong type or missing.
    Fields(FieldErrors),
    /// JSON of the wrong type as a whole (a list where an object belongs).
    Whole(String),
}

/// `body` as a `T`, or what is wrong with it.
pub fn from_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, BodyError> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let path = error.path().clone();
        body_error(&path, &error.into_inner())
    })?;
    deserializer.end().map_err(|error| syntax(&error))?;
    Ok(value)
}

fn syntax(error: &serde_json::Error) -> BodyError {
    BodyError::Syntax(format!("The body is not valid JSON ({error})."))
}

fn body_error(path: &Path, error: &serde_json::Error) -> BodyError {
    if !error.is_data() {
        return syntax(error);
    }
    // serde_json appends the position, which a field's name makes unnecessary.
    let text = error.to_string();
    let position = format!(" at line {} column {}", error.line(), error.column());
    let text = text.strip_suffix(&position).unwrap_or(&text);
    let field = field_name(path);
    if let Some(missing) = between_backticks(text.strip_prefix("missing field ")) {
        let field = join(&field, missing);
        return BodyError::Fields(FieldErrors::one(&field, "This field is required."));
    }
    let problem = problem(text);
    if field.is_empty() {
        BodyError::Whole(format!("The body {problem}"))
    } else {
        let mut message = problem;
        if let Some(first) = message.get(..1) {
            message.replace_range(..1, &first.to_uppercase());
        }
        BodyError::Fields(FieldErrors::one(&field, message))
    }
}

/// The field as the API names it: `contact.email`, `attachments[0].id`.
fn field_name(path: &Path) -> String {
    let mut name = String::new();
    for segment in path {
        match segment {
            Segment::Map { key } => name = join(&name, key),
            Segment::Seq { index } => name.push_str(&format!("[{index}]")),
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    name
}

fn join(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_owned()
    } else {
        format!("{parent}.{key}")
    }
}

fn between_backticks(text: Option<&str>) -> Option<&str> {
    text?.strip_prefix('`')?.split('`').next()
}

/// What is wrong, as the end of a sentence about the field: "must be text, not a number."
fn problem(text: &str) -> String {
    if let Some(rest) = text.strip_prefix("invalid type: ")
        && let Some((got, expected)) = rest.split_once(", expected ")
    {
        return format!(
            "must be {}, not {}.",
            expected_words(expected),
            kind_words(got)
        );
    }
    if let Some(rest) = text.strip_prefix("invalid value: ")
        && let Some((got, expected)) = rest.split_once(", expected ")
    {
        return format!(
            "must be {}, not {}.",
            expected_words(expected),
            value_words(got)
        );
    }
    // serde reads an object from a list of its values too, so a list is "too short" for it.
    if let Some(rest) = text.strip_prefix("invalid length ")
        && let Some((_, expected)) = rest.split_once(", expected ")
    {
        return if expected.starts_with("struct ") {
            "must be an object, not a list.".to_owned()
        } else {
            "has the wrong number of items.".to_owned()
        };
    }
    if let Some(rest) = text.strip_prefix("unknown variant ")
        && let Some((got, expected)) = rest.split_once(", expected ")
    {
        let choices: Vec<String> = expected
            .split('`')
            .skip(1)
            .step_by(2)
            .map(|choice| format!("\u{201c}{choice}\u{201d}"))
            .collect();
        let sent = got.trim_matches('`');
        return format!(
            "must be one of {}, not \u{201c}{sent}\u{201d}.",
            choices.join(", ")
        );
    }
    "has a value that is not valid here.".to_owned()
}

/// serde's expectation ("u8", "a string", "struct TicketDraft") in a client's words.
fn expected_words(expected: &str) -> String {
    let words = match expected {
        "u8" => "a whole number from 0 to 255",
        "u16" => "a whole number from 0 to 65535",
        "u32" => "a whole number from 0 to 4294967295",
        "u64" | "u128" | "usize" => "a whole number of 0 or more",
        "i8" | "i16" | "i32" | "i64" | "i128" | "isize" => "a whole number",
        "f32" | "f64" => "a number",
        "a string" | "a borrowed string" | "a character" | "a char" => "text",
        "a boolean" => "true or false",
        "a sequence" => "a list",
        "a map" => "an object",
        "unit" => "null",
        _ if expected.starts_with("struct ") => "an object",
        _ if expected.starts_with("a tuple") || expected.starts_with("tuple") => "a list",
        _ if expected.starts_with("enum ") || expected.contains("variant") => {
            "one of the values this field takes"
        }
        // An expectation a type words itself ("a formatted date and time string").
        _ if expected.starts_with("a ") || expected.starts_with("an ") => expected,
        _ => "a value of another kind",
    };
    words.to_owned()
}

/// The kind of value sent, from serde's description of it (`string "5"`, `integer \`5\``).
fn kind_words(got: &str) -> &'static str {
    match got.split([' ', '`']).next().unwrap_or_default() {
        "string" | "character" => "text",
        "integer" => "a number",
        "floating" => "a number with decimals",
        "boolean" => "true or false",
        "sequence" => "a list",
        "map" => "an object",
        "unit" | "null" => "null",
        _ => "this value",
    }
}

/// The value sent, from serde's description of it: `integer \`300\`` is 300.
fn value_words(got: &str) -> String {
    if let Some(value) = got.split('`').nth(1) {
        return value.to_owned();
    }
    match got.split_once(' ') {
        Some(("string", quoted)) => {
            format!("\u{201c}{}\u{201d}", quoted.trim_matches('"'))
        }
        _ => kind_words(got).to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Deserialize;

    use super::*;

    // The fields are only written, by serde.
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Survey {
        rating: u8,
        #[serde(default)]
        comment: String,
        #[serde(default)]
        contact: Option<Contact>,
        #[serde(default)]
        files: Vec<File>,
        #[serde(default)]
        kind: Option<Kind>,
        #[serde(default)]
        extra: BTreeMap<String, bool>,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Contact {
        email: String,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct File {
        id: String,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum Kind {
        Log,
        Screenshot,
    }

    fn fields(body: &str) -> FieldErrors {
        match from_json::<Survey>(body.as_bytes()) {
            Err(BodyError::Fields(fields)) => fields,
            other => panic!("expected field errors for {body}, got {other:?}"),
        }
    }

    #[test]
    fn a_wrong_type_names_the_field_in_words() {
        let errors = fields(r#"{"rating":"5"}"#);
        assert_eq!(
            errors.get("rating"),
            Some("Must be a whole number from 0 to 255, not text.")
        );
        assert_eq!(
            fields(r#"{"rating":5,"comment":42}"#).get("comment"),
            Some("Must be text, not a number.")
        );
        assert_eq!(
            fields(r#"{"rating":5,"comment":null}"#).get("comment"),
            Some("Must be text, not null.")
        );
        assert_eq!(
            fields(r#"{"rating":5,"files":{}}"#).get("files"),
            Some("Must be a list, not an object.")
        );
    }

    #[test]
    fn nested_fields_are_named_by_their_path() {
        assert_eq!(
            fields(r#"{"rating":5,"contact":{"email":true}}"#).get("contact.email"),
            Some("Must be text, not true or false.")
        );
        assert_eq!(
            fields(r#"{"rating":5,"files":[{"id":"a"},{"id":[]}]}"#).get("files[1].id"),
            Some("Must be text, not a list.")
        );
        assert_eq!(
            fields(r#"{"rating":5,"contact":{}}"#).get("contact.email"),
            Some("This field is required.")
        );
        assert_eq!(
            fields(r#"{"rating":5,"extra":{"x":1}}"#).get("extra.x"),
            Some("Must be true or false, not a number.")
        );
    }

    #[test]
    fn values_out_of_range_or_not_offered_are_quoted() {
        assert_eq!(
            fields(r#"{"rating":300}"#).get("rating"),
            Some("Must be a whole number from 0 to 255, not 300.")
        );
        assert_eq!(
            fields(r#"{"rating":-1}"#).get("rating"),
            Some("Must be a whole number from 0 to 255, not -1.")
        );
        assert_eq!(
            fields(r#"{"rating":5,"kind":"video"}"#).get("kind"),
            Some(
                "Must be one of \u{201c}log\u{201d}, \u{201c}screenshot\u{201d}, not \u{201c}video\u{201d}."
            )
        );
        assert_eq!(fields("{}").get("rating"), Some("This field is required."));
    }

    #[test]
    fn no_message_names_a_rust_type_or_a_position() {
        for body in [r#"{"rating":"5"}"#, r#"{"rating":1.5}"#, "[]", r#""text""#] {
            let message = match from_json::<Survey>(body.as_bytes()) {
                Err(BodyError::Fields(fields)) => {
                    fields.iter().map(|(_, m)| m.to_owned()).collect()
                }
                Err(BodyError::Whole(message)) => message,
                other => panic!("{body}: {other:?}"),
            };
            for rust in ["u8", "struct", "Survey", "line 1", "column"] {
                assert!(!message.contains(rust), "{body}: {message}");
            }
        }
    }

    #[test]
    fn a_body_of_the_wrong_type_or_no_json_says_so() {
        assert_eq!(
            from_json::<Survey>(b"[]").unwrap_err(),
            BodyError::Whole("The body must be an object, not a list.".to_owned())
        );
        let Err(BodyError::Syntax(message)) = from_json::<Survey>(br#"{"rating":"#) else {
            panic!("a cut-off body is a syntax error");
        };
        assert!(
            message.starts_with("The body is not valid JSON ("),
            "{message}"
        );
        assert!(matches!(
            from_json::<Survey>(br#"{"rating":5} x"#),
            Err(BodyError::Syntax(_))
        ));
        assert_eq!(from_json::<Survey>(br#"{"rating":5}"#).unwrap().rating, 5);
    }
}
