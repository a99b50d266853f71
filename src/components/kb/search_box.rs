use leptos::ev::KeyboardEvent;
use leptos::prelude::*;

/// The keys the search box hands to its page; everything else is typing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchKey {
    Down,
    Up,
    Enter,
    Escape,
}

impl SearchKey {
    fn of(event: &KeyboardEvent) -> Option<Self> {
        match event.key().as_str() {
            "ArrowDown" => Some(Self::Down),
            "ArrowUp" => Some(Self::Up),
            "Enter" => Some(Self::Enter),
            "Escape" => Some(Self::Escape),
            _ => None,
        }
    }
}

/// The big search field: an ARIA combobox whose results list is `listbox_id`. It only reports
/// what was typed, which navigation key was pressed and that it got the focus; the page decides
/// what they mean.
#[component]
pub fn SearchBox(
    /// What is typed in the box.
    query: RwSignal<String>,
    listbox_id: &'static str,
    /// Whether the results list is shown.
    #[prop(into)]
    expanded: Signal<bool>,
    /// The element id of the highlighted result, if any.
    #[prop(into)]
    active_id: Signal<Option<String>>,
    on_key: Callback<SearchKey>,
    on_focus: Callback<()>,
) -> impl IntoView {
    let on_keydown = move |event: KeyboardEvent| {
        if let Some(key) = SearchKey::of(&event) {
            // Arrow keys would move the caret and Enter would submit; Escape in a search field
            // would clear it behind the page's back.
            event.prevent_default();
            on_key.run(key);
        }
    };
    view! {
        <div class="kb-search-box" role="search">
            <label for="kb-search" class="kb-search-label">"Search the knowledge base"</label>
            <input
                id="kb-search"
                type="search"
                class="kb-search-input"
                role="combobox"
                aria-autocomplete="list"
                aria-controls=listbox_id
                aria-expanded=move || expanded.get().to_string()
                aria-activedescendant=move || active_id.get()
                aria-describedby="kb-search-hint"
                autocomplete="off"
                spellcheck="false"
                placeholder="For example: restore a backup"
                prop:value=move || query.get()
                on:input=move |event| query.set(event_target_value(&event))
                on:keydown=on_keydown
                on:focus=move |_| on_focus.run(())
            />
            <p id="kb-search-hint" class="kb-search-hint">
                "Results appear as you type. Use the arrow keys to choose one and Enter to open it."
            </p>
        </div>
    }
}
