//! The page's own elements, where the app works on markup it did not render: the server's
//! page it takes over, an article's body.

use wasm_bindgen::JsCast;
use web_sys::Element;

/// The elements under `root` that `selector` matches, in document order (none for a selector
/// the browser rejects).
pub fn elements(root: &Element, selector: &str) -> impl Iterator<Item = Element> {
    let matched = root.query_selector_all(selector).ok();
    let count = matched.as_ref().map_or(0, |list| list.length());
    (0..count).filter_map(move |index| matched.as_ref()?.item(index)?.dyn_into::<Element>().ok())
}
