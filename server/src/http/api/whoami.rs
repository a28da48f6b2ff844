//! `GET /api/v1/whoami`: a machine client checks its token with it.

use app::account::auth::RequestAuth;
use axum::extract::Request;
use axum::response::{IntoResponse, Response};

/// `GET /api/v1/whoami`: who the credentials presented belong to (a machine client checks its
/// token with it).
#[utoipa::path(
    get,
    path = "/api/v1/whoami",
    tag = "meta",
    security(("api_token" = [])),
    responses(
        (status = 200, description = "`kind` (api, display or user), `name`, and the token's `units` or the person's `roles`", body = serde_json::Value),
        (status = 401, description = "No valid credentials", body = super::openapi::ErrorBody),
    )
)]
pub async fn whoami(req: Request) -> Response {
    let auth = req
        .extensions()
        .get::<RequestAuth>()
        .cloned()
        .unwrap_or_default();
    match (auth.token, auth.viewer) {
        (Some(t), _) => axum::Json(serde_json::json!({
            "kind": t.kind.as_str(), "name": t.name, "units": t.units
        }))
        .into_response(),
        (None, Some(v)) => axum::Json(serde_json::json!({
            "kind": "user", "name": v.username, "display_name": v.display_name, "roles": v.roles
        }))
        .into_response(),
        (None, None) => crate::http::auth::unauthorized("chưa xác thực (not authenticated)"),
    }
}
