//! The wasm entry point: hydrates the server-rendered page. `hydrate_lazy` because some routes
//! (admin, account) are lazily loaded chunks.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_lazy(app::App);
}
