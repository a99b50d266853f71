//! The API tests: every test file of the server that drives the real router in this process,
//! as one binary. Each test binary links the whole server and its dependencies (hundreds of
//! megabytes with debug information), so one binary instead of twenty keeps the build small
//! and fast; the modules keep the files apart (`cargo test --test api -- tickets::`).

#[path = "../common/mod.rs"]
mod common;

mod abuse;
mod account_hardening;
mod accounts;
mod agent_tokens;
mod connections;
mod database_url;
mod defects;
mod escalations;
mod foundation;
mod kb_api;
mod limits;
mod logging;
mod mail_outage;
mod my_tickets;
mod operations;
mod personal_data;
mod policy_api;
mod public_pages;
mod roadmap;
mod schema_parity;
mod search_analytics;
mod search_relevance;
mod tickets;
