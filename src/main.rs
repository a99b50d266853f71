//! Lantern's client app: a Leptos single-page app compiled to WebAssembly.

mod api;
mod app;
mod components;
#[cfg(test)]
mod demo_policy;
mod dom;
mod page_data;
mod pages;
mod routes;
mod server_page;
mod session;
mod support_policy;

fn main() {
    console_error_panic_hook::set_once();
    let mount_point = server_page::mount_point();
    // Instantiating the app is one task and building it the next (server_page::next_task).
    wasm_bindgen_futures::spawn_local(async move {
        server_page::next_task().await;
        leptos::mount::mount_to(mount_point, app::App).forget();
    });
}
