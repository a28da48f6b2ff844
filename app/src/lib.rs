//! The Leptos application, one folder per product area (pages, components, server functions
//! and the server-side desk of each), over a shared vocabulary (`model`). Server-only code sits
//! behind the `ssr` feature so the wasm bundle carries none of it.

// Shared: the vocabulary (`model`, no Leptos, no database), the error every server function
// answers, and the server-side ground every feature stands on.
#[cfg(feature = "ssr")]
pub mod clock;
pub mod error;
pub mod model;
#[cfg(feature = "ssr")]
pub mod request;
#[cfg(feature = "ssr")]
pub mod security;
#[cfg(feature = "ssr")]
pub mod store;

// One folder per product area: its pages, components, server functions and server-side desk.
pub mod account;
pub mod admin;
pub mod brief;
pub mod catalogue;
pub mod explanations;
pub mod indicators;
pub mod meetings;
pub mod notes;
pub mod notify;
pub mod quality;
pub mod reporting;
pub mod search;
pub mod shell;
pub mod steering;
pub mod wall;

use leptos::prelude::*;
use leptos_meta::{MetaTags, Title, provide_meta_context};
use leptos_router::{
    Lazy, SsrMode,
    components::{Route, Router, Routes},
    path,
};

/// The HTML document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let lang = shell::layout::current_lang();
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
    provide_context(shell::layout::current_lang());
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
            <shell::layout::TopBar/>
            <main id="main">
                <Routes fallback=shell::not_found::NotFound>
                    // Async: the whole page is rendered before the first byte, so a missing unit answers
                    // 404 and a reader without JavaScript gets complete HTML.
                    <Route path=path!("/") view=indicators::overview::OverviewPage ssr=SsrMode::Async/>
                    <Route path=path!("/units/:code") view=indicators::unit_page::UnitPage ssr=SsrMode::Async/>
                    <Route path=path!("/indicators/:code") view={Lazy::<indicators::indicator_page::IndicatorRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/search") view={Lazy::<search::page::SearchRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/login") view={Lazy::<account::login::LoginRoute>::new()}/>
                    <Route path=path!("/account") view={Lazy::<account::page::AccountRoute>::new()}/>
                    <Route path=path!("/inbox") view={Lazy::<notify::inbox_page::InboxRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/briefs") view={Lazy::<brief::page::BriefsRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/entry") view={Lazy::<reporting::due::EntryRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/entry/:unit/:period") view={Lazy::<reporting::form::EntryFormRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/meetings") view={Lazy::<meetings::meetings_page::MeetingsRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/meetings/:id") view={Lazy::<meetings::meetings_page::MeetingRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/tasks") view={Lazy::<meetings::tasks_page::TasksRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/tasks/:id") view={Lazy::<meetings::tasks_page::TaskRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/admin") view={Lazy::<admin::page::AdminRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/admin/catalogue") view={Lazy::<catalogue::page::CatalogueRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/admin/regimes") view={Lazy::<catalogue::regime_page::RegimesRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/admin/units") view={Lazy::<catalogue::units_page::UnitsRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/explanations") view={Lazy::<explanations::page::ExplanationsRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/scorecard") view={Lazy::<steering::scorecard_page::ScorecardRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/targets") view={Lazy::<steering::targets_page::TargetsRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/quality") view={Lazy::<quality::page::QualityRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/wall/:display") view={Lazy::<wall::page::WallRoute>::new()} ssr=SsrMode::Async/>
                </Routes>
            </main>
        </Router>
    }
}
