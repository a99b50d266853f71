//! "My tickets" (`/tickets`) and one ticket's page (`/tickets/:number`): the list with its
//! filters, and the ticket's header, fields, timeline, reply form, resolution, survey and
//! escalation requests.

mod attachment_links;
pub mod clock;
mod defect_link;
mod escalation_draft;
mod escalation_form;
mod escalation_panel;
mod escalation_status;
mod failure_notice;
pub mod list_address;
mod next_update;
mod policy_names;
mod relative_time;
mod reply_form;
mod request_message;
mod resolution_actions;
mod response_missed_notice;
mod response_target;
mod satisfaction_survey;
mod scope_tabs;
mod status_badge;
mod ticket_fields;
mod ticket_filters;
mod ticket_header;
mod ticket_list;
mod ticket_state;
mod timeline;
mod waiting_notice;

pub use escalation_draft::EscalationDraft;
pub use escalation_panel::EscalationPanel;
pub use failure_notice::FailureNotice;
pub use policy_names::{names_of, use_policy, use_policy_names};
pub use relative_time::RelativeTime;
pub use reply_form::ReplyForm;
pub use resolution_actions::ResolutionActions;
pub use response_missed_notice::ResponseMissedNotice;
pub use satisfaction_survey::SatisfactionSurvey;
pub use scope_tabs::ScopeTabs;
pub use ticket_fields::TicketFields;
pub use ticket_filters::TicketFilters;
pub use ticket_header::TicketHeader;
pub use ticket_list::TicketList;
pub use ticket_state::{Phase, TicketState};
pub use timeline::Timeline;
