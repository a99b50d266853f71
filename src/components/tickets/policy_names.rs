use std::collections::BTreeMap;
use std::sync::Arc;

use lantern_core::policy::{PolicyView, TicketField};
use leptos::prelude::*;

use crate::support_policy::use_support_policy;

/// The policy's names for ids (products, components, severities, case types, support levels)
/// and its labels of ticket fields, so the ticket page says what the wizard said. Until the
/// policy arrives (or if it cannot be loaded) the ids and the built-in labels stand in.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PolicyNames {
    pub products: Vec<(String, String)>,
    /// `(product id, component id)` -> the component's name.
    pub components: BTreeMap<(String, String), String>,
    /// Highest severity first.
    pub severities: Vec<(String, String)>,
    pub case_types: Vec<(String, String)>,
    /// Lowest level first: id, name and what the level does.
    pub support_levels: Vec<SupportLevelName>,
    /// The policy's own wording of field labels.
    pub field_labels: BTreeMap<TicketField, String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupportLevelName {
    pub id: String,
    pub name: String,
    pub description: String,
}

impl PolicyNames {
    pub fn from_policy(view: &PolicyView) -> Self {
        let policy = &view.policy;
        Self {
            products: policy
                .products
                .iter()
                .map(|product| (product.id.clone(), product.name.clone()))
                .collect(),
            components: policy
                .products
                .iter()
                .flat_map(|product| {
                    product.components.iter().map(|component| {
                        (
                            (product.id.clone(), component.id.clone()),
                            component.name.clone(),
                        )
                    })
                })
                .collect(),
            support_levels: policy
                .support_levels
                .iter()
                .map(|level| SupportLevelName {
                    id: level.id.clone(),
                    name: level.name.clone(),
                    description: level.description.clone(),
                })
                .collect(),
            field_labels: policy
                .fields
                .iter()
                .map(|(field, text)| (*field, text.label.clone()))
                .collect(),
            severities: policy
                .severities
                .iter()
                .map(|severity| (severity.id.clone(), severity.name.clone()))
                .collect(),
            case_types: policy
                .case_types
                .iter()
                .map(|case_type| (case_type.id.clone(), case_type.name.clone()))
                .collect(),
        }
    }

    pub fn product(&self, id: &str) -> String {
        name_of(&self.products, id)
    }

    pub fn severity(&self, id: &str) -> String {
        name_of(&self.severities, id)
    }

    pub fn case_type(&self, id: &str) -> String {
        name_of(&self.case_types, id)
    }

    pub fn component(&self, product: &str, id: &str) -> String {
        self.components
            .get(&(product.to_owned(), id.to_owned()))
            .cloned()
            .unwrap_or_else(|| id.to_owned())
    }

    /// The field's label as the wizard shows it (`Policy::field_text`'s rule).
    pub fn label(&self, field: TicketField) -> String {
        self.field_labels
            .get(&field)
            .cloned()
            .unwrap_or_else(|| field.default_label().to_owned())
    }

    pub fn support_level(&self, id: &str) -> Option<&SupportLevelName> {
        self.support_levels.iter().find(|level| level.id == id)
    }

    /// "Level 2" as the policy names it; "support level L2" for a level it does not know.
    pub fn support_level_name(&self, id: &str) -> String {
        self.support_level(id).map_or_else(
            || format!("support level {}", id.to_uppercase()),
            |level| level.name.clone(),
        )
    }

    /// Whether `id` is above the policy's first support level: only then does the level tell
    /// the customer something (the ticket went to specialists).
    pub fn is_raised_support_level(&self, id: &str) -> bool {
        self.support_levels
            .iter()
            .position(|level| level.id == id)
            .is_some_and(|rank| rank > 0)
    }
}

fn name_of(names: &[(String, String)], id: &str) -> String {
    names
        .iter()
        .find(|(known, _)| known == id)
        .map_or_else(|| id.to_owned(), |(_, name)| name.clone())
}

/// The policy's names, for the page being built.
pub fn use_policy_names() -> Signal<PolicyNames> {
    names_of(use_policy())
}

/// The policy for the page being built; `None` until it arrives (or if it cannot be loaded).
pub fn use_policy() -> Signal<Option<Arc<PolicyView>>> {
    let policy = use_support_policy();
    Signal::derive(move || policy.get().and_then(Result::ok))
}

/// The names of a page's policy, for pages that also use the policy itself.
pub fn names_of(policy: Signal<Option<Arc<PolicyView>>>) -> Signal<PolicyNames> {
    Signal::derive(move || {
        policy.with(|policy| {
            policy
                .as_deref()
                .map(PolicyNames::from_policy)
                .unwrap_or_default()
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo_policy::demo_policy;

    #[test]
    fn unknown_ids_stand_for_themselves() {
        let names = PolicyNames {
            products: vec![("harbor".into(), "Harbor Backup".into())],
            severities: vec![("critical".into(), "Critical".into())],
            ..PolicyNames::default()
        };
        assert_eq!(names.product("harbor"), "Harbor Backup");
        assert_eq!(names.severity("critical"), "Critical");
        assert_eq!(names.product("retired-product"), "retired-product");
        assert_eq!(names.component("harbor", "agent"), "agent");
        assert_eq!(names.label(TicketField::ComputerId), "Computer ID");
    }

    #[test]
    fn names_and_labels_come_from_the_policy() {
        let policy = demo_policy();
        let names = PolicyNames::from_policy(&PolicyView {
            policy: policy.public_view(),
            generated_at: chrono::DateTime::UNIX_EPOCH,
            plan_hours: Vec::new(),
        });
        assert_eq!(names.component("harbor-backup", "agent"), "Backup agent");
        assert_eq!(names.label(TicketField::ComputerId), "Computer");
        assert_eq!(names.label(TicketField::CaseType), "Case type");
        assert!(!names.is_raised_support_level("l1"));
        assert!(names.is_raised_support_level("l2"));
    }
}
