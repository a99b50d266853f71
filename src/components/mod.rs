pub mod error_message;
pub mod form;
pub mod header;
pub mod kb;
pub mod loading;
pub mod page_title;
pub mod support;
pub mod wizard;
