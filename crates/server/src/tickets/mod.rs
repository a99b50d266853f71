//! The ticket domain, one floor a file, each using only the floors below it:
//!
//! - `detail`: a ticket as the customer or the agent reads it (top floor);
//! - `lifecycle`: the policy's automatic closing;
//! - `escalation`: a customer's request for more attention, an agent's answer;
//! - `agent_actions`, `customer_actions`: what each side does with a ticket;
//! - `changes`: the conditional updates the actions share (status, support level);
//! - `updates`: when support's next update to the customer is due (the update cadence);
//! - `filing`: a new ticket;
//! - `list`: the ticket lists and their cursors;
//! - `access`: who may see a ticket, whose files may go on one;
//! - `events`: who did what, stored as one timeline event, and the mail about it (bottom).
//!
//! Each change is one transaction holding its conditional update, its timeline entry and its
//! mail, so either all of it happened or none; internal notes never reach a customer's
//! response or mail. Queries are in `crate::db`, one module per table.

pub mod access;
pub mod agent_actions;
pub mod changes;
pub mod customer_actions;
pub mod detail;
pub mod escalation;
pub mod events;
pub mod filing;
pub mod lifecycle;
pub mod list;
pub mod updates;
