//! The Leptos application: model, pages, components and server functions. Server-only code
//! (the storage interface, page assembly) sits behind the `ssr` feature so the wasm bundle
//! carries none of it.

pub mod api;
#[cfg(feature = "ssr")]
pub mod auth;
#[cfg(feature = "ssr")]
pub mod catalogue;
#[cfg(feature = "ssr")]
pub mod clock;
pub mod components;
#[cfg(feature = "ssr")]
pub mod csv_entry;
pub mod error;
#[cfg(feature = "hydrate")]
pub mod live_client;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod reports;
#[cfg(feature = "ssr")]
pub mod search;
#[cfg(feature = "ssr")]
pub mod security;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod tasks;
#[cfg(feature = "ssr")]
pub mod views;

use leptos::prelude::*;
use leptos_meta::{MetaTags, Title, provide_meta_context};
use leptos_router::{
    Lazy, SsrMode,
    components::{Route, Router, Routes},
    path,
};

/// The HTML document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let lang = components::layout::current_lang();
    #[cfg(feature = "ssr")]
    security::set_page_policy();
    // The build's folder (`pkg/<build>`, see server/src/http/site_files.rs): the page names its
    // build so that a wall screen can tell when the server has a newer one.
    let pkg = options.site_pkg_dir.to_string();
    let build = pkg.strip_prefix("pkg/").map(str::to_string);
    view! {
        <!DOCTYPE html>
        <html lang=lang.as_str()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="icon" type="image/svg+xml" href="/favicon.svg"/>
                <link rel="stylesheet" href=format!("/{pkg}/dieuhanh.css")/>
                {build.map(|b| view! { <meta name="dieuhanh-build" content=b/> })}
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_context(components::layout::current_lang());
    // Effects run only in the browser, once the page is hydrated: mark <body> so that browser
    // tests, and people inspecting a wall screen, can tell the page is live.
    Effect::new(|_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
    view! {
        <Title formatter=|page: String| {
            if page.is_empty() { "Trung tâm chỉ đạo, điều hành".to_string() } else { format!("{page} · Trung tâm chỉ đạo, điều hành") }
        }/>
        <Router>
            <components::layout::TopBar/>
            <main id="main">
                <Routes fallback=pages::not_found::NotFound>
                    // Async: the whole page is rendered before the first byte, so a missing unit answers
                    // 404 and a reader without JavaScript gets complete HTML.
                    <Route path=path!("/") view=pages::overview::OverviewPage ssr=SsrMode::Async/>
                    <Route path=path!("/units/:code") view=pages::unit::UnitPage ssr=SsrMode::Async/>
                    <Route path=path!("/indicators/:code") view={Lazy::<pages::indicator::IndicatorRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/search") view=pages::search::SearchPage ssr=SsrMode::Async/>
                    <Route path=path!("/login") view=pages::login::LoginPage/>
                    <Route path=path!("/account") view={Lazy::<pages::account::AccountRoute>::new()}/>
                    <Route path=path!("/entry") view={Lazy::<pages::entry::EntryRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/entry/:unit/:period") view={Lazy::<pages::entry_form::EntryFormRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/meetings") view={Lazy::<pages::meetings::MeetingsRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/meetings/:id") view={Lazy::<pages::meetings::MeetingRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/tasks") view={Lazy::<pages::tasks::TasksRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/tasks/:id") view={Lazy::<pages::tasks::TaskRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/admin") view={Lazy::<pages::admin::AdminRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/wall/:display") view={Lazy::<pages::wall::WallRoute>::new()} ssr=SsrMode::Async/>
                </Routes>
            </main>
        </Router>
    }
}
