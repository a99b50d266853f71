//! OpenAPI schemas for the policy types whose JSON shape serde derives cannot describe: tables
//! keyed by id, durations and clock times written as text, and support hours.

use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::{PartialSchema, ToSchema};

use super::{ClockTime, Component, HoursText, Minutes, SupportHours};

fn text_schema(description: &str, example: &str) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some(description))
        .examples([example])
        .into()
}

/// A JSON object whose keys are ids, in the policy's order, with the items described inline.
/// `T`'s own references are registered by the endpoint's `Docs`.
pub(crate) fn keyed<T: ToSchema>() -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::Object)
        .description(Some(
            "Entries keyed by id, in the order of the policy file.",
        ))
        .additional_properties(Some(T::schema()))
        .into()
}

impl PartialSchema for Minutes {
    fn schema() -> RefOr<Schema> {
        text_schema(
            "A duration: minutes (m), hours (h) and days of 24 hours (d).",
            "1h30m",
        )
    }
}

impl ToSchema for Minutes {}

impl PartialSchema for ClockTime {
    fn schema() -> RefOr<Schema> {
        text_schema("A time of day, HH:MM; 24:00 closes a day.", "08:00")
    }
}

impl ToSchema for ClockTime {}

impl PartialSchema for Component {
    fn schema() -> RefOr<Schema> {
        text_schema("The component's display name.", "Backup agent")
    }
}

impl ToSchema for Component {}

/// Written as `{"around_the_clock": true}` or a time zone with periods and holidays.
impl PartialSchema for SupportHours {
    fn schema() -> RefOr<Schema> {
        HoursText::schema()
    }
}

impl ToSchema for SupportHours {
    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        HoursText::schemas(schemas);
    }
}
