use std::sync::Arc;

use lantern_core::policy::PolicyView;
use leptos::prelude::*;

use crate::api;

/// The policy's names for product and severity ids, in the policy's order. Until the policy
/// arrives (or if it cannot be loaded) the ids stand in for the names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PolicyNames {
    pub products: Vec<(String, String)>,
    /// Highest severity first.
    pub severities: Vec<(String, String)>,
    pub case_types: Vec<(String, String)>,
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
}

fn name_of(names: &[(String, String)], id: &str) -> String {
    names
        .iter()
        .find(|(known, _)| known == id)
        .map_or_else(|| id.to_owned(), |(_, name)| name.clone())
}

/// Loads the policy once for the page and offers its names.
pub fn use_policy_names() -> Signal<PolicyNames> {
    names_of(use_policy())
}

/// Loads the policy once for the page; `None` until it arrives (or if it cannot be loaded).
pub fn use_policy() -> Signal<Option<Arc<PolicyView>>> {
    let policy = LocalResource::new(|| async { api::fetch_policy().await.map(Arc::new) });
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

    #[test]
    fn unknown_ids_stand_for_themselves() {
        let names = PolicyNames {
            products: vec![("harbor".into(), "Harbor Backup".into())],
            severities: vec![("critical".into(), "Critical".into())],
            case_types: Vec::new(),
        };
        assert_eq!(names.product("harbor"), "Harbor Backup");
        assert_eq!(names.severity("critical"), "Critical");
        assert_eq!(names.product("retired-product"), "retired-product");
    }
}
