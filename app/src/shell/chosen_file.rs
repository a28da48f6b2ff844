//! [hydrate] A file a person chose in an `<input type="file">`, read in the browser (a CSV to
//! check on the server before anything is applied).

use wasm_bindgen::JsCast;

/// The first file of the file input an event came from.
pub fn chosen_file(ev: &leptos::ev::Event) -> Option<web_sys::File> {
    ev.target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        .and_then(|i| i.files())
        .and_then(|f| f.get(0))
}

/// The file's text (UTF-8), or None when the browser could not read it.
pub async fn text_of(file: &web_sys::File) -> Option<String> {
    wasm_bindgen_futures::JsFuture::from(file.text())
        .await
        .ok()
        .and_then(|v| v.as_string())
}
