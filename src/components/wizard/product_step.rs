use lantern_core::policy::{PublicPolicy, TicketField};
use lantern_core::ticket::TicketDraftStoreFields;
use lantern_core::ticket::version_warning;
use leptos::prelude::*;

use super::wizard_state::{Ask, Wizard};
use crate::components::form::{Choice, ChoiceCards, RadioCard, Select};

/// Step 1: which product, component and version, and what kind of request.
#[component]
pub fn ProductStep(wizard: Wizard) -> impl IntoView {
    let draft = wizard.draft;
    forget_choices_of_other_products(wizard);
    let products = wizard.with_policy(|policy| {
        policy
            .products
            .iter()
            .map(|product| Choice::new(product.id.clone(), product.name.clone()))
            .collect::<Vec<_>>()
    });
    let components = Signal::derive(move || {
        let product = draft.product().get();
        wizard.with_policy(|policy| component_choices(policy, &product))
    });
    let versions = Signal::derive(move || {
        let product = draft.product().get();
        wizard.with_policy(|policy| version_choices(policy, &product))
    });
    let warning = move || {
        let draft = draft.get();
        wizard.with_policy(|policy| version_warning(policy, &draft))
    };
    let version_text = wizard.text_of(TicketField::Version);
    let component_text = wizard.text_of(TicketField::Component);
    view! {
        <Select
            label=wizard.text_of(TicketField::Product).label
            name="product"
            value=draft.product()
            choices=products
            placeholder="Choose a product"
            error=wizard.error("product")
            required=true
        />
        {move || {
            let text = component_text.clone();
            let required = wizard.asks_for(TicketField::Component) == Ask::Required;
            (!components.with(Vec::is_empty)).then(|| view! {
                <Select
                    label=text.label
                    name="component"
                    value=draft.component()
                    choices=components
                    placeholder="Not sure / the whole product"
                    help=text.help.unwrap_or_default()
                    error=wizard.error("component")
                    required
                />
            })
        }}
        {move || {
            let text = version_text.clone();
            let required = wizard.asks_for(TicketField::Version) == Ask::Required;
            view! {
                <Select
                    label=text.label
                    name="version"
                    value=draft.version()
                    choices=versions
                    placeholder="Choose a version"
                    help=text.help.unwrap_or_default()
                    error=wizard.error("version")
                    required
                />
            }
        }}
        {move || warning().map(|text| view! { <p class="notice notice-warning" role="status">{text}</p> })}
        <CaseTypeChoice wizard/>
    }
}

/// The case types as cards with their descriptions.
#[component]
fn CaseTypeChoice(wizard: Wizard) -> impl IntoView {
    let case_types = wizard.with_policy(|policy| policy.case_types.to_vec());
    let cards = case_types
        .into_iter()
        .map(|case_type| {
            view! {
                <RadioCard
                    name="case_type"
                    value=case_type.id
                    chosen=wizard.draft.case_type()
                    title=case_type.name
                >
                    <p>{case_type.description}</p>
                </RadioCard>
            }
        })
        .collect_view();
    view! {
        <ChoiceCards
            legend=wizard.text_of(TicketField::CaseType).label
            name="case_type"
            error=wizard.error("case_type")
            required=true
        >
            {cards}
        </ChoiceCards>
    }
}

/// Choosing another product clears a component or version the new product does not have.
fn forget_choices_of_other_products(wizard: Wizard) {
    let draft = wizard.draft;
    Effect::new(move |_| {
        let product_id = draft.product().get();
        let (component, version) = (
            draft.component().get_untracked(),
            draft.version().get_untracked(),
        );
        let (component_fits, version_fits) = wizard.with_policy(|policy| {
            policy
                .product(&product_id)
                .map_or((false, false), |product| {
                    (
                        product.components.get(&component).is_some(),
                        product.versions.contains(&version),
                    )
                })
        });
        if !component_fits && !component.is_empty() {
            draft.component().set(String::new());
        }
        if !version_fits && !version.is_empty() {
            draft.version().set(String::new());
        }
    });
}

fn component_choices(policy: &PublicPolicy, product_id: &str) -> Vec<Choice> {
    policy
        .product(product_id)
        .map(|product| {
            product
                .components
                .iter()
                .map(|component| Choice::new(component.id.clone(), component.name.clone()))
                .collect()
        })
        .unwrap_or_default()
}

/// Versions as listed, unsupported ones marked so the choice itself already says it.
fn version_choices(policy: &PublicPolicy, product_id: &str) -> Vec<Choice> {
    let Some(product) = policy.product(product_id) else {
        return Vec::new();
    };
    product
        .versions
        .iter()
        .map(|version| {
            let unsupported = policy.version_support(product_id, version)
                == Some(lantern_core::policy::VersionSupport::Unsupported);
            let label = if unsupported {
                format!("{version} (no longer supported)")
            } else {
                version.clone()
            };
            Choice::new(version.clone(), label)
        })
        .collect()
}
