//! The signed-in person's own account (`/account`): changing her password, and the browsers she
//! is signed in with.

mod password_change;
mod session_list;
mod sign_out_everywhere;

pub use password_change::PasswordChange;
pub use session_list::{HEADING_ID as SESSIONS_HEADING_ID, SessionList};
pub use sign_out_everywhere::SignOutEverywhere;
