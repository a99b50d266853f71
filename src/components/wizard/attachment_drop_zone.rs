use lantern_core::policy::TicketField;
use lantern_core::ticket::TicketDraftStoreFields;
use lantern_core::ticket::{
    ATTACHMENTS, AttachmentKind, AttachmentLimits, AttachmentRef, size_text,
};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use super::wizard_state::{Ask, Wizard};
use crate::api;
use crate::components::form::{Bound, Choice, Select};

/// A file on its way to the server.
#[derive(Debug, Clone, Copy)]
struct Upload {
    name: StoredValue<String>,
    /// Sent share, 0.0 to 1.0.
    progress: RwSignal<f64>,
    failure: RwSignal<Option<String>>,
}

/// Attach logs and screenshots to the ticket being written: the wizard's [`FileDropZone`], with
/// what the chosen case type asks for. Uploaded files join the draft, so they survive a reload.
#[component]
pub fn AttachmentDropZone(wizard: Wizard) -> impl IntoView {
    let error = Signal::derive(move || {
        wizard.errors.with(|errors| {
            let messages: Vec<&str> = ["logs", "screenshots", ATTACHMENTS]
                .iter()
                .filter_map(|key| errors.get(key))
                .collect();
            (!messages.is_empty()).then(|| messages.join(" "))
        })
    });
    view! {
        <FileDropZone attachments=wizard.draft.attachments() error default_kind=default_kind(wizard)>
            <FileRequirements wizard/>
        </FileDropZone>
    }
}

/// Drop files or choose them, watch each upload's progress, remove what should not be sent.
/// Uploaded files are added to `attachments`; `children` may say which files are wanted.
#[component]
pub fn FileDropZone(
    attachments: impl Bound<Vec<AttachmentRef>>,
    /// A message about the files as a whole, from validation or the server.
    #[prop(into)]
    error: Signal<Option<String>>,
    #[prop(optional)] default_kind: AttachmentKind,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let limits = RwSignal::new(None::<AttachmentLimits>);
    spawn_local(async move {
        // Without the limits the server still enforces them; the page just cannot say them.
        if let Ok(answer) = api::attachment_limits().await {
            limits.try_set(Some(answer));
        }
    });
    let kind = RwSignal::new(default_kind.as_str().to_owned());
    let uploads = RwSignal::new(Vec::<Upload>::new());
    let dragging = RwSignal::new(false);
    let add_files = move |files: web_sys::FileList| {
        let kind = AttachmentKind::parse(&kind.get_untracked()).unwrap_or_default();
        for index in 0..files.length() {
            if let Some(file) = files.get(index) {
                start_upload(attachments, uploads, limits, file, kind);
            }
        }
    };
    let kinds = vec![
        Choice::new(AttachmentKind::Log.as_str(), "Log files"),
        Choice::new(AttachmentKind::Screenshot.as_str(), "Screenshots"),
        Choice::new(AttachmentKind::Other.as_str(), "Other files"),
    ];
    view! {
        <section class="attachments" aria-labelledby="attachments-title">
            <h3 id="attachments-title">"Files"</h3>
            {children.map(|children| children())}
            <Select label="What are you attaching?" name="attachment_kind" value=kind choices=kinds/>
            <div class="field" class:field-invalid=move || error.get().is_some()>
                <div
                    class="drop-zone"
                    class:drop-zone-active=move || dragging.get()
                    on:dragover=move |event: web_sys::DragEvent| {
                        event.prevent_default();
                        dragging.set(true);
                    }
                    on:dragleave=move |_| dragging.set(false)
                    on:drop=move |event: web_sys::DragEvent| {
                        event.prevent_default();
                        dragging.set(false);
                        if let Some(files) = event.data_transfer().and_then(|data| data.files()) {
                            add_files(files);
                        }
                    }
                >
                    <p>"Drag files here, or"</p>
                    <input
                        type="file"
                        id="attachment-files"
                        class="drop-zone-input"
                        multiple
                        accept=move || limits.with(|limits| limits.as_ref().map(|limits| limits.allowed_extensions.join(",")))
                        aria-invalid=move || error.get().map(|_| "true")
                        aria-describedby="attachment-limits attachments-error"
                        on:change=move |event| {
                            let input = event
                                .target()
                                .and_then(|target| target.dyn_into::<web_sys::HtmlInputElement>().ok());
                            if let Some(input) = input {
                                if let Some(files) = input.files() {
                                    add_files(files);
                                }
                                // The same file can be chosen again after removing it.
                                input.set_value("");
                            }
                        }
                    />
                    <label for="attachment-files" class="button">"Choose files"</label>
                    <p id="attachment-limits" class="field-help">{move || limits_text(limits.get())}</p>
                </div>
                <p id="attachments-error" class="field-error" aria-live="polite">{move || error.get()}</p>
            </div>
            <UploadList attachments uploads/>
        </section>
    }
}

