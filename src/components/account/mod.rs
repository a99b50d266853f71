//! The signed-in person's own account (`/account`): changing her password, the browsers she
//! is signed in with, and her data (downloading it, deleting the account).

mod account_deletion;
mod data_download;
mod password_change;
mod session_list;
mod sign_out_everywhere;

pub use account_deletion::AccountDeletion;
pub use data_download::DataDownload;
pub use password_change::PasswordChange;
pub use session_list::{HEADING_ID as SESSIONS_HEADING_ID, SessionList};
pub use sign_out_everywhere::SignOutEverywhere;
