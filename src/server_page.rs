//! Taking over the page the server rendered. A public page arrives with its markup in
//! `#server-page`, readable before the app has loaded. The app renders beside it, hidden, and
//! once its own page shows the same content the two are swapped from one frame to the next:
//! the reader sees the content once and nothing moves. The scroll position, the focus,
//! whatever the reader typed or chose in the server's form controls, the menu they opened and
//! the last button they pressed stay.
//!
//! Meanwhile the reader is reading, and may scroll or click: the app starts in several short
//! tasks rather than one long one ([`next_task`]), so the page never stops answering for long.

use std::cell::RefCell;
use std::time::Duration;

use lantern_core::api::SERVER_PAGE_ELEMENT_ID;
use leptos::prelude::*;
use leptos::tachys::dom::body;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    Element, Event, EventInit, HtmlDetailsElement, HtmlElement, HtmlInputElement, HtmlSelectElement,
};

use crate::dom::elements;

/// How long, from the app's start, the page may take to say it is ready before the app shows
/// anyway: a page whose data never arrives should end up showing its own spinner or error,
/// rather than leave the reader with a server page whose buttons do nothing.
const FALLBACK: Duration = Duration::from_secs(10);

struct Takeover {
    server_page: Element,
    app: HtmlElement,
}

thread_local! {
    /// The server's page and the app's hidden container, until they are swapped.
    static PENDING: RefCell<Option<Takeover>> = const { RefCell::new(None) };
}

/// Where the app mounts: the body, or, when the server rendered the page, a hidden container
/// right after it, which takes its place once the app's page is ready ([`swap_when_ready`]).
/// Coming after it, the hidden copy leaves the server's page the first of every `id`, so its
/// skip link and labels keep working until the swap.
pub fn mount_point() -> HtmlElement {
    let Some(server_page) = document().get_element_by_id(SERVER_PAGE_ELEMENT_ID) else {
        return body();
    };
    let Some(app) = document()
        .create_element("div")
        .ok()
        .and_then(|element| element.dyn_into::<HtmlElement>().ok())
    else {
        return body();
    };
    app.set_hidden(true);
    if server_page.after_with_node_1(&app).is_err() {
        return body();
    }
    PENDING.set(Some(Takeover {
        server_page,
        app: app.clone(),
    }));
    set_timeout(show_app, FALLBACK);
    app
}

/// Resolves in a task of its own once the browser has had a turn: whatever comes after the
/// `await` no longer lengthens the task that came before it. While the server's page shows,
/// the app's start-up yields so between its steps (instantiating a part, building a page);
/// once the app shows, there is nothing to yield to.
pub async fn next_task() {
    if !is_shown() {
        return;
    }
    let later = js_sys::Promise::new(&mut |resolve, _reject| {
        if window()
            .set_timeout_with_callback(resolve.unchecked_ref())
            .is_err()
        {
            // Ignored: a promise resolved at once only loses the yield.
            let _ = resolve.call0(&JsValue::NULL);
        }
    });
    // Ignored: the promise never rejects.
    let _ = JsFuture::from(later).await;
}

/// Its children, built in a task of their own while the server's page shows ([`next_task`]).
#[component]
pub fn InNextTask(children: ChildrenFn) -> impl IntoView {
    let may_build = RwSignal::new(!is_shown());
    if !may_build.get_untracked() {
        leptos::task::spawn_local(async move {
            next_task().await;
            may_build.set(true);
        });
    }
    move || may_build.get().then(|| children())
}

/// Whether the server's page is still the one the reader sees.
pub fn is_shown() -> bool {
    PENDING.with_borrow(Option::is_some)
}

/// Whether the current page shows its content; pages tell with [`page_ready`].
#[derive(Clone, Copy)]
struct PageReady(RwSignal<bool>);

/// While the server's page shows: swaps it for the app's once the current page is ready and
/// `also_ready` holds (the header, say, knows who is signed in), in the frame after the app's
/// page has been rendered.
pub fn swap_when_ready(also_ready: impl Fn() -> bool + 'static) {
    if !is_shown() {
        return;
    }
    let ready = RwSignal::new(false);
    provide_context(PageReady(ready));
    Effect::new(move |_| {
        if ready.get() && also_ready() {
            request_animation_frame(show_app);
        }
    });
}

/// Tells that the current page shows its main content: its data, or why it has none. Does
/// nothing once the app shows, or without a server page, so pages call it on every render.
pub fn page_ready() {
    if let Some(PageReady(ready)) = use_context()
        && !ready.get_untracked()
    {
        ready.set(true);
    }
}

/// Puts the app's page where the server's was, all in one task, so no frame shows both or
/// neither.
fn show_app() {
    let Some(Takeover { server_page, app }) = PENDING.take() else {
        return;
    };
    let window = window();
    let scroll_x = window.scroll_x().unwrap_or_default();
    let scroll_y = window.scroll_y().unwrap_or_default();
    let focused = document()
        .active_element()
        .filter(|element| server_page.contains(Some(element)));
    server_page.remove();
    app.set_hidden(false);
    carry_over_input(&server_page, &app);
    carry_over_open(&server_page, &app);
    if let Some(focused) = focused {
        carry_over_focus(&server_page, &app, &focused);
    }
    // Focusing scrolls the element into view; where the reader had scrolled to wins.
    window.scroll_to_with_x_and_y(scroll_x, scroll_y);
    carry_over_press(&server_page, &app);
}