/// Which kinds of file the chosen case type asks for.
#[component]
fn FileRequirements(wizard: Wizard) -> impl IntoView {
    move || {
        let lines: Vec<_> = [TicketField::Logs, TicketField::Screenshots]
            .into_iter()
            .filter_map(|field| {
                let ask = wizard.asks_for(field);
                (ask != Ask::NotAsked).then(|| {
                    let text = wizard.text_of(field);
                    let need = if ask == Ask::Required {
                        "required"
                    } else {
                        "welcome"
                    };
                    view! {
                        <li>
                            <strong>{text.label}</strong> " (" {need} ")"
                            {text.help.map(|help| format!(": {help}"))}
                        </li>
                    }
                })
            })
            .collect();
        (!lines.is_empty()).then(|| view! { <ul class="attachments-requirements">{lines}</ul> })
    }
}

/// Uploaded files with a remove button, then uploads in progress or failed.
#[component]
fn UploadList(
    attachments: impl Bound<Vec<AttachmentRef>>,
    uploads: RwSignal<Vec<Upload>>,
) -> impl IntoView {
    let done = move || {
        attachments
            .get()
            .into_iter()
            .map(|file| view! { <UploadedFile file attachments/> })
            .collect_view()
    };
    let pending = move || {
        uploads
            .get()
            .into_iter()
            .map(|upload| view! { <PendingUpload upload uploads/> })
            .collect_view()
    };
    view! { <ul class="upload-list" aria-live="polite">{done} {pending}</ul> }
}

#[component]
fn UploadedFile(file: AttachmentRef, attachments: impl Bound<Vec<AttachmentRef>>) -> impl IntoView {
    let removing = RwSignal::new(false);
    let id = file.id.clone();
    let remove = move |_| {
        removing.set(true);
        let id = id.clone();
        spawn_local(async move {
            // A file that is already gone on the server is just as removed.
            let _ = api::delete_attachment(&id).await;
            attachments.update(|files| files.retain(|file| file.id != id));
        });
    };
    view! {
        <li class="upload">
            <span class="upload-name">{file.name.clone()}</span>
            <span class="upload-meta">{kind_label(file.kind)} ", " {size_text(file.size)}</span>
            <button
                type="button"
                class="button button-quiet"
                aria-label=format!("Remove {}", file.name)
                disabled=move || removing.get()
                on:click=remove
            >
                "Remove"
            </button>
        </li>
    }
}

#[component]
fn PendingUpload(upload: Upload, uploads: RwSignal<Vec<Upload>>) -> impl IntoView {
    let name = upload.name.get_value();
    let dismiss = move |_| {
        uploads.update(|list| list.retain(|other| other.progress != upload.progress));
    };
    view! {
        <li class="upload">
            <span class="upload-name">{name.clone()}</span>
            {move || match upload.failure.get() {
                None => view! {
                    <progress
                        max="100"
                        value=move || (upload.progress.get() * 100.0).round()
                        aria-label=format!("Uploading {name}")
                    ></progress>
                }
                .into_any(),
                Some(message) => view! {
                    <span class="upload-failure" role="alert">{message}</span>
                    <button type="button" class="button button-quiet" on:click=dismiss>"Dismiss"</button>
                }
                .into_any(),
            }}
        </li>
    }
}

