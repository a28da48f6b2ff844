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

/// A machine's batch as it arrives: its API token, whether it is CSV (else JSON), and its
/// bytes; or the answer refusing it: 401 without an API token, 415 neither JSON nor CSV, 413
/// over `limit` bytes.
pub(crate) async fn batch_of(
    req: axum::extract::Request,
    limit: usize,
) -> Result<
    (
        app::account::auth::RequestAuth,
        app::model::auth::TokenPrincipal,
        bool,
        axum::body::Bytes,
    ),
    Response,
> {
    use axum::http::header;
    let auth = req
        .extensions()
        .get::<app::account::auth::RequestAuth>()
        .cloned()
        .unwrap_or_default();
    let Some(token) = auth
        .token
        .clone()
        .filter(|t| t.kind == app::model::auth::TokenKind::Api)
    else {
        return Err((
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer")],
            Json(serde_json::json!({ "error": "cần token API trong Authorization: Bearer (an API token is required)" })),
        )
            .into_response());
    };
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let csv = if content_type.starts_with("application/json") {
        false
    } else if content_type.starts_with("text/csv") {
        true
    } else {
        return Err(error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "gửi Content-Type: application/json hoặc text/csv (send application/json or text/csv)",
        ));
    };
    match axum::body::to_bytes(req.into_body(), limit).await {
        Ok(body) => Ok((auth, token, csv, body)),
        Err(_) => Err(error(
            StatusCode::PAYLOAD_TOO_LARGE,
            &format!(
                "nội dung vượt quá {} MB (body over {} MB)",
                limit >> 20,
                limit >> 20
            ),
        )),
    }
}

/// Whether an open-data reader asked for CSV: `format=csv`, or `Accept: text/csv`.
pub(crate) fn wants_csv(format: Option<&str>, headers: &axum::http::HeaderMap) -> bool {
    format == Some("csv")
        || headers
            .get(axum::http::header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/csv"))
}