/// A button of the server's page the reader pressed before the app had taken over (public/
/// boot.js marks the last one): the app's button there is pressed now, so a helpful vote
/// given while the app was loading counts.
fn carry_over_press(server_page: &Element, app: &Element) {
    let Some(pressed) = server_page
        .query_selector("[data-pressed-early]")
        .ok()
        .flatten()
    else {
        return;
    };
    if let Some(button) = counterpart(server_page, app, &pressed)
        .and_then(|element| element.dyn_into::<HtmlElement>().ok())
    {
        button.click();
    }
}

/// A disclosure the reader opened (the narrow screen's "Menu") stays open: the browser tells the
/// app's by its `toggle` event, as if the reader had opened it there.
fn carry_over_open(server_page: &Element, app: &Element) {
    for details in elements(server_page, "details[open]") {
        if let Some(details) = counterpart(server_page, app, &details)
            .and_then(|element| element.dyn_into::<HtmlDetailsElement>().ok())
        {
            details.set_open(true);
        }
    }
}

/// What the reader typed or chose in the server's form controls (the search box and the
/// filters) goes into the app's, which hears of it as it would from the browser.
fn carry_over_input(server_page: &Element, app: &Element) {
    for control in elements(server_page, "input, select") {
        let Some(typed) = changed_value(&control) else {
            continue;
        };
        let Some(counterpart) = counterpart(server_page, app, &control) else {
            continue;
        };
        let Some(shown) = value(&counterpart).filter(|shown| *shown != typed) else {
            continue;
        };
        set_value(&counterpart, &typed);
        if value(&counterpart).as_ref() != Some(&typed) {
            // A choice the app's control does not offer (yet): it keeps its own.
            set_value(&counterpart, &shown);
            continue;
        }
        for kind in ["input", "change"] {
            announce(&counterpart, kind);
        }
    }
}

/// The control's value if the reader changed it from the one the server rendered.
fn changed_value(control: &Element) -> Option<String> {
    let rendered = if let Some(input) = control.dyn_ref::<HtmlInputElement>() {
        input.default_value()
    } else {
        // A select shows the option marked `selected`, or else its first.
        let option = control
            .query_selector("option[selected]")
            .ok()
            .flatten()
            .or_else(|| control.query_selector("option").ok().flatten())?;
        option
            .get_attribute("value")
            .or_else(|| option.text_content())
            .unwrap_or_default()
    };
    value(control).filter(|value| *value != rendered)
}

fn value(control: &Element) -> Option<String> {
    if let Some(input) = control.dyn_ref::<HtmlInputElement>() {
        return Some(input.value());
    }
    control
        .dyn_ref::<HtmlSelectElement>()
        .map(HtmlSelectElement::value)
}

fn set_value(control: &Element, value: &str) {
    if let Some(input) = control.dyn_ref::<HtmlInputElement>() {
        input.set_value(value);
    } else if let Some(select) = control.dyn_ref::<HtmlSelectElement>() {
        select.set_value(value);
    }
}

/// Fires a bubbling `kind` event at `target`, as typing or choosing would.
fn announce(target: &Element, kind: &str) {
    let init = EventInit::new();
    init.set_bubbles(true);
    if let Ok(event) = Event::new_with_event_init_dict(kind, &init) {
        // Ignored: the result only says whether a listener cancelled the event.
        let _ = target.dispatch_event(&event);
    }
}

/// Focuses the app's element where the server's page had the focus, with the caret where it
/// was in a text field.
fn carry_over_focus(server_page: &Element, app: &Element, focused: &Element) {
    let Some(target) = counterpart(server_page, app, focused)
        .and_then(|element| element.dyn_into::<HtmlElement>().ok())
    else {
        return;
    };
    // Ignored: an element that cannot take focus leaves it on the body, as removing it would.
    let _ = target.focus();
    if let (Some(from), Some(to)) = (
        focused.dyn_ref::<HtmlInputElement>(),
        target.dyn_ref::<HtmlInputElement>(),
    ) && let (Ok(Some(start)), Ok(Some(end))) = (from.selection_start(), from.selection_end())
    {
        let _ = to.set_selection_range(start, end);
    }
}

/// The app's element at the place of the server's `element`. The server renders the app's
/// markup, so the same path leads there: at each level, the tag and the position among the
/// siblings with that tag (the app's loading bar, a `div`, does not count among the skip link
/// and the header that follow it).
fn counterpart(server_page: &Element, app: &Element, element: &Element) -> Option<Element> {
    let mut path = Vec::new();
    let mut current = element.clone();
    while current != *server_page {
        path.push((current.tag_name(), position_among_its_tag(&current)));
        current = current.parent_element()?;
    }
    path.iter()
        .rev()
        .try_fold(app.clone(), |parent, (tag, position)| {
            children(&parent)
                .filter(|child| child.tag_name() == *tag)
                .nth(*position)
        })
}

fn position_among_its_tag(element: &Element) -> usize {
    let tag = element.tag_name();
    std::iter::successors(
        element.previous_element_sibling(),
        Element::previous_element_sibling,
    )
    .filter(|sibling| sibling.tag_name() == tag)
    .count()
}

fn children(parent: &Element) -> impl Iterator<Item = Element> + use<> {
    std::iter::successors(parent.first_element_child(), Element::next_element_sibling)
}
