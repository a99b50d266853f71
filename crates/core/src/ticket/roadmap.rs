//! Enhancement requests weighed against the product roadmap (Chevah, 003_d2e9eb320e9883b2.txt:
//! "If a feature request is obtained, check that it is included in the Product roadmap";
//! Aveksa, 002_52a8a4aae429609e.txt: a change request "for consideration in a future release").
//! Which case types are such requests is the policy's (`roadmap = true` on a case type).

use serde::{Deserialize, Serialize};

use crate::field_errors::FieldErrors;

pub const MAX_RELEASED_IN_LENGTH: usize = 40;
pub const MAX_ROADMAP_REASON_LENGTH: usize = 2_000;

/// Where an enhancement request stands on the roadmap.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoadmapState {
    UnderConsideration,
    /// Already on the roadmap.
    Planned,
    /// Released in the decision's `released_in` version.
    Released,
    /// Declined, with the decision's reason.
    Declined,
}

impl RoadmapState {
    pub const ALL: [RoadmapState; 4] = [
        RoadmapState::UnderConsideration,
        RoadmapState::Planned,
        RoadmapState::Released,
        RoadmapState::Declined,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RoadmapState::UnderConsideration => "under_consideration",
            RoadmapState::Planned => "planned",
            RoadmapState::Released => "released",
            RoadmapState::Declined => "declined",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|state| state.as_str() == text)
    }
}

/// An agent's decision on an enhancement request, as the customer sees it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoadmapDecision {
    pub state: RoadmapState,
    /// The version with the feature, when `state` is `released`.
    pub released_in: Option<String>,
    /// Why, when `state` is `declined` (optional otherwise).
    pub reason: Option<String>,
}

impl RoadmapDecision {
    /// "Under consideration", "Planned", "Released in 4.3", "Declined".
    pub fn state_text(&self) -> String {
        match (self.state, &self.released_in) {
            (RoadmapState::UnderConsideration, _) => "Under consideration".to_owned(),
            (RoadmapState::Planned, _) => "Planned".to_owned(),
            (RoadmapState::Released, Some(version)) => format!("Released in {version}"),
            (RoadmapState::Released, None) => "Released".to_owned(),
            (RoadmapState::Declined, _) => "Declined".to_owned(),
        }
    }
}

/// `PUT /api/v1/agent/tickets/{number}/roadmap`: an agent's decision on an enhancement request.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgentRoadmapDecision {
    pub state: RoadmapState,
    /// Required when `state` is `released`.
    #[serde(default)]
    pub released_in: Option<String>,
    /// Required when `state` is `declined`.
    #[serde(default)]
    pub reason: Option<String>,
}

/// `GET /api/v1/agent/roadmap`: which enhancement requests to list.
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoadmapQuery {
    /// Only requests in this state; `undecided` for those without a decision. All when absent.
    pub state: Option<RoadmapFilter>,
}

/// A state of [`RoadmapQuery`].
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoadmapFilter {
    Undecided,
    UnderConsideration,
    Planned,
    Released,
    Declined,
}

impl RoadmapFilter {
    /// The stored state it selects; `None` for requests without a decision.
    pub fn state(self) -> Option<RoadmapState> {
        match self {
            RoadmapFilter::Undecided => None,
            RoadmapFilter::UnderConsideration => Some(RoadmapState::UnderConsideration),
            RoadmapFilter::Planned => Some(RoadmapState::Planned),
            RoadmapFilter::Released => Some(RoadmapState::Released),
            RoadmapFilter::Declined => Some(RoadmapState::Declined),
        }
    }
}

/// An enhancement request in the vendor's list, from whichever organisation filed it, so the
/// same request from several customers shows side by side (sorted by product and subject).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoadmapRequest {
    pub number: String,
    pub subject: String,
    /// Product id of the policy.
    pub product: String,
    pub organisation_name: String,
    pub requester_name: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// `None` until support decides.
    pub decision: Option<RoadmapDecision>,
}

