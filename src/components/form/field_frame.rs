use leptos::prelude::*;

/// The ids that tie a control to its label, help text and error text.
#[derive(Debug, Clone)]
pub(super) struct FieldIds {
    pub control: String,
    help: String,
    error: String,
}

impl FieldIds {
    pub fn new(id: &str) -> Self {
        Self {
            control: id.to_owned(),
            help: format!("{id}-help"),
            error: format!("{id}-error"),
        }
    }

    /// `aria-describedby` of the control: its help text, and its error while there is one.
    pub fn described_by(&self, has_help: bool, has_error: bool) -> Option<String> {
        let ids: Vec<&str> = [(has_help, &self.help), (has_error, &self.error)]
            .into_iter()
            .filter_map(|(present, id)| present.then_some(id.as_str()))
            .collect();
        (!ids.is_empty()).then(|| ids.join(" "))
    }
}

/// What every control of the kit wires up the same way: its ids, its help text and its
/// `aria-describedby`.
pub(super) struct ControlWiring {
    pub ids: FieldIds,
    pub help: Option<String>,
}

impl ControlWiring {
    /// The element id is `id` when given, else the request field's `name`. Empty help counts as
    /// none, so callers with optional help text need no second branch.
    pub fn new(id: Option<String>, name: &str, help: Option<String>) -> Self {
        Self {
            ids: FieldIds::new(id.as_deref().unwrap_or(name)),
            help: help.filter(|help| !help.is_empty()),
        }
    }

    /// `aria-describedby` of the control as its error comes and goes.
    pub fn described_by(
        &self,
        error: MaybeProp<String>,
    ) -> impl Fn() -> Option<String> + Send + Sync + 'static {
        let ids = self.ids.clone();
        let has_help = self.help.is_some();
        move || ids.described_by(has_help, error.get().is_some())
    }
}

/// Label, control, help and error text of one form field; the controls render inside it.
#[component]
pub(super) fn FieldFrame(
    label: String,
    ids: FieldIds,
    help: Option<String>,
    error: MaybeProp<String>,
    required: bool,
    children: Children,
) -> impl IntoView {
    view! {
        <div class="field" class:field-invalid=move || error.get().is_some()>
            <label for=ids.control.clone()>
                {label}
                {required.then(|| view! { <span class="field-required" aria-hidden="true">" *"</span> })}
            </label>
            {children()}
            {help.map(|help| view! { <p id=ids.help.clone() class="field-help">{help}</p> })}
            // Always present, so screen readers announce a message when it appears.
            <p id=ids.error.clone() class="field-error" aria-live="polite">{move || error.get()}</p>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::FieldIds;

    #[test]
    fn describes_the_control_by_what_is_shown() {
        let ids = FieldIds::new("email");
        assert_eq!(ids.described_by(false, false), None);
        assert_eq!(ids.described_by(true, false).as_deref(), Some("email-help"));
        assert_eq!(
            ids.described_by(false, true).as_deref(),
            Some("email-error")
        );
        assert_eq!(
            ids.described_by(true, true).as_deref(),
            Some("email-help email-error")
        );
    }
}
