use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
        resp.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Không tìm thấy"/>
        <section class="panel error-panel" data-testid="not-found">
            <h1>"Không tìm thấy trang"</h1>
            <p class="en">"Page not found"</p>
            <p><a href="/">"Về trang tổng quan quốc gia (back to the national overview)"</a></p>
        </section>
    }
}
