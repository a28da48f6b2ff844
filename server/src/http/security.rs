//! Security headers on every response. Pages carry their own Content-Security-Policy with the
//! nonce of their scripts (`app::security`); everything else the server makes (the API,
//! exports, attachments) gets a policy that allows nothing to run. A build's files (the wasm,
//! JS, CSS and fonts) carry only what applies to a file that is not a document.

use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

/// For responses that are not pages. An SVG chart opened on its own keeps its inline styles.
const NOT_A_PAGE_POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; \
     base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

pub async fn headers(req: Request, next: Next) -> Response {
    let https = req
        .headers()
        .get("x-forwarded-proto")
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"https"));
    let build_file = crate::http::site_files::is_build_file(req.uri().path());
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    if https {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        "cross-origin-resource-policy",
        HeaderValue::from_static("same-origin"),
    );
    // A build's wasm, JS, CSS and fonts are never shown as a document, so the headers that
    // govern documents say nothing for them; a tablet's first visit fetches nine of them, and
    // these were a third of a kilobyte on each.
    if build_file {
        return res;
    }
    let h = res.headers_mut();
    h.entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(NOT_A_PAGE_POLICY));
    // frame-ancestors says the same to current browsers; this is for the others.
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    // A wall screen's first URL carries its display token: never send it to another site.
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), payment=(), usb=()"),
    );
    res
}
