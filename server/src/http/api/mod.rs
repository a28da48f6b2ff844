//! The REST API under `/api/v1` (machine clients, `Authorization: Bearer`).

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

pub mod catalogue;
pub mod contributions;
pub mod observations;
pub mod openapi;
pub mod whoami;

/// A refusal with its reason (Vietnamese, then English): `{"error": "…"}`.
pub(crate) fn error(status: StatusCode, message: &str) -> Response {
    (status, Json(serde_json::json!({ "error": message }))).into_response()
}
