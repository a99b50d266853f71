//! A ticket linked to an engineering issue (Chevah, 003_d2e9eb320e9883b2.txt: "create a ticket
//! ... and notify the customer of the ticket ID so that they can follow up"). An agent links
//! the ticket to the issue's id, with its public address when there is one, and keeps its state
//! up to date; the customer sees both and finds their tickets by the id.

use serde::{Deserialize, Serialize};

use crate::field_errors::FieldErrors;

pub const MAX_DEFECT_ID_LENGTH: usize = 64;
pub const MAX_DEFECT_URL_LENGTH: usize = 500;
pub const MAX_FIXED_IN_LENGTH: usize = 40;

/// Where the engineering issue stands.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DefectState {
    Open,
    /// Fixed in the link's `fixed_in` version.
    Fixed,
    WontFix,
}

impl DefectState {
    pub fn as_str(self) -> &'static str {
        match self {
            DefectState::Open => "open",
            DefectState::Fixed => "fixed",
            DefectState::WontFix => "wont_fix",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [DefectState::Open, DefectState::Fixed, DefectState::WontFix]
            .into_iter()
            .find(|state| state.as_str() == text)
    }
}

/// The engineering issue a ticket is linked to, as the customer sees it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DefectLink {
    /// The issue's id in the vendor's tracker, e.g. `SFTPPLUS-1234`.
    pub id: String,
    /// Its public address, when the tracker is public (`http` or `https`).
    pub url: Option<String>,
    pub state: DefectState,
    /// The version with the fix, when `state` is `fixed`.
    pub fixed_in: Option<String>,
}

impl DefectLink {
    /// "Open", "Fixed in 3.4.1", "Won't fix".
    pub fn state_text(&self) -> String {
        match (self.state, &self.fixed_in) {
            (DefectState::Open, _) => "Open".to_owned(),
            (DefectState::Fixed, Some(version)) => format!("Fixed in {version}"),
            (DefectState::Fixed, None) => "Fixed".to_owned(),
            (DefectState::WontFix, _) => "Won't fix".to_owned(),
        }
    }
}

/// `PUT /api/v1/agent/tickets/{number}/defect`: link the ticket to an engineering issue, or
/// change the linked issue's state.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgentDefectLink {
    pub id: String,
    #[serde(default)]
    pub url: Option<String>,
    pub state: DefectState,
    /// Required when `state` is `fixed`.
    #[serde(default)]
    pub fixed_in: Option<String>,
    /// Shown to the customer with the change, e.g. why it will not be fixed.
    #[serde(default)]
    pub note: String,
}

