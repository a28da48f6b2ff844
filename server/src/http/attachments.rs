//! Tài liệu đính kèm over HTTP: `POST /api/v1/attachments?name=<file name>` takes the file's
//! bytes as the body (a signed-in secretariat member or reporting officer, from this site) and
//! answers the stored attachment; `GET /attachments/{id}` gives it back to anyone signed in.
//! The bytes are written under their SHA-256 in the attachments folder, never under the
//! sender's name, so no name can reach outside the folder.

use crate::http::AppState;
use app::account::auth::RequestAuth;
use app::model::attachment::{self, Attachment, MAX_BYTES};
use app::model::auth::Action;
use app::store::AttachmentRecord;
use axum::Extension;
use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use std::path::PathBuf;

/// Where attachments are kept (shared by the instances of one deployment).
#[derive(Clone, Debug)]
pub struct AttachmentDir(pub PathBuf);

/// A refusal: the status and the reason in both languages, as JSON `{"error": …}`.
pub struct Refused(StatusCode, String);

impl IntoResponse for Refused {
    fn into_response(self) -> Response {
        (self.0, Json(serde_json::json!({ "error": self.1 }))).into_response()
    }
}

fn refuse(status: StatusCode, message: impl Into<String>) -> Refused {
    Refused(status, message.into())
}

#[derive(serde::Deserialize)]
pub struct UploadQuery {
    #[serde(default)]
    name: String,
}

pub async fn upload(
    State(state): State<AppState>,
    Extension(auth): Extension<RequestAuth>,
    Query(q): Query<UploadQuery>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<Attachment>), Refused> {
    let Some(viewer) = auth.viewer.clone() else {
        return Err(refuse(
            StatusCode::UNAUTHORIZED,
            "Vui lòng đăng nhập. (Please sign in.)",
        ));
    };
    if !viewer.can(&Action::Attach) {
        return Err(refuse(
            StatusCode::FORBIDDEN,
            "Chỉ Văn phòng Chính phủ và cán bộ báo cáo được đính kèm tài liệu. (Only the secretariat and reporting officers attach documents.)",
        ));
    }
    let (name, content_type) =
        attachment::check_name(&q.name).map_err(|m| refuse(StatusCode::UNPROCESSABLE_ENTITY, m))?;
    // Refuse a declared oversize body before reading it.
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_BYTES) {
        return Err(refuse(StatusCode::PAYLOAD_TOO_LARGE, attachment::too_big()));
    }
    let bytes = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            refuse(StatusCode::PAYLOAD_TOO_LARGE, attachment::too_big())
        } else {
            refuse(
                e.status(),
                format!("Không đọc được tệp gửi lên. (The upload could not be read: {e})"),
            )
        }
    })?;
    attachment::check_content(&bytes).map_err(|m| refuse(StatusCode::UNPROCESSABLE_ENTITY, m))?;
    let sha256: String = Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    write_once(&state.attachments.0, &sha256, &bytes).await.map_err(|e| {
        tracing::error!(error = %e, dir = %state.attachments.0.display(), "attachment not written");
        refuse(
            StatusCode::SERVICE_UNAVAILABLE,
            "Không lưu được tệp, vui lòng thử lại. (The file could not be stored.)",
        )
    })?;
    let mut record = AttachmentRecord {
        attachment: Attachment {
            id: 0,
            name,
            size: bytes.len() as u64,
            content_type: content_type.to_string(),
        },
        sha256,
        uploaded_by: viewer.username.clone(),
    };
    let audit = app::request::audit_by(&viewer, &auth, "attachment_upload", "");
    record.attachment.id = state
        .store
        .add_attachment(&record, &audit)
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "attachment not recorded");
            refuse(StatusCode::SERVICE_UNAVAILABLE, e.to_string())
        })?;
    Ok((StatusCode::CREATED, Json(record.attachment)))
}

/// Writes `bytes` as `<dir>/<sha256>` unless that file exists: into a temporary file of the
/// same folder first, then renamed, so a reader never sees half a file.
async fn write_once(dir: &std::path::Path, sha256: &str, bytes: &[u8]) -> std::io::Result<()> {
    tokio::fs::create_dir_all(dir).await?;
    let target = dir.join(sha256);
    if tokio::fs::try_exists(&target).await? {
        return Ok(());
    }
    let temp = dir.join(format!(".{sha256}.{}.part", std::process::id()));
    tokio::fs::write(&temp, bytes).await?;
    tokio::fs::rename(&temp, &target).await
}

pub async fn download(
    State(state): State<AppState>,
    Extension(auth): Extension<RequestAuth>,
    Path(id): Path<String>,
) -> Result<Response, Refused> {
    if auth.viewer.is_none() {
        return Err(refuse(
            StatusCode::UNAUTHORIZED,
            "Vui lòng đăng nhập. (Please sign in.)",
        ));
    }
    let not_found = || {
        refuse(
            StatusCode::NOT_FOUND,
            "Không có tài liệu này. (No such attachment.)",
        )
    };
    let id: i64 = id.parse().map_err(|_| not_found())?;
    let record = state
        .store
        .attachment(id)
        .await
        .map_err(|e| refuse(StatusCode::SERVICE_UNAVAILABLE, e.to_string()))?
        .ok_or_else(not_found)?;
    // The stored hash names the file; it is checked to be hex so it cannot name anything else.
    if record.sha256.len() != 64 || !record.sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(not_found());
    }
    let bytes = tokio::fs::read(state.attachments.0.join(&record.sha256))
        .await
        .map_err(|e| {
            tracing::error!(error = %e, id, "attachment file missing");
            not_found()
        })?;
    let a = record.attachment;
    let ascii: String = a
        .name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_ ".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded =
        percent_encoding::utf8_percent_encode(&a.name, percent_encoding::NON_ALPHANUMERIC)
            .to_string();
    Ok((
        [
            (header::CONTENT_TYPE, a.content_type),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}"),
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
            (header::CACHE_CONTROL, "private, max-age=3600".to_string()),
        ],
        bytes,
    )
        .into_response())
}
