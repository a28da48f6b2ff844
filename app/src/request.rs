//! [ssr] What a server function knows of the request it answers: who sent it, the server's
//! clock, the site's public address, and the one gate every server function passes
//! ([`require`]), with the audit row of what the person did.

use crate::error::AppError;
use crate::model::auth::Viewer;
use leptos::prelude::*;

/// What the server knows of this request's sender (set by the server's auth middleware).
pub fn request_auth() -> crate::account::auth::RequestAuth {
    use_context::<http::request::Parts>()
        .and_then(|p| {
            p.extensions
                .get::<crate::account::auth::RequestAuth>()
                .cloned()
        })
        .unwrap_or_default()
}

/// The address people reach this site at (`DIEUHANH_PUBLIC_URL`, an origin such as
/// `https://dieuhanh.chinhphu.vn`), given to the pages by the server when it is set.
#[derive(Clone, Debug, Default)]
pub struct PublicAddress(pub Option<String>);

/// The full address of `path` on this site, for a link to copy or send: the public address
/// when set, else the host this request was sent to.
pub fn link(path: &str) -> String {
    if let Some(PublicAddress(Some(origin))) = use_context::<PublicAddress>() {
        return format!("{origin}{path}");
    }
    let host = use_context::<http::request::Parts>().and_then(|p| {
        p.headers
            .get(http::header::HOST)
            .and_then(|h| h.to_str().ok())
            .map(str::to_string)
    });
    match host {
        Some(host) => format!("http://{host}{path}"),
        None => path.to_string(),
    }
}

/// The server's clock (see [`crate::clock::Clock`]).
pub fn clock() -> crate::clock::Clock {
    expect_context::<crate::clock::Clock>()
}

/// The signed-in person, or the refusal to send (401) when nobody is signed in.
pub fn signed_in() -> Result<(Viewer, crate::account::auth::RequestAuth), AppError> {
    let auth = request_auth();
    match auth.viewer.clone() {
        Some(v) => Ok((v, auth)),
        None => Err(AppError::sign_in()),
    }
}

/// The signed-in person allowed to do `action`, or the refusal to send (401 when nobody is
/// signed in, 403 when this person may not). The one gate every server function passes.
pub fn require(
    action: &crate::model::auth::Action,
) -> Result<(Viewer, crate::account::auth::RequestAuth), AppError> {
    let auth = request_auth();
    match &auth.viewer {
        None => Err(AppError::sign_in()),
        Some(v) if !v.can(action) => Err(AppError::not_allowed()),
        Some(v) => Ok((v.clone(), auth.clone())),
    }
}

/// The audit row of an action by the signed-in person.
pub fn audit_by(
    viewer: &Viewer,
    auth: &crate::account::auth::RequestAuth,
    action: &str,
    target: &str,
) -> crate::store::AuditEntry {
    crate::store::AuditEntry {
        actor: viewer.username.clone(),
        actor_kind: "user".into(),
        role: viewer.roles.first().map(|g| g.role.as_str().to_string()),
        unit: viewer.roles.iter().find_map(|g| g.unit.clone()),
        action: action.into(),
        target: Some(target.into()),
        address: auth.address.clone(),
        ..Default::default()
    }
}