/// The link the request makes, trimmed, or the errors by field (`id`, `url`, `fixed_in`).
pub fn validate_defect_link(request: &AgentDefectLink) -> Result<DefectLink, FieldErrors> {
    let mut errors = FieldErrors::new();
    let id = request.id.trim();
    if id.is_empty() {
        errors.add("id", "Give the engineering issue's id.");
    } else if id.chars().count() > MAX_DEFECT_ID_LENGTH {
        errors.add(
            "id",
            format!("Use at most {MAX_DEFECT_ID_LENGTH} characters."),
        );
    } else if id.chars().any(|c| c.is_whitespace() || c.is_control()) {
        errors.add("id", "An issue id has no spaces, e.g. SFTPPLUS-1234.");
    }
    let url = request
        .url
        .as_deref()
        .map(str::trim)
        .filter(|url| !url.is_empty());
    if let Some(problem) = url.and_then(web_address_problem) {
        errors.add("url", problem);
    }
    let fixed_in = request
        .fixed_in
        .as_deref()
        .map(str::trim)
        .filter(|version| !version.is_empty());
    match (request.state, fixed_in) {
        (DefectState::Fixed, None) => errors.add("fixed_in", "Name the version with the fix."),
        (DefectState::Fixed, Some(version)) if version.chars().count() > MAX_FIXED_IN_LENGTH => {
            errors.add(
                "fixed_in",
                format!("Use at most {MAX_FIXED_IN_LENGTH} characters."),
            );
        }
        (DefectState::Open | DefectState::WontFix, Some(_)) => {
            errors.add("fixed_in", "Only a fixed issue has a version with the fix.");
        }
        _ => {}
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(DefectLink {
        id: id.to_owned(),
        url: url.map(str::to_owned),
        state: request.state,
        fixed_in: fixed_in.map(str::to_owned),
    })
}

/// Why `url` cannot be a link the customer follows: only `http` and `https` addresses with a
/// host (never `javascript:`), without spaces.
fn web_address_problem(url: &str) -> Option<String> {
    if url.len() > MAX_DEFECT_URL_LENGTH {
        return Some(format!("Use at most {MAX_DEFECT_URL_LENGTH} characters."));
    }
    let lower = url.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"));
    let has_host = rest.is_some_and(|rest| rest.chars().next().is_some_and(|c| c != '/'));
    if !has_host || url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Some("Give a web address starting with https://.".to_owned());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(id: &str, state: DefectState, fixed_in: Option<&str>) -> AgentDefectLink {
        AgentDefectLink {
            id: id.to_owned(),
            url: None,
            state,
            fixed_in: fixed_in.map(str::to_owned),
            note: String::new(),
        }
    }

    fn errors_of(request: &AgentDefectLink) -> Vec<String> {
        validate_defect_link(request)
            .err()
            .map(|errors| errors.fields().map(str::to_owned).collect())
            .unwrap_or_default()
    }

    #[test]
    fn a_link_is_trimmed_and_its_state_reads_for_people() {
        let mut fixed = request("  SFTPPLUS-1234 ", DefectState::Fixed, Some(" 4.2.0 "));
        fixed.url = Some(" https://tracker.example/1234 ".to_owned());
        let link = validate_defect_link(&fixed).expect("a valid link");
        assert_eq!(link.id, "SFTPPLUS-1234");
        assert_eq!(link.url.as_deref(), Some("https://tracker.example/1234"));
        assert_eq!(link.state_text(), "Fixed in 4.2.0");
        let open = validate_defect_link(&request("#77", DefectState::Open, None));
        assert_eq!(
            open.map(|link| link.state_text()).ok().as_deref(),
            Some("Open")
        );
        let declined = validate_defect_link(&request("#78", DefectState::WontFix, Some(" ")));
        assert_eq!(
            declined.map(|link| link.state_text()).ok().as_deref(),
            Some("Won't fix")
        );
    }

    #[test]
    fn the_id_is_required_short_and_without_spaces() {
        assert_eq!(errors_of(&request(" ", DefectState::Open, None)), ["id"]);
        assert_eq!(
            errors_of(&request("BUG 12", DefectState::Open, None)),
            ["id"]
        );
        let long = "X".repeat(MAX_DEFECT_ID_LENGTH + 1);
        assert_eq!(errors_of(&request(&long, DefectState::Open, None)), ["id"]);
    }

    #[test]
    fn only_a_fixed_issue_names_its_version() {
        assert_eq!(
            errors_of(&request("B-1", DefectState::Fixed, None)),
            ["fixed_in"]
        );
        assert_eq!(
            errors_of(&request("B-1", DefectState::Open, Some("4.2"))),
            ["fixed_in"]
        );
    }

    #[test]
    fn only_web_addresses_with_a_host_are_links() {
        for url in [
            "javascript:alert(1)",
            "JAVASCRIPT://%0aalert(1)",
            "ftp://tracker.example/1",
            "https:///path",
            "https://tracker.example/a b",
            "tracker.example/1",
        ] {
            let mut link = request("B-1", DefectState::Open, None);
            link.url = Some(url.to_owned());
            assert_eq!(errors_of(&link), ["url"], "{url}");
        }
        let mut link = request("B-1", DefectState::Open, None);
        link.url = Some("HTTP://tracker.example/1".to_owned());
        assert!(validate_defect_link(&link).is_ok());
    }

    #[test]
    fn states_are_stored_by_their_names() {
        for state in [DefectState::Open, DefectState::Fixed, DefectState::WontFix] {
            assert_eq!(DefectState::parse(state.as_str()), Some(state));
        }
        assert_eq!(DefectState::parse("closed"), None);
    }
}
