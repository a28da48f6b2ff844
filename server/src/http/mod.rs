//! Everything that speaks HTTP: the router, probes, metrics and the Leptos pages.

pub mod api;
pub mod attachments;
pub mod auth;
pub mod brief;
pub mod client;
pub mod export;
pub mod health;
pub mod lang;
pub mod moved;
pub mod security;
pub mod serve;
pub mod site_files;
pub mod ws;

use crate::metrics::{self, Metrics};
use app::store::SharedStore;
use axum::Router;
use axum::extract::FromRef;
use axum::routing::{get, post};
use leptos::prelude::*;
use leptos_axum::{AxumRouteListing, LeptosRoutes, generate_route_list};
use std::sync::{Arc, OnceLock};
use tower_http::trace::TraceLayer;

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub store: SharedStore,
    pub metrics: Arc<Metrics>,
    pub sign_in_limiter: Arc<app::account::auth::SignInLimiter>,
    pub catalogue: app::catalogue::LiveCatalogue,
    pub ingest: crate::ingest::Ingest,
    pub hub: Arc<crate::live::hub::Hub>,
    pub recent: app::indicators::recent::RecentCache,
    pub wall: app::wall::api::WallSettings,
    pub attachments: attachments::AttachmentDir,
    pub limits: crate::config::HttpLimits,
    pub clock: app::clock::Clock,
    pub site: client::Site,
}

/// The app's routes, generated once per process. Generating them runs the app once with
/// resource loading suppressed by a process-global flag (leptos issue #4773): a page that
/// another server in the same process renders at that moment waits forever. The tests start
/// many servers in one process and hung that way about one run in four.
fn routes() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(app::App)).clone()
}

/// The whole HTTP surface of one instance.
pub fn router(state: AppState) -> Router {
    let routes = routes();
    let store = state.store.clone();
    let wall = state.wall;
    let catalogue = state.catalogue.clone();
    let recent = state.recent.clone();
    let clock = state.clock;
    let public = app::request::PublicAddress(
        state
            .site
            .public_url
            .as_ref()
            .map(|u| u.origin().to_string()),
    );
    let context = move || {
        provide_context(clock);
        provide_context(public.clone());
        provide_context(store.clone());
        provide_context(catalogue.clone());
        provide_context(recent.clone());
        provide_context(wall);
    };
    let options = state.leptos_options.clone();
    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(metrics::render))
        .route("/login", post(auth::sign_in_form))
        .route("/logout", post(auth::sign_out))
        .route("/api/v1/whoami", get(api::whoami::whoami))
        .route("/api/v1/observations/revisions", get(api::observations::revisions))
        .route("/api/v1/openapi.json", get(api::openapi::openapi_json))
        .route("/ws", get(ws::upgrade))
        .route(
            "/api/v1/attachments",
            post(attachments::upload).layer(axum::extract::DefaultBodyLimit::max(
                app::model::attachment::MAX_BYTES as usize + 1,
            )),
        )
        .route("/attachments/{id}", get(attachments::download))
        .route("/briefs/{file}", get(brief::download))
        .route("/lang/{lang}", get(lang::switch))
        .route("/indicators/{code}/data.csv", get(export::data_csv))
        .route("/indicators/{code}/ranking.csv", get(export::ranking_csv))
        .route("/indicators/{code}/chart.svg", get(export::chart_svg))
        .route(
            "/api/v1/observations",
            post(api::observations::ingest)
                .layer(axum::extract::DefaultBodyLimit::max(crate::ingest::MAX_BODY))
                .get(api::observations::read),
        )
        .route("/api/v1/contributions", get(api::contributions::read))
        .route(
            "/api/v1/targets",
            post(api::targets::set)
                .layer(axum::extract::DefaultBodyLimit::max(crate::ingest::MAX_BODY)),
        )
        .route("/api/v1/catalogue", get(api::catalogue::read))
        .route("/api/v1/catalogue/{file}", get(api::catalogue::csv))
        .leptos_routes_with_context(&state, routes, context.clone(), {
            let options = options.clone();
            move || app::shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(context, app::shell))
        .layer(axum::middleware::from_fn_with_state(
            (state.catalogue.clone(), state.clock),
            moved::former_units,
        ))
        .layer(axum::middleware::from_fn_with_state(state.clone(), auth::resolve))
        .layer(axum::middleware::from_fn_with_state(state.site.clone(), auth::same_origin))
        // Added after the identity layers so that the wasm, JS and CSS every page loads are
        // served without a session or token lookup in the database.
        .nest_service(
            "/pkg",
            site_files::pkg(&options.site_root),
        )
        .layer(axum::middleware::from_fn_with_state(state.limits.request, serve::deadline))
        .layer(axum::middleware::from_fn_with_state(state.site.clone(), client::identify))
        .layer(site_files::on_the_fly())
        .layer(axum::middleware::from_fn(site_files::cache_policy))
        .layer(axum::middleware::from_fn(security::headers))
        .layer(axum::middleware::from_fn_with_state(state.metrics.clone(), metrics::track))
        // Spans carry the path only: a query string may hold a display token.
        .layer(TraceLayer::new_for_http().make_span_with(|req: &axum::http::Request<_>| {
            tracing::info_span!("request", method = %req.method(), path = %req.uri().path())
        }))
        .with_state(state)
}
