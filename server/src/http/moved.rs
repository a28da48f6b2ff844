//! Addresses of former units: `/units/<code>` of a province merged in 2025 (a bookmark, a link
//! in an old report), or of a unit an administrator's reorganisation ended, leads to its
//! successor's page, which says where it went. A former code in use again by another unit (Yên
//! Bái's 15 is Lào Cai's now) is that unit's address. An ended unit's own page, with the
//! history recorded under it, stays at `/units/<code>?history`.

use app::catalogue::LiveCatalogue;
use app::clock::Clock;
use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

pub async fn former_units(
    State((catalogue, clock)): State<(LiveCatalogue, Clock)>,
    req: Request,
    next: Next,
) -> Response {
    if req.method() == Method::GET
        && let Some(code) = req.uri().path().strip_prefix("/units/")
        && !req
            .uri()
            .query()
            .is_some_and(|q| q.split('&').any(|p| p.split('=').next() == Some("history")))
    {
        let c = catalogue.now();
        let today = clock.today();
        let gone = c.units.get(code).is_none_or(|u| !u.in_force(today));
        if gone && let Some(s) = c.successors_of(code).find(|s| s.effective <= today) {
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
