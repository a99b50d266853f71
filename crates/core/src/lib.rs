//! What the Lantern app and server share. Pure Rust: no web, no database.
//!
//! One rule, one place: the ticket wizard and the server call the same validation
//! functions from here, and both speak the API types declared here.

pub mod accounts;
pub mod addresses;
pub mod api;
pub mod conversation;
pub mod dates;
pub mod escalation;
pub mod field_errors;
pub mod policy;
pub mod request_body;
pub mod search;
pub mod ticket;
