// Loads the WebAssembly app. Kept as a file rather than Trunk's inline loader so that the
// Content-Security-Policy can forbid inline scripts.
//
// A page the server rendered (#server-page) is readable as it is: it is painted first, and only
// then are the other pages' styles turned on and the app fetched, so that neither delays what
// the visitor came to read (crates/server/src/public/document.rs leaves them waiting).
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
}
const bindings = await import(script.dataset.js);
await bindings.default({ module_or_path: script.dataset.wasm });
