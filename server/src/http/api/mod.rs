//! The REST API under `/api/v1` (machine clients, `Authorization: Bearer`).

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

pub mod catalogue;
pub mod contributions;
pub mod observations;
pub mod openapi;
pub mod targets;
pub mod whoami;

/// A refusal with its reason (Vietnamese, then English): `{"error": "…"}`.
pub(crate) fn error(status: StatusCode, message: &str) -> Response {
    (status, Json(serde_json::json!({ "error": message }))).into_response()
}

/// Whether an open-data reader asked for CSV: `format=csv`, or `Accept: text/csv`.
pub(crate) fn wants_csv(format: Option<&str>, headers: &axum::http::HeaderMap) -> bool {
    format == Some("csv")
        || headers
            .get(axum::http::header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/csv"))
}
