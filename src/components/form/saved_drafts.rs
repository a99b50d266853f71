//! Drafts of forms in the browser's `localStorage`, so a reload, a crash or a failed submission
//! loses nothing of what someone wrote. Saving is best effort: private browsing or a full
//! storage must not stop a form.

use serde::Serialize;
use serde::de::DeserializeOwned;

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The draft saved under `key`, if any; an unreadable one counts as none.
pub fn load<T: DeserializeOwned>(key: &str) -> Option<T> {
    let text = local_storage()?.get_item(key).ok()??;
    serde_json::from_str(&text).ok()
}

pub fn save<T: Serialize>(key: &str, draft: &T) {
    if let (Some(storage), Ok(text)) = (local_storage(), serde_json::to_string(draft)) {
        let _ = storage.set_item(key, &text);
    }
}

pub fn clear(key: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.remove_item(key);
    }
}
