//! The HTTP side of identity: the session cookie becomes a viewer for every request, sign-in
//! and sign-out are plain form posts (they work before the page is hydrated), and every
//! state-changing request must come from this site's own pages.

use crate::http::AppState;
use app::account::auth::{
    RequestAuth, SESSION_COOKIE, SignInError, session_cookie, sign_in, token_hash, viewer_of,
};
use app::model::auth::{TokenKind, TokenPrincipal};
use app::store::AuditEntry;
use axum::extract::{Form, Query, Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use serde::Deserialize;

fn cookie_value<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// Resolves the session cookie to a viewer and puts [`RequestAuth`] in the request's extensions
/// (pages and server functions read it from there). An unknown, expired or tampered cookie is
/// simply no session.
pub async fn resolve(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let client = crate::http::client::of(&req);
    let address = client.map(|c| c.address.to_string());
    let secure = client.is_some_and(|c| c.https);
    let mut auth = RequestAuth {
        address,
        secure,
        ..Default::default()
    };
    if let Some(header) = req.headers().get(header::AUTHORIZATION) {
        match bearer(&state, header).await {
            Ok(token) => auth.token = Some(token),
            Err(refusal) => return refusal,
        }
    } else {
        let (method, uri) = (req.method().clone(), req.uri().clone());
        if let Some(done) = display_token_in_query(&state, &method, &uri, secure).await {
            return done;
        }
        if uri.path() == "/ws" {
            // A WebSocket client may carry its token in the query (browsers cannot set headers
            // on a WebSocket); an invalid one is refused as a bearer token would be.
            if let Some(token) = query_token(&uri) {
                match live_token(&state, &token).await {
                    Ok(Some(p)) => auth.token = Some(p),
                    _ => return unauthorized("token không hợp lệ (invalid token)"),
                }
            }
        }
        let display_token = cookie_value(req.headers(), DISPLAY_COOKIE).map(str::to_string);
        if let Some(token) = display_token.filter(|_| auth.token.is_none())
            && let Ok(Some(p)) = live_token(&state, &token).await
        {
            auth.token = Some(p).filter(|p| p.kind == TokenKind::Display);
        }
    }
    if let Some(token) =
        cookie_value(req.headers(), SESSION_COOKIE).filter(|t| !t.is_empty() && t.len() <= 128)
    {
        let hash = token_hash(token);
        match state.store.session_user(&hash, Utc::now()).await {
            Ok(Some(user)) => {
                auth.viewer = Some(viewer_of(&user));
                auth.session_hash = Some(hash);
            }
            Ok(None) => {}
            Err(e) => tracing::warn!(error = %e, "session lookup failed"),
        }
    }
    let signed_in = auth.viewer.is_some();
    req.extensions_mut().insert(auth);
    let mut res = next.run(req).await;
    // A page shown to a signed-in person is never kept by the browser or a proxy, so the back
    // button after sign-out shows nothing private.
    if signed_in {
        res.headers_mut().insert(
            header::CACHE_CONTROL,
            header::HeaderValue::from_static("no-store"),
        );
    }
    res
}

/// A 401 with the reason in both languages, as JSON, for machine clients.
pub(crate) fn unauthorized(reason: &str) -> Response {
    (
        StatusCode::UNAUTHORIZED,
        [(header::WWW_AUTHENTICATE, "Bearer")],
        axum::Json(serde_json::json!({ "error": reason })),
    )
        .into_response()
}

/// Resolves `Authorization: Bearer <token>`: a live token becomes a principal; anything else
/// is refused here, with the reason, before any handler runs.
async fn bearer(state: &AppState, value: &header::HeaderValue) -> Result<TokenPrincipal, Response> {
    let token = value
        .to_str()
        .ok()
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .ok_or_else(|| {
            unauthorized("Authorization phải có dạng “Bearer <token>” (expected a bearer token)")
        })?;
    match live_token(state, token).await {
        Ok(Some(principal)) => Ok(principal),
        Ok(None) => Err(unauthorized("token không hợp lệ (invalid token)")),
        Err(TokenRefusal::Revoked) => {
            Err(unauthorized("token đã bị thu hồi (the token was revoked)"))
        }
        Err(TokenRefusal::Expired) => Err(unauthorized("token đã hết hạn (the token has expired)")),
        Err(TokenRefusal::Store(e)) => {
            tracing::error!(error = %e, "token lookup failed");
            Err((
                StatusCode::SERVICE_UNAVAILABLE,
                axum::Json(serde_json::json!({ "error": e.to_string() })),
            )
                .into_response())
        }
    }
}

enum TokenRefusal {
    Revoked,
    Expired,
    Store(app::store::StoreError),
}

/// The principal of a live token; `None` when no token has this value.
async fn live_token(state: &AppState, token: &str) -> Result<Option<TokenPrincipal>, TokenRefusal> {
    if token.is_empty() || token.len() > 128 {
        return Ok(None);
    }
    let now = Utc::now();
    let Some(record) = state
        .store
        .token_by_hash(&token_hash(token), now)
        .await
        .map_err(TokenRefusal::Store)?
    else {
        return Ok(None);
    };
    if record.revoked_at.is_some() {
        return Err(TokenRefusal::Revoked);
    }
    if record.expires_at.is_some_and(|e| e <= now) {
        return Err(TokenRefusal::Expired);
    }
    Ok(Some(TokenPrincipal {
        id: record.id,
        name: record.name,
        kind: record.kind,
        units: record.units,
        display_id: record.display_id,
        sets_targets: record.sets_targets,
    }))
}

fn query_token(uri: &axum::http::Uri) -> Option<String> {
    url::form_urlencoded::parse(uri.query()?.as_bytes())
        .find(|(k, _)| k == "token")
        .map(|(_, v)| v.into_owned())
}

/// The cookie a wall screen keeps its display token in, so the token leaves the URL after the
/// first load and the screen survives restarts of the browser and the server.
pub const DISPLAY_COOKIE: &str = "dieuhanh_display";

fn display_cookie(token: &str, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    // Ten years: an unattended screen must never fall back to a sign-in form.
    format!(
        "{DISPLAY_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=315360000{secure}"
    )
}

/// A display token in `?token=` on a wall page: kept in a cookie, then the same page without it.
async fn display_token_in_query(
    state: &AppState,
    method: &Method,
    uri: &axum::http::Uri,
    secure: bool,
) -> Option<Response> {
    if method != Method::GET || !uri.path().starts_with("/wall/") {
        return None;
    }
    let query = uri.query()?;
    let token = url::form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == "token")
        .map(|(_, v)| v.into_owned())?;
    let rest: String = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(url::form_urlencoded::parse(query.as_bytes()).filter(|(k, _)| k != "token"))
        .finish();
    let target = if rest.is_empty() {
        uri.path().to_string()
    } else {
        format!("{}?{rest}", uri.path())
    };
    match live_token(state, &token).await {
        Ok(Some(p)) if p.kind == TokenKind::Display => Some(
            (
                [(header::SET_COOKIE, display_cookie(&token, secure))],
                Redirect::to(&target),
            )
                .into_response(),
        ),
        // Anything else: the page answers that this screen is not authorised.
        _ => Some(Redirect::to(&target).into_response()),
    }
}

