//! [`FieldErrors`]: what is wrong with which field of a request. Every validator returns it, the
//! server answers it in the `fields` of its error body, and the app shows each message beside
//! its field.

use std::collections::BTreeMap;
use std::collections::btree_map;
use std::ops::Index;

use serde::{Deserialize, Serialize};

/// Messages a person reads, keyed by the request field's name (`subject`, `contact.email`).
/// One message per field: the first one added wins, since the first rule a value breaks is the
/// one to fix first. On the wire a plain JSON object.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct FieldErrors(BTreeMap<String, String>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    /// The error of one field.
    pub fn one(field: &str, message: impl Into<String>) -> Self {
        let mut errors = Self::new();
        errors.add(field, message);
        errors
    }

    /// Notes `message` for `field`, unless the field has one already.
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        if !self.0.contains_key(field) {
            self.0.insert(field.to_owned(), message.into());
        }
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.get(field).map(String::as_str)
    }

    pub fn contains(&self, field: &str) -> bool {
        self.0.contains_key(field)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// The names of the fields with an error, in order.
    pub fn fields(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }

    /// Each field with its message, in the fields' order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0
            .iter()
            .map(|(field, message)| (field.as_str(), message.as_str()))
    }

    /// Keeps the errors of the fields `keep` accepts.
    pub fn retain(&mut self, mut keep: impl FnMut(&str) -> bool) {
        self.0.retain(|field, _| keep(field));
    }
}

impl Index<&str> for FieldErrors {
    type Output = str;

    /// The message of `field`; panics when it has none, like a map's index.
    fn index(&self, field: &str) -> &str {
        &self.0[field]
    }
}

impl<F: Into<String>, M: Into<String>> FromIterator<(F, M)> for FieldErrors {
    fn from_iter<T: IntoIterator<Item = (F, M)>>(pairs: T) -> Self {
        let mut errors = Self::new();
        for (field, message) in pairs {
            errors.add(&field.into(), message);
        }
        errors
    }
}

impl IntoIterator for FieldErrors {
    type Item = (String, String);
    type IntoIter = btree_map::IntoIter<String, String>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a FieldErrors {
    type Item = (&'a String, &'a String);
    type IntoIter = btree_map::Iter<'a, String, String>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_message_of_a_field_wins() {
        let mut errors = FieldErrors::one("subject", "Give the ticket a subject.");
        errors.add("subject", "Keep the subject short.");
        errors.add("body", "Write a message.");
        assert_eq!(errors.get("subject"), Some("Give the ticket a subject."));
        assert_eq!(&errors["body"], "Write a message.");
        assert_eq!(errors.len(), 2);
        let collected: FieldErrors = [("a", "first"), ("a", "second")].into_iter().collect();
        assert_eq!(collected.get("a"), Some("first"));
    }

    #[test]
    fn fields_come_in_order_and_can_be_narrowed() {
        let mut errors: FieldErrors = [("subject", "x"), ("contact.email", "y"), ("cc", "z")]
            .into_iter()
            .collect();
        assert_eq!(
            errors.fields().collect::<Vec<_>>(),
            ["cc", "contact.email", "subject"]
        );
        errors.retain(|field| field.starts_with("contact."));
        assert!(errors.contains("contact.email") && !errors.contains("cc"));
        assert_eq!(errors.get("subject"), None);
        assert!(!errors.is_empty());
    }

    #[test]
    fn on_the_wire_it_is_a_plain_object() {
        let errors = FieldErrors::one("rating", "Choose a rating from 1 to 5.");
        let json = serde_json::to_string(&errors).unwrap();
        assert_eq!(json, r#"{"rating":"Choose a rating from 1 to 5."}"#);
        assert_eq!(serde_json::from_str::<FieldErrors>(&json).unwrap(), errors);
        assert!(
            serde_json::from_str::<FieldErrors>("{}")
                .unwrap()
                .is_empty()
        );
    }
}
