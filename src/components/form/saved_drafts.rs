//! Drafts of forms in the browser's `localStorage`, so a reload, a crash or a failed submission
//! loses nothing of what someone wrote. Saving is best effort: private browsing or a full
//! storage must not stop a form. Every key starts with [`KEY_PREFIX`], so that signing out can
//! remove them all: a shared computer must not show the next person what the last one wrote.

use serde::Serialize;
use serde::de::DeserializeOwned;

/// The start of every draft's key, e.g. `lantern.ticket-draft.v1.42`.
pub const KEY_PREFIX: &str = "lantern.";

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The draft saved under `key`, if any; an unreadable one counts as none.
pub fn load<T: DeserializeOwned>(key: &str) -> Option<T> {
    let text = local_storage()?.get_item(key).ok()??;
    serde_json::from_str(&text).ok()
}

/// Saves `draft` under `key`; says whether the browser kept it.
pub fn save<T: Serialize>(key: &str, draft: &T) -> bool {
    match (local_storage(), serde_json::to_string(draft)) {
        (Some(storage), Ok(text)) => storage.set_item(key, &text).is_ok(),
        _ => false,
    }
}

pub fn clear(key: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.remove_item(key);
    }
}

/// Removes every saved draft of this browser, whoever wrote it.
pub fn clear_all() {
    let Some(storage) = local_storage() else {
        return;
    };
    let count = storage.length().unwrap_or(0);
    // Collected first: removing while walking the keys would skip some.
    let keys: Vec<String> = (0..count)
        .filter_map(|index| storage.key(index).ok().flatten())
        .filter(|key| key.starts_with(KEY_PREFIX))
        .collect();
    for key in keys {
        let _ = storage.remove_item(&key);
    }
}
