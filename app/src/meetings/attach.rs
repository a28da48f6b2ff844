//! A file picker that uploads the chosen document at once (`POST /api/v1/attachments`) and
//! hands back the stored attachment; the browser checks name, type and size first with the
//! same rules the server applies (`model::attachment`), so a wrong file is refused before any
//! byte is sent.

use crate::model::attachment::Attachment;
use crate::model::i18n::use_lang;
use leptos::prelude::*;

#[component]
pub fn AttachButton(
    /// Called with the stored attachment.
    on_uploaded: Callback<Attachment>,
    #[prop(into)] testid: String,
) -> impl IntoView {
    let lang = use_lang();
    let status = RwSignal::new(None::<(bool, String)>);
    let busy = RwSignal::new(false);
    let on_change = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let Some(input) = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            else {
                return;
            };
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            busy.set(true);
            status.set(Some((
                true,
                lang.pick("Đang tải lên…", "Uploading…").to_string(),
            )));
            leptos::task::spawn_local(async move {
                let result = upload(file).await;
                busy.set(false);
                match result {
                    Ok(a) => {
                        status.set(Some((true, format!("✓ {}", a.name))));
                        on_uploaded.run(a);
                    }
                    Err(m) => status.set(Some((false, m))),
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (ev, on_uploaded, busy, lang);
    };
    view! {
        <span class="attach">
            <input type="file" data-testid=testid disabled=move || busy.get()
                accept=".pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.odt,.ods,.txt,.csv,.png,.jpg,.jpeg"
                on:change=on_change/>
            {move || status.get().map(|(ok, text)| view! {
                <span class=if ok { "attach-ok" } else { "field-error" } role="status">{text}</span>
            })}
        </span>
    }
}

#[cfg(feature = "hydrate")]
async fn upload(file: web_sys::File) -> Result<Attachment, String> {
    use crate::model::attachment::{MAX_BYTES, check_name, too_big};
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    let name = file.name();
    check_name(&name)?;
    if file.size() > MAX_BYTES as f64 {
        return Err(too_big());
    }
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_credentials(web_sys::RequestCredentials::SameOrigin);
    init.set_body(&file);
    let url = format!(
        "/api/v1/attachments?name={}",
        String::from(js_sys::encode_uri_component(&name))
    );
    let failed = |_| "Không gửi được tệp, kiểm tra kết nối. (The upload failed.)".to_string();
    let request = web_sys::Request::new_with_str_and_init(&url, &init).map_err(failed)?;
    let window = web_sys::window().ok_or("no window")?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_request(&request))
        .await
        .map_err(failed)?
        .dyn_into()
        .map_err(failed)?;
    let text = JsFuture::from(response.text().map_err(failed)?)
        .await
        .map_err(failed)?
        .as_string()
        .unwrap_or_default();
    if response.ok() {
        serde_json::from_str(&text).map_err(|e| e.to_string())
    } else {
        Err(serde_json::from_str::<serde_json::Value>(&text)
            .ok()
            .and_then(|v| v["error"].as_str().map(str::to_string))
            .unwrap_or(text))
    }
}
