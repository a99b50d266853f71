//! The tests that run `lantern-server` itself as a process under load (a SIGKILL mid-load, two
//! servers behind nginx, a backup while tickets are filed, admin commands): a binary apart from the API tests
//! so their load does not share a process with the in-process router tests.

#[path = "../common/mod.rs"]
mod common;

mod admin_commands;
mod backups;
mod crash_safety;
mod several_servers;
