//! Probes for the load balancer: `/healthz` says the process is up, `/readyz` that its
//! database answers.

use app::store::SharedStore;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::{Value, json};
use std::time::Duration;

/// The process is up.
#[utoipa::path(get, path = "/healthz", tag = "meta", responses((status = 200, description = "`{\"status\":\"ok\"}`", body = serde_json::Value)))]
pub async fn healthz() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

/// The database answers (a load balancer sends traffic only then).
#[utoipa::path(
    get,
    path = "/readyz",
    tag = "meta",
    responses(
        (status = 200, description = "Ready", body = serde_json::Value),
        (status = 503, description = "The database does not answer", body = serde_json::Value),
    )
)]
pub async fn readyz(State(store): State<SharedStore>) -> (StatusCode, Json<Value>) {
    let check = tokio::time::timeout(Duration::from_secs(3), store.ping()).await;
    match check {
        Ok(Ok(())) => (
            StatusCode::OK,
            Json(json!({ "status": "ready", "database": store.backend() })),
        ),
        Ok(Err(e)) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(
                json!({ "status": "unavailable", "database": store.backend(), "error": e.to_string() }),
            ),
        ),
        Err(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(
                json!({ "status": "unavailable", "database": store.backend(),
                         "error": "cơ sở dữ liệu không trả lời trong 3 giây (database did not answer in 3 s)" }),
            ),
        ),
    }
}
