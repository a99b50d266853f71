//! Pieces of the /support page, each showing one part of the vendor's support policy. Nothing
//! here is vendor-specific: everything shown comes from the policy the server sends.

mod contact_channels;
pub mod local_time;
mod opening_hours;
mod plan_table;
mod severity_list;

pub use contact_channels::ContactChannels;
pub use opening_hours::OpeningHours;
pub use plan_table::PlanTable;
pub use severity_list::SeverityList;
