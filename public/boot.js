// Loads the WebAssembly app. Kept as a file rather than Trunk's inline loader so that the
// Content-Security-Policy can forbid inline scripts.
//
// A page the server rendered (#server-page) is readable as it is: it is painted first, and only
// then are the other pages' styles turned on and the app fetched, so that neither delays what
// the visitor came to read (crates/server/src/public/document.rs leaves them waiting).
const script = document.querySelector("script[data-wasm]");
if (document.getElementById("server-page")) {
  await new Promise((painted) => requestAnimationFrame(() => setTimeout(painted)));
  for (const link of document.querySelectorAll("link[data-after-paint]")) {
    link.removeAttribute("data-after-paint");
    link.rel = "stylesheet";
  }
}
const bindings = await import(script.dataset.js);
await bindings.default({ module_or_path: script.dataset.wasm });
