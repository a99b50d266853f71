// Loads the WebAssembly app. Kept as a file rather than Trunk's inline loader so that the
// Content-Security-Policy can forbid inline scripts.
const script = document.querySelector("script[data-wasm]");
const bindings = await import(script.dataset.js);
await bindings.default({ module_or_path: script.dataset.wasm });
