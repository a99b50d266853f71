use lantern_core::policy::TicketField;
use leptos::prelude::*;

use super::policy_field::PolicyField;
use super::similar_ticket_hint::SimilarTicketHint;
use super::suggested_articles::{SolvedBy, SuggestedArticles};
use super::wizard_state::Wizard;

/// Step 2: subject and description (plus steps, expected and actual result when the case type
/// asks), with articles that may already answer it beside the form.
#[component]
pub fn DescribeStep(wizard: Wizard, on_solved: Callback<SolvedBy>) -> impl IntoView {
    view! {
        <div class="wizard-describe">
            <div class="wizard-describe-form">
                <PolicyField wizard field=TicketField::Subject every_ticket=true/>
                <SimilarTicketHint wizard/>
                <PolicyField wizard field=TicketField::Description multiline=true every_ticket=true/>
                <PolicyField wizard field=TicketField::StepsToReproduce multiline=true/>
                <PolicyField wizard field=TicketField::ExpectedResult multiline=true/>
                <PolicyField wizard field=TicketField::ActualResult multiline=true/>
            </div>
            <SuggestedArticles draft=wizard.draft on_solved/>
        </div>
    }
}
