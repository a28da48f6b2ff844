use leptos::prelude::*;

#[component]
pub fn TopBar() -> impl IntoView {
    view! {
        <header class="topbar">
            <a class="brand" href="/">
                <span class="emblem" aria-hidden="true">"★"</span>
                <span class="brand-text">
                    <strong>"Trung tâm chỉ đạo, điều hành Chính phủ"</strong>
                    <small lang="en">"Government Command and Operations Centre"</small>
                </span>
            </a>
        </header>
    }
}

/// The banner every screen with demo values carries.
#[component]
pub fn SimulatedBanner() -> impl IntoView {
    view! {
        <p class="simulated-banner" role="note" data-testid="simulated-banner">
            <strong>"DỮ LIỆU MÔ PHỎNG"</strong>
            " — số liệu minh họa, không phải số liệu chính thức. "
            <span lang="en">"Simulated data for demonstration, not official figures."</span>
        </p>
    }
}