/// Refuses state-changing requests from other sites: the `Origin` (or, without it, the
/// `Referer`) must name this host. Machine clients with a bearer token carry no cookie and are
/// exempt. Together with SameSite cookies this is OWASP's recommended defence.
pub async fn same_origin(
    State(site): State<crate::http::client::Site>,
    req: Request,
    next: Next,
) -> Response {
    let changes_state = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let bearer = req
        .headers()
        .get(header::AUTHORIZATION)
        .is_some_and(|v| v.as_bytes().starts_with(b"Bearer "));
    // A machine client calling the REST API with no cookie cannot be a forged browser request:
    // it gets the API's own answer (401 without a token) rather than this refusal.
    let api_without_cookie =
        req.uri().path().starts_with("/api/") && !req.headers().contains_key(header::COOKIE);
    if changes_state && !bearer && !api_without_cookie && !site.from_own_page(req.headers()) {
        return (
            StatusCode::FORBIDDEN,
            "Yêu cầu bị từ chối: không gửi từ trang của hệ thống. (Refused: cross-site request.)",
        )
            .into_response();
    }
    next.run(req).await
}

#[derive(Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

/// Only a path on this site: never `//other.example` or an absolute URL.
fn safe_next(next: &str) -> &str {
    if next.starts_with('/') && !next.starts_with("//") && !next.starts_with("/\\") {
        next
    } else {
        "/"
    }
}

