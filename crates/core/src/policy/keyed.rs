//! An ordered collection written as a table keyed by id (`[plans.professional]`).
//!
//! The policy file names things by their key, and its order means something (severities go
//! from highest to lowest, plans appear side by side in the order written), so the entries
//! keep document order and each item learns its id from its key.

use std::fmt;
use std::marker::PhantomData;
use std::ops::Deref;

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer, de};

/// An item that is stored under its id.
pub trait Identified {
    fn id(&self) -> &str;
    fn set_id(&mut self, id: String);
}

/// Implements [`Identified`] for structs with a `pub id: String` field.
macro_rules! identified {
    ($($kind:ty),*) => {$(
        impl $crate::policy::keyed::Identified for $kind {
            fn id(&self) -> &str {
                &self.id
            }

            fn set_id(&mut self, id: String) {
                self.id = id;
            }
        }
    )*};
}
pub(crate) use identified;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keyed<T>(Vec<T>);

impl<T> Default for Keyed<T> {
    fn default() -> Self {
        Keyed(Vec::new())
    }
}

impl<T: Identified> Keyed<T> {
    pub fn get(&self, id: &str) -> Option<&T> {
        self.0.iter().find(|item| item.id() == id)
    }

    /// Where the item stands in document order (0 = first).
    pub fn position(&self, id: &str) -> Option<usize> {
        self.0.iter().position(|item| item.id() == id)
    }
}

impl<T> Deref for Keyed<T> {
    type Target = [T];

    fn deref(&self) -> &[T] {
        &self.0
    }
}

impl<T: Identified + Serialize> Serialize for Keyed<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for item in &self.0 {
            map.serialize_entry(item.id(), item)?;
        }
        map.end()
    }
}

impl<'de, T: Identified + Deserialize<'de>> Deserialize<'de> for Keyed<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(KeyedVisitor(PhantomData))
    }
}

struct KeyedVisitor<T>(PhantomData<T>);

impl<'de, T: Identified + Deserialize<'de>> Visitor<'de> for KeyedVisitor<T> {
    type Value = Keyed<T>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a table keyed by id")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Keyed<T>, A::Error> {
        let mut items: Vec<T> = Vec::new();
        while let Some(id) = map.next_key::<String>()? {
            if items.iter().any(|item| item.id() == id) {
                return Err(de::Error::custom(format!("duplicate id {id:?}")));
            }
            let mut item: T = map.next_value()?;
            item.set_id(id);
            items.push(item);
        }
        Ok(Keyed(items))
    }
}
