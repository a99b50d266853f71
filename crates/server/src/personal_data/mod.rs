//! The customer's own data (GDPR articles 15, 17 and 20; issue 20, point 4): everything Lantern
//! holds about a person as one download ([`export`]), and the deletion of her account, which
//! leaves her organisation's tickets with her name replaced ([`deletion`]). A layer above
//! `accounts`, `attachments` and `tickets`, whose functions it calls.

pub mod deletion;
pub mod export;

/// What a deleted person's name becomes wherever a ticket named her.
pub const DELETED_NAME: &str = "Deleted user";

/// The unroutable address (`.invalid`, RFC 2606) a deleted account and her tickets' contact
/// get instead of hers; one per account, as addresses are unique.
pub fn deleted_email(user_id: i64) -> String {
    format!("deleted-{user_id}@deleted.invalid")
}