/// The decision the request makes, trimmed, or the errors by field (`released_in`, `reason`).
pub fn validate_roadmap_decision(
    request: &AgentRoadmapDecision,
) -> Result<RoadmapDecision, FieldErrors> {
    let mut errors = FieldErrors::new();
    let trimmed = |text: &Option<String>| {
        text.as_deref()
            .map(str::trim)
            .filter(|text| !text.is_empty())
            .map(str::to_owned)
    };
    let released_in = trimmed(&request.released_in);
    let reason = trimmed(&request.reason);
    match (request.state, &released_in) {
        (RoadmapState::Released, None) => {
            errors.add("released_in", "Name the version with the feature.");
        }
        (RoadmapState::Released, Some(version))
            if version.chars().count() > MAX_RELEASED_IN_LENGTH =>
        {
            errors.add(
                "released_in",
                format!("Use at most {MAX_RELEASED_IN_LENGTH} characters."),
            );
        }
        (RoadmapState::Released, Some(_)) => {}
        (_, Some(_)) => errors.add("released_in", "Only a released feature has a version."),
        (_, None) => {}
    }
    match &reason {
        None if request.state == RoadmapState::Declined => {
            errors.add("reason", "Tell the customer why the request is declined.");
        }
        Some(reason) if reason.chars().count() > MAX_ROADMAP_REASON_LENGTH => errors.add(
            "reason",
            format!("Use at most {MAX_ROADMAP_REASON_LENGTH} characters."),
        ),
        _ => {}
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(RoadmapDecision {
        state: request.state,
        released_in,
        reason,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decision(
        state: RoadmapState,
        released_in: Option<&str>,
        reason: Option<&str>,
    ) -> AgentRoadmapDecision {
        AgentRoadmapDecision {
            state,
            released_in: released_in.map(str::to_owned),
            reason: reason.map(str::to_owned),
        }
    }

    fn error_fields(request: &AgentRoadmapDecision) -> Vec<String> {
        validate_roadmap_decision(request)
            .err()
            .map(|errors| errors.fields().map(str::to_owned).collect())
            .unwrap_or_default()
    }

    #[test]
    fn each_state_reads_for_people() {
        let text = |request| {
            validate_roadmap_decision(&request)
                .map(|d| d.state_text())
                .ok()
        };
        let under = decision(RoadmapState::UnderConsideration, None, None);
        assert_eq!(text(under).as_deref(), Some("Under consideration"));
        let planned = decision(RoadmapState::Planned, None, Some("  "));
        assert_eq!(text(planned).as_deref(), Some("Planned"));
        let released = decision(RoadmapState::Released, Some(" 4.3 "), None);
        assert_eq!(text(released).as_deref(), Some("Released in 4.3"));
        let declined = decision(RoadmapState::Declined, None, Some("Out of scope."));
        assert_eq!(text(declined).as_deref(), Some("Declined"));
    }

    #[test]
    fn a_release_names_its_version_and_a_decline_its_reason() {
        let released = decision(RoadmapState::Released, None, None);
        assert_eq!(error_fields(&released), ["released_in"]);
        let planned = decision(RoadmapState::Planned, Some("4.3"), None);
        assert_eq!(error_fields(&planned), ["released_in"]);
        let declined = decision(RoadmapState::Declined, None, Some(" "));
        assert_eq!(error_fields(&declined), ["reason"]);
        let long = "v".repeat(MAX_RELEASED_IN_LENGTH + 1);
        let too_long = decision(RoadmapState::Released, Some(&long), None);
        assert_eq!(error_fields(&too_long), ["released_in"]);
    }

    #[test]
    fn states_are_stored_by_their_names() {
        for state in RoadmapState::ALL {
            assert_eq!(RoadmapState::parse(state.as_str()), Some(state));
        }
        assert_eq!(RoadmapState::parse("done"), None);
    }
}
