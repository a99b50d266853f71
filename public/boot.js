// Loads the WebAssembly app. Kept as a file rather than Trunk's inline loader so that the
// Content-Security-Policy can forbid inline scripts.
//
// A page the server rendered (#server-page) is readable and navigable as it is: its links are
// plain links to more server pages. So it is painted first, and the app, with the other pages'
// styles (crates/server/src/public/document.rs leaves them waiting), is fetched only once the
// visitor sets out to use the page: a key pressed, or a press on, hover over or focus of a
// control. A visitor who came to read one article never downloads the app
// (DEVELOPERS.md, "The page paints first; the app loads when the visitor acts").
const script = document.querySelector("script[data-wasm]");
const serverPage = document.getElementById("server-page");
if (serverPage) {
  // Listening from the start: a key pressed while the page paints is a use of it too.
  const intent = firstIntent();
  // The server page's buttons need the app. The last one pressed before the app has taken over
  // is marked, and the app presses its own button there once it has (src/server_page.rs).
  serverPage.addEventListener("click", (event) => {
    const button = event.target.closest('button[type="button"]');
    if (!button) return;
    serverPage.querySelector("[data-pressed-early]")?.removeAttribute("data-pressed-early");
    button.setAttribute("data-pressed-early", "");
  });
  await new Promise((painted) => requestAnimationFrame(() => setTimeout(painted)));
  await intent;
  // The other pages' styles come with the app that opens those pages: a reader who never
  // uses the page downloads neither.
  for (const link of document.querySelectorAll("link[data-with-app]")) {
    link.removeAttribute("data-with-app");
    link.rel = "stylesheet";
  }
}
const bindings = await import(script.dataset.js);
await bindings.default({ module_or_path: script.dataset.wasm });

// Resolves at the visitor's first key, or first press on, hover over or focus of a control.
// Anything else is reading: on a phone a press on the text starts every scroll, and a link,
// pressed or focused by the press, leads to the next server page anyway. A key that moves the
// focus to a link is a key, so keyboard users start the app with their first Tab.
function firstIntent() {
  const controls = 'button, input, select, textarea, label, summary, [role="button"]';
  const events = ["keydown", "focusin", "pointerdown", "pointerover"];
  return new Promise((resolve) => {
    const started = () => {
      for (const type of events) document.removeEventListener(type, listener, true);
      resolve();
    };
    const listener = (event) => {
      if (event.type === "keydown" || event.target.closest?.(controls)) started();
    };
    for (const type of events) {
      document.addEventListener(type, listener, { capture: true, passive: true });
    }
    // Focus that came before this script (autofocus, a restored tab) counts too.
    if (document.activeElement?.closest(controls)) started();
  });
}
