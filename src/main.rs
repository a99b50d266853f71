//! Lantern's client app: a Leptos single-page app compiled to WebAssembly.

mod api;
mod app;
mod components;
mod page_data;
mod pages;
mod server_page;
mod session;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to(server_page::mount_point(), app::App).forget();
}