/// Checks the file against the limits, then uploads it; on success it joins `attachments`.
fn start_upload(
    attachments: impl Bound<Vec<AttachmentRef>>,
    uploads: RwSignal<Vec<Upload>>,
    limits: RwSignal<Option<AttachmentLimits>>,
    file: web_sys::File,
    kind: AttachmentKind,
) {
    let upload = Upload {
        name: StoredValue::new(file.name()),
        progress: RwSignal::new(0.0),
        failure: RwSignal::new(None),
    };
    uploads.update(|list| list.push(upload));
    if let Some(problem) = limits.with_untracked(|limits| {
        limits
            .as_ref()
            .and_then(|limits| limit_problem(limits, &file.name(), file.size()))
    }) {
        upload.failure.set(Some(problem));
        return;
    }
    spawn_local(async move {
        let progress = upload.progress;
        let result = api::upload_attachment(&file, kind, move |sent| {
            progress.try_set(sent);
        })
        .await;
        match result {
            Ok(uploaded) => {
                uploads.try_update(|list| list.retain(|other| other.progress != progress));
                attachments.try_update(|files| files.push(AttachmentRef::from(uploaded)));
            }
            Err(error) => {
                upload.failure.try_set(Some(error.to_string()));
            }
        }
    });
}

/// Why the server would refuse this file, so the customer learns it before waiting.
fn limit_problem(limits: &AttachmentLimits, name: &str, size: f64) -> Option<String> {
    if size > limits.max_bytes as f64 {
        return Some(format!(
            "Too large: files may be up to {}.",
            size_text(limits.max_bytes)
        ));
    }
    let lower = name.to_lowercase();
    let allowed = limits
        .allowed_extensions
        .iter()
        .any(|extension| lower.ends_with(extension.as_str()));
    (!allowed).then(|| {
        format!(
            "This type of file cannot be attached. Allowed: {}.",
            limits.allowed_extensions.join(", ")
        )
    })
}

fn limits_text(limits: Option<AttachmentLimits>) -> String {
    limits
        .map(|limits| {
            format!(
                "Up to {} per file: {}",
                size_text(limits.max_bytes),
                limits.allowed_extensions.join(", ")
            )
        })
        .unwrap_or_default()
}

/// The kind preselected for the chosen case type: what it requires first.
fn default_kind(wizard: Wizard) -> AttachmentKind {
    let asks = |field| wizard.asks_for(field);
    if asks(TicketField::Logs) == Ask::Required {
        AttachmentKind::Log
    } else if asks(TicketField::Screenshots) == Ask::Required {
        AttachmentKind::Screenshot
    } else {
        AttachmentKind::Log
    }
}

pub fn kind_label(kind: AttachmentKind) -> &'static str {
    match kind {
        AttachmentKind::Log => "Log file",
        AttachmentKind::Screenshot => "Screenshot",
        AttachmentKind::Other => "Other file",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> AttachmentLimits {
        AttachmentLimits {
            max_bytes: 1024 * 1024,
            allowed_extensions: vec![".log".into(), ".png".into()],
        }
    }

    #[test]
    fn files_beyond_the_limits_are_refused_before_uploading() {
        assert_eq!(limit_problem(&limits(), "agent.LOG", 10.0), None);
        assert!(
            limit_problem(&limits(), "big.log", 2.0 * 1024.0 * 1024.0)
                .is_some_and(|problem| problem.starts_with("Too large"))
        );
        assert!(
            limit_problem(&limits(), "setup.exe", 10.0)
                .is_some_and(|problem| problem.contains(".log, .png"))
        );
    }
}
