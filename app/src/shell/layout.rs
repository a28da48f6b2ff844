use crate::account::api::get_viewer;
use crate::model::i18n::{Lang, use_lang};
use leptos::prelude::*;

/// The language of this request: the `lang` cookie, read by the server from the request and by
/// the browser from `document.cookie`, so both render the same text.
pub fn current_lang() -> Lang {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .map(|p| Lang::from_headers(&p.headers))
            .unwrap_or_default()
    }
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    {
        use wasm_bindgen::JsCast;
        document()
            .dyn_into::<web_sys::HtmlDocument>()
            .ok()
            .and_then(|d| d.cookie().ok())
            .map(|c| Lang::from_cookie_header(&c))
            .unwrap_or_default()
    }
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    {
        Lang::default()
    }
}

/// The link that switches the language and comes back to this page (works without JavaScript;
/// `rel="external"` keeps the router from handling it in the browser: the server sets the cookie).
#[component]
fn LangSwitch() -> impl IntoView {
    let lang = use_lang();
    let location = leptos_router::hooks::use_location();
    let href = move || {
        let search = location.search.get();
        let search = search.trim_start_matches('?');
        let path = location.pathname.get();
        let here = if search.is_empty() {
            path
        } else {
            format!("{path}?{search}")
        };
        let back: String = form_urlencoded::byte_serialize(here.as_bytes()).collect();
        format!("/lang/{}?back={back}", lang.other().as_str())
    };
    view! {
        <a class="link-button lang-switch" href=href rel="external" hreflang=lang.other().as_str() lang=lang.other().as_str() data-testid="lang-switch">
            {lang.pick("English", "Tiếng Việt")}
        </a>
    }
}

/// Jumps to a unit or an indicator by name or code (a plain form: works before hydration).
#[component]
fn SearchBox() -> impl IntoView {
    let lang = use_lang();
    view! {
        <form class="search-box" method="get" action="/search" role="search">
            <input type="search" name="q" maxlength="100" placeholder=lang.pick("Tìm đơn vị, chỉ tiêu…", "Find a unit or indicator…") aria-label=lang.pick("Tìm kiếm", "Search") data-testid="search-input"/>
            <button type="submit">{lang.pick("Tìm", "Search")}</button>
        </form>
    }
}

#[component]
pub fn TopBar() -> impl IntoView {
    let lang = use_lang();
    let viewer = Resource::new(|| (), |_| get_viewer());
    let unread = Resource::new(|| (), |_| crate::notify::api::inbox_unread());
    let account = move || {
        Suspend::new(async move {
            let unread = unread.await.ok().flatten().unwrap_or(0);
            match viewer.await {
                Ok(Some(v)) => {
                    let admin = v.can(&crate::model::auth::Action::ManageUsers);
                    let quality = v.can(&crate::model::auth::Action::ReviewDataQuality);
                    let briefs = v.can(&crate::model::auth::Action::ReadBriefs);
                    // Officers and approvers of a unit: the reports their unit owes.
                    let reports = !v.reporting_units().is_empty();
                    let roles = v
                        .roles
                        .iter()
                        .map(|g| match &g.unit {
                            Some(u) => format!("{} ({u})", g.role.label_vi()),
                            None => g.role.label_vi().to_string(),
                        })
                        .collect::<Vec<_>>()
                        .join(", ");
                    view! {
                        <div class="account" data-testid="account">
                            <a class="who" href="/account" title="Tài khoản (account)">
                                <strong data-testid="viewer-name">{v.display_name}</strong>
                                <small>{roles}</small>
                            </a>
                            <crate::notify::bell::Bell user=v.id unread/>
                            {reports.then(|| view! {
                                <a class="link-button" href="/entry" data-testid="entry-link">{lang.pick("Báo cáo", "Reports")}</a>
                            })}
                            <a class="link-button" href="/meetings" data-testid="meetings-link">{lang.pick("Phiên họp", "Meetings")}</a>
                            <a class="link-button" href="/tasks" data-testid="tasks-link">{lang.pick("Nhiệm vụ", "Tasks")}</a>
                            <a class="link-button" href="/scorecard" data-testid="scorecard-link">{lang.pick("Tiến độ", "Progress")}</a>
                            {briefs.then(|| view! {
                                <a class="link-button" href="/briefs" data-testid="briefs-link">{lang.pick("Báo cáo phiên họp", "Briefs")}</a>
                            })}
                            {quality.then(|| view! {
                                <a class="link-button" href="/quality" data-testid="quality-link">{lang.pick("Chất lượng số liệu", "Data quality")}</a>
                            })}
                            {admin.then(|| view! {
                                <a class="link-button" href="/admin">{lang.pick("Quản trị", "Admin")}</a>
                            })}
                            <form method="post" action="/logout">
                                <button type="submit" class="link-button">{lang.pick("Đăng xuất", "Sign out")}</button>
                            </form>
                            <form method="post" action="/logout?everywhere=1">
                                <button type="submit" class="link-button">
                                    {lang.pick("Đăng xuất mọi thiết bị", "Sign out everywhere")}
                                </button>
                            </form>
                        </div>
                    }
                    .into_any()
                }
                _ => view! { <a class="sign-in" href="/login">{lang.pick("Đăng nhập", "Sign in")}</a> }.into_any(),
            }
        })
    };
    // Wall screens have no top bar: nobody touches them.
    let on_wall = {
        let location = leptos_router::hooks::use_location();
        move || location.pathname.get().starts_with("/wall/")
    };
    view! {
        <header class="topbar" class:hidden=on_wall>
            <a class="brand" href="/">
                <span class="emblem" aria-hidden="true">"★"</span>
                <span class="brand-text">
                    <strong>"Trung tâm chỉ đạo, điều hành Chính phủ"</strong>
                    <small lang="en">"Government Command and Operations Centre"</small>
                </span>
            </a>
            <SearchBox/>
            <LangSwitch/>
            <Suspense fallback=|| ()>{account}</Suspense>
        </header>
    }
}

/// The banner every screen with demo values carries.
#[component]
pub fn SimulatedBanner() -> impl IntoView {
    let lang = use_lang();
    view! {
        <p class="simulated-banner" role="note" data-testid="simulated-banner">
            <strong>{lang.pick("DỮ LIỆU MÔ PHỎNG", "SIMULATED DATA")}</strong>
            {lang.pick(" — số liệu minh họa, không phải số liệu chính thức.", " — for demonstration, not official figures.")}
        </p>
    }
}

/// The mark of a value that arrived far from its own history: published as sent, never shown
/// as ordinary news.
pub fn outlier_tag(lang: crate::model::i18n::Lang) -> impl IntoView + use<> {
    view! {
        <span class="outlier-tag" data-testid="outlier" title=lang.pick(
            "Khác thường so với các kỳ gần đây; vẫn công bố như hệ thống nguồn gửi",
            "Unusual against recent periods; published as the source system sent it",
        )>{lang.pick("⚑ bất thường", "⚑ unusual")}</span>
    }
}
