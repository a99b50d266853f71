use lantern_core::api::KbCategory;
use leptos::prelude::*;

use super::product_name;

/// Narrows the search to one product and one category. Shows the current choice and reports
/// changes; an empty string means "all".
#[component]
pub fn SearchFilterBar(
    #[prop(into)] products: Signal<Vec<String>>,
    /// With the number of their articles about the chosen product.
    #[prop(into)]
    categories: Signal<Vec<KbCategory>>,
    #[prop(into)] product: Signal<String>,
    #[prop(into)] category: Signal<String>,
    on_product: Callback<String>,
    on_category: Callback<String>,
) -> impl IntoView {
    let product_options = move || {
        products
            .get()
            .into_iter()
            .map(|id| {
                let name = product_name(&id);
                let selected = product.get() == id;
                view! { <option value=id selected=selected>{name}</option> }
            })
            .collect_view()
    };
    let category_options = move || {
        categories
            .get()
            .into_iter()
            // An empty category is no choice, unless it is the one chosen: the address may name it.
            .filter(|choice| choice.article_count > 0 || category.get() == choice.slug)
            .map(|KbCategory { slug, name, article_count }| {
                let selected = category.get() == slug;
                view! { <option value=slug selected=selected>{name}" ("{article_count}")"</option> }
            })
            .collect_view()
    };
    view! {
        <div class="kb-filters">
            <div class="kb-filter">
                <label for="kb-product">"Product"</label>
                <select
                    id="kb-product"
                    prop:value=move || product.get()
                    on:change=move |event| on_product.run(event_target_value(&event))
                >
                    <option value="">"All products"</option>
                    {product_options}
                </select>
            </div>
            <div class="kb-filter">
                <label for="kb-category">"Category"</label>
                <select
                    id="kb-category"
                    prop:value=move || category.get()
                    on:change=move |event| on_category.run(event_target_value(&event))
                >
                    <option value="">"All categories"</option>
                    {category_options}
                </select>
            </div>
        </div>
    }
}
