//! Server functions: what the pages ask of the server. Each one reads through the [`Store`]
//! in the request's context; none writes yet.
//!
//! [`Store`]: crate::store::Store

use crate::model::auth::Viewer;
use crate::model::view::UnitView;
use leptos::prelude::*;

/// What the server knows of this request's sender (set by the server's auth middleware).
#[cfg(feature = "ssr")]
pub fn request_auth() -> crate::auth::RequestAuth {
    use_context::<http::request::Parts>()
        .and_then(|p| p.extensions.get::<crate::auth::RequestAuth>().cloned())
        .unwrap_or_default()
}

/// The signed-in person, if any.
#[server(prefix = "/fn", endpoint = "viewer")]
pub async fn get_viewer() -> Result<Option<Viewer>, ServerFnError> {
    Ok(request_auth().viewer)
}

/// Everything one unit's page shows (`VN` for the national overview).
#[server(prefix = "/fn", endpoint = "unit_view")]
pub async fn get_unit_view(code: String) -> Result<UnitView, ServerFnError> {
    use crate::model::UnitCode;
    let code = UnitCode::parse(&code).map_err(|e| ServerFnError::new(e.to_string()))?;
    let store = expect_context::<crate::store::SharedStore>();
    match crate::views::unit_view(store.as_ref(), code.as_str()).await {
        Ok(Some(view)) => Ok(view),
        Ok(None) => {
            if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
                resp.set_status(http::StatusCode::NOT_FOUND);
            }
            Err(ServerFnError::new(format!("Không có đơn vị mã “{code}” (no unit with code {code})")))
        }
        Err(e) => {
            tracing::error!(error = %e, "unit view failed");
            if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
                resp.set_status(http::StatusCode::SERVICE_UNAVAILABLE);
            }
            Err(ServerFnError::new(e.to_string()))
        }
    }
}