fn login_again(code: &str, next: &str) -> Response {
    let next: String = url::form_urlencoded::byte_serialize(safe_next(next).as_bytes()).collect();
    Redirect::to(&format!("/login?error={code}&next={next}")).into_response()
}

/// `POST /login`: on success a session cookie and a redirect to `next`; otherwise back to the
/// form with the reason. Non-UTF-8 or malformed bodies are refused by the form extractor.
pub async fn sign_in_form(State(state): State<AppState>, req: Request) -> Response {
    let auth = req
        .extensions()
        .get::<RequestAuth>()
        .cloned()
        .unwrap_or_default();
    let form = match Form::<SignInForm>::from_request(req, &state).await {
        Ok(Form(f)) => f,
        Err(_) => return login_again("missing", "/"),
    };
    match sign_in(
        state.store.as_ref(),
        &state.sign_in_limiter,
        &form.username,
        &form.password,
        auth.address.as_deref(),
    )
    .await
    {
        Ok(done) => {
            let cookie = session_cookie(Some(&done.token), done.max_age, auth.secure);
            (
                [(header::SET_COOKIE, cookie)],
                Redirect::to(safe_next(&form.next)),
            )
                .into_response()
        }
        Err(SignInError::Wrong) => login_again("wrong", &form.next),
        Err(SignInError::RateLimited) => login_again("limited", &form.next),
        Err(SignInError::Missing) => login_again("missing", &form.next),
        Err(SignInError::Store(e)) => {
            tracing::error!(error = %e, "sign-in failed on the database");
            login_again("unavailable", &form.next)
        }
    }
}

use axum::extract::FromRequest;

#[derive(Deserialize)]
pub struct SignOutQuery {
    #[serde(default)]
    everywhere: Option<String>,
}

/// `POST /logout` (`?everywhere=1` ends every session of the account).
pub async fn sign_out(
    State(state): State<AppState>,
    Query(q): Query<SignOutQuery>,
    req: Request,
) -> Response {
    let auth = req
        .extensions()
        .get::<RequestAuth>()
        .cloned()
        .unwrap_or_default();
    let everywhere = q.everywhere.is_some();
    if let (Some(hash), Some(viewer)) = (&auth.session_hash, &auth.viewer) {
        let audit = AuditEntry {
            actor: viewer.username.clone(),
            actor_kind: "user".into(),
            action: if everywhere {
                "sign_out_everywhere"
            } else {
                "sign_out"
            }
            .into(),
            address: auth.address.clone(),
            ..Default::default()
        };
        if let Err(e) = state.store.end_session(hash, everywhere, &audit).await {
            tracing::error!(error = %e, "sign-out failed on the database");
            return (StatusCode::SERVICE_UNAVAILABLE, e.to_string()).into_response();
        }
    }
    let cookie = session_cookie(None, chrono::Duration::zero(), auth.secure);
    ([(header::SET_COOKIE, cookie)], Redirect::to("/")).into_response()
}
