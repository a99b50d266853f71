// Loads the WebAssembly app. Kept as a file rather than Trunk's inline loader so that the
// Content-Security-Policy can forbid inline scripts.
//
// A page the server rendered (#server-page) is readable and navigable as it is: its links are
// plain links to more server pages. So it is painted first, then the other pages' styles are
// turned on (crates/server/src/public/document.rs leaves them waiting), and the app is fetched
// only once the visitor sets out to use the page: a key pressed, something focused, or a press
// on a control. A visitor who came to read one article never downloads the app (DEVELOPERS.md,
// "The page paints first; the app loads when the visitor acts").
const script = document.querySelector("script[data-wasm]");
const serverPage = document.getElementById("server-page");
if (serverPage) {
  // The server page's buttons need the app. The last one pressed before the app has taken over
  // is marked, and the app presses its own button there once it has (src/server_page.rs).
  serverPage.addEventListener("click", (event) => {
    const button = event.target.closest('button[type="button"]');
    if (!button) return;
    serverPage.querySelector("[data-pressed-early]")?.removeAttribute("data-pressed-early");
    button.setAttribute("data-pressed-early", "");
  });
  await new Promise((painted) => requestAnimationFrame(() => setTimeout(painted)));
  for (const link of document.querySelectorAll("link[data-after-paint]")) {
    link.removeAttribute("data-after-paint");
    link.rel = "stylesheet";
  }
  await firstIntent();
}
const bindings = await import(script.dataset.js);
await bindings.default({ module_or_path: script.dataset.wasm });

// Resolves at the visitor's first key, focus, or press on (or hover over) a control. A press
// elsewhere is not one: on a phone it starts every scroll. A press on a link neither: it leaves
// for the next server page.
function firstIntent() {
  const controls = 'button, input, select, textarea, label, summary, [role="button"]';
  return new Promise((resolve) => {
    const events = ["keydown", "focusin", "pointerdown", "pointerover"];
    const listener = (event) => {
      if (event.type.startsWith("pointer") && !event.target.closest?.(controls)) return;
      for (const type of events) document.removeEventListener(type, listener, true);
      resolve();
    };
    for (const type of events) document.addEventListener(type, listener, { capture: true, passive: true });
    // Focus that came before this script (autofocus, a restored tab) counts too.
    if (document.activeElement && document.activeElement !== document.body) resolve();
  });
}
