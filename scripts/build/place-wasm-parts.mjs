// Trunk post_build hook: publishes the lazily loaded WebAssembly parts of the app that the
// wasm-bindgen wrapper (scripts/build/wasm-bindgen) split off. Each part is optimised with the
// same wasm-opt level and flags as the main module (read from index.html, so they are stated
// once), named after a hash of its content so the server may cache it forever, and the loader
// `__wasm_split.js` is pointed at those names and at Trunk's hashed main module. Then every
// file is pre-compressed for the server (precompress.mjs).
//
// A part that cannot be fetched would stop the app (the Rust side cannot go on without it). That
// happens when the app was updated while a page was open, so its old parts are gone, or when the
// network failed: the loader then loads the page once more, which fetches the current app.
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, readFileSync, readdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { precompress } from "./precompress.mjs";

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run this as a Trunk hook`);
  return value;
};
const sourceDir = env("TRUNK_SOURCE_DIR");
const stagingDir = env("TRUNK_STAGING_DIR");
const release = env("TRUNK_PROFILE") === "release";
const targetDir = process.env.CARGO_TARGET_DIR ?? join(sourceDir, "target");
const partsDir = join(targetDir, "wasm-bindgen", release ? "release" : "debug", "parts");
const loaderName = "__wasm_split.js";

const html = readFileSync(env("TRUNK_HTML_FILE"), "utf8");
const rustLink = html.match(/<link[^>]*data-trunk[^>]*rel="rust"[^>]*>/s)?.[0] ?? "";
const optLevel = rustLink.match(/data-wasm-opt="([^"]*)"/)?.[1];
const optParams = rustLink.match(/data-wasm-opt-params="([^"]*)"/)?.[1]?.split(/\s+/).filter(Boolean) ?? [];

const app = rustLink.match(/data-bin="([^"]*)"/)?.[1] ?? "lantern";
const mainModules = readdirSync(stagingDir).filter((name) => new RegExp(`^${app}-[0-9a-f]+\\.js$`).test(name));
if (mainModules.length !== 1) {
  throw new Error(`expected one hashed ${app}-*.js in ${stagingDir}, found ${mainModules.length}`);
}

if (readFileSync(join(stagingDir, mainModules[0]), "utf8").includes("__wasm_split_placeholder__")) {
  throw new Error(
    "the app was built by the plain wasm-bindgen, so its lazily loaded pages cannot load: " +
      "put scripts/build first on PATH (see DEVELOPERS.md)",
  );
}
if (!existsSync(join(partsDir, loaderName))) {
  process.exit(0); // the app has no lazily loaded parts
}

let loader = readFileSync(join(partsDir, loaderName), "utf8");
for (const part of readdirSync(partsDir).filter((name) => name.endsWith(".wasm"))) {
  const source = join(partsDir, part);
  const staged = join(stagingDir, part);
  if (release && optLevel && optLevel !== "0") {
    execFileSync("wasm-opt", [`-O${optLevel}`, ...optParams, source, "-o", staged], { stdio: "inherit" });
  } else {
    copyFileSync(source, staged);
  }
  const hash = createHash("sha256").update(readFileSync(staged)).digest("hex").slice(0, 16);
  const hashedName = part.replace(/\.wasm$/, `-${hash}.wasm`);
  renameSync(staged, join(stagingDir, hashedName));
  loader = pointAt(loader, `"./${part}"`, `"./${hashedName}"`);
}
loader = pointAt(loader, `from "./${app}.js"`, `from "./${mainModules[0]}"`);
loader = pointAt(loader, "fetch(new URL(", "fetchPart(new URL(");
loader += `
// The router changes the address only once the new page is ready, so a reload would land on the
// old page: the link that started the navigation is remembered instead.
let clickedLink = { href: "", at: 0 };
document.addEventListener("click", (event) => {
  const link = event.target instanceof Element ? event.target.closest("a[href]") : null;
  if (link) clickedLink = { href: link.href, at: Date.now() };
}, true);

async function fetchPart(url) {
  try {
    const response = await fetch(url);
    if (!response.ok) throw new Error(\`\${url} answered \${response.status}\`);
    return response;
  } catch (error) {
    // Once: a part that is missing right after a reload would otherwise reload forever.
    const key = "lantern-part-reload";
    const reloadedJustNow = Date.now() - Number(sessionStorage.getItem(key)) < 10000;
    if (!reloadedJustNow) {
      sessionStorage.setItem(key, String(Date.now()));
      const target = Date.now() - clickedLink.at < 10000 ? clickedLink.href : location.href;
      location.assign(target);
    }
    throw error;
  }
}
`;
writeFileSync(join(stagingDir, loaderName), loader);
// Last: every file of the build is in place now. (Trunk may run a stage's hooks side by side, so
// this is no hook of its own.)
precompress(stagingDir);

function pointAt(text, from, to) {
  if (!text.includes(from)) throw new Error(`${loaderName} does not mention ${from}`);
  return text.replaceAll(from, to);
}
