//! Addresses of former units: `/units/<code>` of a province merged in 2025 (a bookmark, a link
//! in an old report) leads to its successor's page, which says where it went. A former code in
//! use again by another unit (Yên Bái's 15 is Lào Cai's now) is that unit's address.

use app::catalogue::LiveCatalogue;
use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

pub async fn former_units(
    State(catalogue): State<LiveCatalogue>,
    req: Request,
    next: Next,
) -> Response {
    if req.method() == Method::GET
        && let Some(code) = req.uri().path().strip_prefix("/units/")
    {
        let c = catalogue.now();
        if !c.units.contains_key(code)
            && let Some(s) = c.successions.get(code)
        {
            // Temporary: the code may be given to another unit one day.
            return Redirect::temporary(&format!(
                "/units/{}?former={}",
                s.successor, s.former_code
            ))
            .into_response();
        }
    }
    next.run(req).await
}
