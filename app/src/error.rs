//! The one error a server function answers with: what kind of refusal or failure it is (which
//! decides the HTTP status) and the message the person reads, Vietnamese first. On the wire it
//! is `{"error": "<message>", "kind": "<kind>"}`, the shape the REST API's errors have.
//!
//! The HTTP status is set where the error leaves, never where it is made (a check may make
//! one and go on): when server_fn encodes it as a server function's answer, and when a page
//! rendered on the server shows it ([`AppError::shown`]).

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// What went wrong, as the person and the HTTP status see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// Nobody is signed in (401).
    SignIn,
    /// This person may not do or see this (403).
    Forbidden,
    /// No such unit, indicator, report, meeting, task, account or screen (404).
    NotFound,
    /// Someone else changed the record first, or it does not take this change now (409).
    Conflict,
    /// The request is malformed, out of range or too large (422).
    Invalid,
    /// The database did not answer or take the write; nothing changed (503).
    Unavailable,
    /// The request did not reach the server or its answer could not be read (in the browser).
    Transport,
}

impl ErrorKind {
    pub fn status(self) -> u16 {
        match self {
            ErrorKind::SignIn => 401,
            ErrorKind::Forbidden => 403,
            ErrorKind::NotFound => 404,
            ErrorKind::Conflict => 409,
            ErrorKind::Invalid => 422,
            ErrorKind::Unavailable => 503,
            ErrorKind::Transport => 500,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, thiserror::Error)]
#[error("{message}")]
pub struct AppError {
    pub kind: ErrorKind,
    #[serde(rename = "error")]
    pub message: String,
}

impl AppError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> AppError {
        AppError {
            kind,
            message: message.into(),
        }
    }

    pub fn sign_in() -> AppError {
        AppError::new(ErrorKind::SignIn, "Vui lòng đăng nhập. (Please sign in.)")
    }

    /// The refusal when a person's roles do not allow an action.
    pub fn not_allowed() -> AppError {
        AppError::forbidden("Bạn không có quyền thực hiện việc này. (You may not do this.)")
    }

    pub fn forbidden(message: impl Into<String>) -> AppError {
        AppError::new(ErrorKind::Forbidden, message)
    }

    pub fn not_found(message: impl Into<String>) -> AppError {
        AppError::new(ErrorKind::NotFound, message)
    }

    pub fn conflict(message: impl Into<String>) -> AppError {
        AppError::new(ErrorKind::Conflict, message)
    }

    pub fn invalid(message: impl Into<String>) -> AppError {
        AppError::new(ErrorKind::Invalid, message)
    }

    /// The message, for a page that shows this error instead of its content: on the server
    /// the page then answers with the error's status (a missing unit's page is a 404).
    pub fn shown(&self) -> String {
        #[cfg(feature = "ssr")]
        set_status(self.kind.status());
        self.message.clone()
    }

    /// A failure of the database as the person sees it, logged for the operators.
    #[cfg(feature = "ssr")]
    pub fn unavailable(cause: impl std::fmt::Display) -> AppError {
        tracing::error!(error = %cause, "a server function failed on the store");
        AppError::new(
            ErrorKind::Unavailable,
            format!(
                "Hệ thống tạm thời không xử lý được, vui lòng thử lại. (Temporarily unavailable: {cause})"
            ),
        )
    }
}

/// Sets the HTTP status of the answer being built (a server function's or a page's); nothing
/// outside a request.
#[cfg(feature = "ssr")]
fn set_status(code: u16) {
    if let (Some(resp), Ok(status)) = (
        leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
        http::StatusCode::from_u16(code),
    ) {
        resp.set_status(status);
    }
}

/// What server_fn itself reports: arguments the server could not read are the request's fault
/// (422); anything else is the transport's.
impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(e: ServerFnErrorErr) -> AppError {
        match e {
            ServerFnErrorErr::Args(m) | ServerFnErrorErr::MissingArg(m) => AppError::invalid(
                format!("Yêu cầu không hợp lệ. (The request is malformed: {m})"),
            ),
            other => AppError::new(
                ErrorKind::Transport,
                format!("Không tải được dữ liệu (could not load): {other}"),
            ),
        }
    }

    /// The answer's body; on the server also its status, as this error is what it answers.
    fn ser(&self) -> leptos::server_fn::Bytes {
        use leptos::server_fn::Encodes;
        #[cfg(feature = "ssr")]
        set_status(self.kind.status());
        JsonEncoding::encode(self).unwrap_or_else(|_| {
            leptos::server_fn::Bytes::from_static(br#"{"kind":"transport","error":"?"}"#)
        })
    }
}

/// The store's conflict is the person's (someone else came first); any other store error is
/// the database's.
#[cfg(feature = "ssr")]
impl From<crate::store::StoreError> for AppError {
    fn from(e: crate::store::StoreError) -> AppError {
        match e {
            crate::store::StoreError::Conflict(_) => AppError::conflict(
                "Bản ghi vừa được người khác thay đổi. Tải lại trang để xem bản mới nhất rồi làm lại; chưa có gì được lưu. (Someone else changed this meanwhile: reload; nothing was saved.)",
            ),
            e => AppError::unavailable(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wire_shape_is_the_rest_apis() {
        let e = AppError::not_found("Không có đơn vị mã “99”. (No such unit.)");
        let json = serde_json::to_string(&e).unwrap();
        assert_eq!(
            json,
            r#"{"kind":"not_found","error":"Không có đơn vị mã “99”. (No such unit.)"}"#
        );
        assert_eq!(serde_json::from_str::<AppError>(&json).unwrap(), e);
        assert_eq!(e.kind.status(), 404);
    }
}
