//! Responses that the middleware and extractors around every handler can give, documented once
//! here instead of on each handler. A handler's own description of the same status wins.
//! - A state-changing method without `X-Requested-With: lantern` or a bearer token: 403
//!   `csrf_missing` ([`crate::web::require_csrf_header`]).
//! - A JSON request body ([`crate::extract::Json`]) that is not declared as JSON (415), is not
//!   valid JSON (400), has the wrong shape (422) or is too large (413).
//! - A path or query parameter ([`crate::extract::Path`], [`crate::extract::Query`]) that does
//!   not parse: 400.
//! - An answer that takes longer than the request (or upload) timeout: 408 `request_timeout`
//!   (`crate::api::routes`).

use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::schema::Ref;
use utoipa::openapi::{ContentBuilder, OpenApi, ResponseBuilder};

pub(crate) const CSRF: (&str, &str) = (
    "403",
    "`csrf_missing`: no `X-Requested-With: lantern` header and no bearer token",
);
const JSON_BODY: [(&str, &str); 4] = [
    ("400", "`bad_request`: the body is not valid JSON"),
    ("413", "`payload_too_large`: the body is larger than 1 MiB"),
    (
        "415",
        "`unsupported_media_type`: the body is not sent as `application/json`",
    ),
    (
        "422",
        "`validation_failed`: the JSON does not have the documented shape; `fields` names each \
         field of the wrong type or missing",
    ),
];
const TIMEOUT: (&str, &str) = (
    "408",
    "`request_timeout`: the answer took longer than the server allows",
);
const BAD_PARAMETER: (&str, &str) = (
    "400",
    "`bad_request`: a path or query parameter could not be read",
);

/// Adds the shared responses to every operation of `doc`.
pub fn document(doc: &mut OpenApi) {
    for item in doc.paths.paths.values_mut() {
        let operations = [
            (&mut item.get, false),
            (&mut item.head, false),
            (&mut item.post, true),
            (&mut item.put, true),
            (&mut item.patch, true),
            (&mut item.delete, true),
        ];
        for (operation, changes_state) in operations {
            if let Some(operation) = operation {
                for (status, description) in shared_responses(operation, changes_state) {
                    add_error_response(operation, status, description);
                }
            }
        }
    }
}

fn shared_responses(
    operation: &Operation,
    changes_state: bool,
) -> Vec<(&'static str, &'static str)> {
    let mut responses = vec![TIMEOUT];
    if changes_state {
        responses.push(CSRF);
    }
    if has_json_body(operation) {
        responses.extend(JSON_BODY);
    }
    if has_parameters_in(operation, &[ParameterIn::Path, ParameterIn::Query]) {
        responses.push(BAD_PARAMETER);
    }
    responses
}

fn has_json_body(operation: &Operation) -> bool {
    operation
        .request_body
        .as_ref()
        .is_some_and(|body| body.content.contains_key("application/json"))
}

fn has_parameters_in(operation: &Operation, places: &[ParameterIn]) -> bool {
    operation
        .parameters
        .iter()
        .flatten()
        .any(|parameter| places.contains(&parameter.parameter_in))
}

/// Documents `status` with the one error body, unless the operation already documents it.
fn add_error_response(operation: &mut Operation, status: &str, description: &str) {
    operation
        .responses
        .responses
        .entry(status.to_owned())
        .or_insert_with(|| {
            ResponseBuilder::new()
                .description(description)
                .content(
                    "application/json",
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name("ErrorBody")))
                        .build(),
                )
                .build()
                .into()
        });
}
